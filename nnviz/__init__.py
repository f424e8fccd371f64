"""nnviz: the numpy engine behind the app, usable on its own in a notebook.

The paper's network (Figures 1-5), a forward pass at x = 0.5, the loss and the
gradients for the target y = 1, and the paper's SGD from 20 random restarts:

    >>> import nnviz
    >>> net = nnviz.presets.paper_network()
    >>> trace = nnviz.forward(net, [0.5])
    >>> trace.z.shape  # (B, N): one point, nine neurons
    (1, 9)
    >>> round(float(trace.z_of("9")[0]), 4)  # f(0.5): the output z_9
    0.552
    >>> grads = nnviz.backward(net, trace, [1.0])
    >>> round(float(grads.loss[0]), 4)  # l = (y - z_9)^2
    0.2007
    >>> round(float(grads.dl_dw_of("6", "9")), 4)  # dl/dw_6,9 = dl/da_9 * z_6
    -0.5681
    >>> X, Y = [[-1.0], [0.0], [1.0]], [[0.0], [1.0], [0.0]]
    >>> result = nnviz.restarts(net, X, Y, restarts=20, seed=0, step_size=0.1, epochs=200)
    >>> result.loss_history.shape  # (R, epochs + 1)
    (20, 201)
    >>> bool(result.final_loss[result.best] < result.loss_history[result.best, 0])
    True
    >>> nnviz.from_json(nnviz.to_json(result.best_network)) == result.best_network
    True

Only ``nnviz.ui`` imports streamlit; the engine is plain numpy, except the
training loop of ``nnviz.kernel``, which numba compiles. ``nnviz.figures``
draws (graphviz, plotly); ``nnviz.app`` holds what the app shows and keeps.
"""

from nnviz import activations, landscape, presets
from nnviz.engine import Gradients, Trace, backward, finite_differences, forward, gradient_check, loss
from nnviz.files import from_json, to_json
from nnviz.landscape import loss_surface
from nnviz.network import MAX_EDGES, MAX_NEURONS, Network, NetworkError, Neuron
from nnviz.pictures import neuron_pictures
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
    "neuron_pictures",
    "presets",
    "restarts",
    "sgd",
    "sgd_paths",
    "to_json",
    "train",
]
