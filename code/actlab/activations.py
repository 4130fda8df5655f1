"""Activation functions and their derivatives, in vectorised NumPy.

Rules that hold for every function here:

* correct for every finite float16/float32/float64 input, with no overflow
  warning and no NaN from a large ``|x|``; ``NaN`` in gives ``NaN`` out;
* the dtype and shape of ``x`` are kept (integers become float64); a scalar in
  gives a scalar out;
* non-numeric input raises ``TypeError`` naming the argument.

**The convention at a kink.** ReLU, and Leaky ReLU and ELU for ``alpha != 1``,
are not differentiable at ``x = 0``. Their ``*_prime`` functions return the slope of
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


# Implementation notes (speed). Each function makes one new array and works in
# it in place (``out=``): a fresh 8 MB temporary costs about as much as a pass
# over it, and the plain expressions a reader would write make one per
# operation. ``np.where`` is avoided: it is several times slower than a ufunc.


def _exp_minus_abs(x: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """Return a new array ``exp(-scale*|x|)``, in [0, 1]; it never overflows."""
    z = np.abs(x, out=np.empty_like(x))  # out=: a 0-d input stays a 0-d array
    with np.errstate(over="ignore", under="ignore"):  # -2*max is -inf: e^-inf = 0
        if scale == 1.0:
            np.negative(z, out=z)
        else:
            np.multiply(z, x.dtype.type(-scale), out=z)
        return np.exp(z, out=z)


def _overflow_edge(dtype: np.dtype) -> np.floating:
    """A point below which ``1 + exp(-x) == exp(-x)`` and above which ``exp(-x)`` is finite.

    ``-0.9 * ln(max)``: -638.8 for float64, -79.9 for float32, -9.98 for float16.
    """
    return dtype.type(-0.9 * np.log(np.finfo(dtype).max))


def _step(x: np.ndarray) -> np.ndarray:
    """A new array: 1.0 where ``x > 0``, 0.0 where ``x <= 0``, NaN where ``x`` is NaN."""
    out = np.greater(x, 0, out=np.empty_like(x))
    if x.size and np.isnan(x.max()):  # max() is NaN iff some entry is: one fast pass
        out[np.isnan(x)] = np.nan
    return out


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
    # 1/(1 + e^-x) is accurate wherever e^-x is finite. Below the edge it would
    # overflow, but there 1 + e^-x rounds to e^-x anyway, so sigma(x) = e^x.
    out = np.negative(arr, out=np.empty_like(arr))
    with np.errstate(over="ignore", under="ignore"):
        np.exp(out, out=out)
        out += 1
        np.divide(1, out, out=out)
        edge = _overflow_edge(arr.dtype)
        if arr.size and not arr.min() >= edge:  # min() is a fast pass; NaN also lands here
            far = arr < edge
            out[far] = np.exp(arr[far])
    return restore_kind(out, x)


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
    z = _exp_minus_abs(arr)  # z = e^{-|x|}
    d = np.add(z, 1, out=np.empty_like(z))
    np.square(d, out=d)
    np.divide(z, d, out=z)
    # Rounding can land one ulp above the exact maximum 1/4 near x = 0: clamp,
    # after one fast check (max() is NaN if any entry is, and then no clamp runs).
    if z.size and z.max() > 0.25:
        np.minimum(z, arr.dtype.type(0.25), out=z)
    return restore_kind(z, x)


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
    z = _exp_minus_abs(arr, scale=2.0)  # z = e^{-2|x|}
    d = np.add(z, 1, out=np.empty_like(z))
    np.square(d, out=d)
    z *= 4
    np.divide(z, d, out=z)
    if z.size and z.max() > 1:  # rounding can exceed 1 near x = 0 (see sigmoid_prime)
        np.minimum(z, arr.dtype.type(1), out=z)
    return restore_kind(z, x)


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
    return restore_kind(_step(arr), x)


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
    if 0 <= a <= 1:  # then f(x) = max(x, alpha*x), which propagates NaN
        out = np.multiply(arr, a, out=np.empty_like(arr))
        return restore_kind(np.maximum(out, arr, out=out), x)
    return restore_kind(np.where(arr > 0, arr, a * arr), x)


def leaky_relu_prime(x: Any, alpha: float = 0.01) -> Any:
    r"""Derivative of Leaky ReLU with respect to ``x``: 1 for :math:`x > 0`, :math:`\alpha` otherwise.

    At :math:`x = 0` the left slope :math:`\alpha` is returned (see the module
    docstring). NaN propagates.
    """
    arr = as_real_array(x)
    a = _alpha(alpha, arr.dtype)
    out = _step(arr)  # 1 or 0 ...
    out *= 1 - a
    out += a          # ... becomes 1 or alpha
    return restore_kind(out, x)


def leaky_relu_alpha_grad(x: Any) -> Any:
    r"""Derivative of Leaky ReLU/PReLU with respect to :math:`\alpha`.

    :math:`\partial f / \partial \alpha = 0` for :math:`x > 0` and :math:`x`
    otherwise; it does not depend on :math:`\alpha`. PReLU learns
    :math:`\alpha` by summing this, times the upstream gradient, over every
    unit that shares the slope.
    """
    arr = as_real_array(x)
    out = np.minimum(arr, arr.dtype.type(0), out=np.empty_like(arr))  # 0 for x > 0, else x
    return restore_kind(out, x)


def elu(x: Any, alpha: float = 1.0) -> Any:
    r"""Exponential linear unit, :math:`f(x) = x` for :math:`x > 0` and :math:`\alpha(e^x - 1)` otherwise.

    For :math:`\alpha = 1` it is continuously differentiable (C¹) but not
    smooth: its second derivative jumps from 1 to 0 at :math:`x = 0`. For
    other :math:`\alpha` the first derivative jumps there, from
    :math:`\alpha` to 1. Tends to :math:`-\alpha` as :math:`x \to -\infty`
    (Clevert et al., 2016). Uses :func:`numpy.expm1` on :math:`\min(x, 0)`,
    so it is accurate near 0 and never overflows.

    Examples
    --------
    >>> float(elu(-1000.0))
    -1.0
    """
    arr = as_real_array(x)
    a = _alpha(alpha, arr.dtype)
    zero = arr.dtype.type(0)
    out = np.minimum(arr, zero, out=np.empty_like(arr))  # min(x, 0) ...
    with np.errstate(under="ignore"):
        np.expm1(out, out=out)
    out *= a                     # ... alpha (e^min(x,0) - 1): 0 for x > 0
    out += np.maximum(arr, zero)
    return restore_kind(out, x)


def elu_prime(x: Any, alpha: float = 1.0) -> Any:
    r"""Derivative of ELU: 1 for :math:`x > 0`, :math:`\alpha e^x` otherwise.

    At :math:`x = 0` the left slope :math:`\alpha` is returned (equal to the
    right slope when :math:`\alpha = 1`). NaN propagates.
    """
    arr = as_real_array(x)
    a = _alpha(alpha, arr.dtype)
    out = np.minimum(arr, arr.dtype.type(0), out=np.empty_like(arr))
    with np.errstate(under="ignore"):
        np.exp(out, out=out)
    out *= a                               # alpha e^x for x <= 0, alpha for x > 0 ...
    step = np.greater(arr, 0, out=np.empty_like(arr))
    step *= 1 - a
    out += step                            # ... plus (1 - alpha) for x > 0
    return restore_kind(out, x)
