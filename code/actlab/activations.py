"""Activation functions and their derivatives, in vectorised NumPy.

Rules that hold for every function here:

* correct for every finite float16/float32/float64 input, with no overflow
  warning and no NaN from a large ``|x|``; ``NaN`` in gives ``NaN`` out;
* the dtype and shape of ``x`` are kept (integers become float64); a scalar in
  gives a scalar out;
* non-numeric input raises ``TypeError`` naming the argument.

**The convention at a kink.** ReLU, and Leaky ReLU and ELU for ``alpha != 1``,
and SELU are not differentiable at ``x = 0``. Their ``*_prime`` functions return
the slope of the *left* branch there: ``relu_prime(0) == 0``,
``leaky_relu_prime(0) == alpha``, ``elu_prime(0) == alpha``, ``selu_prime(0) ==
SELU_LAMBDA * SELU_ALPHA``. This is what PyTorch's and TensorFlow's
back-propagation return, and it is a valid subgradient.

**Accuracy.** Float32 and float64 results are within a few ulp of the exact
value (checked against 50-digit mpmath), in the tails too. That takes more
than the textbook formula in three places, each noted where it is done: a
tail where ``e^{-x}`` would overflow takes the limit form, built from two
half-exponentials so that a normal result never passes through a subnormal
number; near a zero of a derivative (SiLU', GELU', Mish'), where its terms
cancel, the derivative is evaluated from a form without cancellation; and an
argument that an exponential magnifies (``beta * x``, ``x^2/2``, ``z - max z``)
is formed exactly, as a sum of two floats. The newer functions compute
float16 in float32 (and GELU every dtype in float64), then round once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import special

from ._validation import as_real_array, check_axis, check_real_scalar, restore_kind

__all__ = [
    "SELU_ALPHA",
    "SELU_LAMBDA",
    "elu",
    "elu_prime",
    "gelu",
    "gelu_prime",
    "leaky_relu",
    "leaky_relu_alpha_grad",
    "leaky_relu_prime",
    "log_softmax",
    "mish",
    "mish_prime",
    "relu",
    "relu_prime",
    "selu",
    "selu_prime",
    "sigmoid",
    "sigmoid_prime",
    "silu",
    "silu_prime",
    "softmax",
    "softplus",
    "softplus_prime",
    "swish",
    "swish_prime",
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


# --------------------------------------------------------------------------
# The activations of current networks: softplus, SiLU/Swish, GELU, Mish, SELU,
# softmax. Same rules as above; the notes below say how each tail is kept.
# --------------------------------------------------------------------------

#: SELU's scale :math:`\lambda` (Klambauer et al., 2017, eq. 14).
SELU_LAMBDA = 1.0507009873554804934193349852946
#: SELU's :math:`\alpha` (Klambauer et al., 2017, eq. 14).
SELU_ALPHA = 1.6732632423543772848170429916717

_SPLIT = 134217729.0          # 2**27 + 1, Veltkamp's constant: splits a float64 into two halves
_SQRT1_2 = float(np.sqrt(0.5))
_INV_SQRT_2PI = float(1 / np.sqrt(2 * np.pi))
_GELU_CLAMP = 40.0            # Phi(-40) ~ 4e-350 and e^{-40**2/2} are 0 in float64
_GELU_TANH_CLAMP = 30.0       # sigma(y(-30)) = e^{-1974} is 0, sigma(y(30)) is 1, in float64
_GELU_MODES = ("none", "tanh")


def _working(arr: np.ndarray, dtype: Any = None) -> np.ndarray:
    """``arr`` as an array of at least one dimension (ufuncs turn 0-d results into scalars,
    which cannot be worked on in place) in ``dtype``, by default ``arr``'s own or float32 for
    float16 (whose range is too small for the intermediate values of the formulas below).
    May be ``arr`` itself: read only."""
    if dtype is None:
        dtype = np.float32 if arr.dtype == np.float16 else arr.dtype
    return np.atleast_1d(np.asarray(arr, dtype=dtype))


def _finish(out: np.ndarray, arr: np.ndarray, x: Any) -> Any:
    """``out`` in ``arr``'s dtype and shape, as a scalar if ``x`` was one."""
    with np.errstate(over="ignore"):  # only SELU's lambda x can exceed the range: inf, as it should
        out = out.astype(arr.dtype, copy=False)
    return restore_kind(out.reshape(arr.shape), x)


_BLOCK = 1 << 15


def _blockwise(kernel: Callable[[np.ndarray], np.ndarray], w: np.ndarray,
               dtype: Any = None) -> np.ndarray:
    """``kernel(w)`` computed on blocks of 32768 values, into a new array of ``w``'s shape.

    The stable formulas make many passes over a few temporary arrays. On a block those stay
    in the cache and are reused; full-size ones would each cost about as much as a pass
    (their pages are new to the process every time). ``kernel`` maps a 1-d block to a new
    1-d array, which is stored in ``dtype`` (default: the kernel's own).
    """
    flat = w.reshape(-1)                    # a copy if w is not contiguous
    if flat.size <= _BLOCK:
        out = kernel(flat)
        return (out if dtype is None else out.astype(dtype, copy=False)).reshape(w.shape)
    out = None
    for start in range(0, flat.size, _BLOCK):
        block = kernel(flat[start:start + _BLOCK])
        if out is None:
            out = np.empty(flat.shape, dtype=block.dtype if dtype is None else dtype)
        out[start:start + _BLOCK] = block
    return out.reshape(w.shape)


def _left_tail(y: np.ndarray, out: np.ndarray, factor: Callable[[np.ndarray], np.ndarray],
               yl: np.ndarray | None = None) -> None:
    """Where ``y`` is below the overflow edge, set ``out = factor(far) * e^{y + yl}``.

    (``far`` is the mask of those entries.) There the main formulas would overflow
    (``e^{-y}``) and the exact value is ``factor * e^y`` to working precision. It is
    formed as ``(factor * e^{y/2}) * e^{y/2}`` (times ``1 + yl``) so that a result that
    is a normal number never passes through a subnormal ``e^y``.
    """
    edge = _overflow_edge(y.dtype)
    if y.size and not y.min() >= edge:  # one fast pass; NaN also lands here (and stays NaN)
        far = y < edge
        with np.errstate(under="ignore"):
            half = np.exp(y[far] / 2)
            val = factor(far) * half
            if yl is not None:
                val *= 1 + yl[far]
            val *= half
            out[far] = val


