"""The book's activation functions as SymPy expressions, for derivations.

Each function takes a SymPy symbol (or expression) and returns an expression,
so a chapter can write ``sp.diff(sigmoid_expr(x), x)`` and simplify it.
"""

from __future__ import annotations

import sympy as sp

__all__ = [
    "elu_expr",
    "leaky_relu_expr",
    "relu_expr",
    "sigmoid_expr",
    "tanh_expr",
]


def sigmoid_expr(x: sp.Expr) -> sp.Expr:
    r"""Return :math:`1/(1+e^{-x})`."""
    return 1 / (1 + sp.exp(-x))


def tanh_expr(x: sp.Expr) -> sp.Expr:
    r"""Return :math:`\tanh x`."""
    return sp.tanh(x)


def relu_expr(x: sp.Expr) -> sp.Expr:
    r"""Return :math:`\max(x, 0)` (SymPy ``Max``)."""
    return sp.Max(x, 0)


def leaky_relu_expr(x: sp.Expr, alpha: sp.Expr | float | None = None) -> sp.Expr:
    r"""Return :math:`x` for :math:`x > 0`, :math:`\alpha x` otherwise (a ``Piecewise``).

    ``alpha`` defaults to the exact rational 1/100.
    """
    if alpha is None:
        alpha = sp.Rational(1, 100)
    return sp.Piecewise((x, x > 0), (alpha * x, True))


def elu_expr(x: sp.Expr, alpha: sp.Expr | float = 1) -> sp.Expr:
    r"""Return :math:`x` for :math:`x > 0`, :math:`\alpha(e^x-1)` otherwise (a ``Piecewise``)."""
    return sp.Piecewise((x, x > 0), (alpha * (sp.exp(x) - 1), True))
