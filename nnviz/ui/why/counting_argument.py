"""Exhibit 5 of "Why it works": images against network configurations, with exact powers of ten."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from nnviz import Network, NetworkError
from nnviz.figures import theory as figs
from nnviz.theory import counting
from nnviz.ui import widgets
from nnviz.ui.number_box import number_box
from nnviz.ui.presentation import room_figure


def render(net: Network) -> None:
    """Exhibit 5: images against network configurations, with exact powers of ten."""
    st.markdown(
        "The paper's counting argument (after Lin, Tegmark and Rolnick): an image of W × H pixels at b bits "
        "a pixel is one of **2^(b·W·H)** bit strings. A network with P parameters, each able to take v "
        "meaningfully different values, has **v^P** configurations, and it cannot tell apart more images "
        "than it has configurations. So no network can classify *every* possible image; it works because "
        "the images we care about are a tiny, simply generated corner of that space."
    )
    c1, c2 = st.columns(2)
    with c1:
        st.markdown("**Images**")
        w_px = number_box("Width W (pixels)", "why_w")
        h_px = number_box("Height H (pixels)", "why_h")
        b_px = number_box("Bits per pixel b", "why_b")
    with c2:
        st.markdown("**Network**")
        p_net = number_box("Parameters P", "why_p")
        v_net = number_box("Values per parameter v", "why_v")
        st.caption(f"The network in the sidebar has P = {len(net.edges)} weights.")
    try:
        imgs = counting.images(w_px, h_px, b_px)
        confs = counting.configurations(v_net, p_net)
        need = counting.parameters_needed(imgs, v_net)
    except NetworkError as exc:
        widgets.error(exc, prefix="**Cannot count:** ")
        imgs = None
    if imgs is not None:
        bits_total = counting.image_bits(w_px, h_px, b_px)
        st.latex(rf"2^{{{counting.int_latex(bits_total)}}} \approx {imgs.latex()}")
        st.latex(rf"{counting.int_latex(v_net)}^{{{counting.int_latex(p_net)}}} \approx {confs.latex()}")
        gap = imgs.log10 - confs.log10
        if gap > 0:
            st.markdown(
                f"There are about 10^{float(gap):,.0f} times more images than configurations. To have as many "
                f"configurations as images, a network with {int(v_net):,} values per parameter would need "
                f"**{need:,} parameters**."
            )
        else:
            st.markdown("This network has at least as many configurations as there are images.")
        st.plotly_chart(
            room_figure(
                figs.counting_figure(
                    [
                        (f"images {int(w_px)}×{int(h_px)} at {int(b_px)} bits", imgs, True, None),
                        (f"{int(v_net):,}^{int(p_net):,} configurations", confs, False, None),
                        *((f"paper: {c.what}", c.exact, c.images, c.paper_k or None) for c in counting.PAPER_CLAIMS),
                    ]
                )
            ),
            key="why_count_fig",
        )
    with st.container(key="tourkey_claims"):  # the correction: a tour step's key element (nnviz.app.paper_tour)
        st.markdown("**The paper's numbers, checked**")
        claims = pd.DataFrame(
            {
                "what": [c.what for c in counting.PAPER_CLAIMS],
                "the paper says": [c.paper_text for c in counting.PAPER_CLAIMS],
                "exactly": [c.exact.text(4) for c in counting.PAPER_CLAIMS],
                "verdict": [
                    "agrees" if c.agrees else ("no round figure given" if c.paper_k == 0 else "differs")
                    for c in counting.PAPER_CLAIMS
                ],
            }
        )
        st.dataframe(claims, hide_index=True)
        st.markdown(
            "Plainly: 2^320000 has 96,330 digits, so it is about 10^96330, not 10^10000 (the paper's exponent is "
            "almost ten times too small). 2^32000000 is about 10^9632960, a little below the paper's 10^10000000. "
            "And 1000 weights with 100 values each give 100^1000 = 10^2000 configurations, not 10^10000 (the "
            "paper also calls them neurons; it is the weights that count). The slips do not hurt the argument: "
            "the exact gap, 10^96330 images against 10^2000 configurations, is wider than the paper's."
        )
