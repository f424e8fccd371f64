"""nnviz: the numpy engine behind the app, usable on its own in a notebook.

    >>> import nnviz
    >>> net = nnviz.presets.paper_network()
    >>> trace = nnviz.forward(net, [0.5])
    >>> grads = nnviz.backward(net, trace, [1.0])
    >>> result = nnviz.restarts(net, X, Y, restarts=100, seed=0, step_size=0.1, epochs=50)

Only ``nnviz.ui`` imports streamlit; everything else is plain numpy, except the training
loop of ``nnviz.kernel``, which numba compiles.
"""

from nnviz import activations, landscape, presets
from nnviz.engine import Gradients, Trace, backward, finite_differences, forward, gradient_check, loss
from nnviz.files import from_json, to_json
from nnviz.landscape import loss_surface
from nnviz.network import MAX_EDGES, MAX_NEURONS, Network, NetworkError, Neuron
from nnviz.sgd_paths import SGDPaths, sgd_paths
from nnviz.training import TrainResult, restarts, sgd, train

__all__ = [
    "MAX_EDGES",
    "MAX_NEURONS",
    "Gradients",
    "Network",
    "NetworkError",
    "Neuron",
    "SGDPaths",
    "Trace",
    "TrainResult",
    "activations",
    "backward",
    "finite_differences",
    "forward",
    "from_json",
    "gradient_check",
    "landscape",
    "loss",
    "loss_surface",
    "presets",
    "restarts",
    "sgd",
    "sgd_paths",
    "to_json",
    "train",
]
