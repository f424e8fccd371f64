"""What the app shows and keeps, still without Streamlit.

The app-level models sit between the figure builders (:mod:`nnviz.figures`) and
the Streamlit widgets (:mod:`nnviz.ui`): the declared table of the page settings
a scene stores (:mod:`~nnviz.app.settings`), and (moving here) the animations,
equations, tables, scenes, share links and training jobs. A notebook needs none
of them; ``import nnviz`` does not load them.
"""
