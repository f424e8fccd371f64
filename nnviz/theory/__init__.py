"""The maths behind the paper's Part II ("why it works"), as plain numpy.

- :mod:`nnviz.theory.layers`: a layered network as matrices A_i with the bias
  column, f = sigma_l o A_l o ... o sigma_2 o A_2, and the linear collapse to
  A_l ... A_2 when every function is the identity.
- :mod:`nnviz.theory.boolean`: truth tables on 1 to 6 bits and the one-hidden-layer
  network that implements any of them.
- :mod:`nnviz.theory.approximation`: fitting a 1-D function with one hidden layer
  of growing width.
- :mod:`nnviz.theory.counting`: the counting argument (images vs configurations)
  with exact powers of ten.
"""

from nnviz.theory import approximation, boolean, counting, layers

__all__ = ["approximation", "boolean", "counting", "layers"]
