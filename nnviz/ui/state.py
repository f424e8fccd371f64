"""Session state: the one place that knows the app's session-state keys.

The registry: :class:`Keys` (plain keys, ``nnviz_*``), :class:`WidgetKeys`
(sidebar and Network page widgets), :class:`PageKeys` and :class:`StepperKeys`
(the Forward and Backpropagation pages, prefixes ``fwd``/``bwd``: input, neuron,
animation frame), :data:`TRAINING_PREFIX` (the Training page's widgets,
``train_<name>``). The Why page's exhibits key their widgets ``why_<name>``.

Every page reads and writes shared state through these functions, never through
string keys of its own. The canonical :class:`~nnviz.network.Network` lives
under a plain key (not a widget key), so it survives moving between pages:
Streamlit deletes a widget's state on runs that do not render the widget.

Typical use in a page::

    from nnviz.ui import state

    net = state.current_network()
    ...
    state.set_network(result.best_network, note="trained: best of 100 restarts")
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from nnviz.app import settings
from nnviz.edit import Preset
from nnviz.network import Network


class Keys:
    """Names of every session-state key the app uses (plain keys, not widget keys)."""

    NETWORK = "nnviz_network"  # the canonical Network
    VERSION = "nnviz_network_version"  # int, +1 on every set_network
    NOTE = "nnviz_network_note"  # str | None: what the last change was
    PRESET = "nnviz_preset"  # nnviz.edit.Preset: what "reset" rebuilds
    SEED = "nnviz_seed"  # int: seed for "randomise weights" and layered presets
    DATASET = "nnviz_dataset"  # nnviz.data.Dataset | None (owned by the training page)
    EDIT_ERROR = "nnviz_edit_error"  # str | None: the last rejected edit, shown once
    URL_READ = "nnviz_url_read"  # bool: the share link was read for this session
    URL_ERROR = "nnviz_url_error"  # str | None: why the share link was not used
    URL_NOTE = "nnviz_url_note"  # str | None: what of the share link was changed to fit (a clamped seed)
    URL_PAGE = "nnviz_url_page"  # str | None: the page the share link landed on (its messages show there)
    SHARE_CACHE = "nnviz_share_cache"  # (state key, (params, exact)): the link of the current network
    UPLOAD_MESSAGE = "nnviz_upload_message"  # (ok: bool, text) | None: outcome of the last JSON upload
    TRAINING = "nnviz_training"  # nnviz.app.trainjob.TrainingJob | None: the Training page's last run
    ADVICE = "nnviz_training_advice"  # (TrainingJob, nnviz.app.advice.Advice | None): measured for that job
    TRAINING_FORM = "nnviz_training_form"  # dict: Training page widget values, kept across pages
    PLAYGROUND = "nnviz_playground"  # nnviz.app.playground.Playground | None: the Training page's playground
    PG_PLAYING = "nnviz_pg_playing"  # bool: the playground trains epoch after epoch
    PG_WATCH = "nnviz_pg_watch"  # int | None: the restart the playground shows (None: the best so far)
    PG_DRAW = "nnviz_pg_draw"  # int: Resets so far (each draws new starting weights)
    PG_SOURCE = "nnviz_pg_source"  # ("own",) or ("sidebar", Network): the network the playground was built from
    REPLAYS = "nnviz_replays"  # {(job id, epochs, restarts, ...): (job, Replay, Figure, graphs)}: the replays
    CHARTS = "nnviz_charts"  # {(job id, epochs, name, args): (job, FrozenFigure)}: charts of a run (nnviz.ui.memo)
    SECTION_RERUN = "nnviz_section_rerun"  # bool: a Training-page section (a fragment) changed what the page shows
    LANDSCAPE = "nnviz_landscape"  # dict: the Training page's replayed paths and last loss slice (nnviz.ui.landscape)
    BRUTE_FORCE = "nnviz_brute_force"  # (BruteForceResult, Network, dataset name) | None: the last search
    PRESENT = "nnviz_present"  # bool: presentation mode (nnviz.ui.presentation)
    PALETTE = "nnviz_palette"  # str: a key of nnviz.figures.style.PALETTES
    PRESENT_URL = "nnviz_present_url"  # (present, palette) as last read from the URL, to notice a changed link
    PRESENT_URL_ERROR = "nnviz_present_url_error"  # str | None: a URL flag that was not understood
    SCENES = "nnviz_scenes"  # list[nnviz.app.scenes.Scene]: this session's scenes, in order
    SCENE_MESSAGE = "nnviz_scene_message"  # (ok: bool, text) | None: outcome of the last scene action
    SCENE_GOTO = "nnviz_scene_goto"  # str | None: page id an opened scene still has to switch to
    SCENE_APPLIED = "nnviz_scene_applied"  # (scene name, setting keys) | None: settings not yet run once
    TOURS = "nnviz_tours"  # list[nnviz.app.tours.Tour]: this session's own tours
    TOUR = "nnviz_tour"  # (Tour, step index, link name | None) | None: the running tour (nnviz.ui.tour_run)
    TOUR_NOTES = "nnviz_tour_notes"  # bool: the speaker notes are shown
    TOUR_SCROLL = "nnviz_tour_scroll"  # (heading text, nonce): what the last arrival brings to the top
    TOUR_URL = "nnviz_tour_url"  # (tour, step) as last read from or written to the URL
    TOUR_MESSAGE = "nnviz_tour_message"  # (ok: bool, text) | None: outcome of the last tour action
    TOUR_FOLD = "nnviz_tour_fold"  # int: bumped when a tour starts; the browser then folds the sidebar away
    TOUR_WARMED = "nnviz_tour_warmed"  # bool: this session's browser was made to load plotly.js and the grid
    STORAGE_ASK = "nnviz_storage_ask"  # str: this session's request for what the browser kept (nnviz.ui.storage)
    STORAGE_READY = "nnviz_storage_ready"  # bool: the browser answered; from now on the session writes back
    STORAGE_TEXT = "nnviz_storage_text"  # (scenes list, tours list, text): the last text written back
    SGD_CUE = "nnviz_sgd_cue"  # float: a tour step asks the Backpropagation page to take one SGD step this size
    TRAIN_ASKED = "nnviz_train_asked"  # bool: Train was clicked; the run that draws the form starts the job
    TRAIN_CUE = "nnviz_train_cue"  # bool: a tour step asks the Training page to start its run
    WHY_SAVED_FUNCTIONS = "nnviz_why_saved_functions"  # (edges, {id: activation}) | None: before "identity"
    GRAPH_NEURON = "nnviz_graph_neuron"  # str | None: the neuron clicked last on the live graph (both pages)
    GRAPH_EDGE = "nnviz_graph_edge"  # tuple[str, str] | None: the weight clicked last on the live graph
    GRAPH_PICTURES = "nnviz_graph_pictures"  # bool | None: pictures in neurons (None: on up to 60 neurons)
    GRAPH_ALL_WEIGHTS = "nnviz_graph_all_weights"  # bool: every edge of the live graph shows its numbers
    LAST_GOOD = "nnviz_last_good"  # {widget key: number}: each number box's last accepted value (nnviz.ui.number_box)
    NUMBER_RANGES = "nnviz_number_ranges"  # {widget key: (low, high, integer)}: the range each number box checks
    WHY_MESSAGE = "nnviz_why_message"  # (ok: bool, text) | None: outcome of the Why page's last button


class WidgetKeys:
    """Keys of widgets whose values callbacks read (sidebar editor ``ed_*``, Network page ``net_*``)."""

    PRESET = "ed_preset"
    SIZES = "ed_sizes"
    ACT = "ed_act"
    OUT = "ed_out"
    NEURON = "ed_neuron"
    NEURON_ACT = "ed_neuron_act"
    EDGE_SRC = "ed_edge_src"
    EDGE_DST = "ed_edge_dst"
    EDGE_W = "ed_edge_w"
    BIAS_LAYER = "ed_bias_layer"
    W_SRC = "ed_w_src"
    W_DST = "ed_w_dst"
    W_VALUE = "ed_w_value"
    SEED = "ed_seed"
    SCALE = "ed_scale"
    OPEN_EDIT = "ed_open_edit"  # expander "Edit neurons and edges" (its key keeps it open across edits)
    OPEN_WEIGHTS = "ed_open_weights"  # expander "Edit weights"
    SHOW_WEIGHTS = "net_show_weights"
    UPLOAD = "net_upload"
    PRESENT = "pm_present"  # sidebar toggle: presentation mode
    PALETTE = "pm_palette"  # sidebar selectbox: colour palette
    SCENE_NAME = "sc_name"  # scene name text input
    SCENE_UPLOAD = "sc_upload"  # scenes file uploader
    TOUR_EDIT = "tr_edit"  # selectbox: the tour of one's own being written (or a new one)
    TOUR_NAME = "tr_name"  # text input: a new tour's name
    STEP_TITLE = "tr_title"  # text input: the title of the step to add
    TOUR_UPLOAD = "tr_upload"  # tours file uploader
    #: A step's title and notes editors are keyed tr_t_<tour>_<step> and tr_n_<tour>_<step>; its buttons
    #: tr_up_, tr_dn_, tr_del_; the start buttons tour_start_paper and tour_start_own_<k>; the running tour's
    #: bar tour_prev, tour_next, tour_notes, tour_end (nnviz.ui.presenter clicks those for the keyboard).


#: The Training page's widgets are keyed train_<name> (nnviz.ui.training_data.widget_key).
TRAINING_PREFIX = settings.TRAINING_PREFIX


@dataclass(frozen=True)
class StepperKeys:
    """Session-state keys of one animation (``prefix`` keeps the two pages apart)."""

    prefix: str

    @property
    def step(self) -> str:
        """int: the current frame."""
        return f"{self.prefix}_step"

    @property
    def playing(self) -> str:
        """bool: the animation is playing (a scene opens paused; the live graph plays in the browser)."""
        return f"{self.prefix}_playing"


class PageKeys:
    """Session-state keys of one pass page; ``prefix`` is "fwd" or "bwd"."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.x = f"{prefix}_x"  # list[float]: the typed input
        self.y = f"{prefix}_y"  # list[float]: the typed target
        self.source = f"{prefix}_source"  # radio: MANUAL or DATASET
        self.point = f"{prefix}_point"  # number input: training point, 1-based
        self.neuron = f"{prefix}_neuron"  # selectbox: the neuron the panel explains
        self.vary = f"{prefix}_vary"  # selectbox: input varied by the function slice
        self.output = f"{prefix}_output"  # selectbox: output shown by the heatmap
        self.step_size = f"{prefix}_step_size"  # number input: SGD step size
        self.history = f"{prefix}_history"  # list[nnviz.app.tables.StepRecord]: undo stack
        self.eps = f"{prefix}_eps"  # selectbox: finite-difference step
        self.edge = f"{prefix}_edge"  # selectbox: weight of the loss-vs-weight plot
        self.tab = f"{prefix}_tab"  # tabs: the chosen tab (only it runs)
        self.table_open = f"{prefix}_table_open"  # expander: the full table of values is open
        self.step_error = f"{prefix}_step_error"  # str | None: why the last SGD step was refused
        self.stepper = StepperKeys(prefix)

    def widget(self, kind: str, i: int) -> str:
        """Key of the ``i``-th widget of ``kind`` ("xs" slider, "xn" number, "yn" target)."""
        return f"{self.prefix}_{kind}_{i}"


