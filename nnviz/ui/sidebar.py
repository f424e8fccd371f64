"""The sidebar architecture editor: forms that change the session's network.

Rendered by ``app.py`` before ``pg.run()`` so it appears (and keeps its
widget state) on every page. Each form applies on submit through a callback
that calls a pure function of :mod:`nnviz.edit`; an invalid edit leaves the
network unchanged and shows the error naming the problem.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from nnviz import edit, presets
from nnviz.activations import ACTIVATIONS, NAMES
from nnviz.app import settings
from nnviz.network import Network, NetworkError
from nnviz.ui import state, widgets
from nnviz.ui.number_box import number_box
from nnviz.ui.state import WidgetKeys as W

SIZES_SHOWN = "ed_sizes_shown"  # str: the text Layer sizes showed for the preset (unedited means: build the preset)
SIZES_FOR = "ed_sizes_for"  # nnviz.edit.Preset: the preset the Start from / Layer sizes widgets were last set to
#: The editor's number boxes (not scene settings): key -> (low, high, whole numbers only), as nnviz.edit allows.
BOXES: dict[str, tuple[float, float, bool]] = {
    W.EDGE_W: (-edit.MAX_WEIGHT, edit.MAX_WEIGHT, False),
    W.W_VALUE: (-edit.MAX_WEIGHT, edit.MAX_WEIGHT, False),
    W.SEED: (0, edit.MAX_SEED, True),
    W.SCALE: (0.0, edit.MAX_RANDOM_SCALE, False),
}


def _apply(change: Callable[[Network], Network], note: str) -> None:
    """Replace the network by ``change(net)``; on NetworkError keep it and record the message."""
    try:
        new = change(state.current_network())
    except NetworkError as exc:
        state.set_edit_error(str(exc))
        return
    state.set_edit_error(None)
    state.set_network(new, note=note)


def _get(key: str) -> object:
    return st.session_state.get(key)


def _typed(key: str) -> int | float | None:
    """The number in editor box ``key`` when its range accepts it, else None (the box says why when drawn)."""
    low, high, integer = BOXES[key]
    value = _get(key)
    if settings.refusal("", value, low, high, integer) is not None:
        state.set_edit_error(None)  # the box's own message names the problem
        return None
    return int(value) if integer else float(value) + 0.0  # type: ignore[arg-type]


# ----- callbacks (run before the script, with the forms' submitted values) -----
def _on_preset() -> None:
    name = str(_get(W.PRESET))
    act, out = str(_get(W.ACT)), str(_get(W.OUT))
    typed = str(_get(W.SIZES) or "")
    if typed.strip() != str(_get(SIZES_SHOWN) or "").strip():
        name = "layered"  # the sizes were edited: they describe fully connected layers, whatever Start from says
    try:
        sizes = edit.parse_sizes(typed) if name == "layered" else edit.DEFAULT_SIZES
        preset = edit.Preset(name, sizes, act, out, state.current_seed())
        net = preset.build()
    except NetworkError as exc:
        state.set_edit_error(str(exc))
        return
    state.set_preset(preset)
    state.set_edit_error(None)
    state.set_network(net, note=f"built: {preset.label()}")


def _on_reset() -> None:
    preset = state.current_preset()
    _apply(lambda _net: preset.build(), f"reset to {preset.label()}")


def _on_activation() -> None:
    nid, act = str(_get(W.NEURON)), str(_get(W.NEURON_ACT))
    _apply(lambda net: edit.set_activation(net, nid, act), f"neuron {nid} now applies {act}")


def _on_add_edge() -> None:
    s, d, w = str(_get(W.EDGE_SRC)), str(_get(W.EDGE_DST)), _typed(W.EDGE_W)
    if w is None:
        return
    _apply(lambda net: edit.add_edge(net, s, d, w), f"added edge {s}->{d}")


def _on_remove_edge() -> None:
    s, d = str(_get(W.EDGE_SRC)), str(_get(W.EDGE_DST))
    _apply(lambda net: edit.remove_edge(net, s, d), f"removed edge {s}->{d}")


def _on_bias() -> None:
    layer = int(_get(W.BIAS_LAYER) or 1)
    _apply(lambda net: edit.toggle_bias(net, layer), f"toggled the bias neuron of layer {layer}")


def _on_weight() -> None:
    s, d, w = str(_get(W.W_SRC)), str(_get(W.W_DST)), _typed(W.W_VALUE)
    if w is None:
        return
    _apply(lambda net: edit.set_weight(net, s, d, w), f"set w_{{{s},{d}}}")


def _on_randomise() -> None:
    seed, scale = _typed(W.SEED), _typed(W.SCALE)
    if seed is None or scale is None:
        return
    state.set_seed(int(seed))
    _apply(lambda net: edit.randomise(net, seed, scale), f"random weights, seed {seed}")


# ----- rendering -----------------------------------------------------------
def _neuron_label(net: Network) -> Callable[[str], str]:
    return lambda nid: f"{nid} ({net.neuron(nid).role})"


def preset_sizes(preset: edit.Preset) -> tuple[int, ...]:
    """The layer sizes (without bias neurons) of what ``preset`` builds: the paper's network is 1,2,2,1.

    A network that is not layered shows the preset's last sizes.
    """
    if preset.name == "layered":
        return preset.sizes
    try:
        net = preset.build()
    except NetworkError:
        return preset.sizes
    layers = net.layers()
    if layers is None:
        return preset.sizes
    return tuple(sum(net.neuron(nid).role != "bias" for nid in layer) for layer in layers)


def _sync_preset_widgets(preset: edit.Preset) -> None:
    """Show ``preset`` in *Start from* and its sizes in *Layer sizes* whenever the preset changes."""
    ss = st.session_state
    if ss.get(SIZES_FOR) != preset or W.SIZES not in ss or W.PRESET not in ss:
        ss[W.PRESET] = preset.name
        ss[W.SIZES] = ",".join(map(str, preset_sizes(preset)))
        ss[SIZES_FOR] = preset
        ss[SIZES_SHOWN] = ss[W.SIZES]


def _preset_form() -> None:
    preset = state.current_preset()
    _sync_preset_widgets(preset)
    names = list(presets.PRESETS)
    with st.form("preset_form", border=False):
        st.selectbox("Start from", names, format_func=presets.PRESETS.get, key=W.PRESET)
        st.text_input(
            "Layer sizes (editing them builds fully connected layers)",
            key=W.SIZES,
            help="Neurons per layer, input first, output last, e.g. 2,4,1. Each layer but the last gets a bias "
            "neuron. Edited sizes always build fully connected layers, whatever *Start from* says.",
        )
        c1, c2 = st.columns(2)
        c1.selectbox("Hidden σ", NAMES, index=NAMES.index(preset.activation), key=W.ACT)
        c2.selectbox("Output σ", NAMES, index=NAMES.index(preset.output_activation), key=W.OUT)
        st.form_submit_button("Build network", on_click=_on_preset, type="primary", width="stretch")


def _neuron_form(net: Network) -> None:
    computing = [n.id for n in net.neurons if n.computes]
    with st.form("activation_form", border=False):
        st.caption("Give one neuron its own function σ_k.")
        st.selectbox("Neuron", computing, format_func=_neuron_label(net), key=W.NEURON)
        st.selectbox("Function σ", NAMES, key=W.NEURON_ACT, help=_functions_help())
        st.form_submit_button("Set function", on_click=_on_activation, width="stretch")


def _functions_help() -> str:
    return "  \n".join(f"**{name}**: {widgets.md_escape(a.description)}" for name, a in ACTIVATIONS.items())


def _box(label: str, key: str, default: float, **kwargs: object) -> None:
    """Editor box ``key`` (range from :data:`BOXES`): a typed value out of range is refused with a message."""
    low, high, integer = BOXES[key]
    shown = settings.show_number
    tip = f"From {shown(low, integer)} to {shown(high, integer)}; a value outside is refused with a message."
    number_box(label, key, low=low, high=high, integer=integer, default=default, help=tip, **kwargs)  # type: ignore[arg-type]


def _edge_and_weight(net: Network, ends: tuple[str, str], keys: tuple[str, str, str], value: tuple[str, str]) -> None:
    """Pickers for an edge i -> j (labels ``ends``) and a weight input (label and format ``value``)."""
    computing = [n.id for n in net.neurons if n.computes]
    c1, c2 = st.columns(2)
    c1.selectbox(ends[0], list(net.ids), key=keys[0])
    c2.selectbox(ends[1], computing, key=keys[1])
    _box(value[0], keys[2], 0.0, step=0.1, fmt=value[1])


def _edge_form(net: Network) -> None:
    with st.form("edge_form", border=False):
        st.caption("Add or remove one edge i → j (j must compute: hidden or output).")
        _edge_and_weight(net, ("From i", "To j"), (W.EDGE_SRC, W.EDGE_DST, W.EDGE_W), ("Weight of a new edge", "%.3f"))
        st.form_submit_button("Add edge", on_click=_on_add_edge, width="stretch", icon=":material/add:")
        st.form_submit_button("Remove edge", on_click=_on_remove_edge, width="stretch", icon=":material/remove:")


def _bias_form(net: Network) -> None:
    layers = net.layers()
    with st.form("bias_form", border=False):
        if layers is None:
            st.caption("Bias neurons are switched per layer; this network is not layered.")
            options = [1]
        else:
            st.caption("Switch a layer's bias neuron on or off (it feeds every neuron of the next layer).")
            options = list(range(1, len(layers)))

        def label(k: int) -> str:
            if layers is None:
                return "no layers"
            bias = next((nid for nid in layers[k - 1] if net.neuron(nid).role == "bias"), None)
            return f"layer {k} ({'bias ' + bias if bias else 'no bias'})"

        st.selectbox("Layer", options, format_func=label, key=W.BIAS_LAYER, disabled=layers is None)
        st.form_submit_button("Toggle bias neuron", on_click=_on_bias, width="stretch", disabled=layers is None)


def _weight_form(net: Network) -> None:
    with st.form("weight_form", border=False):
        st.caption("Set one weight w_{i,j}.")
        _edge_and_weight(net, ("i", "j"), (W.W_SRC, W.W_DST, W.W_VALUE), ("New value", "%.4f"))
        st.form_submit_button("Set weight", on_click=_on_weight, width="stretch")


def _random_form() -> None:
    with st.form("random_form", border=False):
        st.caption("Draw every weight from a normal distribution.")
        c1, c2 = st.columns(2)
        below = st.container()  # a refusal spans the form, not one narrow column
        with c1:
            _box("Seed", W.SEED, state.current_seed(), where=below)
        with c2:
            _box("Std. dev.", W.SCALE, 1.0, step=0.1, where=below)
        st.form_submit_button("Randomise weights", on_click=_on_randomise, width="stretch")


def _messages(net: Network) -> None:
    """The last refused edit, or the last change; a warning for each input neuron left without edges."""
    message = state.edit_error()
    if message:
        widgets.error(message, prefix="**Not applied:** ")
    note = state.network_note()
    if note and not message:
        st.caption("Last change: " + widgets.md_escape(note))
    for nid in net.inputs:
        if not net.outgoing(nid):
            st.warning(
                f"Input neuron {widgets.md_escape(nid)} has no outgoing edges: its x changes nothing. "
                "Add an edge from it (Edit neurons and edges).",
                icon=":material/link_off:",
            )


def render() -> None:
    """Draw the editor in the sidebar (call once per run, before ``pg.run()``)."""
    net = state.current_network()
    with st.sidebar:
        st.subheader("Architecture", anchor=False)
        st.caption(widgets.summary(net))
        with st.container():  # always one block: what follows keeps its place (an open expander stays open)
            _messages(net)
        _preset_form()
        st.button("Reset to preset", on_click=_on_reset, width="stretch", help=state.current_preset().label())
        # The editors are built only while their section is open: every rerun (a weight slider, a step)
        # would otherwise send all their widgets to the browser.
        edit_box = st.expander("Edit neurons and edges", key=W.OPEN_EDIT, on_change="rerun")
        if edit_box.open:
            with edit_box:
                _neuron_form(net)
                st.divider()
                _edge_form(net)
                st.divider()
                _bias_form(net)
        weights_box = st.expander("Edit weights", key=W.OPEN_WEIGHTS, on_change="rerun")
        if weights_box.open:
            with weights_box:
                _weight_form(net)
                st.divider()
                _random_form()
