"""Activation functions and their derivatives, in vectorised NumPy.

Rules that hold for every function here:

* correct for every finite float16/float32/float64 input, with no overflow
  warning and no NaN from a large ``|x|``; ``NaN`` in gives ``NaN`` out;
* the dtype and shape of ``x`` are kept (integers become float64); a scalar in
  gives a scalar out;
* non-numeric input raises ``TypeError`` naming the argument.

**The convention at a kink.** ReLU, Leaky ReLU and ELU (for ``alpha != 1``) are
not differentiable at ``x = 0``. Their ``*_prime`` functions return the slope of
the *left* branch there: ``relu_prime(0) == 0``, ``leaky_relu_prime(0) ==
alpha``, ``elu_prime(0) == alpha``. This is what PyTorch's and TensorFlow's
back-propagation return, and it is a valid subgradient.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._validation import as_real_array, check_real_scalar, restore_kind

__all__ = [
    "elu",
    "elu_prime",
    "leaky_relu",
    "leaky_relu_alpha_grad",
    "leaky_relu_prime",
    "relu",
    "relu_prime",
    "sigmoid",
    "sigmoid_prime",
    "tanh",
    "tanh_prime",
]


def _exp_minus_abs(x: np.ndarray, power: int = 1) -> np.ndarray:
    """Return ``exp(-|x|) ** power``, which lies in [0, 1] and never overflows."""
    with np.errstate(under="ignore"):
        z = np.exp(-np.abs(x))
        return z * z if power == 2 else z


def sigmoid(x: Any) -> Any:
    r"""Logistic sigmoid, :math:`\sigma(x) = 1 / (1 + e^{-x})`.

    Computed as :math:`1/(1+e^{-|x|})` for :math:`x \ge 0` and
    :math:`e^{-|x|}/(1+e^{-|x|})` for :math:`x < 0`, so that the exponential
    is never taken of a large positive number: ``sigmoid(-1000.0)`` is exactly
    ``0.0`` with no overflow warning.

    Parameters
    ----------
    x : array_like
        Real input.

    Returns
    -------
    ndarray or scalar
        Values in [0, 1], same shape and floating dtype as ``x``.

    Examples
    --------
    >>> float(sigmoid(0.0))
    0.5
    >>> float(sigmoid(-1000.0))
    0.0
    """
    arr = as_real_array(x)
    z = _exp_minus_abs(arr)
    out = np.where(arr >= 0, 1 / (1 + z), z / (1 + z))
    return restore_kind(out.astype(arr.dtype, copy=False), x)


def sigmoid_prime(x: Any) -> Any:
    r"""Derivative of the sigmoid, :math:`\sigma'(x) = \sigma(x)\,(1-\sigma(x))`.

    Evaluated as :math:`e^{-|x|}/(1+e^{-|x|})^2` (the same value, by the
    symmetry :math:`\sigma'(-x) = \sigma'(x)`), which keeps full relative
    accuracy in the tails where :math:`1-\sigma(x)` would round to zero.
    The maximum is :math:`\sigma'(0) = 1/4`.

    Examples
    --------
    >>> float(sigmoid_prime(0.0))
    0.25
    """
    arr = as_real_array(x)
    z = _exp_minus_abs(arr)
    # Clamp to the exact maximum: rounding can land one ulp above 1/4 near 0.
    out = np.minimum(z / (1 + z) ** 2, arr.dtype.type(0.25))
    return restore_kind(out.astype(arr.dtype, copy=False), x)


def tanh(x: Any) -> Any:
    r"""Hyperbolic tangent, :math:`\tanh x = (e^x - e^{-x})/(e^x + e^{-x})`.

    A thin wrapper around :func:`numpy.tanh` (which never overflows) with the
    package's input checks.

    Examples
    --------
    >>> float(tanh(1e300))
    1.0
    """
    arr = as_real_array(x)
    return restore_kind(np.tanh(arr), x)


def tanh_prime(x: Any) -> Any:
    r"""Derivative of tanh, :math:`\tanh'(x) = 1 - \tanh^2 x`.

    Evaluated as :math:`4e^{-2|x|}/(1+e^{-2|x|})^2`, equal to
    :math:`1-\tanh^2 x` but accurate in the tails. The maximum is
    :math:`\tanh'(0) = 1`.

    Examples
    --------
    >>> float(tanh_prime(0.0))
    1.0
    """
    arr = as_real_array(x)
    z = _exp_minus_abs(arr, power=2)
    out = np.minimum(4 * z / (1 + z) ** 2, arr.dtype.type(1))  # rounding can exceed 1
    return restore_kind(out.astype(arr.dtype, copy=False), x)


def relu(x: Any) -> Any:
    r"""Rectified linear unit, :math:`\mathrm{ReLU}(x) = \max(x, 0)`.

    Elementwise :func:`numpy.maximum` (not :func:`numpy.max`, which reduces
    along an axis). NaN propagates.

    Examples
    --------
    >>> relu(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 3.])
    """
    arr = as_real_array(x)
    return restore_kind(np.maximum(arr, arr.dtype.type(0)), x)


def relu_prime(x: Any) -> Any:
    r"""Derivative of ReLU: 1 for :math:`x > 0`, 0 for :math:`x \le 0`.

    At the kink :math:`x = 0` the left slope, 0, is returned (the convention
    of PyTorch and TensorFlow; see the module docstring). NaN propagates.
    """
    arr = as_real_array(x)
    one, zero = arr.dtype.type(1), arr.dtype.type(0)
    out = np.where(arr > 0, one, np.where(np.isnan(arr), arr, zero))
    return restore_kind(out, x)


def _alpha(alpha: Any, dtype: np.dtype) -> np.floating:
    return dtype.type(check_real_scalar(alpha, "alpha"))


def leaky_relu(x: Any, alpha: float = 0.01) -> Any:
    r"""Leaky ReLU, :math:`f(x) = x` for :math:`x > 0` and :math:`\alpha x` otherwise.

    With a learned :math:`\alpha` this is PReLU (He et al., 2015).

    Parameters
    ----------
    x : array_like
        Real input.
    alpha : float, default 0.01
        Slope of the negative branch; any finite real number.

    Examples
    --------
    >>> leaky_relu(np.array([-2.0, 3.0]), alpha=0.1)
    array([-0.2,  3. ])
    """
    arr = as_real_array(x)
    a = _alpha(alpha, arr.dtype)
    return restore_kind(np.where(arr > 0, arr, a * arr), x)


def leaky_relu_prime(x: Any, alpha: float = 0.01) -> Any:
    r"""Derivative of Leaky ReLU with respect to ``x``: 1 for :math:`x > 0`, :math:`\alpha` otherwise.

    At :math:`x = 0` the left slope :math:`\alpha` is returned (see the module
    docstring). NaN propagates.
    """
    arr = as_real_array(x)
    a = _alpha(alpha, arr.dtype)
    out = np.where(arr > 0, arr.dtype.type(1), np.where(np.isnan(arr), arr, a))
    return restore_kind(out, x)


def leaky_relu_alpha_grad(x: Any) -> Any:
    r"""Derivative of Leaky ReLU/PReLU with respect to :math:`\alpha`.

    :math:`\partial f / \partial \alpha = 0` for :math:`x > 0` and :math:`x`
    otherwise; it does not depend on :math:`\alpha`. PReLU learns
    :math:`\alpha` by summing this, times the upstream gradient, over every
    unit that shares the slope.
    """
    arr = as_real_array(x)
    return restore_kind(np.where(arr > 0, arr.dtype.type(0), arr), x)


def elu(x: Any, alpha: float = 1.0) -> Any:
    r"""Exponential linear unit, :math:`f(x) = x` for :math:`x > 0` and :math:`\alpha(e^x - 1)` otherwise.

    Smooth for :math:`\alpha = 1`; tends to :math:`-\alpha` as
    :math:`x \to -\infty` (Clevert et al., 2015). Uses :func:`numpy.expm1` on
    :math:`\min(x, 0)`, so it is accurate near 0 and never overflows.

    Examples
    --------
    >>> float(elu(-1000.0))
    -1.0
    """
    arr = as_real_array(x)
    a = _alpha(alpha, arr.dtype)
    with np.errstate(under="ignore"):
        neg = a * np.expm1(np.minimum(arr, arr.dtype.type(0)))
    return restore_kind(np.where(arr > 0, arr, neg), x)


def elu_prime(x: Any, alpha: float = 1.0) -> Any:
    r"""Derivative of ELU: 1 for :math:`x > 0`, :math:`\alpha e^x` otherwise.

    At :math:`x = 0` the left slope :math:`\alpha` is returned (equal to the
    right slope when :math:`\alpha = 1`). NaN propagates.
    """
    arr = as_real_array(x)
    a = _alpha(alpha, arr.dtype)
    with np.errstate(under="ignore"):
        neg = a * np.exp(np.minimum(arr, arr.dtype.type(0)))
    out = np.where(arr > 0, arr.dtype.type(1), neg).astype(arr.dtype)
    return restore_kind(out, x)
