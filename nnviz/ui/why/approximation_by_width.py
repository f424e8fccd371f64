"""Exhibit 4 of "Why it works": one hidden layer of growing width fits a 1-D function ever closer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from nnviz import Network, NetworkError
from nnviz.figures import theory as figs
from nnviz.theory import approximation
from nnviz.ui import widgets
from nnviz.ui.number_box import number_box
from nnviz.ui.presentation import room_figure
from nnviz.ui.why import actions


def render(net: Network) -> None:
    """Exhibit 4: fits of a 1-D function by one hidden layer of each width."""
    st.markdown(
        "The universal approximation theorem says one hidden layer can get as close as you like to any "
        "continuous function on a bounded interval, if the layer is wide enough. Here a network "
        "1 → w → 1 learns a function on [−1, 1] by the paper's stochastic gradient descent, from several "
        "random restarts for each width w; the best restart is shown. Wider layers can bend the curve in "
        "more places. Training has a fixed budget, so the error need not fall at every step: the theorem "
        "promises that good weights exist, not that gradient descent finds them."
    )
    with st.form("why_fit_form"):
        f1, f2, f3 = st.columns(3)
        target = f1.selectbox(
            "Function", list(approximation.TARGETS), format_func=lambda k: approximation.TARGETS[k][0],
            key="why_target",
        )  # fmt: skip
        widths_text = f1.text_input("Widths", "1, 2, 4, 8, 16, 32", key="why_widths")
        restarts = f2.slider("Restarts per width", 1, 16, 8, key="why_restarts")
        epochs = f2.slider("Epochs", 20, 400, 150, step=10, key="why_epochs")
        act = f3.selectbox("Hidden σ", ["tanh", "sigmoid", "relu"], key="why_act")
        with f3:
            fseed = number_box("Seed", "why_fit_seed")
        st.form_submit_button("Fit", icon=":material/play_arrow:", type="primary")
    try:
        widths = approximation.parse_widths(widths_text)
        with st.spinner("Training every width…"):
            fit = actions.fit_widths(target, widths, restarts, epochs, act, fseed)
    except NetworkError as exc:
        widgets.error(exc, prefix="**Cannot fit:** ")
        fit = None
    if fit is not None:
        g1, g2 = st.columns([3, 2])
        g1.plotly_chart(room_figure(figs.approximation_figure(fit, approximation.TARGETS[target][0])), key="why_fits")
        g2.plotly_chart(room_figure(figs.error_figure(fit)), key="why_errors")
        rows_out = pd.DataFrame(
            {
                "width": fit.widths,
                "weights": [3 * w + 1 for w in fit.widths],
                "RMS error (training points)": [float(np.sqrt(f.train_mse)) for f in fit.fits],
                "largest error on [−1, 1]": [f.max_error for f in fit.fits],
                "restarts diverged": [f.diverged for f in fit.fits],
            }
        )
        st.dataframe(rows_out, hide_index=True)
        st.caption(
            f"{fit.restarts} restarts × {fit.epochs} epochs on {len(fit.x_train)} points per width; "
            f"trained in {fit.seconds:.1f} s (results are cached)."
        )