def _split_constant(dtype: np.dtype) -> float:
    """Veltkamp's constant ``2**ceil(p/2) + 1`` (p significant bits): 134217729 for float64."""
    return float(2 ** ((np.finfo(dtype).nmant + 2) // 2) + 1)


# Error-free transformations (Dekker, Knuth) on arrays, in place in the buffers given:
# every full-size buffer that is not reused costs as much as a pass over it.
def _split(a: np.ndarray, split: float, hi: np.ndarray, lo: np.ndarray) -> None:
    """Veltkamp's split: ``hi + lo == a`` exactly, each with half of ``a``'s significant bits."""
    np.multiply(a, split, out=hi)
    np.subtract(hi, a, out=lo)
    hi -= lo
    np.subtract(a, hi, out=lo)


def _square_err(a: np.ndarray, p: np.ndarray, out: np.ndarray, s1: np.ndarray, s2: np.ndarray,
                split: float = _SPLIT) -> np.ndarray:
    """``out = a*a - p`` exactly for ``p = fl(a*a)`` (``|a| < 1e150`` in float64); ``s1``, ``s2``
    are scratch."""
    _split(a, split, s1, s2)            # a = ah + al
    np.multiply(s1, s1, out=out)
    out -= p
    s1 *= s2
    s1 *= 2
    out += s1                           # + 2 ah al
    s2 *= s2
    out += s2                           # + al^2
    return out


def _scale_err(a: np.ndarray, b: float, p: np.ndarray, out: np.ndarray, s1: np.ndarray,
               s2: np.ndarray, split: float = _SPLIT) -> np.ndarray:
    """``out = a*b - p`` exactly for ``p = fl(a*b)``, ``b`` a number of ``a``'s dtype."""
    t = a.dtype.type
    c = t(b) * t(split)
    bh = c - (c - t(b))
    bl = t(b) - bh
    _split(a, split, s1, s2)
    np.multiply(s1, bh, out=out)
    out -= p
    s1 *= bl
    out += s1
    np.multiply(s2, bh, out=s1)
    out += s1
    s2 *= bl
    out += s2
    return out


def _two_sum_err(a: Any, b: Any, s: np.ndarray, out: np.ndarray, tmp: np.ndarray) -> np.ndarray:
    """``out = a + b - s`` exactly for ``s = fl(a + b)`` (Knuth's TwoSum); ``tmp`` is scratch."""
    np.subtract(s, a, out=tmp)          # b'
    np.subtract(s, tmp, out=out)        # a'
    np.subtract(a, out, out=out)        # a - a'
    np.subtract(b, tmp, out=tmp)        # b - b'
    out += tmp
    return out


# Near a zero r of a derivative f' its formula adds two terms of opposite sign that
# cancel, so a rounding error of one ulp in a term becomes many ulps of the result.
# Within a window about r, f' is evaluated from its Taylor series in d = x - r instead
# (SiLU': from an exact rewriting, _silu_prime_window), with r held as three floats
# (r_hi + r_lo + r_lo2) so that d keeps its relative accuracy even when x is itself a
# sum of two floats (Swish's beta x). r and the series are computed once, with mpmath,
# the first time they are needed (0.2 s in all). The windows end where the plain
# formula is back within 3 ulp; the degrees keep the series' error below 0.01 ulp there.
# _ROOTS: name -> (f' in mpmath, a guess of r, window (r - left, r + right) as
# (left, right), degree of the series).
def _mp_sigmoid(t: Any) -> Any:
    import mpmath

    return 1 / (1 + mpmath.exp(-t))


def _mp_silu_prime(t: Any) -> Any:
    return _mp_sigmoid(t) * (1 + t * _mp_sigmoid(-t))


def _mp_gelu_prime(t: Any) -> Any:
    import mpmath

    return mpmath.ncdf(t) + t * mpmath.npdf(t)


def _mp_gelu_tanh_prime(t: Any) -> Any:
    import mpmath

    c1 = mpmath.sqrt(8 / mpmath.pi)
    c3 = c1 * mpmath.mpf("0.044715")
    y = c1 * t + c3 * t**3  # 1 + tanh(y/2) = 2 sigma(y)
    return _mp_sigmoid(y) * (1 + _mp_sigmoid(-y) * t * (c1 + 3 * c3 * t**2))


def _mp_mish_prime(t: Any) -> Any:
    import mpmath

    th = mpmath.tanh(mpmath.log1p(mpmath.exp(t)))
    return th + t * (1 - th**2) * _mp_sigmoid(t)


_ROOTS: dict[str, tuple[Callable[[Any], Any], float, tuple[float, float], int]] = {
    "silu_prime": (_mp_silu_prime, -1.28, (1.2, 0.6), 0),  # no series: see _silu_prime_window
    "gelu_prime": (_mp_gelu_prime, -0.75, (0.6, 0.45), 26),
    "gelu_tanh_prime": (_mp_gelu_tanh_prime, -0.75, (0.55, 0.45), 28),
    "mish_prime": (_mp_mish_prime, -1.19, (0.3, 0.3), 20),
}


@functools.cache
def _root_series(name: str) -> tuple[tuple[float, float, float], tuple[float, float], np.ndarray]:
    """``((r_hi, r_lo, r_lo2), (left, right), c)``: the zero ``r`` of a derivative as a sum of
    three floats, its window and its Taylor coefficients ``c[k-1] = f'^{(k)}(r) / k!``."""
    import mpmath

    f, guess, window, degree = _ROOTS[name]
    with mpmath.workdps(60):
        r = mpmath.findroot(f, guess)
        r_hi = float(r)
        r_lo = float(r - r_hi)
        r_lo2 = float(r - r_hi - r_lo)
    with mpmath.workdps(40):
        coeffs = mpmath.taylor(f, r, degree)[1:] if degree else []
        return (r_hi, r_lo, r_lo2), window, np.array([float(c) for c in coeffs])


def _near_root(w: np.ndarray, out: np.ndarray, name: str,
               fix: Callable[[np.ndarray], np.ndarray] | None = None,
               wl: np.ndarray | None = None, scratch: np.ndarray | None = None) -> None:
    """Overwrite ``out`` where ``w`` lies in the window about the zero of derivative ``name``.

    The values there come from ``fix(d)`` (``d = w + wl - r`` in float64), by default
    the Taylor series. Finding the window costs two fast passes (in ``scratch``, a
    buffer like ``w`` that may be overwritten) and an index scan.
    """
    (r_hi, r_lo, r_lo2), (left, right), coeffs = _root_series(name)
    if not w.size:
        return
    tmp = np.subtract(w, w.dtype.type(r_hi + (right - left) / 2),
                      out=np.empty_like(w) if scratch is None else scratch)
    np.abs(tmp, out=tmp)
    idx = np.flatnonzero(tmp < (left + right) / 2)
    if not idx.size:
        return
    d = np.take(w, idx).astype(np.float64)
    d -= r_hi   # exact (Sterbenz) near r; relative error eps/2 elsewhere in the window
    if wl is None:
        d -= r_lo
        d -= r_lo2
    else:       # d + (wl - r_lo) - r_lo2, with the rounding error of wl - r_lo kept
        lo = np.take(wl, idx).astype(np.float64)
        s = lo - r_lo
        err = _two_sum_err(lo, -r_lo, s, np.empty_like(s), np.empty_like(s))
        d += s
        err -= r_lo2
        d += err
    if fix is None:
        val = np.full_like(d, coeffs[-1])
        for c in coeffs[-2::-1]:  # Horner: c_1 d + c_2 d^2 + ...
            val *= d
            val += c
        val *= d
    else:
        val = fix(d)
    np.put(out, idx, val)


def softplus(x: Any) -> Any:
    r"""Softplus, :math:`\operatorname{softplus}(x) = \log(1 + e^x)`, the smooth ReLU.

    Computed as :func:`numpy.log1p` of :math:`e^x`, which keeps full relative
    accuracy for negative :math:`x` (where the value is :math:`\approx e^x`),
    and as :math:`x` itself above the overflow edge of ``exp`` (638.8 in
    float64, 79.9 in float32), where :math:`x + \log(1 + e^{-x})` rounds to
    :math:`x`. It is never ``np.log(1 + np.exp(x))``, which returns 0 below
    :math:`x \approx -37` and ``inf`` above 709.8. Its derivative is the
    sigmoid (:func:`softplus_prime`).

    Parameters
    ----------
    x : array_like
        Real input.

    Returns
    -------
    ndarray or scalar
        Positive values, same shape and floating dtype as ``x``.

    Examples
    --------
    >>> float(softplus(0.0)) == float(np.log(2))
    True
    >>> float(softplus(1000.0)), float(softplus(-800.0))
    (1000.0, 0.0)
    """
    arr = as_real_array(x)
    w = _working(arr)
    with np.errstate(over="ignore", under="ignore"):  # e^x is inf above ~709.8: replaced below
        out = np.exp(w, out=np.empty_like(w))
        np.log1p(out, out=out)
    edge = -_overflow_edge(w.dtype)
    if w.size and not w.max() <= edge:  # one fast pass; NaN also lands here
        far = w > edge
        out[far] = w[far]
    return _finish(out, arr, x)


def softplus_prime(x: Any) -> Any:
    r"""Derivative of softplus: the sigmoid, :math:`\frac{d}{dx}\log(1+e^x) = \frac{e^x}{1+e^x} = \sigma(x)`.

    The same function as :func:`sigmoid`, under the name of the derivative.

    Examples
    --------
    >>> float(softplus_prime(0.0))
    0.5
    """
    return sigmoid(x)


def _swish_core(arr: np.ndarray, y: np.ndarray, yl: np.ndarray | None = None,
                spare: tuple[np.ndarray, ...] = ()) -> np.ndarray:
    """``arr * sigmoid(y + yl)``, as ``arr / (1 + e^{-y})`` (times ``1 + sigmoid(-y) yl``), with
    the left tail kept; in ``spare[0]`` (a free buffer like ``arr``) if given."""
    out = np.negative(y, out=spare[0] if spare else np.empty_like(y))
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        np.exp(out, out=out)
        if yl is not None:
            corr = np.add(out, 1, out=spare[1])
            np.divide(out, corr, out=corr)
            corr *= yl
            corr += 1                  # sigma(y + yl) = sigma(y) (1 + sigma(-y) yl)
        out += 1
        np.divide(arr, out, out=out)   # e^{-y} = inf below the edge gives 0: replaced next
        if yl is not None:
            out *= corr
    _left_tail(y, out, lambda far: arr[far], yl)
    return out


def _silu_prime_window(d: np.ndarray) -> np.ndarray:
    r"""SiLU' near its zero r (``d = y - r``): :math:`e^y g / (1+e^y)^2`, :math:`g = 1 + y + e^y`.

    Since :math:`e^r = -(1 + r)`, :math:`g = d + |1 + r|\,\mathrm{expm1}(d)`: two terms of
    the same sign, so :math:`g` and the result keep their relative accuracy at the zero.
    """
    (r_hi, r_lo, _), _, _ = _root_series("silu_prime")
    c = -((1 + r_hi) + r_lo)             # |1 + r| = e^r
    g = np.expm1(d)
    g *= c
    g += d
    ey = np.exp(d) * c                   # e^y = e^r e^d
    g *= ey
    ey += 1
    g /= ey
    g /= ey
    return g


def _silu_prime_core(y: np.ndarray, yl: np.ndarray | None = None,
                     spare: tuple[np.ndarray, ...] = (), window: bool = True) -> np.ndarray:
    """SiLU'(y + yl) = sigma (1 + y sigma(-y)) for a finite (or NaN) array ``y`` (and a small
    correction ``yl``, exact to first order); ``spare``: free buffers like ``y``. Without
    ``window`` the zero of SiLU' gets no special treatment (see _silu_prime_kernel)."""
    e = np.negative(y, out=spare[0] if spare else np.empty_like(y))
    num = spare[1] if len(spare) > 1 else np.empty_like(y)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):  # below the edge: replaced
        np.exp(e, out=e)                        # e = e^{-y}
        if yl is not None:
            e -= np.multiply(e, yl, out=num)    # e^{-(y + yl)} = e^{-y} (1 - yl)
        np.add(y, 1, out=num)
        if yl is not None:
            num += yl
        num *= e
        num += 1                                # 1 + e^{-y} (1 + y)
        e += 1
        num /= e
        num /= e                                # (1 + e^{-y}(1 + y)) / (1 + e^{-y})^2
    if yl is None:
        _left_tail(y, num, lambda far: y[far] + 1)          # e^y (1 + y) there
    else:
        _left_tail(y, num, lambda far: y[far] + 1 + yl[far], yl)
    if window:
        _near_root(y, num, "silu_prime", _silu_prime_window, yl, scratch=e)
    return num


def _silu_prime_kernel(w: np.ndarray) -> np.ndarray:
    """SiLU' of a block. A float32 block is computed in float64, where the cancellation
    near the zero r costs nothing at float32 precision: no float32 number is closer to r
    than 1.3e-8, where the float64 result is still within 0.5 ulp of float32."""
    if w.dtype == np.float64:
        return _silu_prime_core(w)
    return _silu_prime_core(w.astype(np.float64), window=False)


def silu(x: Any) -> Any:
    r"""SiLU (sigmoid linear unit), :math:`\operatorname{SiLU}(x) = x\,\sigma(x) = x / (1 + e^{-x})`.

    Swish with :math:`\beta = 1` (Elfwing et al., 2018; Ramachandran et al.,
    2017). Computed as :math:`x / (1 + e^{-x})` (one rounding per operation);
    below the overflow edge of :math:`e^{-x}` it equals :math:`x e^x`, formed as
    :math:`(x e^{x/2}) e^{x/2}`. Not monotone: its minimum, at the zero of
    :func:`silu_prime` (:math:`x \approx -1.278`), is :math:`\approx -0.278`.

    Parameters
    ----------
    x : array_like
        Real input.

    Returns
    -------
    ndarray or scalar
        Same shape and floating dtype as ``x``.

    Examples
    --------
    >>> float(silu(0.0)), float(silu(1000.0)), float(silu(-1000.0))
    (0.0, 1000.0, -0.0)
    """
    arr = as_real_array(x)
    w = _working(arr)
    return _finish(_swish_core(w, w), arr, x)


def silu_prime(x: Any) -> Any:
    r"""Derivative of SiLU, :math:`\sigma(x)\,(1 + x\,(1 - \sigma(x)))`.

    Evaluated as :math:`(1 + e^{-x}(1 + x)) / (1 + e^{-x})^2`, and as
    :math:`(1 + x) e^x` below the overflow edge. The derivative is zero at
    :math:`r = -1 - W(1/e) \approx -1.2785` (:math:`W` the Lambert function),
    where the terms cancel; for :math:`x` in [-2.5, -0.64] it is computed as
    :math:`e^x g / (1 + e^x)^2` with :math:`g = 1 + x + e^x = (x - r) +
    |1 + r|\,\mathrm{expm1}(x - r)` (since :math:`e^r = -(1 + r)`), which
    keeps full relative accuracy at the zero. The range is about
    [-0.0998, 1.0998].

    Examples
    --------
    >>> float(silu_prime(0.0))
    0.5
    """
    arr = as_real_array(x)
    return _finish(_blockwise(_silu_prime_kernel, _working(arr), arr.dtype), arr, x)


def _check_beta(beta: Any, dtype: np.dtype) -> float:
    """``beta`` checked (a finite real number), and limited to the range of ``dtype``."""
    b = check_real_scalar(beta, "beta")
    big = float(np.finfo(dtype).max)
    return min(max(b, -big), big)        # a float64 beta beyond float32's range: its max


def _beta_times(arr: np.ndarray, b: float) -> tuple[np.ndarray, np.ndarray | None,
                                                    tuple[np.ndarray, ...]]:
    """``(y, yl, spare)``: ``y + yl == b * arr`` to twice the working precision, and the
    free scratch buffers left over.

    ``y`` is the rounded product (overflow to inf allowed, silently); ``yl`` is its
    rounding error (Dekker), or None when ``b`` is 0 or a power of two (exact product).
    """
    dtype = arr.dtype
    bh = dtype.type(b)
    with np.errstate(over="ignore"):
        y = np.multiply(arr, bh, out=np.empty_like(arr))
    if b == 0 or abs(np.frexp(b)[0]) == 0.5:
        return y, None, ()
    bl = dtype.type(b - float(bh))       # b = bh + bl (float32: b's float64 value)
    yl, s1, s2 = np.empty_like(arr), np.empty_like(arr), np.empty_like(arr)
    with np.errstate(over="ignore", invalid="ignore"):
        _scale_err(arr, bh, y, yl, s1, s2, _split_constant(dtype))
        yl += np.multiply(arr, bl, out=s1)
    if yl.size and not np.isfinite(yl.min() + yl.max()):  # huge |x| or |b x|, or NaN:
        yl[~np.isfinite(yl)] = 0                            # y alone decides there
    return y, yl, (s1, s2)


def _swish_kernel(w: np.ndarray, b: float) -> np.ndarray:
    if w.dtype != np.float64:           # float32 values: fl64(b x) errs by 2^-53 relative, far
        x = w.astype(np.float64)        # below float32's ulp even after e^{-y} magnifies it
        return _swish_core(x, x * b)
    y, yl, spare = _beta_times(w, b)
    return _swish_core(w, y, yl, spare)


def _swish_prime_kernel(w: np.ndarray, b: float) -> np.ndarray:
    if w.dtype != np.float64:           # float32 values, in float64 (see _swish_kernel)
        x = w.astype(np.float64)
        if b == 0 or abs(np.frexp(b)[0]) == 0.5:    # b x is a float32 number: see
            return _silu_prime_core(x * b, window=False)     # _silu_prime_kernel
        c = b * 16777217.0              # 2**24 + 1: b = bh + bl with a 29-bit bh, so x bh is
        bh = c - (c - b)                # exact; b x can come arbitrarily close to the zero of
        hi = x * bh                     # SiLU', and there its exact value decides
        lo = x * (b - bh)
        out = _silu_prime_core(hi + lo, window=False)
        _near_root(hi, out, "silu_prime", _silu_prime_window, lo, scratch=x)
        return out
    y, yl, spare = _beta_times(w, b)
    big = np.finfo(y.dtype).max
    if y.size and not (-big <= y.min() and y.max() <= big):  # b x overflowed (or NaN)
        np.clip(y, -big, big, out=y)  # SiLU' is 1 or 0 there either way; NaN stays NaN
    return _silu_prime_core(y, yl, spare)


def swish(x: Any, beta: float = 1.0) -> Any:
    r"""Swish, :math:`\operatorname{swish}_\beta(x) = x\,\sigma(\beta x) = x / (1 + e^{-\beta x})`.

    Ramachandran et al. (2017); with :math:`\beta = 1` it is :func:`silu`,
    as :math:`\beta \to \infty` it tends to ReLU, and at :math:`\beta = 0` it
    is :math:`x/2`.

    Parameters
    ----------
    x : array_like
        Real input.
    beta : float, default 1.0
        Any finite real number (a trainable parameter in the paper).

    Returns
    -------
    ndarray or scalar
        Same shape and floating dtype as ``x``.

    Notes
    -----
    :math:`e^{-\beta x}` magnifies a rounding error of :math:`\beta x` by
    :math:`|\beta x|` (50 ulps at :math:`\beta x = -100`), so :math:`\beta x` is
    never simply rounded: for :math:`\beta` a power of two (1 included) the
    product is exact; otherwise it is kept as the sum of two floats (Dekker's
    product; float32 input is computed in float64 with an exact product), which
    costs about twice the time of :math:`\beta = 1`.

    Examples
    --------
    >>> float(swish(2.0, beta=0.0))
    1.0
    """
    arr = as_real_array(x)
    w = _working(arr)
    b = _check_beta(beta, w.dtype)
    return _finish(_blockwise(lambda t: _swish_kernel(t, b), w, arr.dtype), arr, x)


def swish_prime(x: Any, beta: float = 1.0) -> Any:
    r"""Derivative of Swish in ``x``, :math:`\sigma(\beta x)\,(1 + \beta x\,(1 - \sigma(\beta x)))`.

    This is :func:`silu_prime` at :math:`\beta x`, with :math:`\beta x` kept
    exactly as in :func:`swish` (its zero is at :math:`r/\beta`, :math:`r \approx
    -1.2785`).

    Examples
    --------
    >>> float(swish_prime(0.0, beta=3.0))
    0.5
    """
    arr = as_real_array(x)
    w = _working(arr)
    b = _check_beta(beta, w.dtype)
    return _finish(_blockwise(lambda t: _swish_prime_kernel(t, b), w, arr.dtype), arr, x)


def _check_approximate(approximate: Any) -> str:
    if not isinstance(approximate, str) or approximate not in _GELU_MODES:
        raise ValueError(f"approximate must be 'none' or 'tanh', got {approximate!r}")
    return approximate


def _exp_half_square(a: np.ndarray, k: float, out: np.ndarray, s1: np.ndarray,
                     s2: np.ndarray, s3: np.ndarray, exact: bool = False) -> np.ndarray:
    r""":math:`e^{k a^2}` (``k`` = -1/2 or -1/4) for float64 ``|a| <= 40``, into ``out``.

    The square is made exact: :math:`a^2 = p + \epsilon` (Dekker), :math:`e^{k a^2} =
    e^{k p}(1 + k\epsilon)`, unless ``exact`` says that ``a*a`` already is (``a`` from
    float32). (``erfc(a/sqrt(2))`` rounds :math:`a^2` inside and so loses about
    :math:`a^2` ulps, hundreds in the tail.) ``s1..s3`` are scratch.
    """
    if exact:
        np.square(a, out=out)
        out *= k
        return np.exp(out, out=out)
    p = np.square(a, out=s1)
    _square_err(a, p, out, s2, s3)
    out *= k
    out += 1                                     # 1 + k eps
    p *= k
    np.exp(p, out=p)
    out *= p
    return out


def _gelu_exact(w: np.ndarray, prime: bool, exact_square: bool = False) -> np.ndarray:
    r"""GELU or GELU' (exact) of a float64 array, as a new float64 array.

    With :math:`a = \min(|x|, 40)`, :math:`G = e^{-a^2/2}` and :math:`R =
    \mathrm{erfcx}(a/\sqrt2)` (SciPy's scaled complementary error function, which
    varies slowly, so rounding :math:`a/\sqrt2` costs nothing): :math:`\Phi(-a) =
    \tfrac12 R G`. For :math:`a < 0.7` :func:`scipy.special.erfc` is used instead
    (below 1 ulp there; erfcx has up to 3.6).
    """
    a, G, b1, b2, b3 = (np.empty(w.shape) for _ in range(5))
    np.abs(w, out=a)
    np.minimum(a, _GELU_CLAMP, out=a)           # NaN stays NaN
    with np.errstate(under="ignore"):
        _exp_half_square(a, -0.5, G, b1, b2, b3, exact_square)
        np.multiply(a, _SQRT1_2, out=b1)
        Q = special.erfcx(b1, out=b2)
        Q *= 0.5                                 # Phi(-a) = Q G
        if not prime:                            # GELU(x) = max(x, 0) - a Phi(-a)
            Q *= a                               # a R/2 < 0.4 first: then no normal result
        Q *= G                                   # is formed from a subnormal product
        small = np.flatnonzero(a < 0.7)
        if small.size:
            a_s = np.take(a, small)
            q = 0.5 * special.erfc(a_s * _SQRT1_2)
            np.put(Q, small, q if prime else a_s * q)
        if not prime:
            out = np.maximum(w, 0.0, out=b1)
            out -= Q
            return out
        V = np.multiply(a, -_INV_SQRT_2PI, out=b1)   # V = Phi(-a) - a phi(a)
        V *= G
        V += Q
        if a.size and a.max() > 37.0:            # G < 1e-300 and |V| ~ 15 G: form V as
            far = a > 37.0                       # (B e^{-a^2/4}) e^{-a^2/4}, B = R/2 - a/sqrt(2 pi)
            af = a[far]
            half = _exp_half_square(af, -0.25, *(np.empty_like(af) for _ in range(4)))
            V[far] = (0.5 * special.erfcx(af * _SQRT1_2) - af * _INV_SQRT_2PI) * half * half
        s = np.greater(w, 0, out=a)              # GELU'(x) = V for x <= 0 and 1 - V for x > 0
        sign = np.multiply(s, -2.0, out=G)
        sign += 1
        V *= sign
        V += s
    _near_root(w, V, "gelu_prime", scratch=b2)
    return V


def _gelu_tanh_parts(w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[np.ndarray]]:
    r"""For a float64 array: ``(xc, yh, yl, free)``: ``xc`` = x clamped to [-30, 30] and
    :math:`y = c_1 x_c + c_3 x_c^3 = y_h + y_l` to twice float64's precision
    (:math:`c_1 = \sqrt{8/\pi}`, :math:`c_3 = 0.044715\,c_1`), since :math:`e^{y}` magnifies an
    absolute error of :math:`y` into a relative error of the result; ``free``: five free
    buffers."""
    c1h, c1l, c3h, c3l = _gelu_tanh_constants()
    xc, b1, b2, b3, b4, b5, b6, b7 = (np.empty(w.shape) for _ in range(8))
    np.clip(w, -_GELU_TANH_CLAMP, _GELU_TANH_CLAMP, out=xc)
    p = np.square(xc, out=b1)
    pe = _square_err(xc, p, b2, b3, b4)         # xc^2 = p + pe
    qh = np.multiply(p, c3h, out=b5)
    ql = _scale_err(p, c3h, qh, b6, b3, b4)     # c3h p = qh + ql
    pe *= c3h
    ql += pe
    np.multiply(p, c3l, out=pe)
    ql += pe
    ql += c1l                                   # c1 + c3 xc^2 = (c1h + qh) + ql, to ~2^-100
    sh = np.add(qh, c1h, out=b2)
    ql += _two_sum_err(qh, c1h, sh, b3, b4)     # c1 + c3 xc^2 = sh + ql
    yh = np.multiply(xc, sh, out=b5)            # y = xc sh + xc ql = yh + yl:
    _split(xc, _SPLIT, b1, b3)                  #   xc = b1 + b3
    _split(sh, _SPLIT, b4, b7)                  #   sh = b4 + b7
    yl = np.multiply(b1, b4, out=b2)
    yl -= yh
    b1 *= b7
    yl += b1
    np.multiply(b3, b4, out=b1)
    yl += b1
    b3 *= b7
    yl += b3                                    #   xc sh - yh, exactly
    ql *= xc
    yl += ql
    return xc, yh, yl, [b1, b3, b4, b6, b7]


@functools.cache
def _gelu_tanh_constants() -> tuple[float, float, float, float]:
    r""":math:`c_1 = \sqrt{8/\pi}` and :math:`c_3 = 0.044715\,c_1`, each as a sum of two floats."""
    import mpmath

    with mpmath.workdps(40):
        c1 = mpmath.sqrt(8 / mpmath.pi)
        c3 = c1 * mpmath.mpf("0.044715")
        return float(c1), float(c1 - float(c1)), float(c3), float(c3 - float(c3))


def _gelu_tanh(w: np.ndarray, prime: bool) -> np.ndarray:
    """GELU or GELU' (tanh form, x sigma(y)) of a float64 array, as a new float64 array."""
    xc, yh, yl, (e, D, corr, b6, b7) = _gelu_tanh_parts(w)
    c1h, _, c3h, _ = _gelu_tanh_constants()
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):  # below the edge: replaced
        np.negative(yh, out=e)
        np.exp(e, out=e)                         # e^{-y}
        np.add(e, 1, out=D)
        e /= D                                   # sigma(-y)
        np.multiply(yl, e, out=corr)
        corr += 1                                # sigma(y) = sigma(yh) (1 + sigma(-yh) yl)
        if not prime:
            out = np.divide(w, D, out=D)
            out *= corr
        else:
            out = np.square(xc, out=b6)
            out *= 3 * c3h
            out += c1h
            out *= xc                            # x y'(x)
            out *= e
            out += 1                             # 1 + sigma(-y) x y'
            out *= corr
            out /= D
    if not prime:
        _left_tail(yh, out, lambda far: w[far], yl)   # x e^{yh + yl}
    else:
        def factor(far: np.ndarray) -> np.ndarray:    # (1 + x y') e^{yh + yl}
            t = xc[far]
            return 1 + t * (c1h + 3 * c3h * t * t)

        _left_tail(yh, out, factor, yl)
        _near_root(w, out, "gelu_tanh_prime", scratch=b7)
    return out


