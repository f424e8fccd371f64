r"""The paper's equations as LaTeX, with the current numbers substituted.

Forward (Part I, Figure 4)::

    z_6 = \sigma_6(a_6) = \sigma_6(w_{3,6} \cdot z_3 + w_{4,6} \cdot z_4 + w_{5,6})
    a_6 = 1.5 \cdot 0.5498 + (-1) \cdot 0.4750 + 0.2 = 0.5499
    z_6 = \sigma_6(0.5499) = \mathrm{sigmoid}(0.5499) = 0.6341

Backward (Part III, Figure 7): dl/dz_k = sum_j dl/da_j w_{k,j} (every outgoing
edge), dl/da_k = dl/dz_k sigma_k'(a_k), dl/dw_{i,k} = dl/da_k z_i, and at an
output dl/dz_k = -2 (y_k - z_k).

Every value is read from a :class:`~nnviz.engine.Trace` or
:class:`~nnviz.engine.Gradients`; the only thing evaluated here is sigma_k'(a_k)
through the activation's own ``df``, to show the factor that links dl/dz_k and
dl/da_k.

Neuron ids are user text and may contain anything printable (``$\def\x{}$``,
``<img src=x>``): :func:`tex_id` writes a plain id (letters and digits) as is
and wraps any other in ``\text{...}`` with every TeX special character escaped.
"""

from __future__ import annotations

import math
import re

import numpy as np

from nnviz.activations import ACTIVATIONS, Activation
from nnviz.engine import Gradients, Trace
from nnviz.network import Network

#: Terms per line before a long sum wraps, and the most terms written out.
TERMS_PER_LINE = 3
ROW_WIDTH = 26  # printed characters per row of a sum, so equations fit half the page
MAX_TERMS = 40
DIGITS = 6

_PLAIN_ID = re.compile(r"[A-Za-z0-9]{1,12}")
_TEXT_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "%": r"\%",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    '"': "''",
}

#: How the paper's loss derivative at an output differs from ours (markdown, no user text).
OUTPUT_NOTE = (
    "**A slip in the paper.** The paper prints ∂l/∂z₉ = 2 z₉. Differentiating "
    "l = (y − z₉)² with the chain rule gives 2 (y − z₉) · (−1) = **−2 (y − z₉)**. "
    "Both the sign and the y matter: gradient descent moves every weight by −η ∂l/∂w, "
    "so when f(x) is below y the gradient must be negative for the step to raise f(x) "
    "toward y. With 2 z₉ the gradient would not depend on y at all, and training would "
    "pull every output toward 0 whatever the data says."
)


def tex_id(nid: str) -> str:
    r"""A LaTeX-safe rendering of neuron id ``nid`` (for subscripts such as ``z_{...}``)."""
    if _PLAIN_ID.fullmatch(nid):
        return nid
    return r"\text{" + "".join(_TEXT_ESCAPES.get(ch, ch) for ch in nid) + "}"


def num(value: float, digits: int = DIGITS) -> str:
    """``value`` as LaTeX with ``digits`` significant digits (``1.2 \\times 10^{5}`` for big/small)."""
    v = float(value)
    if math.isnan(v):
        return r"\mathrm{NaN}"
    if math.isinf(v):
        return r"\infty" if v > 0 else r"-\infty"
    if v == 0.0:
        return "0"
    if abs(v) >= 10**6 or abs(v) < 1e-4:
        mant, exp = f"{v:.{digits - 1}e}".split("e")
        mant = mant.rstrip("0").rstrip(".")
        return rf"{mant} \times 10^{{{int(exp)}}}"
    text = f"{v:.{digits}g}"
    if "e" in text:
        text = f"{v:.0f}"
    return text


def paren(value: float, digits: int = DIGITS) -> str:
    """:func:`num`, in parentheses when negative (for products: ``1.5 \\cdot (-0.2)``)."""
    text = num(value, digits)
    return f"({text})" if text.startswith("-") else text


def _width(term: str) -> int:
    """Rough printed width of a LaTeX term: a command counts as one character, braces and scripts as none."""
    return len(re.sub(r"[{}_^ ]", "", re.sub(r"\\[a-zA-Z]+", "x", term)))


