"""Exhibit 2 of "Why it works": with every sigma the identity, the network is one matrix A_l ... A_2."""

from __future__ import annotations

import numpy as np
import streamlit as st

from nnviz import Network, NetworkError, forward
from nnviz.figures import theory as figs
from nnviz.theory import layers
from nnviz.ui import widgets
from nnviz.ui.presentation import room_figure


def render(net: Network) -> None:
    """Exhibit 2: every function the identity (in this tab only); the single matrix A_l ... A_2."""
    st.markdown(
        "Now make every σ the identity. The σ's vanish and f = Aₗ ∘ ⋯ ∘ A₂; a chain of affine maps is one "
        "affine map, so the whole network is the single matrix **Aₗ ⋯ A₂** (the bias column rides along as "
        "one extra coordinate that is always 1). Hidden layers then add nothing that a network without "
        "them could not do. That is the paper's point, after Lin et al.: the functions are what make "
        "several layers worth having."
    )
    linear = layers.is_linear(net)
    identity = st.toggle(
        "Make every σ the identity",
        key="why_identity",
        disabled=linear,
        help="Only in this tab: the network you edit, and every other page, keep their functions.",
    )
    if linear:
        st.caption("The network's functions are all the identity already.")
    elif identity:
        st.caption("Every σ is the identity **in this tab only**: the network on the other pages keeps its functions.")
    else:
        st.caption("The network has non-linear functions: the matrix below is what it would compute without them.")
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
                room_figure(
                    figs.matrix_figure(col.matrix, col.outputs, [*col.inputs, "bias"], "The single matrix Aₗ ⋯ A₂")
                ),
                key="why_product",
            )
            if identity or linear:
                _, err = layers.collapse_check(net, samples=200, seed=0)
                st.metric("Largest |identity network − matrix| on 200 random inputs", f"{err:.1e}")
        with c2:
            _curves(net, col, linear, identity)


def _curves(net: Network, col: layers.Collapse, linear: bool, identity: bool) -> None:
    """The network with its functions against the single matrix; with ``identity``, the all-identity copy too.

    The all-identity network is this tab's own copy: it never goes to ``set_network``,
    so no other page changes.
    """
    lin_net = net if linear else layers.identity_network(net) if identity else None
    if len(net.inputs) == 1:
        grid = np.linspace(-3, 3, 121)[:, None]  # (G, 1)
        curved = None if linear else forward(net, grid).output[:, 0]
        straight = None if lin_net is None else forward(lin_net, grid).output[:, 0]
        fig = figs.collapse_figure(
            grid[:, 0], curved, straight, col.apply(grid)[:, 0], "With its functions, and without them"
        )
    else:
        x = np.random.default_rng(0).normal(0, 2, (200, len(net.inputs)))  # (200, n_in)
        if lin_net is not None:
            fig = figs.agreement_figure(
                forward(lin_net, x).output, col.apply(x), "all-identity network", "one matrix",
                "The all-identity network is one matrix",
            )  # fmt: skip
        else:
            fig = figs.agreement_figure(
                forward(net, x).output, col.apply(x), "network with its functions", "one matrix",
                "With its functions, the network is not the matrix",
            )  # fmt: skip
    st.plotly_chart(room_figure(fig), key="why_collapse_fig")