def _gelu_kernel(dtype: np.dtype, mode: str, prime: bool) -> Callable[[np.ndarray], np.ndarray]:
    """The float64 kernel of GELU or GELU' for input of ``dtype`` (a block of any float)."""
    if mode == "tanh":
        return lambda t: _gelu_tanh(t.astype(np.float64, copy=False), prime)
    short = dtype.itemsize < 8                  # then x*x is exact in float64
    return lambda t: _gelu_exact(t.astype(np.float64, copy=False), prime, short)


def gelu(x: Any, approximate: str = "none") -> Any:
    r"""Gaussian error linear unit, :math:`x\,\Phi(x) = \tfrac12 x\,(1 + \operatorname{erf}(x/\sqrt2))`.

    :math:`\Phi` is the standard normal distribution function: GELU weighs
    :math:`x` by the probability that a standard normal variable is below it
    (Hendrycks and Gimpel, 2016). With ``approximate="tanh"`` it is the
    approximation of BERT and GPT-2,

    .. math:: \tfrac12 x\,\bigl(1 + \tanh\bigl(\sqrt{2/\pi}\,(x + 0.044715\,x^3)\bigr)\bigr),

    the two modes of PyTorch's ``torch.nn.GELU(approximate=...)``.

    Parameters
    ----------
    x : array_like
        Real input.
    approximate : {"none", "tanh"}, default "none"
        The exact function or its tanh approximation.

    Returns
    -------
    ndarray or scalar
        Same shape and floating dtype as ``x``.

    Raises
    ------
    ValueError
        If ``approximate`` is anything but "none" or "tanh".

    Notes
    -----
    Both are computed in float64 whatever the dtype, then rounded once. The
    exact form uses :math:`x\Phi(x) = \max(x, 0) - |x|\,\Phi(-|x|)` with
    :math:`\Phi(-a) = \tfrac12\,\mathrm{erfcx}(a/\sqrt2)\,e^{-a^2/2}`
    (:func:`scipy.special.erfcx`, :math:`a^2` squared exactly; for
    :math:`a < 0.7` :func:`scipy.special.erfc`, more accurate there), which
    keeps the relative accuracy in the left tail that
    ``0.5*x*erfc(-x/sqrt(2))`` loses (hundreds of ulps near :math:`x = -30`).
    SciPy's erfcx is itself within about 3.6 ulp, which bounds the accuracy
    of the exact form in float64 (4.4 ulp at worst). The tanh form is evaluated
    as :math:`x\,\sigma(y)` with :math:`y = 2\sqrt{2/\pi}(x + 0.044715x^3)` (as
    :math:`1 + \tanh(y/2) = 2\sigma(y)`), :math:`y` in double-double
    arithmetic, and :math:`x` clamped to [-30, 30] inside :math:`y`, so
    :math:`x^3` never overflows (where it is clamped the result is already
    ``x`` or ``0``).

    Examples
    --------
    >>> float(gelu(1e300)), float(gelu(-1e300, approximate="tanh"))
    (1e+300, -0.0)
    """
    mode = _check_approximate(approximate)
    arr = as_real_array(x)
    return _finish(_blockwise(_gelu_kernel(arr.dtype, mode, False), np.atleast_1d(arr), arr.dtype),
                   arr, x)


