"""Input checks shared by every numerical function in :mod:`actlab`.

Every public function turns its input into a floating-point NumPy array with
:func:`as_real_array` and hands its result back through :func:`restore_kind`,
so that the same rules hold everywhere:

* Python and NumPy scalars in -> NumPy scalar out; arrays in -> arrays out of
  the same shape.
* float16/float32/float64 input keeps its dtype; integer input becomes float64.
* Anything that is not real numbers (strings, objects, complex, booleans,
  ``None``) raises ``TypeError`` naming the argument.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

__all__ = ["as_real_array", "check_axis", "check_int", "check_real_scalar", "restore_kind"]


def as_real_array(x: Any, name: str = "x") -> np.ndarray:
    """Return ``x`` as a floating-point array, or raise a clear error.

    Parameters
    ----------
    x : array_like
        Real numbers: a Python or NumPy scalar, a sequence or an ndarray.
    name : str
        The argument's name, used in error messages.

    Returns
    -------
    numpy.ndarray
        ``x`` itself when it is already a floating-point array, otherwise a
        float64 copy (integer input).

    Raises
    ------
    TypeError
        If ``x`` holds anything but real numbers.
    ValueError
        If ``x`` is a ragged sequence that is not an array.
    """
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{name} must be a real number or an array of real numbers, "
                        f"not {type(x).__name__}")
    try:
        arr = np.asarray(x)
    except ValueError as err:  # ragged nested sequences
        raise ValueError(f"{name} must be a rectangular array of real numbers: {err}") from None
    kind = arr.dtype.kind
    if kind == "f":
        return arr
    if kind in "iu":
        return arr.astype(np.float64)
    raise TypeError(f"{name} must be a real number or an array of real numbers, "
                    f"not {type(x).__name__} with dtype {arr.dtype}")


def restore_kind(result: np.ndarray, original: Any) -> Any:
    """Return ``result`` as a scalar when ``original`` was a scalar.

    A 0-d ndarray stays a 0-d ndarray; a Python or NumPy scalar gives a NumPy
    scalar (``numpy.float64`` is a subclass of Python's ``float``).
    """
    if isinstance(original, np.ndarray):
        return np.asarray(result)  # ufuncs turn 0-d arrays into scalars; undo that
    if np.ndim(result) == 0:
        return result[()]
    return result


def check_real_scalar(value: Any, name: str) -> float:
    """Return ``value`` as a Python float if it is a finite real scalar.

    Raises
    ------
    TypeError
        If ``value`` is not a real number (a string, a boolean, an array...).
    ValueError
        If ``value`` is NaN or infinite.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, not {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def check_int(value: Any, name: str, minimum: int) -> int:
    """Return ``value`` as a Python int if it is an integer of at least ``minimum``.

    Raises
    ------
    TypeError
        If ``value`` is not an integer (a float, a string, a boolean...).
    ValueError
        If ``value`` is smaller than ``minimum``.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, not {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def check_axis(axis: Any, ndim: int, name: str = "axis") -> int:
    """Return ``axis`` as a non-negative axis of an array with ``ndim`` dimensions.

    Negative values count from the end, as in NumPy.

    Raises
    ------
    TypeError
        If ``axis`` is not an integer (a float, a string, a boolean, None...).
    ValueError
        If ``axis`` is not in ``-ndim .. ndim - 1``.
    """
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"{name} must be an integer, not {type(axis).__name__}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name} {axis} is out of range for an array with {ndim} dimension(s)")
    return int(axis) % ndim
