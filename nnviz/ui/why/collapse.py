"""Exhibit 2 of "Why it works": with every sigma the identity, the network is one matrix A_l ... A_2."""

from __future__ import annotations

import numpy as np
import streamlit as st

from nnviz import Network, NetworkError, forward
from nnviz.figures import theory as figs
from nnviz.theory import layers
from nnviz.ui import widgets
from nnviz.ui.why import actions


def render(net: Network) -> None:
    """Exhibit 2: switch every function to the identity and back; the single matrix A_l ... A_2."""
    st.markdown(
        "Now make every σ the identity. The σ's vanish and f = Aₗ ∘ ⋯ ∘ A₂; a chain of affine maps is one "
        "affine map, so the whole network is the single matrix **Aₗ ⋯ A₂** (the bias column rides along as "
        "one extra coordinate that is always 1). Hidden layers then add nothing that a network without "
        "them could not do. That is the paper's point, after Lin et al.: the functions are what make "
        "several layers worth having."
    )
    saved = actions.saved_functions(net)
    linear = layers.is_linear(net)
    b1, b2, b3 = st.columns([3, 2, 4])
    b1.button(
        "Make every σ the identity",
        on_click=actions.switch_to_identity,
        disabled=linear,
        key="why_to_identity",
        icon=":material/linear_scale:",
    )
    b2.button(
        "Switch back", on_click=actions.switch_back, disabled=not saved, key="why_switch_back", icon=":material/undo:"
    )
    b3.caption(
        "The network's functions are all the identity now."
        if linear
        else "The network has non-linear functions: the matrix below is what it would compute without them."
    )
    try:
        col = layers.collapse(net)
    except NetworkError as exc:
        widgets.error(exc, prefix="**No single matrix for this network:** ")
        col = None
    if col is not None:
        maps = layers.layer_maps(net)
        c1, c2 = st.columns([2, 3])
        with c1:
            st.latex(figs.composition_latex([m.layer for m in maps], identity=True))
            if col.matrix.size <= 24:
                st.latex(r"A_\ell \cdots A_2 = " + figs.bmatrix(col.matrix))
            st.plotly_chart(
                figs.matrix_figure(col.matrix, col.outputs, [*col.inputs, "bias"], "The single matrix Aₗ ⋯ A₂"),
                key="why_product",
            )
            _, err = layers.collapse_check(net, samples=200, seed=0)
            st.metric("Largest |identity network − matrix| on 200 random inputs", f"{err:.1e}")
        with c2:
            lin_net = net if linear else layers.identity_network(net)
            if len(net.inputs) == 1:
                grid = np.linspace(-3, 3, 121)[:, None]  # (G, 1)
                if not linear:
                    curved = forward(net, grid).output[:, 0]
                elif saved:
                    curved = forward(layers.restore_functions(net, saved), grid).output[:, 0]
                else:
                    curved = None
                fig = figs.collapse_figure(
                    grid[:, 0], curved, forward(lin_net, grid).output[:, 0], col.apply(grid)[:, 0],
                    "With its functions, and without them",
                )  # fmt: skip
            else:
                x = np.random.default_rng(0).normal(0, 2, (200, len(net.inputs)))
                fig = figs.agreement_figure(
                    forward(lin_net, x).output, col.apply(x), "all-identity network", "one matrix",
                    "The all-identity network is one matrix",
                )  # fmt: skip
            st.plotly_chart(fig, key="why_collapse_fig")