def gelu_prime(x: Any, approximate: str = "none") -> Any:
    r"""Derivative of GELU, :math:`\Phi(x) + x\,\varphi(x)` (:math:`\varphi` the normal density).

    With ``approximate="tanh"``, the derivative of the tanh form,
    :math:`\sigma(y)\,\bigl(1 + \sigma(-y)\,x\,y'(x)\bigr)` with :math:`y` as in
    :func:`gelu` and :math:`y' = 2\sqrt{2/\pi}(1 + 3 \cdot 0.044715\,x^2)`.

    Both are zero near :math:`x \approx -0.752` (-0.75179 and -0.75246: the
    minimum of GELU, about -0.170), where their two terms cancel; from 0.55 or
    0.6 below to 0.45 above that zero they are evaluated from their Taylor
    series about it (degree 26 and 28, coefficients computed once with
    mpmath), which keeps full relative accuracy there. The tails are kept as in
    :func:`gelu`. Range about [-0.129, 1.129].

    Examples
    --------
    >>> float(gelu_prime(0.0)), float(gelu_prime(0.0, approximate="tanh"))
    (0.5, 0.5)
    """
    mode = _check_approximate(approximate)
    arr = as_real_array(x)
    return _finish(_blockwise(_gelu_kernel(arr.dtype, mode, True), np.atleast_1d(arr), arr.dtype),
                   arr, x)