DEFAULT_SEED = 0


def _route_through_app() -> None:
    """Make sure this run went through app.py's ``st.navigation``.

    Streamlit still supports its older "pages/ folder" mode and picks it while no
    script has called ``st.navigation`` yet in this server process. So when the
    first request a fresh server gets is a deep link (``/forward``), the page file
    runs alone: no page config, no sidebar editor, no share link. Leaving that
    mode (as ``st.navigation`` itself does) and rerunning routes the request
    through app.py.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def init_session_state() -> None:
    """Give every key its default once per browser session (idempotent)."""
    _route_through_app()
    ss = st.session_state
    if Keys.PRESET not in ss:
        ss[Keys.PRESET] = Preset()
    if Keys.SEED not in ss:
        ss[Keys.SEED] = DEFAULT_SEED
    if Keys.NETWORK not in ss:
        ss[Keys.NETWORK] = ss[Keys.PRESET].build()
        ss[Keys.VERSION] = 0
        ss[Keys.NOTE] = None
    defaults: dict[str, Any] = {
        Keys.DATASET: None,
        Keys.EDIT_ERROR: None,
        Keys.URL_READ: False,
        Keys.URL_ERROR: None,
        Keys.UPLOAD_MESSAGE: None,
        Keys.PRESENT: False,
        Keys.PALETTE: "paper",
        Keys.SCENES: [],
        Keys.SCENE_MESSAGE: None,
        Keys.TOURS: [],
        Keys.TOUR: None,
        Keys.TOUR_NOTES: False,
        Keys.TOUR_MESSAGE: None,
    }
    for key, value in defaults.items():
        if key not in ss:
            ss[key] = value


def current_network() -> Network:
    """The network being explored (the paper's by default)."""
    init_session_state()
    return st.session_state[Keys.NETWORK]


def set_network(net: Network, note: str | None = None) -> None:
    """Replace the canonical network, e.g. after training or an SGD step.

    ``note`` is a short sentence shown to the user ("trained: best of 100
    restarts"). Bumps :func:`network_version`, which pages may use as a cheap
    cache key.
    """
    if not isinstance(net, Network):
        raise TypeError(f"set_network expects a Network, not {type(net).__name__}")
    init_session_state()
    ss = st.session_state
    ss[Keys.NETWORK] = net
    ss[Keys.VERSION] = int(ss.get(Keys.VERSION, 0)) + 1
    ss[Keys.NOTE] = note


def network_version() -> int:
    """A counter that changes whenever :func:`set_network` is called."""
    init_session_state()
    return int(st.session_state[Keys.VERSION])


def network_note() -> str | None:
    """The note given with the last :func:`set_network`, if any."""
    init_session_state()
    return st.session_state[Keys.NOTE]


def current_preset() -> Preset:
    """The preset the network was built from (what "reset" rebuilds)."""
    init_session_state()
    return st.session_state[Keys.PRESET]


def set_preset(preset: Preset) -> None:
    """Remember ``preset`` as the one "reset" rebuilds (does not change the network)."""
    init_session_state()
    st.session_state[Keys.PRESET] = preset


def current_seed() -> int:
    """The seed used for random weights."""
    init_session_state()
    return int(st.session_state[Keys.SEED])


def set_seed(seed: int) -> None:
    """Remember the seed used for random weights."""
    init_session_state()
    st.session_state[Keys.SEED] = int(seed)


def current_dataset() -> Any:
    """The training set (an ``nnviz.data.Dataset``) or None.

    It may have been chosen for an earlier network: check
    :func:`dataset_fits` before using it.
    """
    init_session_state()
    return st.session_state[Keys.DATASET]


def set_dataset(ds: Any) -> None:
    """Store the training set (an ``nnviz.data.Dataset``) or None."""
    init_session_state()
    st.session_state[Keys.DATASET] = ds


def dataset_fits(ds: Any, net: Network) -> bool:
    """True when ``ds.X`` has one column per input and ``ds.Y`` one per output of ``net``."""
    if ds is None:
        return False
    return ds.X.shape[1] == len(net.inputs) and ds.Y.shape[1] == len(net.outputs)


def edit_error() -> str | None:
    """The message of the last rejected sidebar edit (None when the last edit applied)."""
    init_session_state()
    return st.session_state[Keys.EDIT_ERROR]


def set_edit_error(message: str | None) -> None:
    """Record (or clear, with None) the message of a rejected edit."""
    init_session_state()
    st.session_state[Keys.EDIT_ERROR] = message
