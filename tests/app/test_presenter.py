"""AppTest of the presenter's controls: the page bar of presentation mode and its style."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from nnviz.ui import presentation, presenter
from tests.app.conftest import new_app, no_exception


def _links(at: AppTest) -> list[str]:
    return [e.proto.label for e in at.get("page_link")]


def test_the_bar_shows_the_neighbouring_pages_only_while_presenting() -> None:
    at = new_app({"present": "1"})
    at.run()
    no_exception(at)
    assert _links(at) == ["Forward pass"]  # first page: no previous one
    assert any("**Network** · page 1 of 5" in m.value for m in at.markdown)
    at.switch_page("pages/backprop.py").run()
    no_exception(at)
    assert _links(at) == ["Forward pass", "Training"]
    assert any("**Backpropagation** · page 3 of 5" in m.value for m in at.markdown)
    at.switch_page("pages/why.py").run()
    assert _links(at) == ["Training"]
    off = new_app()
    off.run()
    assert _links(off) == []


def test_metric_values_keep_their_size_and_the_style_holds_no_markup() -> None:
    css = presentation.CSS
    # the paragraph rule (1.35rem) must not win over the metric's own: a selector more specific than it
    assert '[data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p' in css
    assert "2.8rem" in css.split('[data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p')[1][:40]
    assert "<" not in css and "<" not in presenter.BAR_CSS


def test_the_key_listener_clicks_the_app_s_own_buttons() -> None:
    js = presenter.KEYS_JS
    for key in ("'tour_next'", "'tour_prev'", "'tour_end'", "'tour_notes'", "['fwd', 'bwd']"):
        assert key in js
    assert "addEventListener('keydown'" in js and ", true);" in js  # capture phase: before a focused widget