def mish(x: Any) -> Any:
    r"""Mish, :math:`\operatorname{mish}(x) = x \tanh(\operatorname{softplus}(x))` (Misra, 2019).

    With :math:`n = e^x (e^x + 2)`, :math:`\tanh(\log(1 + e^x)) = n / (n + 2)`
    exactly, which is how it is computed: one exponential, no cancellation in
    either tail. :math:`x` is clamped at half the overflow edge inside the
    exponential (:math:`n/(n+2)` is 1 there), and below the edge
    :math:`\operatorname{mish}(x) = x e^x`, formed as :math:`(x e^{x/2}) e^{x/2}`.
    Minimum about -0.309 at :math:`x \approx -1.192`.

    Examples
    --------
    >>> float(mish(0.0)), float(mish(1e300))
    (0.0, 1e+300)
    """
    arr = as_real_array(x)
    w = _working(arr)
    top = -_overflow_edge(w.dtype) / 2
    e = np.minimum(w, top, out=np.empty_like(w))
    with np.errstate(under="ignore"):
        np.exp(e, out=e)
        n = np.add(e, 2, out=np.empty_like(w))
        n *= e                                  # n = e^x (e^x + 2)
        np.add(n, 2, out=e)
        n /= e                                  # tanh(softplus(x))
        n *= w
    _left_tail(w, n, lambda far: w[far])
    return _finish(n, arr, x)


