"""Each activation and its derivative in PyTorch, for the benchmark (this module does not import torch).

:data:`TORCH_ACTIVATIONS` and :data:`TORCH_SLOPES` take the torch module first,
so that :mod:`nnviz.bench` can list them (and the tests check every registry
activation has both) on a machine without PyTorch; :mod:`nnviz.bench_torch` uses them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nnviz.activations import LEAKY_SLOPE

#: Each registry activation in PyTorch (given the torch module and a tensor), keyed by its registry name.
TORCH_ACTIVATIONS: dict[str, Callable[[Any, Any], Any]] = {
    "identity": lambda torch, t: t,
    "sigmoid": lambda torch, t: torch.sigmoid(t),
    "tanh": lambda torch, t: torch.tanh(t),
    "relu": lambda torch, t: torch.relu(t),
    "leaky_relu": lambda torch, t: torch.nn.functional.leaky_relu(t, LEAKY_SLOPE),
    "softplus": lambda torch, t: torch.nn.functional.softplus(t),
    "step": lambda torch, t: (t > 0).to(t.dtype),
    "sin": lambda torch, t: torch.sin(t),
}

#: sigma'(a, z) of each registry activation in PyTorch (given the torch module, a and z = sigma(a)).
TORCH_SLOPES: dict[str, Callable[[Any, Any, Any], Any]] = {
    "identity": lambda torch, a, z: torch.ones_like(a),
    "sigmoid": lambda torch, a, z: z * (1.0 - z),
    "tanh": lambda torch, a, z: 1.0 - z * z,
    "relu": lambda torch, a, z: (a > 0).to(a.dtype),
    "leaky_relu": lambda torch, a, z: torch.where(a > 0, 1.0, LEAKY_SLOPE).to(a.dtype),
    "softplus": lambda torch, a, z: torch.sigmoid(a),
    "step": lambda torch, a, z: torch.zeros_like(a),
    "sin": lambda torch, a, z: torch.cos(a),
}