def _sum_rows(terms: list[str]) -> list[str]:
    """``terms`` joined by " + " in rows of about :data:`ROW_WIDTH` characters (at most
    :data:`TERMS_PER_LINE` terms each), with at most :data:`MAX_TERMS` terms written out."""
    if not terms:
        return ["0"]
    shown = terms[:MAX_TERMS]
    if len(terms) > MAX_TERMS:
        shown.append(rf"\dots\ \text{{({len(terms) - MAX_TERMS} more terms)}}")
    rows: list[list[str]] = [[]]
    for term in shown:
        row = rows[-1]
        if row and (len(row) >= TERMS_PER_LINE or sum(map(_width, row)) + _width(term) > ROW_WIDTH):
            rows.append([term])
        else:
            row.append(term)
    return [" + ".join(row) for row in rows]


def _chain(lhs: str, *steps: list[str] | str) -> str:
    """``lhs = step1 = step2 = ...``, one step per row of an aligned block.

    A step is one expression, or a list of terms written as a sum that wraps
    after :data:`TERMS_PER_LINE` terms. A single short step stays on one line.
    """
    rows: list[str] = []
    for step in steps:
        parts = _sum_rows(step) if isinstance(step, list) else [step]
        rows.append(f"&= {parts[0]}")
        rows += [rf"&\quad + {part}" for part in parts[1:]]
    if len(rows) == 1:
        return f"{lhs} {rows[0][1:]}"
    return r"\begin{aligned}" + lhs + " " + r" \\ ".join(rows) + r"\end{aligned}"


def _p(arr: np.ndarray, point: int) -> np.ndarray:
    return arr[point] if arr.ndim == 2 else arr  # (N,)


def _apply(template: str, arg: str) -> str:
    """An activation's LaTeX template with its placeholder ``{}`` (the last one) replaced by ``arg``."""
    head, sep, tail = template.rpartition("{}")
    return f"{head}{{{arg}}}{tail}" if sep else rf"{template}({arg})"


def _is_unit_bias(net: Network, nid: str) -> bool:
    n = net.neuron(nid)
    return n.role == "bias" and float(n.value) == 1.0


def forward_equations(net: Network, trace: Trace, nid: str, point: int = 0) -> list[str]:
    """The forward equations of neuron ``nid`` at point ``point``, one LaTeX string per line.

    Input: ``z_k = x_k = ...``; bias: ``z_k = c``; hidden/output: the paper's
    symbolic form, then a_k with the numbers, then z_k = sigma_k(a_k).
    """
    n = net.neuron(nid)
    k = tex_id(nid)
    a, z = _p(trace.a, point), _p(trace.z, point)  # (N,)
    i = net.index[nid]
    if n.role == "input":
        return [rf"z_{{{k}}} = x_{{{k}}} = {num(z[i])}"]
    if n.role == "bias":
        return [rf"z_{{{k}}} = {num(z[i])} \quad \text{{(a bias neuron outputs its constant)}}"]
    sym, nums = [], []
    for src, _ in net.incoming(nid):
        s = tex_id(src)
        w = net.weight(src, nid)
        if _is_unit_bias(net, src):
            sym.append(f"w_{{{s},{k}}}")
            nums.append(paren(w))
        else:
            sym.append(rf"w_{{{s},{k}}} \cdot z_{{{s}}}")
            nums.append(rf"{paren(w)} \cdot {paren(z[net.index[src]])}")
    sig = rf"\sigma_{{{k}}}"
    act = ACTIVATIONS[n.activation]
    inner = sym if len(sym) <= TERMS_PER_LINE else [*sym[:2], r"\dots", sym[-1]]
    lines = [_chain(f"z_{{{k}}}", rf"{sig}(a_{{{k}}})", rf"{sig}\left({' + '.join(inner)}\right)")]
    if len(sym) > TERMS_PER_LINE:
        lines.append(_chain(f"a_{{{k}}}", sym))
    lines.append(_chain(f"a_{{{k}}}", nums, num(a[i])))
    if n.activation == "identity":
        lines.append(_chain(f"z_{{{k}}}", rf"{sig}({num(a[i])})", rf"{num(z[i])} \quad \text{{(identity: z = a)}}"))
    else:
        lines.append(_chain(f"z_{{{k}}}", rf"{sig}({num(a[i])})", _apply(act.latex, num(a[i])), num(z[i])))
    return lines


def loss_equation(net: Network, trace: Trace, y: np.ndarray, grads: Gradients, point: int = 0) -> str:
    """``l = sum_k (y_k - z_k)^2`` over the outputs, with numbers and the result."""
    y = np.asarray(y, dtype=float).reshape(-1)  # (n_out,)
    z = _p(trace.z, point)
    sym, nums = [], []
    for m, oid in enumerate(net.outputs):
        o = tex_id(oid)
        sym.append(rf"(y_{{{o}}} - z_{{{o}}})^2")
        nums.append(rf"({num(y[m])} - {paren(z[net.index[oid]])})^2")
    lossval = float(np.asarray(grads.loss).reshape(-1)[point])
    short_sym = " + ".join(sym[:TERMS_PER_LINE]) + (r" + \dots" if len(sym) > TERMS_PER_LINE else "")
    return _chain("l", short_sym, nums, num(lossval))