def _mish_prime_kernel(w: np.ndarray) -> np.ndarray:
    edge = _overflow_edge(w.dtype)
    xc = np.clip(w, edge, -edge / 4, out=np.empty_like(w))     # NaN stays NaN
    with np.errstate(under="ignore"):
        e = np.exp(xc, out=np.empty_like(w))
        A = np.add(xc, 1, out=xc)
        B = np.add(e, 1, out=np.empty_like(w))
        A *= B
        A *= 4                                  # 4 (x + 1)(1 + e)
        np.add(e, 4, out=B)
        B *= e
        B += 2
        B *= e                                  # e (e^2 + 4e + 2)
        A += B
        A *= e                                  # e omega
        np.add(e, 2, out=B)
        B *= e
        B += 2                                  # delta
        A /= B
        A /= B
    _left_tail(w, A, lambda far: w[far] + 1)
    _near_root(w, A, "mish_prime", scratch=B)
    return A


def mish_prime(x: Any) -> Any:
    r"""Derivative of Mish, :math:`t + x\,\sigma(x)\,(1 - t^2)`, :math:`t = \tanh(\operatorname{sp}(x))`.

    With :math:`e = e^x`, :math:`\delta = e^2 + 2e + 2` it equals

    .. math:: \frac{e\,\omega}{\delta^2}, \qquad
              \omega = 4(x + 1)(1 + e) + e\,(e^2 + 4e + 2),

    computed so (the two terms of :math:`\omega` are small near the zero of
    the derivative, :math:`x \approx -1.1924`, so little cancels), with
    :math:`x` clamped to [edge, -edge/4] inside it (the value is 1 above) and
    :math:`(1 + x) e^x` below the overflow edge. Within 0.3 of the zero it is
    evaluated from its Taylor series about it (degree 20, from mpmath).

    Examples
    --------
    >>> float(mish_prime(0.0)) == 0.6
    True
    """
    arr = as_real_array(x)
    return _finish(_blockwise(_mish_prime_kernel, _working(arr)), arr, x)


