"""Figure builders: functions that turn nnviz objects into pictures.

They return ``graphviz.Digraph`` or plotly ``Figure`` objects and never import
streamlit, so the same pictures show in the app (``st.graphviz_chart``,
``st.plotly_chart``) and in a Jupyter notebook (a Digraph or Figure as the
last expression of a cell renders itself).

    >>> from nnviz import presets
    >>> from nnviz.figures.graph import network_graph
    >>> network_graph(presets.paper_network(), show_weights=True)  # doctest: +SKIP
"""

from nnviz.figures.graph import network_graph

__all__ = ["network_graph"]
