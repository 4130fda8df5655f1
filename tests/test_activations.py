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
    ACTIVATIONS,
    MLP,
    SELU_ALPHA,
    SELU_LAMBDA,
    central_difference,
    elu,
    elu_expr,
    elu_prime,
    gelu,
    gelu_expr,
    gelu_prime,
    gelu_tanh_expr,
    leaky_relu,
    leaky_relu_alpha_grad,
    leaky_relu_expr,
    leaky_relu_prime,
    log_softmax,
    mish,
    mish_expr,
    mish_prime,
    relu,
    relu_expr,
    relu_prime,
    selu,
    selu_expr,
    selu_prime,
    sigmoid,
    sigmoid_expr,
    sigmoid_prime,
    silu,
    silu_expr,
    silu_prime,
    softmax,
    softplus,
    softplus_expr,
    softplus_prime,
    swish,
    swish_expr,
    swish_prime,
    tanh,
    tanh_expr,
    tanh_prime,
    two_moons,
)

pytestmark = [pytest.mark.filterwarnings("error"),  # any NumPy warning fails a test
              # a socket another test module leaked, collected during this one, is not this
              # module's warning (pytest reports it through an "unraisable" warning)
              pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")]

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

# The activations of current networks. References straight from the definitions, in
# mpmath; the only rewrite is GELU's tanh form, 1/2 (1 + tanh(u)) = sigma(2u), since
# 1 + tanh(u) loses all 50 digits to cancellation for u < -60.
BETA = 1.702                       # Swish: not a power of two, so beta * x is not exact
_BETA = mpmath.mpf(BETA)
_C1 = mpmath.sqrt(8 / mpmath.pi)   # 2u = C1 x + C3 x^3
_C3 = _C1 * mpmath.mpf("0.044715")
# SELU's constants from their closed forms (Klambauer et al., 2017, eq. 14).
_E, _ERFC = mpmath.e, mpmath.erfc(1 / mpmath.sqrt(2))
_SELU_ALPHA = -mpmath.sqrt(2 / mpmath.pi) / (_ERFC * mpmath.sqrt(_E) - 1)
_SELU_LAMBDA = ((1 - _ERFC * mpmath.sqrt(_E)) * mpmath.sqrt(2 * mpmath.pi)
                / mpmath.sqrt(2 * mpmath.erfc(mpmath.sqrt(2)) * _E**2 + mpmath.pi * _ERFC**2 * _E
                              - 2 * (2 + mpmath.pi) * _ERFC * mpmath.sqrt(_E) + mpmath.pi + 2))


def _sig(t):
    return 1 / (1 + mpmath.exp(-t))


def _ncdf(t):  # mpmath.ncdf overflows an internal float for |t| > 1e150 or so
    return mpmath.mpf(t > 0) if abs(t) > 1e6 else mpmath.ncdf(t)


def _npdf(t):
    return mpmath.mpf(0) if abs(t) > 1e6 else mpmath.npdf(t)


def _tanh_softplus(t):
    return mpmath.tanh(mpmath.log1p(mpmath.exp(t)))


def _silu_prime_ref(t):
    return _sig(t) * (1 + t * (1 - _sig(t)))


def _gelu_tanh_prime_ref(t):
    y = _C1 * t + _C3 * t**3
    return _sig(y) * (1 + _sig(-y) * t * (_C1 + 3 * _C3 * t**2))


def _mish_prime_ref(t):
    th = _tanh_softplus(t)
    return th + t * (1 - th**2) * _sig(t)


TANH = {"approximate": "tanh"}
REFERENCES.update({
    "softplus": (softplus, lambda x: mpmath.log1p(mpmath.exp(x)), {}),
    "softplus_prime": (softplus_prime, _sig, {}),
    "silu": (silu, lambda x: x * _sig(x), {}),
    "silu_prime": (silu_prime, _silu_prime_ref, {}),
    "swish": (swish, lambda x: x * _sig(_BETA * x), {"beta": BETA}),
    "swish_prime": (swish_prime, lambda x: _silu_prime_ref(_BETA * x), {"beta": BETA}),
    "gelu": (gelu, lambda x: x * _ncdf(x), {}),
    "gelu_prime": (gelu_prime, lambda x: _ncdf(x) + x * _npdf(x), {}),
    "gelu_tanh": (gelu, lambda x: x * _sig(_C1 * x + _C3 * x**3), TANH),
    "gelu_tanh_prime": (gelu_prime, _gelu_tanh_prime_ref, TANH),
    "mish": (mish, lambda x: x * _tanh_softplus(x), {}),
    "mish_prime": (mish_prime, _mish_prime_ref, {}),
    "selu": (selu, lambda x: _SELU_LAMBDA * (x if x > 0 else _SELU_ALPHA * mpmath.expm1(x)), {}),
    "selu_prime": (selu_prime,
                   lambda x: _SELU_LAMBDA * (1 if x > 0 else _SELU_ALPHA * mpmath.exp(x)), {}),
})

# Derivative pairs: f, f', keyword arguments.
DERIVATIVES = {
    "sigmoid": (sigmoid, sigmoid_prime, {}),
    "tanh": (tanh, tanh_prime, {}),
    "relu": (relu, relu_prime, {}),
    "leaky_relu": (leaky_relu, leaky_relu_prime, {"alpha": ALPHA}),
    "elu": (elu, elu_prime, {"alpha": ALPHA}),
    "softplus": (softplus, softplus_prime, {}),
    "silu": (silu, silu_prime, {}),
    "swish": (swish, swish_prime, {"beta": BETA}),
    "gelu": (gelu, gelu_prime, {}),
    "gelu_tanh": (gelu, gelu_prime, TANH),
    "mish": (mish, mish_prime, {}),
    "selu": (selu, selu_prime, {}),
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
    with np.errstate(over="ignore"):  # rounded to the dtype: beyond its range (SELU's lambda x) inf
        want = want.astype(dtype).astype(np.float64)
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
    "softplus": (softplus_prime, softplus_expr, {}),
    "silu": (silu_prime, silu_expr, {}),
    "swish": (swish_prime, lambda s: swish_expr(s, sp.Rational(BETA)), {"beta": BETA}),
    "gelu": (gelu_prime, gelu_expr, {}),
    "gelu_tanh": (gelu_prime, gelu_tanh_expr, TANH),
    "mish": (mish_prime, mish_expr, {}),
    "selu": (selu_prime, selu_expr, {}),
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


# --------------------------------------------------------------------------- the newer activations


def _rel_ulps(got, want, dtype):
    """Largest relative error in ulps where the reference is a normal number of ``dtype``."""
    info = np.finfo(dtype)
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    normal = np.abs(want) >= float(info.tiny)
    if not normal.any():
        return 0.0
    return float((np.abs(got - want)[normal] / np.abs(want[normal])).max() / float(info.eps))


# Derivatives with a zero, and a guess of it: there their two terms cancel.
ZEROS = {"silu_prime": -1.28, "swish_prime": -1.28 / BETA, "gelu_prime": -0.75,
         "gelu_tanh_prime": -0.75, "mish_prime": -1.19}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", sorted(ZEROS))
def test_derivatives_keep_relative_accuracy_at_their_zero(name, dtype):
    # The 64 floats on each side of the zero, and a sweep across it (the windows where a
    # cancellation-free form takes over end within it): within a few ulp, as everywhere.
    f, ref, kw = REFERENCES[name]
    r = float(mpmath.findroot(ref, ZEROS[name]))
    near = [dtype(r)]
    for direction in (-np.inf, np.inf):
        v = dtype(r)
        for _ in range(64):
            v = np.nextafter(v, dtype(direction))
            near.append(v)
    x = np.concatenate([np.array(near, dtype=dtype), np.linspace(r - 0.9, r + 0.9, 301).astype(dtype)])
    want = np.array([float(ref(mpmath.mpf(float(v)))) for v in x])
    assert _rel_ulps(f(x, **kw), want, dtype) < 8, name
    got = f(np.array(near, dtype=dtype), **kw)   # and the sign changes where it should
    assert np.array_equal(np.sign(got), np.sign(want[:len(near)]))


def test_softplus_prime_is_the_sigmoid_and_the_limits_are_exact():
    x = grid(np.float64)
    np.testing.assert_array_equal(softplus_prime(x), sigmoid(x))
    assert softplus(1000.0) == 1000.0 and softplus(-800.0) == 0.0
    assert softplus(0.0) == np.log(2.0) and softplus(1e300) == 1e300
    assert softplus(-40.0) == pytest.approx(float(mpmath.exp(-40)), rel=1e-15)  # np.log(1 + e^x) is 0


def test_silu_minimum_from_mpmath():
    # The minimum is where SiLU' = sigma(x)(1 + x(1 - sigma(x))) vanishes, r = -1 - W(1/e);
    # there 1 - sigma(r) = -1/r, so SiLU(r) = r sigma(r) = r + 1.
    r = mpmath.findroot(_silu_prime_ref, -1.3)
    value = r * _sig(r)
    assert abs(r - (-1 - mpmath.lambertw(1 / mpmath.e).real)) < mpmath.mpf(10) ** -45
    assert abs(value - (r + 1)) < mpmath.mpf(10) ** -45
    assert float(r) == pytest.approx(-1.27846, abs=1e-5)
    assert float(value) == pytest.approx(-0.27846, abs=1e-5)
    eps = np.finfo(np.float64).eps
    xr = float(r)
    assert silu(xr) == pytest.approx(float(value), rel=2 * eps)
    assert silu_prime(np.nextafter(xr, -np.inf)) < 0 < silu_prime(np.nextafter(xr, np.inf))
    x = np.linspace(-4, 0, 40001)
    assert silu(x).min() >= float(value) * (1 + 2 * eps)
    assert abs(x[np.argmin(silu(x))] - xr) <= 1e-4


def test_gelu_exact_vs_tanh_largest_gap_matches_mpmath():
    x = np.linspace(-10, 10, 200001)
    gap = gelu(x) - gelu(x, approximate="tanh")
    i = np.argmax(np.abs(gap))

    def diff(t):
        return t * mpmath.ncdf(t) - t * _sig(_C1 * t + _C3 * t**3)

    r = mpmath.findroot(lambda t: mpmath.diff(diff, t), float(x[i]))
    assert x[i] == pytest.approx(float(r), abs=2e-4)
    assert np.abs(gap).max() == pytest.approx(abs(float(diff(r))), rel=1e-7)
    np.testing.assert_allclose(gap, gap[::-1], atol=2e-14)   # even (both are x + f(-x)), to ulp(x)
    assert 4e-4 < np.abs(gap).max() < 5e-4


def test_gelu_left_tail_keeps_the_accuracy_that_erfc_loses():
    from scipy import special

    x = np.concatenate([np.linspace(-38.6, -1.0, 500), [-37.6, -37.62, -37.65]])
    want = np.array([float(mpmath.mpf(v) * mpmath.ncdf(v)) for v in x])
    assert _rel_ulps(gelu(x), want, np.float64) < 8
    naive = 0.5 * x * special.erfc(-x / np.sqrt(2))  # the argument's rounding, magnified by x^2
    assert _rel_ulps(naive, want, np.float64) > 100


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gelu_tanh_form_never_overflows_in_x_cubed(dtype):
    big = np.finfo(dtype).max
    x = np.array([-big, -1e30, -30.0, 30.0, 1e30, big], dtype=dtype)
    x = x[np.isfinite(x)]
    out = gelu(x, approximate="tanh")
    np.testing.assert_array_equal(out, np.where(x > 0, x, 0))
    np.testing.assert_array_equal(gelu_prime(x, approximate="tanh"), np.where(x > 0, 1, 0))
    assert out.dtype == dtype


def test_exact_limits_of_the_newer_activations():
    assert silu(1000.0) == 1000.0 and silu(-1000.0) == 0.0 and silu_prime(-1000.0) == 0.0
    assert gelu(1e300) == 1e300 and gelu(-1e300) == 0.0 and gelu_prime(-1e300) == 0.0
    assert mish(1e300) == 1e300 and mish(-1e300) == 0.0 and mish_prime(1e300) == 1.0
    assert swish(2.0, beta=0.0) == 1.0 and swish(-1e300, beta=1e300) == 0.0
    assert selu(-1000.0) == -SELU_LAMBDA * SELU_ALPHA and selu(0.0) == 0.0
    assert gelu_prime(0.0) == 0.5 and gelu_prime(0.0, approximate="tanh") == 0.5
    assert silu_prime(0.0) == 0.5 and mish_prime(0.0) == 0.6


def test_selu_constants_are_the_papers_and_make_mean_0_variance_1_a_fixed_point():
    # Klambauer et al. (2017), eq. 14, and the property they are chosen for: for z ~ N(0, 1)
    # (the pre-activation of a unit with LeCun-normal weights on inputs of mean 0 and
    # variance 1), SELU(z) again has mean 0 and variance 1.
    assert float(_SELU_ALPHA) == SELU_ALPHA and float(_SELU_LAMBDA) == SELU_LAMBDA
    assert mpmath.nstr(_SELU_ALPHA, 32) == "1.6732632423543772848170429916717"
    assert mpmath.nstr(_SELU_LAMBDA, 32) == "1.0507009873554804934193349852946"

    def moment(k, lam, alpha):
        neg = mpmath.quad(lambda t: (lam * alpha * mpmath.expm1(t)) ** k * mpmath.npdf(t), [-mpmath.inf, 0])
        pos = mpmath.quad(lambda t: (lam * t) ** k * mpmath.npdf(t), [0, mpmath.inf])
        return neg + pos

    assert abs(moment(1, _SELU_LAMBDA, _SELU_ALPHA)) < 1e-40
    assert abs(moment(2, _SELU_LAMBDA, _SELU_ALPHA) - 1) < 1e-40
    lam, alpha = mpmath.mpf(SELU_LAMBDA), mpmath.mpf(SELU_ALPHA)   # the floats, to their ulp
    assert abs(moment(1, lam, alpha)) < 1e-15 and abs(moment(2, lam, alpha) - 1) < 1e-15
    # and the kink convention: the left slope at 0
    assert selu_prime(0.0) == SELU_LAMBDA * SELU_ALPHA
    assert selu_prime(5e-324) == SELU_LAMBDA


@pytest.mark.parametrize("f", [gelu, gelu_prime])
def test_bad_approximate(f):
    for bad in ("exact", "TANH", "", None, True, 1, ["tanh"]):
        with pytest.raises(ValueError, match="approximate"):
            f(1.0, approximate=bad)


@pytest.mark.parametrize("f", [swish, swish_prime])
def test_bad_beta(f):
    for bad in ("1.0", None, [1.0], True, 1j):
        with pytest.raises(TypeError, match="beta"):
            f(1.0, beta=bad)
    for bad in (float("nan"), float("inf"), -float("inf")):
        with pytest.raises(ValueError, match="beta"):
            f(1.0, beta=bad)


@pytest.mark.parametrize("beta", [1.0, 2.0, 0.5, BETA, -0.7, 1e-300, 1e300, 1e39])
def test_swish_for_any_beta_is_silu_of_beta_x_and_keeps_float32(beta):
    x = np.linspace(-30, 30, 241)
    want = np.array([float(mpmath.mpf(v) * _sig(mpmath.mpf(beta) * v)) for v in x])
    assert _rel_ulps(swish(x, beta), want, np.float64) < 8
    want = np.array([float(_silu_prime_ref(mpmath.mpf(beta) * v)) for v in x])
    assert _rel_ulps(swish_prime(x, beta), want, np.float64) < 8
    x32 = x.astype(np.float32)
    assert swish(x32, beta).dtype == np.float32 and swish_prime(x32, beta).dtype == np.float32


finite_beta = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(st.one_of(finite64, finite32.map(np.float32)))
def test_newer_functions_are_silent_and_in_range(x):
    # filterwarnings("error") turns any overflow/invalid warning into a failure.
    assert softplus(x) >= 0 and 0 <= softplus_prime(x) <= 1
    assert silu(x) >= -0.27847 and -0.09984 <= silu_prime(x) <= 1.09984
    assert gelu(x) >= -0.16998 and -0.12891 <= gelu_prime(x) <= 1.12891
    assert gelu(x, approximate="tanh") >= -0.17005
    assert -0.12900 <= gelu_prime(x, approximate="tanh") <= 1.12900
    assert mish(x) >= -0.30885 and -0.11253 <= mish_prime(x) <= 1.08850
    assert selu(x) >= -1.7581 and 0 <= selu_prime(x) <= 1.7581


@settings(max_examples=300, deadline=None)
@given(st.one_of(finite64, finite32.map(np.float32)), finite_beta)
def test_swish_is_silent_for_any_beta(x, beta):
    assert not np.isnan(swish(x, beta)) and not np.isnan(swish_prime(x, beta))
    assert -0.09984 <= swish_prime(x, beta) <= 1.09984


# --------------------------------------------------------------------------- softmax


def _softmax_ref(row):
    """Softmax and log-softmax of a row in mpmath (log1p of the sum without the first maximum)."""
    z = [mpmath.mpf(float(v)) for v in row]
    m = max(z)
    e = [mpmath.exp(v - m) for v in z]
    j = z.index(m)
    rest = mpmath.fsum(e[:j] + e[j + 1:])
    return [v / (1 + rest) for v in e], [(v - m) - mpmath.log1p(rest) for v in z]


def _rows(rng, dtype):
    """Rows of logits: every shift case (max >= 0 with all |z| in its binade, all negative,
    mixed signs far apart) at several spreads."""
    rows = []
    for scale in (1, 30, 300, 3e4):
        for n in (1, 2, 5, 9):
            rows.append(rng.standard_normal(n) * scale)
            rows.append(-np.abs(rng.standard_normal(n)) * scale - 1)
            rows.append(rng.uniform(0.6, 1, n) * scale)
    rows.append(np.array([3.0, -1e4, 2.5]))
    rows.append(np.array([0.0, -40.0]))
    return [r.astype(dtype) for r in rows]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_and_log_softmax_match_mpmath(dtype):
    rng = np.random.default_rng(3)
    for row in _rows(rng, dtype):
        p, lp = softmax(row), log_softmax(row)
        assert p.dtype == dtype and lp.dtype == dtype
        want_p, want_lp = _softmax_ref(row)
        want_p = np.array([float(v) for v in want_p])
        want_lp = np.array([float(v) for v in want_lp])
        assert _rel_ulps(p, want_p, dtype) < 8, row
        assert _rel_ulps(lp, want_lp, dtype) < 8, row


def test_softmax_of_the_widest_finite_row():
    np.testing.assert_array_equal(softmax(np.array([1e308, -1e308])), [1.0, 0.0])
    np.testing.assert_array_equal(softmax(np.float32([3e38, -3e38])), np.float32([1, 0]))
    np.testing.assert_array_equal(log_softmax(np.array([1e308, -1e308])), [0.0, -np.inf])  # -2e308
    big = np.finfo(np.float64).max
    np.testing.assert_array_equal(softmax(np.array([big, big, -big])), [0.5, 0.5, 0.0])


def test_softmax_of_masked_logits():
    np.testing.assert_array_equal(softmax(np.array([0.0, -np.inf, 0.0])), [0.5, 0.0, 0.5])
    np.testing.assert_array_equal(log_softmax(np.array([0.0, -np.inf])), [0.0, -np.inf])
    assert np.isnan(softmax(np.array([np.nan, 1.0]))).all()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_rows_sum_to_one(dtype):
    rng = np.random.default_rng(0)
    eps = np.finfo(dtype).eps
    for scale in (1, 10, 1000):
        z = (rng.standard_normal((60, 40)) * scale).astype(dtype)
        for axis in (0, 1, -1):
            total = softmax(z, axis=axis).astype(np.float64).sum(axis=axis)
            assert np.abs(total - 1).max() <= 8 * eps   # (NumPy sums a strided axis naively)


def test_softmax_is_invariant_to_adding_a_constant():
    z = np.random.default_rng(1).integers(-400, 400, (20, 7)) / 8   # z + c is exact for these c
    for c in (1000.0, -1e6, 0.5, 2.0**40):
        np.testing.assert_array_equal(softmax(z + c), softmax(z))
        np.testing.assert_array_equal(log_softmax(z + c), log_softmax(z))


def test_log_softmax_is_log_of_softmax_where_that_is_finite():
    rng = np.random.default_rng(2)
    for scale in (1, 20, 200):
        z = rng.standard_normal((30, 12)) * scale
        p = softmax(z)
        ok = p > np.finfo(np.float64).tiny
        eps = np.finfo(np.float64).eps
        np.testing.assert_allclose(log_softmax(z)[ok], np.log(p[ok]), rtol=4 * eps, atol=4 * eps)
        assert np.isfinite(log_softmax(z)).all()          # also where softmax underflows to 0


def test_softmax_shapes_dtypes_and_axes():
    z = np.random.default_rng(4).standard_normal((3, 4, 5)).astype(np.float32)
    for axis in (0, 1, 2, -1, -3, np.int64(1)):
        for f in (softmax, log_softmax):
            out = f(z, axis=axis)
            assert out.shape == z.shape and out.dtype == np.float32
        np.testing.assert_allclose(softmax(z, axis).sum(axis=axis), 1, rtol=4e-7)
    assert softmax(np.float16([1, 2, 3])).dtype == np.float16
    assert softmax([1, 2, 3]).dtype == np.float64                       # integers become float64
    np.testing.assert_array_equal(softmax([[2.0, 2.0]]), [[0.5, 0.5]])
    assert softmax(np.zeros((3, 0))).shape == (3, 0) and softmax(np.zeros((0, 3))).shape == (0, 3)
    x = np.array([[1.0, -2.0, 0.5]])
    before = x.copy()
    softmax(x), log_softmax(x)
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize("f", [softmax, log_softmax])
def test_softmax_bad_input(f):
    for bad in ("1.0", None, ["a", "b"], np.array([1 + 2j])):
        with pytest.raises(TypeError, match=r"\bz\b"):
            f(bad)
    with pytest.raises(ValueError, match=r"\bz\b"):
        f(3.0)                                       # no axis of classes
    for bad in (1.5, "0", True, None, [0]):
        with pytest.raises(TypeError, match="axis"):
            f(np.zeros((2, 3)), axis=bad)
    for bad in (2, -3):
        with pytest.raises(ValueError, match="axis"):
            f(np.zeros((2, 3)), axis=bad)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(finite64, min_size=1, max_size=8),
                 st.lists(finite32, min_size=1, max_size=8).map(np.float32)))
def test_softmax_is_silent_and_normalised_for_any_finite_logits(z):
    z = np.asarray(z)
    p, lp = softmax(z), log_softmax(z)
    eps = np.finfo(z.dtype).eps
    assert ((0 <= p) & (p <= 1)).all() and abs(float(p.astype(np.float64).sum()) - 1) <= 8 * eps
    assert (lp <= 0).all() and not np.isnan(lp).any()   # -inf only beyond the float range
    assert lp.max() >= -np.log(z.size) * (1 + 8 * eps)   # the largest logit's


# --------------------------------------------------------------------------- the MLP


@pytest.mark.parametrize("name", ["softplus", "silu", "gelu", "gelu_tanh", "mish", "selu"])
def test_mlp_trains_one_step_with_each_new_activation(name):
    assert name in ACTIVATIONS
    X, y = two_moons(64, seed=0)
    net = MLP([2, 8, 2], name, init="glorot", seed=0)
    loss0, grads = net.loss_and_grads(X, y)
    net.step(grads, lr=0.1)
    loss1 = net.compute_loss(X, y)
    assert np.isfinite(loss1) and loss1 < loss0