def selu(x: Any) -> Any:
    r"""Scaled ELU: :math:`\lambda x` for :math:`x > 0` and :math:`\lambda\alpha(e^x - 1)` otherwise.

    With :data:`SELU_LAMBDA` :math:`\lambda \approx 1.0507` and
    :data:`SELU_ALPHA` :math:`\alpha \approx 1.6733`, the constants of
    Klambauer et al. (2017) for which mean 0 and variance 1 of the inputs are
    a fixed point of a layer with LeCun-normal weights. Computed like
    :func:`elu`, with :func:`numpy.expm1` on :math:`\min(x, 0)`. Above
    ``max / λ`` the value exceeds the float range and is ``inf``, as
    :math:`\lambda x` rounds there (silently).

    Examples
    --------
    >>> float(selu(-1000.0)) == -SELU_LAMBDA * SELU_ALPHA
    True
    """
    arr = as_real_array(x)
    w = _working(arr)
    lam = w.dtype.type(SELU_LAMBDA)
    zero = w.dtype.type(0)
    out = np.minimum(w, zero, out=np.empty_like(w))
    with np.errstate(under="ignore", over="ignore"):
        np.expm1(out, out=out)
        out *= w.dtype.type(SELU_LAMBDA * SELU_ALPHA)   # 0 for x > 0
        pos = np.maximum(w, zero, out=np.empty_like(w))
        pos *= lam
        out += pos
    return _finish(out, arr, x)


def selu_prime(x: Any) -> Any:
    r"""Derivative of SELU: :math:`\lambda` for :math:`x > 0`, :math:`\lambda\alpha e^x` otherwise.

    At the kink :math:`x = 0` the left slope :math:`\lambda\alpha \approx
    1.7581` is returned (see the module docstring). NaN propagates.

    Examples
    --------
    >>> float(selu_prime(1.0)) == SELU_LAMBDA
    True
    """
    arr = as_real_array(x)
    w = _working(arr)
    a = w.dtype.type(SELU_ALPHA)
    out = np.minimum(w, w.dtype.type(0), out=np.empty_like(w))
    with np.errstate(under="ignore"):
        np.exp(out, out=out)
    out *= a                        # alpha e^x for x <= 0, alpha for x > 0 ...
    step = np.greater(w, 0, out=np.empty_like(w))
    step *= 1 - a                   # (1 - alpha is exact)
    out += step                     # ... plus (1 - alpha) = 1 for x > 0
    out *= w.dtype.type(SELU_LAMBDA)
    return _finish(out, arr, x)


