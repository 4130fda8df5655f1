"""Unit tests of actlab.digits: scikit-learn's bundled 8x8 digits, split and scaled."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_digits

from actlab import digits

pytestmark = [pytest.mark.filterwarnings("error"),  # any warning fails a test
              # a socket another test module leaked, collected during this one, is not this
              # module's warning (pytest reports it through an "unraisable" warning)
              pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")]


@pytest.fixture(scope="module")
def original():
    bunch = load_digits()
    return bunch.data, bunch.target


def test_shapes_dtypes_and_sizes():
    X_train, y_train, X_test, y_test = digits()
    assert X_train.dtype == X_test.dtype == np.float64
    assert y_train.dtype == y_test.dtype == np.int64
    assert X_train.shape == (1346, 64) and y_train.shape == (1346,)
    assert X_test.shape == (451, 64) and y_test.shape == (451,)
    assert set(np.unique(y_train)) == set(range(10)) == set(np.unique(y_test))


def test_pixels_are_the_originals_divided_by_16_exactly():
    X_train, _, X_test, _ = digits()
    X = np.vstack([X_train, X_test])
    assert X.min() == 0.0 and X.max() == 1.0
    counts = X * 16
    assert np.array_equal(counts, np.round(counts))  # multiples of 1/16, no rounding error


def test_the_two_sets_partition_the_data_and_keep_each_label(original):
    data, target = original
    X_train, y_train, X_test, y_test = digits(seed=3)
    # The same images (as a multiset of rows with their labels), none lost or repeated.
    got = np.column_stack([np.vstack([X_train, X_test]) * 16, np.concatenate([y_train, y_test])])
    want = np.column_stack([data, target])
    order_got = np.lexsort(got.T[::-1])
    order_want = np.lexsort(want.T[::-1])
    assert np.array_equal(got[order_got], want[order_want])


@pytest.mark.parametrize("test_size", [0.25, 0.1, 0.5, 0.001])
def test_the_split_is_stratified(original, test_size):
    _, target = original
    _, y_train, _, y_test = digits(test_size=test_size, seed=2)
    sizes = np.bincount(target)
    expected = np.clip(np.floor(test_size * sizes + 0.5), 1, sizes - 1).astype(int)
    assert np.array_equal(np.bincount(y_test, minlength=10), expected)
    assert np.array_equal(np.bincount(y_train, minlength=10), sizes - expected)


def test_the_same_seed_gives_the_same_split_and_another_seed_another():
    first, second, other = digits(seed=5), digits(seed=5), digits(seed=6)
    for a, b in zip(first, second, strict=True):
        assert np.array_equal(a, b)
    assert not np.array_equal(first[3], other[3])


def test_the_rows_come_in_random_order():
    _, y_train, _, _ = digits(seed=0)
    # A prefix of the training set is a sample of all classes, not of the first classes only.
    assert len(np.unique(y_train[:60])) == 10
    assert not np.all(np.diff(y_train) >= 0)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"test_size": 0}, ValueError, "test_size"),
    ({"test_size": 1.0}, ValueError, "test_size"),
    ({"test_size": -0.2}, ValueError, "test_size"),
    ({"test_size": float("nan")}, ValueError, "test_size"),
    ({"test_size": "0.25"}, TypeError, "test_size"),
    ({"seed": -1}, ValueError, "seed"),
    ({"seed": 1.5}, TypeError, "seed"),
])
def test_bad_arguments_are_named(kwargs, error, match):
    with pytest.raises(error, match=match):
        digits(**kwargs)
