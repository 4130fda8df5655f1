"""Numerical differentiation by central differences."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._validation import as_real_array, check_real_scalar, restore_kind

__all__ = ["central_difference"]


def central_difference(f: Callable[[Any], Any], x: Any, h: float | None = None) -> Any:
    r"""Approximate :math:`f'(x)` by the central difference.

    .. math:: f'(x) \approx \frac{f(x+h) - f(x-h)}{2h}

    The truncation error is :math:`f'''(\xi)\,h^2/6`; the round-off error is
    at most about :math:`\varepsilon\,|f(x)|/h` (each value of ``f`` carries a
    relative error of about :math:`\varepsilon`), and usually less. The sum of
    the two bounds is smallest at :math:`h^* = (3\varepsilon|f(x)|/|f'''(x)|)^{1/3}`
    (Nocedal and Wright, *Numerical Optimization*, 2nd ed., section 8.1).
    Without :math:`f'''`, :math:`\varepsilon^{1/3}\max(1, |x|)` is the usual
    rule of thumb, and the default here. Note the parentheses around
    ``2 * h``: ``(f(x+h) - f(x-h)) / 2 * h`` divides by 2 and then
    *multiplies* by ``h``.

    Parameters
    ----------
    f : callable
        A vectorised function of one real array argument.
    x : array_like
        Points at which to differentiate.
    h : float, optional
        Step. Default: :math:`\varepsilon^{1/3}\max(1, |x|)` elementwise,
        with :math:`\varepsilon` the machine epsilon of ``x``'s dtype.

    Returns
    -------
    ndarray or scalar
        The estimates, with the shape of ``x``.

    Examples
    --------
    >>> round(float(central_difference(np.sin, 0.0)), 8)
    1.0
    """
    if not callable(f):
        raise TypeError(f"f must be callable, not {type(f).__name__}")
    arr = as_real_array(x)
    if h is None:
        step = np.cbrt(np.finfo(arr.dtype).eps) * np.maximum(1, np.abs(arr))
    else:
        step = check_real_scalar(h, "h")
        if step <= 0:
            raise ValueError(f"h must be positive, got {h}")
        step = arr.dtype.type(step)
    out = (np.asarray(f(arr + step)) - np.asarray(f(arr - step))) / (2 * step)
    return restore_kind(out, x)
