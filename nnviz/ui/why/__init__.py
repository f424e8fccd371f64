"""The "Why it works" page's pieces: the paper's Part II as five exhibits you can change and check.

One module per exhibit, each with ``render(net)``:

1. :mod:`~nnviz.ui.why.as_functions`: a layered network is sigma o A, layer by layer;
2. :mod:`~nnviz.ui.why.collapse`: without its functions it is one matrix;
3. :mod:`~nnviz.ui.why.boolean_functions`: one hidden layer computes any boolean function;
4. :mod:`~nnviz.ui.why.approximation_by_width`: wider layers approximate a curve better;
5. :mod:`~nnviz.ui.why.counting_argument`: images against network configurations.

:mod:`~nnviz.ui.why.actions` holds the page's callbacks (switch to the identity
and back, load a network), its one-shot message and its cached fits.
"""
