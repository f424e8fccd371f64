"""On a tablet (769-1023 px wide) the sidebar starts folded away, as Streamlit already does on a phone.

Streamlit's ``initial_sidebar_state="auto"`` folds the sidebar only up to 768 px; at 820 px (a tablet held
upright) the open sidebar leaves the page about 500 px. This component folds it once per browser tab, on the
first page shown; a learner who opens it again keeps it open. No data goes back to Python.
"""

from __future__ import annotations

import streamlit as st

WIDE = 1024  # px: from this width up the sidebar starts open
_JS = """
export default function () {
  const w = window.innerWidth;
  if (w >= WIDE || w <= 768 || sessionStorage.getItem("nnvizSidebarFolded")) return;
  sessionStorage.setItem("nnvizSidebarFolded", "1");
  const fold = () => {
    const side = document.querySelector("[data-testid=stSidebar]");
    const button = document.querySelector("[data-testid=stSidebarCollapseButton] button");
    if (!side || !button) return false;
    if (side.getBoundingClientRect().right > 0) button.click();
    return true;
  };
  if (!fold()) requestAnimationFrame(fold);
}
""".replace("WIDE", str(WIDE))
_component = st.components.v2.component("nnviz_narrow_screen", js=_JS)


def fold_sidebar_on_tablets() -> None:
    """Mount the component (call once per run, inside ``st.sidebar``)."""
    _component(key="nnviz_narrow_screen", data=None, width="content", height=0)
