"""The Training page (the paper's Part III): SGD from many random restarts, and brute force against it."""

import streamlit as st

from nnviz.data import adapt_network, mismatch
from nnviz.figures.fit import fit_figure
from nnviz.ui import (
    advice_panel,
    bruteforce_panel,
    landscape,
    playground,
    replay,
    tour_run,
    training_data,
    training_widgets,
    widgets,
)
from nnviz.ui import state as app_state

net = app_state.current_network()
cued = tour_run.train_cue()  # a tour step asks for its training run

st.title("Training", anchor=False)
st.caption(
    "Watch it learn: pick a data set (TensorFlow Playground's six) and press Play. Further down: the paper's way."
)
playground.section(net)  # a fragment: its clicks and its animation rerun only the playground

st.header("The paper's training", anchor=False)
st.markdown(
    "Training finds the weights: for each training point (x_i, y_i) in S, backpropagation gives dl/dw for every "
    "weight of the loss l = (y_i - f(x_i))², and stochastic gradient descent moves each weight a *step size* "
    "against it, point after point; one pass over S is an *epoch*. The loss is not convex, so a run can stop in "
    'a local minimum: *"the practical solution is to simply run the entire backpropagation algorithm a number '
    'of times starting from different initial weights"* and keep the best.'
)

# Parts whose length varies (the data source's widgets, a mismatch warning, the settings form) sit
# in containers: what follows keeps its place in the page, so switching the data updates the charts
# below instead of drawing them all anew.
st.header("1. The training set S", anchor=False)
with st.container():
    chosen = training_data.choose_dataset()
    ds = training_data.sync_dataset(chosen)
if ds is None:
    st.stop()
st.caption(
    f"{widgets.md_escape(ds.name)}: {ds.size:,} training points"
    + (f", {ds.X_test.shape[0]:,} test points" if ds.has_test else "")
    + f"; {ds.n_in} input(s), {ds.n_out} output(s)."
)

problem = mismatch(net, ds)
fit_box = st.container()
if problem is not None:
    fit_box.warning(f"The network does not fit these data: {widgets.md_escape(problem)}.", icon=":material/warning:")
    fit_box.button(
        f"Adapt the network to {ds.n_in} input(s) and {ds.n_out} output(s)",
        type="primary",
        on_click=lambda: app_state.set_network(
            adapt_network(net, ds.n_in, ds.n_out), note=f"adapted to {ds.n_in} inputs and {ds.n_out} outputs"
        ),
        help="Adds or removes input and output neurons; the hidden neurons stay. New edges start at weight 0.",
    )
else:
    preview = fit_box.expander(
        "The data and what the current network does with it", key="train_preview_open", on_change="rerun"
    )
    if preview.open:  # drawn only while open
        preview.plotly_chart(fit_figure(net, ds), key="train_preview", theme=None)

st.header("2. Stochastic gradient descent from many restarts", anchor=False)
job = training_widgets.current_job()
settings_box = st.container()  # always there, so the results below keep their place
if problem is None:
    with settings_box:
        form_col, fit_col = st.columns([3, 2], gap="large")  # the fit appears beside Train, not far below it
        with form_col:
            training_widgets.settings_form(net, ds, start=cued)
            tour_run.clear_train_cue()  # the run has started (an interrupted run asks again)
            job = training_widgets.current_job()
            training_widgets.run(job)
        with fit_col:
            training_widgets.best_fit(job, net)
advice_box = settings_box.container()  # the verdict's place, under the settings
training_widgets.results(job, app_state.current_network(), ds)
if problem is None and job is not None and training_widgets.same_structure(job.net, net) and job.data.same_as(ds):
    with advice_box:  # measured after the results are sent: the browser draws them while the trials run
        advice_panel.show(job)
replay.replays(job, app_state.current_network())

st.header("3. The loss landscape", anchor=False)
landscape.section(job, training_widgets.chosen_key())

st.header("4. Brute force against backprop", anchor=False)
if problem is None:
    bruteforce_panel.panel(net, ds, job)
else:
    st.info("Adapt the network to the data first.")
