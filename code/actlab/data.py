"""Small synthetic 2-D classification data sets, generated on the spot.

Each function returns ``(X, y)``: ``X`` is a float64 array of shape ``(n, 2)``,
``y`` an int64 array of shape ``(n,)`` holding class labels ``0, 1, ...``. The
points are drawn with ``numpy.random.default_rng(seed)``, so the same seed gives
the same data on every machine, and nothing is downloaded. Every data set is
roughly centred on the origin, with coordinates of order 1.
"""

from __future__ import annotations

import numpy as np

from ._validation import check_int, check_real_scalar

__all__ = ["circles", "spirals", "two_moons"]


def _check_noise(noise: object) -> float:
    noise = check_real_scalar(noise, "noise")
    if noise < 0:
        raise ValueError(f"noise must be non-negative, got {noise}")
    return noise


def _split(n: int, k: int) -> list[int]:
    """Class sizes for ``n`` points in ``k`` classes, as equal as possible."""
    return [n // k + (1 if c < n % k else 0) for c in range(k)]


def two_moons(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    r"""Two interleaving half circles.

    Class 0 lies on :math:`(\cos t, \sin t)` and class 1 on
    :math:`(1 - \cos t, \tfrac12 - \sin t)` for :math:`t \in [0, \pi]`, both
    shifted by :math:`(-\tfrac12, -\tfrac14)` so that the data are centred on the
    origin, plus Gaussian noise of standard deviation ``noise``.

    Parameters
    ----------
    n : int, default 200
        Number of points (at least 2); the classes differ in size by at most one.
    noise : float, default 0.1
        Standard deviation of the noise added to each coordinate.
    seed : int, default 0
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    X : ndarray, shape (n, 2)
    y : ndarray of int, shape (n,)

    Examples
    --------
    >>> X, y = two_moons(10, seed=1)
    >>> X.shape, int(y.sum())
    ((10, 2), 5)
    """
    n = check_int(n, "n", 2)
    noise = _check_noise(noise)
    rng = np.random.default_rng(check_int(seed, "seed", 0))
    n0, n1 = _split(n, 2)
    t0, t1 = rng.uniform(0, np.pi, n0), rng.uniform(0, np.pi, n1)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])
    X = np.vstack([upper, lower]) - np.array([0.5, 0.25]) + noise * rng.normal(size=(n, 2))
    y = np.repeat([0, 1], [n0, n1])
    return X, y


def spirals(n: int = 200, n_classes: int = 2, noise: float = 0.2,
            seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    r"""Interleaved spiral arms, one per class.

    Point :math:`i` of class :math:`k` sits at radius :math:`r_i` (evenly spaced
    in :math:`[0.05, 1]`) and angle :math:`\theta_i = 4 r_i + 2\pi k / K`, with
    Gaussian noise of standard deviation ``noise`` added to the angle:
    :math:`x = r(\sin\theta, \cos\theta)`.

    Parameters
    ----------
    n : int, default 200
        Number of points, at least ``n_classes``.
    n_classes : int, default 2
        Number of arms (classes), at least 2.
    noise : float, default 0.2
        Standard deviation of the angular noise, in radians.
    seed : int, default 0
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    X : ndarray, shape (n, 2)
    y : ndarray of int, shape (n,)
    """
    n_classes = check_int(n_classes, "n_classes", 2)
    n = check_int(n, "n", n_classes)
    noise = _check_noise(noise)
    rng = np.random.default_rng(check_int(seed, "seed", 0))
    sizes = _split(n, n_classes)
    r = np.concatenate([np.linspace(0.05, 1, m) for m in sizes])
    y = np.repeat(np.arange(n_classes), sizes)
    theta = 4 * r + 2 * np.pi * y / n_classes + noise * rng.normal(size=n)
    X = np.column_stack([r * np.sin(theta), r * np.cos(theta)])
    return X, y


def circles(n: int = 200, factor: float = 0.5, noise: float = 0.05,
            seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    r"""Two concentric circles: class 0 of radius 1, class 1 of radius ``factor``.

    Angles are uniform on :math:`[0, 2\pi)`; Gaussian noise of standard
    deviation ``noise`` is added to each coordinate.

    Parameters
    ----------
    n : int, default 200
        Number of points (at least 2).
    factor : float, default 0.5
        Radius of the inner circle, strictly between 0 and 1.
    noise : float, default 0.05
        Standard deviation of the noise.
    seed : int, default 0
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    X : ndarray, shape (n, 2)
    y : ndarray of int, shape (n,)
    """
    n = check_int(n, "n", 2)
    factor = check_real_scalar(factor, "factor")
    if not 0 < factor < 1:
        raise ValueError(f"factor must lie strictly between 0 and 1, got {factor}")
    noise = _check_noise(noise)
    rng = np.random.default_rng(check_int(seed, "seed", 0))
    n0, n1 = _split(n, 2)
    radius = np.repeat([1.0, factor], [n0, n1])
    angle = rng.uniform(0, 2 * np.pi, n)
    X = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    X += noise * rng.normal(size=(n, 2))
    y = np.repeat([0, 1], [n0, n1])
    return X, y
