"""What the app shows and keeps, still without Streamlit.

The app-level models sit between the figure builders (:mod:`nnviz.figures`) and
the Streamlit widgets (:mod:`nnviz.ui`): the frames of the forward and backward
animations (:mod:`~nnviz.app.animation`), the paper's equations with numbers
(:mod:`~nnviz.app.equations`), the pages' tables (:mod:`~nnviz.app.tables`),
scenes and their files (:mod:`~nnviz.app.scenes`, :mod:`~nnviz.app.scene_parts`),
the declared table of the page settings a scene stores (:mod:`~nnviz.app.settings`),
share links (:mod:`~nnviz.app.share`), training jobs (:mod:`~nnviz.app.trainjob`), the
Training page's per-kind defaults and measured advice (:mod:`~nnviz.app.advice`), the loss
landscape's paths and slices (:mod:`~nnviz.app.landscape`) and what the live graph draws
(:mod:`~nnviz.app.live_graph`, :mod:`~nnviz.app.graph_layout`).
A notebook needs none of them; ``import nnviz`` does not load them.
"""
