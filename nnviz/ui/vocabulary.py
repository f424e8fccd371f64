"""The paper's vocabulary, in our own words, pointing at what the figure shows right now.

:func:`walk` renders seven short entries (neuron, edge, weight, bias neuron,
function, feed-forward, layered), each using an example taken from the
current network, so the words always match the picture beside them.
"""

from __future__ import annotations

import streamlit as st

from nnviz.figures.graph import edge_title, format_number, neuron_title
from nnviz.figures.style import SUBSCRIPT
from nnviz.network import Network
from nnviz.ui.widgets import md_escape

_SUB_K = "ₖ"  # the paper's running index k


def sub(text: str) -> str:
    """A subscript for markdown: digits as unicode subscripts (3 -> ₃), anything else as ``_text``."""
    if text.isdecimal() and text.isascii() and len(text) <= 6:
        return text.translate(SUBSCRIPT)
    if text == "k":
        return _SUB_K
    return md_escape("_" + text)


def sigma(nid: str) -> str:
    """Neuron ``nid`` named as in the figure (σ₃, or the id itself), markdown-safe."""
    return md_escape(neuron_title(nid))


def w(src: str, dst: str) -> str:
    """The weight of ``src -> dst`` named as in the figure (w₁,₃ or w(A,B)), markdown-safe."""
    return md_escape(edge_title(src, dst))


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def entries(net: Network) -> list[tuple[str, str]]:
    """(term, markdown text) for each word of the paper, with examples from ``net``."""
    by_role = {r: [n.id for n in net.neurons if n.role == r] for r in ("input", "bias", "hidden", "output")}
    s, d = net.edges[0]
    example = next(((s2, d2) for s2, d2 in net.edges if net.neuron(s2).role == "bias"), None)
    computing = by_role["hidden"] or by_role["output"]
    k = computing[0]
    incoming = net.incoming(k)
    terms = " + ".join(f"{w(i, k)}·z{sub(i)}" for i, _ in incoming[:3]) + (" + …" if len(incoming) > 3 else "")
    out = [
        (
            "Neuron",
            f"Each circle. This network has {_count(len(net.neurons), 'neuron')}: "
            f"{_count(len(by_role['input']), 'input')} (green), {_count(len(by_role['output']), 'output')} (yellow), "
            f"{_count(len(by_role['bias']), 'bias neuron')} (blue) and {len(by_role['hidden'])} hidden (white).",
        ),
        (
            "Edge",
            f"Each arrow. The edge {md_escape(s)} → {md_escape(d)} carries the output of neuron "
            f"{md_escape(s)} to neuron {md_escape(d)}; there are {_count(len(net.edges), 'edge')}.",
        ),
        (
            "Weight",
            f"The number on an edge, named {w(s, d)} (here {w(s, d)} = {format_number(net.weight(s, d))}; "
            "switch on *Show weight values* to see them all). The receiving neuron multiplies what arrives by "
            f"it. The {len(net.edges)} weights are all the network's parameters: training changes only them.",
        ),
    ]
    if example:
        b, t = example
        bias_text = (
            f"Blue, with no incoming edges: it always outputs 1. So {w(b, t)} is simply added to neuron "
            f"{md_escape(t)}'s sum: it shifts it by a constant."
        )
    else:
        bias_text = "Blue, with no incoming edges, always outputting 1. This network has none, so no sum gets a shift."
    out += [
        ("Bias neuron", bias_text),
        (
            "Function",
            f"Neuron k adds up its weighted inputs, a{sub('k')} = {terms} for k = {md_escape(k)}, and outputs "
            f"z{sub('k')} = σ{sub('k')}(a{sub('k')}); here neuron {md_escape(k)} applies "
            f"{net.neuron(k).activation}. "
            "Input neurons pass x on unchanged; bias neurons output 1.",
        ),
        (
            "Feed-forward",
            "No path of arrows comes back to where it started, so values flow left to right: each neuron "
            "can be computed once all its inputs are. A cycle is refused by the editor.",
        ),
    ]
    layers = net.layers()
    if layers is not None:
        layered = (
            f"Yes: the neurons split into {len(layers)} groups, drawn as the boxes *layer 1* … "
            f"*layer {len(layers)}*, and every edge goes from one box to the next. That is what lets us "
            "evaluate the network one layer at a time."
        )
    else:
        layered = (
            f"No: {md_escape(net.layering_problem())}. It is still feed-forward and is evaluated in "
            "topological order, one neuron after its inputs, just not box by box."
        )
    out.append(("Layered", layered))
    return out


def walk(net: Network) -> None:
    """Render the vocabulary entries for ``net``."""
    st.subheader("The paper's words", anchor=False)
    for term, text in entries(net):
        st.markdown(f"**{term}.** {text}")