def _derivative(act: Activation, k: str, a: float, z: float, value: float) -> str:
    """sigma_k'(a_k) written out from the activation's ``dlatex`` form, with numbers and its value."""
    d = rf"\sigma_{{{k}}}'(a_{{{k}}})"
    form = act.dlatex
    symbolic = form.replace("{a}", f"a_{{{k}}}").replace("{z}", f"z_{{{k}}}")
    if "{a}" not in form and "{z}" not in form:  # a constant
        return _chain(d, symbolic)
    if form.startswith(r"\begin{cases}"):  # piecewise: the value, and the a that picks the piece
        return _chain(d, symbolic, rf"{num(value)} \quad \text{{since }} a_{{{k}}} = {num(a)}")
    return _chain(d, symbolic, form.replace("{a}", num(a)).replace("{z}", paren(z)), num(value))


def chain_rule_equations(
    net: Network, trace: Trace, grads: Gradients, y: np.ndarray, nid: str, point: int = 0
) -> list[str]:
    """The chain rule at neuron ``nid`` (Figure 7), one LaTeX string per line.

    dl/dz_k: -2 (y_k - z_k) at an output, plus dl/da_j w_{k,j} for every
    outgoing edge; then dl/da_k = dl/dz_k sigma_k'(a_k) with sigma_k'
    written out; then dl/dw_{i,k} = dl/da_k z_i for every incoming edge.
    """
    n = net.neuron(nid)
    k = tex_id(nid)
    i = net.index[nid]
    y = np.asarray(y, dtype=float).reshape(-1)  # (n_out,)
    a, z = _p(trace.a, point), _p(trace.z, point)  # (N,)
    dl_da, dl_dz = _p(grads.dl_da, point), _p(grads.dl_dz, point)  # (N,)
    dz = rf"\frac{{\partial l}}{{\partial z_{{{k}}}}}"
    da = rf"\frac{{\partial l}}{{\partial a_{{{k}}}}}"
    sym, nums = [], []
    if n.role == "output":
        m = net.outputs.index(nid)
        sym.append(rf"-2\,(y_{{{k}}} - z_{{{k}}})")
        nums.append(rf"-2\,({num(y[m])} - {paren(z[i])})")
    for _, dst in net.outgoing(nid):
        j = tex_id(dst)
        sym.append(rf"\frac{{\partial l}}{{\partial a_{{{j}}}}} \cdot w_{{{k},{j}}}")
        nums.append(rf"{paren(dl_da[net.index[dst]])} \cdot {paren(net.weight(nid, dst))}")
    lines = []
    if not sym:
        lines.append(rf"{dz} = 0 \quad \text{{(no outgoing edge: this neuron does not reach the loss)}}")
    else:
        short_sym = " + ".join(sym[:TERMS_PER_LINE]) + (r" + \dots" if len(sym) > TERMS_PER_LINE else "")
        lines.append(_chain(dz, short_sym, nums, num(dl_dz[i])))
    if not n.computes:
        return lines
    act = ACTIVATIONS[n.activation]
    deriv = float(act.df(np.array(a[i]), np.array(z[i])))
    lines.append(_derivative(act, k, float(a[i]), float(z[i]), deriv))
    lines.append(
        _chain(da, rf"{dz} \cdot \sigma_{{{k}}}'(a_{{{k}}})", rf"{paren(dl_dz[i])} \cdot {paren(deriv)}", num(dl_da[i]))
    )
    dw_row = grads.dl_dw_points[point] if grads.dl_dw_points.ndim == 2 else grads.dl_dw_points  # (E,)
    for src, _ in net.incoming(nid)[:MAX_TERMS]:
        s = tex_id(src)
        lines.append(
            _chain(
                rf"\frac{{\partial l}}{{\partial w_{{{s},{k}}}}}",
                rf"{da} \cdot z_{{{s}}}",
                rf"{paren(dl_da[i])} \cdot {paren(z[net.index[src]])}",
                num(dw_row[net.edge_index[(src, nid)]]),
            )
        )
    return lines


def sgd_update_equation() -> str:
    """The paper's update rule for one weight after one training point."""
    return r"w_{i,j} \leftarrow w_{i,j} - \eta \cdot \frac{\partial l}{\partial w_{i,j}}"
