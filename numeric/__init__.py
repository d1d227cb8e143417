"""numeric: the numeric half of symdiff.

Finite differences and gradient checks (``numeric.finite_diff``, ``numeric.gradcheck``),
an eager autograd (``numeric.autograd``), probability (``numeric.distributions``,
``numeric.probability``, ``numeric.simulate``) and optional figures (``numeric.plot``).
It never imports ``symdiff`` to compute a derivative, so it can check the symbolic half.
"""
