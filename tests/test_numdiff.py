"""Unit tests of actlab.central_difference."""

from __future__ import annotations

import numpy as np
import pytest

from actlab import central_difference

pytestmark = [pytest.mark.filterwarnings("error"),
              # a socket another test module leaked, collected during this one, is not this
              # module's warning (pytest reports it through an "unraisable" warning)
              pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")]


def test_exact_for_quadratics():
    x = np.linspace(-3, 3, 7)
    np.testing.assert_allclose(central_difference(lambda t: 3 * t**2 - t, x, h=0.5), 6 * x - 1)


def test_error_falls_like_h_squared():
    # Halving h should quarter the truncation error of d/dx sin at x = 1.
    errors = [abs(central_difference(np.sin, 1.0, h=h) - np.cos(1.0)) for h in (1e-1, 5e-2)]
    assert errors[0] / errors[1] == pytest.approx(4.0, rel=0.01)


def test_default_step_is_accurate_at_every_scale():
    x = np.array([0.3, 5.0, 1e4])
    np.testing.assert_allclose(central_difference(lambda t: t**3, x), 3 * x**2, rtol=1e-9)


def test_shape_and_scalar_kind():
    assert central_difference(np.exp, np.zeros((2, 3))).shape == (2, 3)
    assert np.isscalar(central_difference(np.exp, 0.0))


@pytest.mark.parametrize("h", [0, -1e-3, float("nan"), float("inf")])
def test_bad_step_is_a_value_error(h):
    with pytest.raises(ValueError, match="h"):
        central_difference(np.sin, 1.0, h=h)


def test_bad_arguments_are_type_errors():
    with pytest.raises(TypeError, match="h"):
        central_difference(np.sin, 1.0, h="0.1")
    with pytest.raises(TypeError, match="f"):
        central_difference("sin", 1.0)
    with pytest.raises(TypeError, match="x"):
        central_difference(np.sin, "1.0")