def _shifted_logits(z: Any, axis: Any) -> tuple[np.ndarray, ...]:
    """Check ``z`` and ``axis``; return ``(w, hi, lo, first, axis, dtype)``: ``w`` the logits in
    the working dtype, ``z - max(z) = hi + lo`` exactly along ``axis``, ``first`` the index of
    the first maximum (keepdims), ``dtype`` that of the result."""
    arr = as_real_array(z, "z")
    if arr.ndim == 0:
        raise ValueError("z must have at least one dimension (the axis of the classes)")
    ax = check_axis(axis, arr.ndim)
    w = _working(arr)
    hi, lo = np.empty_like(w), np.empty_like(w)
    if w.shape[ax] == 0:
        return w, hi, lo, np.empty(0, dtype=np.intp), ax, arr.dtype
    first = np.argmax(w, axis=ax, keepdims=True)    # NaN: the first NaN, so m is NaN
    m = np.take_along_axis(w, first, axis=ax)
    low = np.min(w, axis=ax, keepdims=True)
    with np.errstate(over="ignore", invalid="ignore"):  # a row wider than the range: -inf
        np.subtract(w, m, out=hi)
        spread = low - m                                # = hi.min() along the axis
        if not np.isfinite(spread).all():               # -inf logits, overflow, NaN:
            _two_sum_err(w, -m, hi, lo, np.empty_like(w))
            lo[~np.isfinite(lo)] = 0                    # lo is 0 there
        elif (m >= 0).all() and (-low < np.ldexp(1.0, np.frexp(m)[1])).all():
            np.add(hi, m, out=lo)       # Fast2Sum (-m, z): every |z| is in the binade of m or below
            np.subtract(w, lo, out=lo)
        elif (m <= 0).all():
            np.subtract(hi, w, out=lo)  # Fast2Sum (z, -m): |z| >= |m| everywhere
            np.subtract(-m, lo, out=lo)
        else:
            _two_sum_err(w, -m, hi, lo, np.empty_like(w))
    return w, hi, lo, first, ax, arr.dtype


def softmax(z: Any, axis: int = -1) -> np.ndarray:
    r"""Softmax along ``axis``, :math:`\operatorname{softmax}(z)_i = e^{z_i} / \sum_j e^{z_j}`.

    Computed as :math:`e^{z_i - m} / \sum_j e^{z_j - m}` with :math:`m = \max_j
    z_j` (the same value; every exponent is :math:`\le 0`, so nothing
    overflows and the largest term is 1), and with the rounding error of
    :math:`z_i - m` put back (:math:`e^{h + l} = e^h(1 + l)`), so that every
    probability, however small, is within a few ulp. Any finite logits work,
    ``[1e308, -1e308]`` included (it gives ``[1, 0]``); ``-inf`` logits (a
    mask) give 0; a row with ``+inf``, only ``-inf`` or a NaN gives NaN.

    Parameters
    ----------
    z : array_like
        Logits, at least 1-D.
    axis : int, default -1
        The axis of the classes.

    Returns
    -------
    ndarray
        Probabilities in [0, 1] that sum to 1 along ``axis`` (within a few
        ulp), same shape and floating dtype as ``z``.

    Raises
    ------
    TypeError
        If ``z`` is not real numbers or ``axis`` is not an integer.
    ValueError
        If ``z`` is 0-d or ``axis`` is out of range.

    Examples
    --------
    >>> softmax([1e308, -1e308])
    array([1., 0.])
    """
    _, hi, lo, _, ax, dtype = _shifted_logits(z, axis)
    if not hi.size:
        return hi.astype(dtype, copy=False)
    with np.errstate(under="ignore", invalid="ignore"):
        e = np.exp(hi, out=hi)
        lo *= e
        e += lo                                  # e^{hi} (1 + lo)
        e /= e.sum(axis=ax, keepdims=True)
    return e.astype(dtype, copy=False)


def log_softmax(z: Any, axis: int = -1) -> np.ndarray:
    r"""Log of softmax along ``axis``, :math:`z_i - \log \sum_j e^{z_j}` (log-sum-exp).

    Computed as :math:`(z_i - m) - \log(1 + s)` with :math:`m = \max_j z_j`
    and :math:`s = \sum_{j \ne j^*} e^{z_j - m}` (:math:`j^*` the first
    maximum) through :func:`numpy.log1p`, so the largest entry keeps its
    relative accuracy even when :math:`s` is tiny (``log_softmax([0, -40])[0]``
    is :math:`-4.25 \cdot 10^{-18}`, not 0); the rounding error of each
    :math:`z_j - m` is put back into :math:`s` as in :func:`softmax`. Equal to
    ``log(softmax(z))`` where that is finite, and finite where it is not
    (down to :math:`-1.8 \cdot 10^{308}`; ``-inf`` for a logit of ``-inf``
    or more than the float range below the largest).

    Parameters
    ----------
    z : array_like
        Logits, at least 1-D.
    axis : int, default -1
        The axis of the classes.

    Returns
    -------
    ndarray
        Values :math:`\le 0`, same shape and floating dtype as ``z``.

    Examples
    --------
    >>> log_softmax([0.0, 0.0])
    array([-0.69314718, -0.69314718])
    """
    w, hi, lo, first, ax, dtype = _shifted_logits(z, axis)
    if not hi.size:
        return hi.astype(dtype, copy=False)
    with np.errstate(under="ignore", over="ignore", invalid="ignore"):
        e = np.exp(hi, out=hi)
        corr = np.einsum("...i,...i->...", np.moveaxis(e, ax, -1), np.moveaxis(lo, ax, -1))
        np.put_along_axis(e, first, 0, axis=ax)     # that term is exactly 1: log1p takes it
        s = e.sum(axis=ax, keepdims=True)
        s += np.expand_dims(corr, ax)               # sum of e^{hi} (1 + lo) but the first max
        lse = np.log1p(s, out=s)
        m = np.take_along_axis(w, first, axis=ax)
        out = np.subtract(w, m, out=lo)     # hi again: cheaper than keeping it in a buffer
        out -= lse                          # (hi's rounding is below an ulp of the result)
    return out.astype(dtype, copy=False)
