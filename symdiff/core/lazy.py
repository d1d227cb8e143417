"""Heavy optional modules, imported on first use.

``import symdiff`` stays fast (SymPy takes about a second to import and
``scipy.special`` a quarter of one); only the ops and passes that need them pay.
"""


def sympy():
    """The :mod:`sympy` module, imported on first use.

    Examples
    --------
    >>> sympy().Integer(2) + 1
    3
    """
    import sympy as module

    return module


def scipy_special():
    """The :mod:`scipy.special` module, imported on first use.

    Examples
    --------
    >>> float(scipy_special().expit(0.0))
    0.5
    """
    import scipy.special as module

    return module
