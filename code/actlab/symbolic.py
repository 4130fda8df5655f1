"""The book's activation functions as SymPy expressions, for derivations.

Each function takes a SymPy symbol (or expression) and returns an expression,
so a chapter can write ``sp.diff(sigmoid_expr(x), x)`` and simplify it.
"""

from __future__ import annotations

import sympy as sp

__all__ = [
    "elu_expr",
    "gelu_expr",
    "gelu_tanh_expr",
    "leaky_relu_expr",
    "mish_expr",
    "relu_expr",
    "selu_expr",
    "sigmoid_expr",
    "silu_expr",
    "softplus_expr",
    "swish_expr",
    "tanh_expr",
]

# SELU's constants to 32 digits (Klambauer et al., 2017); closed forms in selu_expr.
_SELU_LAMBDA = sp.Float("1.0507009873554804934193349852946", 32)
_SELU_ALPHA = sp.Float("1.6732632423543772848170429916717", 32)


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


def softplus_expr(x: sp.Expr) -> sp.Expr:
    r"""Return :math:`\log(1 + e^x)`."""
    return sp.log(1 + sp.exp(x))


def silu_expr(x: sp.Expr) -> sp.Expr:
    r"""Return :math:`x\,\sigma(x) = x/(1+e^{-x})`."""
    return x / (1 + sp.exp(-x))


def swish_expr(x: sp.Expr, beta: sp.Expr | float = 1) -> sp.Expr:
    r"""Return :math:`x\,\sigma(\beta x) = x/(1+e^{-\beta x})`."""
    return x / (1 + sp.exp(-beta * x))


def gelu_expr(x: sp.Expr) -> sp.Expr:
    r"""Return :math:`x\,\Phi(x) = \tfrac12 x\,(1 + \operatorname{erf}(x/\sqrt2))` (exact GELU)."""
    return x * (1 + sp.erf(x / sp.sqrt(2))) / 2


def gelu_tanh_expr(x: sp.Expr) -> sp.Expr:
    r"""Return :math:`\tfrac12 x\,(1 + \tanh(\sqrt{2/\pi}\,(x + 0.044715\,x^3)))`.

    The tanh approximation of GELU, with 0.044715 as the exact rational 44715/10^6.
    """
    return x * (1 + sp.tanh(sp.sqrt(2 / sp.pi) * (x + sp.Rational(44715, 10**6) * x**3))) / 2


def mish_expr(x: sp.Expr) -> sp.Expr:
    r"""Return :math:`x \tanh(\log(1 + e^x))`."""
    return x * sp.tanh(sp.log(1 + sp.exp(x)))


def selu_expr(x: sp.Expr, lam: sp.Expr | float | None = None,
              alpha: sp.Expr | float | None = None) -> sp.Expr:
    r"""Return :math:`\lambda x` for :math:`x > 0`, :math:`\lambda\alpha(e^x-1)` otherwise (a ``Piecewise``).

    ``lam`` and ``alpha`` default to :data:`actlab.SELU_LAMBDA` and
    :data:`actlab.SELU_ALPHA`, to 32 digits. Their closed forms (Klambauer et al., 2017, eq. 14) are

    .. math::
        \alpha = -\frac{\sqrt{2/\pi}}{\operatorname{erfc}(1/\sqrt2)\,e^{1/2} - 1}, \qquad
        \lambda = \bigl(1 - \operatorname{erfc}(1/\sqrt2)\sqrt e\bigr)\sqrt{2\pi}
        \bigl(2\operatorname{erfc}(\sqrt2)e^2 + \pi\operatorname{erfc}(1/\sqrt2)^2 e
        - 2(2+\pi)\operatorname{erfc}(1/\sqrt2)\sqrt e + \pi + 2\bigr)^{-1/2}.
    """
    lam = _SELU_LAMBDA if lam is None else lam
    alpha = _SELU_ALPHA if alpha is None else alpha
    return sp.Piecewise((lam * x, x > 0), (lam * alpha * (sp.exp(x) - 1), True))
