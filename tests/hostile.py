"""Hostile strings, a hostile network and a cyclic network file shared by the robustness suites."""

from __future__ import annotations

from nnviz import files
from nnviz.network import Network

IMG = "<img src=x onerror=alert(1)>"
LINK = "[x](javascript:alert(1))"
TEX = r"$\def\x{}$"
HOSTILE = (IMG, LINK, TEX)
MARKDOWN_ID = "**b** :red[r] <b>x</b>"
MATH_ID = "$$x$$ & ' \""


def hostile_network() -> Network:
    """A valid network whose neuron ids are HTML, a javascript: link, LaTeX and markdown."""
    doc = {
        "format": files.FORMAT,
        "neurons": [
            {"id": IMG, "role": "input"},
            {"id": TEX, "role": "bias", "value": 1.0},
            {"id": LINK, "role": "hidden", "activation": "sigmoid"},
            {"id": MARKDOWN_ID, "role": "hidden", "activation": "tanh"},
            {"id": MATH_ID, "role": "output", "activation": "identity"},
        ],
        "edges": [
            {"from": IMG, "to": LINK, "weight": 0.5},
            {"from": TEX, "to": LINK, "weight": -0.2},
            {"from": IMG, "to": MARKDOWN_ID, "weight": 1.5},
            {"from": LINK, "to": MATH_ID, "weight": 0.7},
            {"from": MARKDOWN_ID, "to": MATH_ID, "weight": -1.1},
            {"from": TEX, "to": MATH_ID, "weight": 0.3},
        ],
    }
    return files.from_dict(doc)


def cycle_doc() -> dict:
    """A network file whose hidden neurons A and B feed each other (A -> B -> A)."""
    return {
        "format": files.FORMAT,
        "neurons": [
            {"id": "1", "role": "input"},
            {"id": "A", "role": "hidden", "activation": "sigmoid"},
            {"id": "B", "role": "hidden", "activation": "sigmoid"},
            {"id": "9", "role": "output", "activation": "identity"},
        ],
        "edges": [
            {"from": "1", "to": "A", "weight": 1},
            {"from": "A", "to": "B", "weight": 1},
            {"from": "B", "to": "A", "weight": 1},
            {"from": "B", "to": "9", "weight": 1},
        ],
    }
