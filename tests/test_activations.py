"""Unit tests of actlab.activations: values, derivatives, stability, input rules."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import actlab
from actlab import (
    central_difference,
    elu,
    elu_expr,
    elu_prime,
    leaky_relu,
    leaky_relu_alpha_grad,
    leaky_relu_expr,
    leaky_relu_prime,
    relu,
    relu_expr,
    relu_prime,
    sigmoid,
    sigmoid_expr,
    sigmoid_prime,
    tanh,
    tanh_expr,
    tanh_prime,
)

pytestmark = pytest.mark.filterwarnings("error")  # any NumPy warning fails a test

mpmath.mp.dps = 50

# (numeric function, mpmath reference, keyword arguments)
ALPHA = 0.3
REFERENCES = {
    "sigmoid": (sigmoid, lambda x: 1 / (1 + mpmath.exp(-x)), {}),
    "sigmoid_prime": (sigmoid_prime, lambda x: mpmath.exp(-x) / (1 + mpmath.exp(-x)) ** 2, {}),
    "tanh": (tanh, mpmath.tanh, {}),
    "tanh_prime": (tanh_prime, lambda x: 1 / mpmath.cosh(x) ** 2, {}),
    "relu": (relu, lambda x: max(x, 0), {}),
    "relu_prime": (relu_prime, lambda x: 1 if x > 0 else 0, {}),
    "leaky_relu": (leaky_relu, lambda x: x if x > 0 else ALPHA * x, {"alpha": ALPHA}),
    "leaky_relu_prime": (leaky_relu_prime, lambda x: 1 if x > 0 else ALPHA, {"alpha": ALPHA}),
    "leaky_relu_alpha_grad": (leaky_relu_alpha_grad, lambda x: 0 if x > 0 else x, {}),
    "elu": (elu, lambda x: x if x > 0 else ALPHA * mpmath.expm1(x), {"alpha": ALPHA}),
    "elu_prime": (elu_prime, lambda x: 1 if x > 0 else ALPHA * mpmath.exp(x), {"alpha": ALPHA}),
}

# Derivative pairs: f, f', keyword arguments.
DERIVATIVES = {
    "sigmoid": (sigmoid, sigmoid_prime, {}),
    "tanh": (tanh, tanh_prime, {}),
    "relu": (relu, relu_prime, {}),
    "leaky_relu": (leaky_relu, leaky_relu_prime, {"alpha": ALPHA}),
    "elu": (elu, elu_prime, {"alpha": ALPHA}),
}

ALL = {name: (f, kw) for name, (f, _, kw) in REFERENCES.items()}


def grid(dtype) -> np.ndarray:
    """Points from the largest negative to the largest positive finite value."""
    info = np.finfo(dtype)
    core = np.linspace(-30, 30, 241)
    tails = np.array([1e-30, 1e-8, 0.5, 40, 88, 89, 700, 709, 710, 745, 800, 1e4, 1e30, 1e300])
    pts = np.concatenate([core, tails, -tails, [0.0, float(info.max), -float(info.max)]])
    with np.errstate(over="ignore"):
        pts = pts.astype(dtype)
    return np.unique(pts[np.isfinite(pts)])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_values_match_high_precision_reference(name, dtype):
    f, ref, kw = REFERENCES[name]
    x = grid(dtype)
    got = f(x, **kw)
    assert got.dtype == dtype
    want = np.array([float(ref(mpmath.mpf(float(v)))) for v in x])
    info = np.finfo(dtype)
    # Relative accuracy of a few ulps wherever the true value is a normal number.
    np.testing.assert_allclose(got.astype(np.float64), want, rtol=8 * info.eps,
                               atol=float(info.tiny), err_msg=name)


def test_exact_limits_from_the_issue():
    assert sigmoid(-1000.0) == 0.0
    assert sigmoid(1000.0) == 1.0
    assert tanh(1e300) == 1.0
    assert tanh(-1e300) == -1.0
    assert elu(-1e300) == -1.0
    assert sigmoid_prime(0.0) == 0.25
    assert tanh_prime(0.0) == 1.0


@pytest.mark.parametrize("name", sorted(DERIVATIVES))
def test_derivative_matches_central_difference(name):
    f, fprime, kw = DERIVATIVES[name]
    # Avoid the kink at 0 (checked separately): points at least 0.01 away.
    x = np.concatenate([np.linspace(-6, -0.01, 60), np.linspace(0.01, 6, 60)])
    num = central_difference(lambda t: f(t, **kw), x, h=1e-6)
    np.testing.assert_allclose(fprime(x, **kw), num, rtol=1e-7, atol=1e-9)


SYMBOLIC = {
    "sigmoid": (sigmoid_prime, sigmoid_expr, {}),
    "tanh": (tanh_prime, tanh_expr, {}),
    "relu": (relu_prime, relu_expr, {}),
    "leaky_relu": (leaky_relu_prime, lambda s: leaky_relu_expr(s, sp.Rational(3, 10)), {"alpha": ALPHA}),
    "elu": (elu_prime, lambda s: elu_expr(s, sp.Rational(3, 10)), {"alpha": ALPHA}),
}


@pytest.mark.parametrize("name", sorted(SYMBOLIC))
def test_derivative_matches_sympy(name):
    fprime, expr, kw = SYMBOLIC[name]
    s = sp.Symbol("x", real=True)
    d = sp.diff(expr(s), s)
    for v in [-7.5, -2.0, -0.3, 0.25, 1.0, 4.0, 9.0]:
        want = float(d.subs(s, sp.Rational(str(v))).evalf(30))
        assert fprime(v, **kw) == pytest.approx(want, rel=1e-14, abs=1e-300), (name, v)


def test_sympy_sigmoid_derivative_identity():
    s = sp.Symbol("x", real=True)
    sig = sigmoid_expr(s)
    assert sp.simplify(sp.diff(sig, s) - sig * (1 - sig)) == 0


def test_prelu_alpha_gradient_matches_central_difference_and_sympy():
    x = np.array([-3.0, -0.5, 0.7, 2.0])
    num = central_difference(lambda a: leaky_relu(x, alpha=float(a)), 0.2, h=1e-6)
    np.testing.assert_allclose(leaky_relu_alpha_grad(x), num, atol=1e-9)
    s, a = sp.symbols("x alpha", real=True)
    d = sp.diff(leaky_relu_expr(s, a), a)
    sym = [float(d.subs({s: sp.Float(v), a: sp.Rational(1, 5)})) for v in x]
    np.testing.assert_allclose(leaky_relu_alpha_grad(x), sym)


def test_kink_convention_is_the_left_slope():
    assert relu_prime(0.0) == 0.0
    assert leaky_relu_prime(0.0, alpha=0.2) == pytest.approx(0.2)
    assert elu_prime(0.0, alpha=0.5) == pytest.approx(0.5)
    assert leaky_relu_alpha_grad(0.0) == 0.0


@pytest.mark.parametrize("name", sorted(ALL))
def test_nan_in_nan_out(name):
    f, kw = ALL[name]
    out = f(np.array([np.nan, 1.0, -1.0]), **kw)
    assert np.isnan(out[0]) and not np.isnan(out[1:]).any()
    assert np.isnan(f(float("nan"), **kw))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(ALL))
def test_dtype_and_shape_are_preserved(name, dtype):
    f, kw = ALL[name]
    x = np.linspace(-3, 3, 12, dtype=dtype).reshape(3, 4)
    out = f(x, **kw)
    assert isinstance(out, np.ndarray) and out.dtype == dtype and out.shape == (3, 4)
    zero_d = f(np.array(1.5, dtype=dtype), **kw)
    assert isinstance(zero_d, np.ndarray) and zero_d.shape == () and zero_d.dtype == dtype


@pytest.mark.parametrize("name", sorted(ALL))
def test_scalars_in_scalars_out_and_integers_become_float64(name):
    f, kw = ALL[name]
    for v in (2, -2.5, np.float32(0.75)):
        out = f(v, **kw)
        assert np.isscalar(out) and isinstance(out, np.floating)
    assert f(np.float32(0.75), **kw).dtype == np.float32
    assert f(np.array([1, -2]), **kw).dtype == np.float64
    assert f([1.0, -2.0], **kw).shape == (2,)


@pytest.mark.parametrize("bad", ["1.0", None, object(), 1 + 2j, True, ["a", "b"], np.array([True])])
@pytest.mark.parametrize("name", sorted(ALL))
def test_non_numeric_input_is_a_type_error_naming_x(name, bad):
    f, kw = ALL[name]
    with pytest.raises(TypeError, match=r"\bx\b"):
        f(bad, **kw)


def test_ragged_input_is_a_value_error_naming_x():
    with pytest.raises(ValueError, match=r"\bx\b"):
        sigmoid([[1.0, 2.0], [3.0]])


@pytest.mark.parametrize("f", [leaky_relu, leaky_relu_prime, elu, elu_prime])
def test_bad_alpha(f):
    for bad in ("0.1", None, [0.1], True, 1j):
        with pytest.raises(TypeError, match="alpha"):
            f(1.0, alpha=bad)
    for bad in (float("nan"), float("inf"), -float("inf")):
        with pytest.raises(ValueError, match="alpha"):
            f(1.0, alpha=bad)


def test_float64_alpha_does_not_upcast_float32():
    x = np.ones(3, dtype=np.float32)
    assert leaky_relu(-x, alpha=np.float64(0.1)).dtype == np.float32
    assert elu(-x, alpha=np.float64(0.1)).dtype == np.float32


finite64 = st.floats(allow_nan=False, allow_infinity=False)
finite32 = st.floats(allow_nan=False, allow_infinity=False, width=32)


@settings(max_examples=300, deadline=None)
@given(st.one_of(finite64, finite32.map(np.float32)))
def test_every_finite_input_is_silent_and_in_range(x):
    # filterwarnings("error") turns any overflow/invalid warning into a failure.
    s, t = sigmoid(x), tanh(x)
    assert 0.0 <= s <= 1.0 and -1.0 <= t <= 1.0
    assert 0.0 <= sigmoid_prime(x) <= 0.25 and 0.0 <= tanh_prime(x) <= 1.0
    assert -1.0 <= elu(x) and 0.0 <= elu_prime(x) <= 1.0
    for f in (relu, relu_prime, leaky_relu, leaky_relu_prime, leaky_relu_alpha_grad):
        assert not np.isnan(f(x))


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-700, max_value=700))
def test_sigmoid_symmetry_and_tanh_identity(x):
    assert sigmoid(x) + sigmoid(-x) == pytest.approx(1.0, abs=1e-15)
    assert tanh(x) == pytest.approx(2 * sigmoid(2 * x) - 1, abs=4e-16)


def test_package_exports_everything_it_documents():
    for name in actlab.__all__:
        assert hasattr(actlab, name), name


@pytest.mark.parametrize("name", sorted(ALL))
def test_the_input_array_is_never_modified(name):
    # The functions work in place in new arrays for speed; never in x itself.
    f, kw = ALL[name]
    for dtype in (np.float16, np.float32, np.float64):
        x = np.array([-800.0, -3.0, -0.0, 0.0, 2.5, 700.0, np.nan], dtype=dtype)
        before = x.copy()
        f(x, **kw)
        np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize("alpha", [-0.5, 0.0, 1.0, 2.0])
def test_leaky_relu_for_any_alpha_matches_its_definition(alpha):
    # 0 <= alpha <= 1 takes a max(x, alpha x) fast path; other slopes do not.
    x = np.array([-1e300, -2.0, -0.0, 0.0, 3.0, 1e300, np.nan])
    with np.errstate(over="ignore"):
        want = np.where(x > 0, x, alpha * x)
        want_prime = np.where(x > 0, 1.0, alpha)
    want_prime[np.isnan(x)] = np.nan
    np.testing.assert_array_equal(leaky_relu(x, alpha=alpha), want)
    np.testing.assert_array_equal(leaky_relu_prime(x, alpha=alpha), want_prime)


def test_sigmoid_is_continuous_across_the_overflow_edge():
    # Below about -638.8 (float64) sigmoid switches to e^x; both agree there.
    for dtype in (np.float64, np.float32):
        edge = -0.9 * np.log(np.finfo(dtype).max)
        x = np.array([edge * 0.999, edge, edge * 1.001], dtype=dtype)
        want = np.array([float(1 / (1 + mpmath.exp(-mpmath.mpf(float(v))))) for v in x])
        np.testing.assert_allclose(sigmoid(x).astype(np.float64), want, rtol=4 * np.finfo(dtype).eps)
