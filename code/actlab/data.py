"""Seeded classification data sets: small synthetic 2-D ones, and real digits.

The 2-D functions (:func:`two_moons`, :func:`spirals`, :func:`circles`) return
``(X, y)``: ``X`` is a float64 array of shape ``(n, 2)``, ``y`` an int64 array
of shape ``(n,)`` holding class labels ``0, 1, ...``. The points are drawn with
``numpy.random.default_rng(seed)``, so the same seed gives the same data on
every machine, and nothing is downloaded. Every data set is roughly centred on
the origin, with coordinates of order 1.

:func:`digits` returns scikit-learn's bundled 8 x 8 images of handwritten
digits (a real data set that ships inside the package: no download either),
split into a training and a held-out set.
"""

from __future__ import annotations

import numpy as np

from ._validation import check_int, check_real_scalar

__all__ = ["circles", "digits", "spirals", "two_moons"]


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


def digits(test_size: float = 0.25, seed: int = 0
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    r"""The 8 x 8 handwritten digits, split into training and held-out sets.

    The images are those of :func:`sklearn.datasets.load_digits` (1,797 images
    of the digits 0-9, each pixel an integer count from 0 to 16; a copy of the
    test set of the UCI "Optical Recognition of Handwritten Digits" data set),
    which ship inside scikit-learn, so nothing is downloaded.

    Pixels are scaled to :math:`[0, 1]` by dividing by 16. That keeps every
    input between 0 and 1, like the book's other inputs of order 1, and it is
    exact in floating point (a division by a power of two), so the data are
    bit for bit the same on every machine. Standardising each pixel instead
    would divide by zero for the pixels that are 0 in every image and make the
    data depend on the rounding of the means.

    The split is stratified: within each class :math:`c` of :math:`n_c`
    images, :math:`\lfloor t\, n_c + \tfrac12 \rfloor` (at least 1 and at
    most :math:`n_c - 1`) chosen at random with
    ``numpy.random.default_rng(seed)`` are held out, :math:`t` =
    ``test_size``; so every class has the same share in both sets. Both sets
    are returned in a random order (the same generator), so the first
    :math:`k` training rows are a random sample of the training set.

    Parameters
    ----------
    test_size : float, default 0.25
        Share of each class held out, strictly between 0 and 1.
    seed : int, default 0
        Seed of ``numpy.random.default_rng`` for the split and the order.

    Returns
    -------
    X_train : ndarray of float64, shape (m_train, 64)
    y_train : ndarray of int64, shape (m_train,)
    X_test : ndarray of float64, shape (m_test, 64)
    y_test : ndarray of int64, shape (m_test,)
        Rows are images (the 8 x 8 pixels row by row, in :math:`[0, 1]`),
        labels are the digits 0-9.

    Raises
    ------
    ImportError
        If scikit-learn is not installed (it is a dependency of actlab).

    Examples
    --------
    >>> X_train, y_train, X_test, y_test = digits(seed=0)
    >>> X_train.shape, X_test.shape
    ((1346, 64), (451, 64))
    >>> float(X_train.min()), float(X_train.max())
    (0.0, 1.0)
    """
    test_size = check_real_scalar(test_size, "test_size")
    if not 0 < test_size < 1:
        raise ValueError(f"test_size must lie strictly between 0 and 1, got {test_size}")
    rng = np.random.default_rng(check_int(seed, "seed", 0))
    from sklearn.datasets import load_digits  # imported here: only this function needs it

    bunch = load_digits()
    X = np.asarray(bunch.data, dtype=np.float64) / 16.0
    y = np.asarray(bunch.target, dtype=np.int64)
    test_rows = []
    for c in np.unique(y):
        rows = np.flatnonzero(y == c)
        k = min(max(int(np.floor(test_size * rows.size + 0.5)), 1), rows.size - 1)
        test_rows.append(rng.permutation(rows)[:k])
    test = np.zeros(y.size, dtype=bool)
    test[np.concatenate(test_rows)] = True
    train_rows = rng.permutation(np.flatnonzero(~test))
    held_out = rng.permutation(np.flatnonzero(test))
    return X[train_rows], y[train_rows], X[held_out], y[held_out]
