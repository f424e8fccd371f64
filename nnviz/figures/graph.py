"""The paper-style drawing of a network as a ``graphviz.Digraph``.

Left to right as in the paper's Figures 1-5: the input neuron green, the
output yellow, bias neurons blue, hidden neurons white; each neuron labelled
with its function sigma_k, each edge with its weight w_{i,j}; the layers boxed
and named when the network is layered.

Layout stability: every node has a fixed size and every edge label a
fixed-size box, so pages that animate values (new ``neuron_labels``,
``edge_labels`` or colours on the same network) get the same layout each time.

Safety: DOT node names are internal ("n0", "n1", ...); every piece of user text
(neuron ids, labels) is escaped for an HTML-like label or with
``graphviz.escape``. No URL or href attribute is ever emitted.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from itertools import pairwise

import graphviz

from nnviz.figures.style import PALETTES, SUBSCRIPT
from nnviz.network import Network

Edge = tuple[str, str]

#: Neuron diameter in inches (normal and large networks): room for sigma_k plus three lines like "a=-0.312".
NODE_SIZE = 1.05
NODE_SIZE_LARGE = 0.55
FONT = "Helvetica,Arial,sans-serif"
#: Point sizes: neuron title, extra lines, edge labels, layer names (normal; then large networks).
TITLE_PT, LINE_PT, EDGE_PT, CLUSTER_PT = 20, 13, 14, 12
TITLE_PT_LARGE, LINE_PT_LARGE = 11, 8
#: Point size of a function name under sigma_k (normal; large networks).
FUNCTION_PT, FUNCTION_PT_LARGE = 11, 7
#: Every font size the figure uses (st.graphviz_chart's CSS flattens sizes; nnviz.ui re-applies these).
FONT_SIZES: tuple[int, ...] = (
    TITLE_PT, LINE_PT, EDGE_PT, CLUSTER_PT, TITLE_PT_LARGE, LINE_PT_LARGE, FUNCTION_PT, FUNCTION_PT_LARGE
)  # fmt: skip
MAX_ID_SHOWN = 8  # longer ids are cut in the drawing (the tooltip has the whole id)
MAX_EXTRA_LINES = 3
MAX_LINE_CHARS = 24
MAX_DRAWN_EDGES = 1500  # beyond this the browser's layout takes many seconds: draw layers as blocks instead

_COLOR = re.compile(r"^(#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?|[a-z]{3,20})$")


def too_big_to_draw(net: Network) -> bool:
    """True when drawing every edge would make the browser's layout slow (see :func:`layer_summary_graph`)."""
    return len(net.edges) > MAX_DRAWN_EDGES


def format_number(x: float) -> str:
    """A weight or value as it appears in the figure: two decimals, or 3 significant digits when large."""
    return f"{x:.3g}" if abs(x) >= 1000 else f"{x:.2f}"


def _cut(s: object, limit: int) -> str:
    s = str(s)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _text(s: object, limit: int = MAX_LINE_CHARS) -> str:
    """User text for an HTML-like label: cut to ``limit`` characters, then XML-escaped."""
    return html.escape(_cut(s, limit), quote=True)


def _quoted(text: str) -> str:
    """``text`` as a DOT double-quoted string, shown literally (backslashes and quotes escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _color(value: str, what: str) -> str:
    if not isinstance(value, str) or not _COLOR.match(value):
        raise ValueError(f"{what}: {value!r} is not a colour like '#ff8800' or 'red'")
    return value


def _numeric(nid: str) -> bool:
    return nid.isdecimal() and nid.isascii() and len(nid) <= MAX_ID_SHOWN


def neuron_title(nid: str) -> str:
    """How the figure names neuron ``nid`` (plain text): σ₃ for a numbered neuron, else its id."""
    return "σ" + nid.translate(SUBSCRIPT) if _numeric(nid) else _cut(nid, MAX_ID_SHOWN)


def edge_title(src: str, dst: str) -> str:
    """How the figure names the weight of ``src -> dst`` (plain text): w₁,₃, or w(A,B) for other ids."""
    if _numeric(src) and _numeric(dst):
        return f"w{src.translate(SUBSCRIPT)},{dst.translate(SUBSCRIPT)}"
    return f"w({_cut(src, MAX_ID_SHOWN)},{_cut(dst, MAX_ID_SHOWN)})"


def _lines(text: str) -> list[str]:
    return [_text(line) for line in str(text).splitlines()[:MAX_EXTRA_LINES]]


def _node_label(title: str, extra: list[str], large: bool, function: str | None = None) -> str:
    big, small = (TITLE_PT_LARGE, LINE_PT_LARGE) if large else (TITLE_PT, LINE_PT)
    parts = [f'<FONT POINT-SIZE="{big}">{_text(title)}</FONT>']
    if function:  # sigma_k's own function, when it is not its layer's default
        parts.append(
            f'<FONT POINT-SIZE="{FUNCTION_PT_LARGE if large else FUNCTION_PT}"><I>{_text(function)}</I></FONT>'
        )
    elif extra:  # a thin blank line keeps the subscript of sigma_k clear of the numbers below
        parts.append('<FONT POINT-SIZE="4"> </FONT>')
    parts += [f'<FONT POINT-SIZE="{small}">{line}</FONT>' for line in extra]
    return "<" + "<BR/>".join(parts) + ">"


def _edge_label(content: str, width: int, lines: int, bg: str) -> str:
    """A fixed-size box (so the layout does not depend on the text) holding escaped ``content``."""
    height = 4 + int(EDGE_PT * 1.25) * lines
    return (
        f'<<TABLE BORDER="0" CELLBORDER="0" CELLPADDING="0" CELLSPACING="0">'
        f'<TR><TD FIXEDSIZE="TRUE" WIDTH="{width}" HEIGHT="{height}" BGCOLOR="{bg}">'
        f'<FONT POINT-SIZE="{EDGE_PT}">{content}</FONT></TD></TR></TABLE>>'
    )


@dataclass(frozen=True)
class _Drawing:
    """What :func:`network_graph` was asked to draw, checked, for its helpers."""

    net: Network
    pal: dict[str, str]
    large: bool
    show_weights: bool
    neuron_labels: dict[str, str]
    edge_labels: dict[Edge, str]
    neuron_fill: dict[str, str]
    edge_colors: dict[Edge, str]
    hi_neurons: set[str]
    hi_edges: set[Edge]
    name: dict[str, str]  # internal DOT names: never user text
    usual: dict[str, str]  # role -> its default function: another one is named under sigma_k


def default_functions(net: Network) -> dict[str, str]:
    """Each computing role's usual function in ``net``: the most common among its hidden (output) neurons.

    Ties go to the function of the first such neuron. :func:`network_graph` names
    a neuron's function under sigma_k where it differs from this (or from the
    defaults it is given, e.g. the preset's).
    """
    counts: dict[str, Counter[str]] = {}
    for n in net.neurons:
        if n.computes:
            counts.setdefault(n.role, Counter())[str(n.activation)] += 1
    return {role: c.most_common(1)[0][0] for role, c in counts.items()}


def network_graph(
    net: Network,
    *,
    neuron_labels: Mapping[str, str] | None = None,
    edge_labels: Mapping[Edge, str] | None = None,
    show_weights: bool = False,
    highlight_neurons: Collection[str] = (),
    highlight_edges: Collection[Edge] = (),
    neuron_fill: Mapping[str, str] | None = None,
    edge_colors: Mapping[Edge, str] | None = None,
    palette: str = "paper",
    large: bool = False,
    functions: Mapping[str, str] | None = None,
) -> graphviz.Digraph:
    """Draw ``net`` like the paper's figures; see the module docstring.

    - ``neuron_labels``: id -> extra text under sigma_k, up to three lines
      separated by newlines (e.g. ``"a=0.31\\nz=0.58"``).
    - ``edge_labels``: (src, dst) -> text replacing the edge's label
      (newlines allowed); edges missing from the mapping keep w_{i,j}.
    - ``show_weights``: label edges "w_{i,j} = value" and scale their width by |w|.
    - ``highlight_neurons`` / ``highlight_edges``: the current step, drawn with a thick dashed outline
      (an edge keeps its value colour, if it has one; else it takes the palette's neutral highlight ink).
    - ``neuron_fill`` / ``edge_colors``: colours (``"#rrggbb"``, ``"#rrggbbaa"`` or a
      lowercase name) overriding the role colours.
    - ``palette``: a key of :data:`PALETTES`.
    - ``large``: compact drawing for big networks (small nodes, edges
      unlabelled unless ``edge_labels`` names them); see :func:`nnviz.network.is_large`.
    - ``functions``: role ("hidden", "output") -> its default function; a neuron whose
      own function differs has the name written under its sigma_k. Roles missing here
      fall back to :func:`default_functions`.

    Raises ``ValueError`` for an unknown palette or a malformed colour.
    """
    if palette not in PALETTES:
        raise ValueError(f"unknown palette {palette!r} (use one of {', '.join(PALETTES)})")
    d = _Drawing(
        net=net,
        pal=PALETTES[palette],
        large=large,
        show_weights=show_weights,
        neuron_labels=dict(neuron_labels or {}),
        edge_labels=dict(edge_labels or {}),
        neuron_fill={k: _color(v, f"fill of neuron {k!r}") for k, v in (neuron_fill or {}).items()},
        edge_colors={k: _color(v, f"colour of edge {k!r}") for k, v in (edge_colors or {}).items()},
        hi_neurons=set(highlight_neurons),
        hi_edges={tuple(e) for e in highlight_edges},
        name={nid: f"n{k}" for k, nid in enumerate(net.ids)},
        usual={**default_functions(net), **(functions or {})},
    )
    g = _digraph(d.pal, large)
    _add_neurons(d, g)
    g.body.extend(_edge_statements(d))
    return g


def _digraph(pal: dict[str, str], large: bool) -> graphviz.Digraph:
    """An empty drawing with the graph, node and edge defaults of the normal or the compact style."""
    size = NODE_SIZE_LARGE if large else NODE_SIZE
    g = graphviz.Digraph("network")
    g.attr(
        "graph",
        rankdir="LR",
        bgcolor="transparent",
        fontname=FONT,
        fontcolor=pal["text"],
        nodesep="0.12" if large else "0.22",
        ranksep="1.6" if large else "0.55",
        newrank="true",
        mclimit="0.01",
    )
    g.attr(
        "node",
        shape="circle",
        fixedsize="true",
        width=str(size),
        height=str(size),
        style="filled",
        fontname=FONT,
        fontcolor=pal["text"],
        penwidth="1.2" if large else "1.6",
    )
    g.attr(
        "edge",
        color=pal["edge"] + ("99" if large else ""),
        arrowsize="0.5" if large else "0.8",
        penwidth="0.7" if large else "1.3",
        fontname=FONT,
        fontsize=str(EDGE_PT),
        fontcolor=pal["text"],
    )
    return g


def _add_node(d: _Drawing, graph: graphviz.Digraph, nid: str) -> None:
    n = d.net.neuron(nid)
    extra = _lines(d.neuron_labels[nid]) if nid in d.neuron_labels else []
    if not extra and n.role == "bias" and not d.large:
        extra = [_text(f"z={n.value:g}")]
    detail = n.activation if n.computes else ("constant " + f"{n.value:g}" if n.role == "bias" else "no function")
    own = n.activation if n.computes and n.activation != d.usual.get(n.role, n.activation) else None
    attrs = {
        "label": _node_label(neuron_title(nid), extra, d.large, own),
        "fillcolor": d.neuron_fill.get(nid, d.pal[n.role]),
        "color": d.pal["highlight"] if nid in d.hi_neurons else d.pal[n.role + "_border"],
        "tooltip": graphviz.escape(f"neuron {nid}: {n.role}, {detail}"),
    }
    if nid in d.hi_neurons:  # the current step: a dashed outline, not a colour that could mean a value
        attrs["penwidth"] = "4"
        attrs["style"] = "filled,dashed"
    graph.node(d.name[nid], **attrs)


def _add_neurons(d: _Drawing, g: graphviz.Digraph) -> None:
    """Every neuron; a layered network's layers boxed and named, each in the network's order, bias last."""
    layers = d.net.layers()
    if layers is None:
        for nid in d.net.ids:
            _add_node(d, g, nid)
        return
    for k, layer in enumerate(layers, start=1):
        layer = sorted(layer, key=lambda nid: d.net.neuron(nid).role == "bias")  # stable: bias neurons last
        with g.subgraph(name=f"cluster_layer{k}") as c:
            c.attr(
                label=f"layer {k}",
                style="dashed",  # square corners: rounded cluster outlines cost Graphviz-WASM ~0.6 s a redraw
                color=d.pal["cluster"],
                fontcolor=d.pal["cluster"],
                fontsize=str(CLUSTER_PT),
                labeljust="c",
                margin="8",
            )
            with c.subgraph() as same:
                same.attr(rank="same")
                for nid in layer:
                    _add_node(d, same, nid)
                # Invisible edges keep each layer in the network's order, top to bottom, bias last (as in
                # the paper). With rankdir=LR and clusters, dot honours them pointing bottom-up, given a
                # small mclimit (checked in chromium: tests/browser/test_network.py).
                same.body.extend(f"\t{d.name[b]} -> {d.name[a]} [style=invis]\n" for a, b in pairwise(layer))


def _edge_statements(d: _Drawing) -> list[str]:
    """The DOT edge statements, written directly: graphviz.Digraph.edge is slow for 10^4 edges."""
    net, large, edge_labels = d.net, d.large, d.edge_labels
    labelled = bool(edge_labels) or not large
    width = 96 if (d.show_weights or bool(edge_labels)) else 44
    lines = max((len(_lines(t)) for t in edge_labels.values()), default=1) or 1
    wmax = float(abs(net.weights).max()) if len(net.edges) else 1.0
    out = []
    for (s, t), w in zip(net.edges, net.weights.tolist(), strict=True):
        attrs = [f"tooltip={_quoted(f'w_{{{s},{t}}} = {format_number(w)}')}"]
        if labelled and ((s, t) in edge_labels or not large):
            if (s, t) in edge_labels:
                content = "<BR/>".join(_lines(edge_labels[(s, t)])) or " "
            elif d.show_weights:
                content = _text(f"{edge_title(s, t)} = {format_number(w)}")
            else:
                content = _text(edge_title(s, t))
            attrs.append("label=" + _edge_label(content, width, lines, d.pal["label_bg"]))
        color = d.edge_colors.get((s, t)) or (d.pal["highlight"] if (s, t) in d.hi_edges else None)
        if color:
            attrs.append(f'color="{color}"')
        if (s, t) in d.hi_edges:
            attrs.append("penwidth=3.5 style=dashed")
        elif d.show_weights and wmax > 0:
            base = 0.5 if large else 0.8
            attrs.append(f"penwidth={base + (2.0 if large else 3.0) * min(abs(w) / wmax, 1.0):.2f}")
        out.append(f"\t{d.name[s]} -> {d.name[t]} [{' '.join(attrs)}]\n")
    return out


def dot_source(net: Network, **kwargs: object) -> str:
    """The DOT text of :func:`network_graph` (for the "download DOT" button)."""
    return network_graph(net, **kwargs).source  # type: ignore[arg-type]


def layer_summary_graph(net: Network, palette: str = "paper") -> graphviz.Digraph:
    """A network too big to draw edge by edge, drawn as blocks: one box per layer (or topological
    level, when not layered) saying what it holds, and one arrow per pair of connected blocks
    saying how many weights it stands for."""
    if palette not in PALETTES:
        raise ValueError(f"unknown palette {palette!r} (use one of {', '.join(PALETTES)})")
    pal = PALETTES[palette]
    layered = net.layers() is not None
    stages = net.stages()
    where = {nid: k for k, stage in enumerate(stages) for nid in stage}
    g = graphviz.Digraph("network_layers")
    g.attr("graph", rankdir="LR", bgcolor="transparent", nodesep="0.3", ranksep="0.9", fontname=FONT)
    g.attr("node", shape="box", style="rounded,filled", fontname=FONT, margin="0.15,0.1")
    g.attr("edge", color=pal["edge"], fontname=FONT, fontsize=str(EDGE_PT), fontcolor=pal["text"])
    for k, stage in enumerate(stages):
        roles = Counter(net.neuron(nid).role for nid in stage)
        acts = Counter(net.neuron(nid).activation for nid in stage if net.neuron(nid).computes)
        lines = [f"{'layer' if layered else 'level'} {k + 1}"]
        for role in ("input", "hidden", "output", "bias"):
            if roles[role]:
                lines.append(f"{roles[role]} {role}")
        if acts:
            lines.append(
                "σ: " + ", ".join(f"{a}" + (f" ×{n}" if len(acts) > 1 else "") for a, n in acts.most_common(3))
            )
        main = max(("input", "output", "hidden", "bias"), key=lambda r: (roles[r], r == "output"))
        title = f'<FONT POINT-SIZE="{TITLE_PT}">{_text(lines[0])}</FONT>'
        body = "".join(f'<BR/><FONT POINT-SIZE="{LINE_PT}">{_text(line)}</FONT>' for line in lines[1:])
        g.node(f"s{k}", label=f"<{title}{body}>", fillcolor=pal[main], color=pal[main + "_border"])
    pairs = Counter((where[s], where[d]) for s, d in net.edges)
    for (a, b), n in sorted(pairs.items()):
        g.edge(f"s{a}", f"s{b}", label=f"{n:,} weight{'s' if n != 1 else ''}", penwidth="2")
    return g
