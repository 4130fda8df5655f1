"""Unit tests of actlab.mlp (the tiny NumPy network) and actlab.data (the 2-D data sets)."""

from __future__ import annotations

import numpy as np
import pytest

from actlab import (
    ACTIVATIONS,
    MLP,
    circles,
    gradient_check,
    mean_squared_error,
    sigmoid,
    softmax_cross_entropy,
    spirals,
    train,
    two_moons,
)

pytestmark = [pytest.mark.filterwarnings("error"),  # any NumPy warning fails a test
              # a socket another test module leaked, collected during this one, is not this
              # module's warning (pytest reports it through an "unraisable" warning)
              pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")]

KINKED = {"relu", "leaky_relu"}


def kink_margin(net: MLP, X: np.ndarray) -> float:
    """Smallest |z| over the hidden pre-activations of a forward pass on X."""
    net.forward(X)
    return min(float(np.abs(z).min()) for z in net.zs[:-1])


# --------------------------------------------------------------------------- gradient check


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradient_check_passes_for_every_activation(activation):
    X, y = two_moons(30, seed=1)
    net = MLP([2, 5, 4, 3], activation, init="glorot", bias=0.1, seed=1)
    if activation in KINKED:  # a ±h nudge (h ≈ 6e-6) must not carry any z across the kink at 0
        assert kink_margin(net, X) > 5e-4
    errors = gradient_check(net, X, y % 3)
    assert set(errors) == {"W1", "b1", "W2", "b2", "W3", "b3", "directions"}
    assert max(errors.values()) < 1e-4, errors  # the documented "agreement"


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradient_check_passes_for_a_deep_narrow_network(activation):
    # 8 hidden layers of width 3, default step: where a gradient is too small for its round-off
    # (the sigmoid's first layers), the floor keeps the error small.
    X, y = two_moons(30, seed=1)
    net = MLP([2] + [3] * 8 + [2], activation, init="he", bias=0.1, seed=0)
    if activation in KINKED:
        assert kink_margin(net, X) > 5e-4
    errors = gradient_check(net, X, y)
    assert len(errors) == 19
    assert net.gradient_norms(X, y)["weights"][0] > 0  # not passing because everything is zero
    assert max(errors.values()) < 1e-4, errors


@pytest.mark.parametrize(("init", "std"), [("glorot", 0.01), ("normal", 2.5)])
def test_gradient_check_passes_for_a_deep_sigmoid_network(init, std):
    # 10 hidden layers of 16: Glorot makes the first layer's gradient ~1e-7 (below the floor);
    # std 2.5 (n Var(W) = 100) saturates the units, whose large higher derivatives add truncation.
    X, y = two_moons(30, seed=1)
    net = MLP([2] + [16] * 10 + [2], "sigmoid", init=init, weight_std=std, seed=0)
    errors = gradient_check(net, X, y)
    assert max(errors.values()) < 1e-4, errors
    if init == "glorot":
        assert np.abs(net.loss_and_grads(X, y)[1][0][0]).max() < 1e-6


def test_gradient_check_for_the_squared_error_and_a_sigmoid_output():
    X, y = circles(25, seed=3)
    net = MLP([2, 6, 1], "tanh", output="sigmoid", init="glorot", seed=4)
    errors = gradient_check(net, X, y.astype(float), loss="mse")
    assert max(errors.values()) < 1e-4, errors


def test_gradient_check_catches_a_wrong_backward_pass():
    X, y = two_moons(30, seed=1)
    net = MLP([2, 5, 2], "sigmoid", init="glorot", seed=0)
    net._fprime = sigmoid  # a classic bug: the function instead of its derivative
    assert max(gradient_check(net, X, y).values()) > 0.1


class BuggyMLP(MLP):
    """An MLP whose backward pass applies ``bug`` to one entry of one gradient array."""

    bug: tuple = ()  # (layer index, 0 for dW or 1 for db, entry index, function of the value)

    def backward(self, grad_out):
        grads = super().backward(grad_out)
        layer, which, idx, wrong = self.bug
        arrays = [a.copy() for a in grads[layer]]
        arrays[which][idx] = wrong(arrays[which][idx])
        grads[layer] = tuple(arrays)
        return grads


@pytest.mark.parametrize("layer", [0, 5, 10])
def test_gradient_check_catches_a_sign_error_on_one_weight(layer):
    # In a deep sigmoid network: layer 1's largest weight gradient is ~1e-7 (below the floor),
    # layer 11's is ~0.1. An error norm over the whole array scores such a bug ~1e-2 or less.
    X, y = two_moons(30, seed=1)
    sizes = [2] + [16] * 10 + [2]
    grad = MLP(sizes, "sigmoid", init="glorot", seed=0).loss_and_grads(X, y)[1][layer][0]
    idx = np.unravel_index(np.argmax(np.abs(grad)), grad.shape)
    net = BuggyMLP(sizes, "sigmoid", init="glorot", seed=0)
    net.bug = (layer, 0, idx, lambda g: -g)
    errors = gradient_check(net, X, y)
    assert errors[f"W{layer + 1}"] > 1e-3, errors
    assert max(e for k, e in errors.items() if k.startswith(("W", "b")) and k != f"W{layer + 1}") < 1e-4
    if layer == 10:
        assert errors["directions"] > 1e-3  # large enough to show in the whole gradient, too


def test_gradient_check_catches_a_bug_where_the_true_gradient_is_zero():
    X, y = two_moons(30, seed=1)
    net = BuggyMLP([2, 6, 5, 2], "relu", init="he", bias=0.1, seed=1)
    net.b[0][2] = -50.0  # unit 3 of layer 1 is dead: its weights' true gradient is exactly 0
    net.bug = (0, 0, (0, 2), lambda g: g + 1e-6)  # tiny next to the array's norm (~0.06)
    errors = gradient_check(net, X, y)
    assert errors["W1"] > 1e-3, errors
    net.bug = (0, 0, (0, 2), lambda g: g)  # the same network without the bug passes
    assert max(gradient_check(net, X, y).values()) < 1e-4


def test_gradient_check_leaves_the_parameters_and_the_cache_unchanged():
    X, y = two_moons(20, seed=1)
    net = MLP([2, 4, 2], "elu", seed=5)
    net.loss_and_grads(X[:7], y[:7])  # a cache from another batch than the one checked
    before = [w.copy() for w in net.W + net.b]
    cache = [list(c) for c in (net.zs, net.activations, net.deltas)]
    gradient_check(net, X, y)
    for a, b in zip(before, net.W + net.b, strict=True):
        np.testing.assert_array_equal(a, b)
    for old, new in zip(cache, (net.zs, net.activations, net.deltas), strict=True):
        assert len(old) == len(new) and all(a is b for a, b in zip(old, new, strict=True))
        assert new[0].shape[0] == 7


def test_gradient_check_options():
    X, y = two_moons(20, seed=1)
    net = MLP([2, 4, 2], "tanh", seed=5)
    assert "directions" not in gradient_check(net, X, y, directions=0)
    assert gradient_check(net, X, y, seed=3) != gradient_check(net, X, y, seed=4)
    for kwargs, error in [({"directions": -1}, ValueError), ({"h": 0.0}, ValueError),
                          ({"loss": "hinge"}, ValueError)]:
        with pytest.raises(error):
            gradient_check(net, X, y, **kwargs)


# --------------------------------------------------------------------------- forward, backward


def test_forward_caches_every_layer():
    X, _ = two_moons(7, seed=0)
    net = MLP([2, 4, 3, 2], "tanh", seed=0)
    out = net.forward(X)
    assert out.shape == (7, 2)
    assert [z.shape for z in net.zs] == [(7, 4), (7, 3), (7, 2)]
    assert len(net.activations) == 4 and net.activations[0] is not None
    np.testing.assert_allclose(net.activations[1], np.tanh(X @ net.W[0] + net.b[0]))
    np.testing.assert_array_equal(out, net.zs[-1])  # linear output: the logits


def test_weight_gradient_is_input_times_delta():
    X, y = two_moons(9, seed=0)
    net = MLP([2, 3, 2], "relu", seed=1)
    _, grads = net.loss_and_grads(X, y)
    np.testing.assert_allclose(grads[0][0], X.T @ net.deltas[0])
    np.testing.assert_allclose(grads[1][1], net.deltas[1].sum(axis=0))


def test_softmax_cross_entropy_values_gradient_and_stability():
    logits = np.array([[1.0, 2.0, 0.5], [0.0, 0.0, 0.0]])
    y = np.array([1, 2])
    loss, grad = softmax_cross_entropy(logits, y)
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    assert loss == pytest.approx(-np.mean(np.log(p[[0, 1], y])))
    np.testing.assert_allclose(grad.sum(axis=1), 0, atol=1e-15)
    big, _ = softmax_cross_entropy(np.array([[1e4, -1e4]]), np.array([1]))
    assert big == pytest.approx(2e4)  # no overflow, no warning


def test_mean_squared_error():
    loss, grad = mean_squared_error(np.array([[1.0], [3.0]]), np.array([0.0, 1.0]))
    assert loss == pytest.approx((1 + 4) / 4)
    np.testing.assert_allclose(grad, [[0.5], [1.0]])


# --------------------------------------------------------------------------- initialisation


@pytest.mark.parametrize(("init", "std"), [("normal", 0.05), ("glorot", np.sqrt(2 / 800)),
                                           ("he", np.sqrt(2 / 400))])
def test_initialiser_standard_deviations(init, std):
    net = MLP([400, 400, 3], init=init, weight_std=0.05, bias=0.25, seed=0)
    assert net.W[0].std() == pytest.approx(std, rel=0.01)
    assert abs(net.W[0].mean()) < 0.01 * std
    assert np.all(net.b[0] == 0.25) and np.all(net.b[1] == 0.25)


def test_naive_is_the_former_name_of_normal():
    old = MLP([3, 4, 2], init="naive", weight_std=0.3, seed=2)
    new = MLP([3, 4, 2], init="normal", weight_std=0.3, seed=2)
    assert old.init == new.init == "normal"
    for a, b in zip(old.W, new.W, strict=True):
        np.testing.assert_array_equal(a, b)


def test_same_seed_same_numbers_and_another_seed_differs():
    X, y = spirals(60, seed=2)
    runs = []
    for seed in (7, 7, 8):
        net = MLP([2, 8, 8, 2], "leaky_relu", seed=seed)
        runs.append(train(net, X, y, lr=0.2, epochs=5, batch_size=16, seed=seed)["loss"])
    np.testing.assert_array_equal(runs[0], runs[1])
    assert not np.array_equal(runs[0], runs[2])


# --------------------------------------------------------------------------- training


def test_training_reduces_the_loss_on_an_easy_data_set():
    X, y = two_moons(200, noise=0.1, seed=0)
    net = MLP([2, 16, 16, 2], "relu", seed=0)
    hist = train(net, X, y, lr=0.1, epochs=60, batch_size=20)
    assert set(hist) == {"loss", "accuracy", "dead_fraction"}
    assert len(hist["loss"]) == 61
    assert hist["loss"][-1] < 0.3 * hist["loss"][0]
    assert hist["accuracy"][-1] > 0.95
    assert net.accuracy(X, y) == hist["accuracy"][-1]


def test_clipping_bounds_each_step():
    X, y = two_moons(50, seed=0)
    net = MLP([2, 8, 2], "relu", weight_std=1.0, init="naive", seed=0)
    before = np.concatenate([p.ravel() for p in net.W + net.b])
    train(net, X, y, lr=0.5, epochs=1, clip=0.01)  # one full-batch step
    after = np.concatenate([p.ravel() for p in net.W + net.b])
    assert np.linalg.norm(after - before) == pytest.approx(0.5 * 0.01)


# --------------------------------------------------------------------------- dead units


def hand_built_net(activation: str = "relu") -> MLP:
    """2 -> 3 -> 2. Unit 0 alive, unit 1 dead (z = -1 always), unit 2 at z = 0 exactly."""
    net = MLP([2, 3, 2], activation, seed=0)
    net.W[0][:, 1] = 0.0
    net.b[0][1] = -1.0
    net.W[0][:, 2] = 0.0
    net.b[0][2] = 0.0
    net.W[0][:, 0] = [1.0, 0.0]
    net.b[0][0] = 0.0
    return net


def test_dead_units_on_a_hand_built_network():
    X = np.array([[-1.0, 0.0], [2.0, 1.0], [0.5, -3.0]])
    net = hand_built_net()
    (mask,) = net.dead_units(X)
    np.testing.assert_array_equal(mask, [False, True, True])  # z <= 0 everywhere counts as dead
    assert net.dead_fraction(X) == pytest.approx(2 / 3)
    # ... and a dead ReLU unit gets exactly zero gradient, so an SGD step cannot move it.
    _, grads = net.loss_and_grads(X, np.array([0, 1, 0]))
    assert np.all(grads[0][0][:, 1:] == 0) and np.all(grads[0][1][1:] == 0)
    assert np.any(grads[0][0][:, 0] != 0)
    W_before = net.W[0].copy()
    net.step(grads, lr=1.0)
    np.testing.assert_array_equal(net.W[0][:, 1:], W_before[:, 1:])


def test_dead_unit_on_part_of_the_data_is_not_dead():
    net = hand_built_net()
    X = np.array([[-1.0, 0.0], [-2.0, 1.0]])
    np.testing.assert_array_equal(net.dead_units(X)[0], [True, True, True])
    X = np.vstack([X, [[0.1, 0.0]]])  # one example where unit 0 is active
    np.testing.assert_array_equal(net.dead_units(X)[0], [False, True, True])


def test_a_leaky_unit_in_the_negative_region_still_gets_a_gradient():
    X = np.array([[-1.0, 0.0], [2.0, 1.0], [0.5, -3.0]])
    net = hand_built_net("leaky_relu")
    assert net.dead_units(X)[0][1]  # same criterion: never in the positive region ...
    _, grads = net.loss_and_grads(X, np.array([0, 1, 0]))
    assert grads[0][1][1] != 0  # ... but its bias still moves


# --------------------------------------------------------------------------- data sets


@pytest.mark.parametrize("make", [two_moons, spirals, circles])
def test_data_set_shapes_labels_and_seeding(make):
    X, y = make(101, seed=3)
    assert X.shape == (101, 2) and X.dtype == np.float64
    assert y.shape == (101,) and y.dtype.kind == "i"
    assert set(np.unique(y)) == {0, 1}
    assert abs(int(np.sum(y == 0)) - int(np.sum(y == 1))) <= 1
    assert np.all(np.abs(X.mean(axis=0)) < 0.3)  # roughly centred on the origin
    X2, y2 = make(101, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(X, make(101, seed=4)[0])


def test_data_set_geometry():
    X, y = circles(400, factor=0.3, noise=0.0, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r[y == 0], 1.0)
    np.testing.assert_allclose(r[y == 1], 0.3)
    X, y = spirals(90, n_classes=3, seed=0)
    assert np.bincount(y).tolist() == [30, 30, 30]
    assert np.hypot(X[:, 0], X[:, 1]).max() == pytest.approx(1.0)
    X, _ = two_moons(300, noise=0.0, seed=0)
    assert X[:, 0].min() >= -1.5 - 1e-12 and X[:, 0].max() <= 1.5 + 1e-12


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"activation": "softsign"}, ValueError, "activation"),
        ({"activation": 3}, TypeError, "activation"),
        ({"output": "relu6"}, ValueError, "output"),
        ({"init": "xavier"}, ValueError, "init"),
        ({"sizes": [2, 0, 2]}, ValueError, "sizes"),
        ({"sizes": [2, -4, 2]}, ValueError, "sizes"),
        ({"sizes": [2, 3.5, 2]}, TypeError, "sizes"),
        ({"sizes": [2]}, TypeError, "sizes"),
        ({"sizes": "22"}, TypeError, "sizes"),
        ({"weight_std": 0.0}, ValueError, "weight_std"),
        ({"weight_std": "big"}, TypeError, "weight_std"),
        ({"bias": float("nan")}, ValueError, "bias"),
        ({"alpha": "0.1"}, TypeError, "alpha"),
        ({"seed": -1}, ValueError, "seed"),
        ({"seed": 1.5}, TypeError, "seed"),
    ],
)
def test_bad_network_arguments(kwargs, error, name):
    args = {"sizes": [2, 3, 2], **kwargs}
    with pytest.raises(error, match=name):
        MLP(**args)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"lr": 0.0}, ValueError, "lr"),
        ({"lr": -0.1}, ValueError, "lr"),
        ({"lr": float("inf")}, ValueError, "lr"),
        ({"lr": "fast"}, TypeError, "lr"),
        ({"epochs": -1}, ValueError, "epochs"),
        ({"epochs": 2.0}, TypeError, "epochs"),
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"clip": 0.0}, ValueError, "clip"),
        ({"loss": "hinge"}, ValueError, "loss"),
        ({"seed": -3}, ValueError, "seed"),
    ],
)
def test_bad_training_arguments(kwargs, error, name):
    X, y = two_moons(10, seed=0)
    args = {"lr": 0.1, "epochs": 1, **kwargs}
    with pytest.raises(error, match=name):
        train(MLP([2, 3, 2]), X, y, **args)


def test_mismatched_or_malformed_data():
    net = MLP([2, 3, 2])
    X, y = two_moons(10, seed=0)
    with pytest.raises(ValueError, match="X"):
        net.forward(X[:, :1])
    with pytest.raises(ValueError, match="X"):
        net.forward(X[0])
    with pytest.raises(TypeError, match="X"):
        net.forward("data")
    with pytest.raises(ValueError, match="y"):
        net.loss_and_grads(X, y[:-1])
    with pytest.raises(TypeError, match="y"):
        net.loss_and_grads(X, y.astype(float))
    with pytest.raises(ValueError, match="y"):
        net.loss_and_grads(X, y + 5)
    with pytest.raises(ValueError, match="y"):
        net.loss_and_grads(X, np.zeros((10, 3)), loss="mse")
    with pytest.raises(ValueError, match="lr"):
        net.step(net.loss_and_grads(X, y)[1], lr=-1)


@pytest.mark.parametrize(
    ("make", "kwargs", "error", "name"),
    [
        (two_moons, {"n": 1}, ValueError, "n"),
        (two_moons, {"n": 10.0}, TypeError, "n"),
        (two_moons, {"noise": -0.1}, ValueError, "noise"),
        (two_moons, {"seed": -1}, ValueError, "seed"),
        (spirals, {"n_classes": 1}, ValueError, "n_classes"),
        (spirals, {"n": 2, "n_classes": 3}, ValueError, "n"),
        (circles, {"factor": 1.0}, ValueError, "factor"),
        (circles, {"noise": "a"}, TypeError, "noise"),
    ],
)
def test_bad_data_arguments(make, kwargs, error, name):
    with pytest.raises(error, match=name):
        make(**kwargs)


# --------------------------------------------------------------------------- momentum


def _params(net: MLP) -> list[np.ndarray]:
    return [p.copy() for p in net.W + net.b]


def test_zero_momentum_is_plain_sgd_bit_for_bit():
    X, y = two_moons(60, seed=0)
    runs = []
    for kwargs in ({}, {"momentum": 0.0}, {"momentum": 0}):
        net = MLP([2, 8, 8, 2], "relu", seed=3)
        hist = train(net, X, y, lr=0.3, epochs=3, batch_size=10, seed=1, **kwargs)
        runs.append((_params(net), hist["loss"]))
    for params, loss in runs[1:]:
        np.testing.assert_array_equal(loss, runs[0][1])
        for p, q in zip(params, runs[0][0], strict=True):
            np.testing.assert_array_equal(p, q)


def test_momentum_is_heavy_ball_sgd():
    X, y = two_moons(40, seed=1)
    mu, lr = 0.8, 0.2
    net = MLP([2, 5, 2], "tanh", seed=2)
    ref = MLP([2, 5, 2], "tanh", seed=2)
    train(net, X, y, lr=lr, epochs=4, momentum=mu)  # four full-batch steps
    velocity = [np.zeros_like(p) for p in ref.W + ref.b]
    for _ in range(4):
        _, grads = ref.loss_and_grads(X, y)
        flat = [g for pair in grads for g in pair]
        params = [p for pair in zip(ref.W, ref.b, strict=True) for p in pair]
        vel = [velocity[i] for i in (0, 2, 1, 3)]  # W1, b1, W2, b2 order
        for p, v, g in zip(params, vel, flat, strict=True):
            v[...] = mu * v + g
            p -= lr * v
    for p, q in zip(net.W + net.b, ref.W + ref.b, strict=True):
        np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-14)


def test_momentum_moves_a_unit_after_its_gradient_vanishes():
    # One example, one hidden ReLU unit (z = 1.5 at the start) and output
    # weights that make the first step throw the unit far off: afterwards its
    # gradient is exactly zero. Plain SGD leaves it there; heavy ball keeps
    # moving it, by mu times the previous step each time.
    X, y = np.array([[1.0, 0.0]]), np.array([0])
    biases = {}
    for mu in (0.0, 0.9):
        net = MLP([2, 1, 2], "relu", seed=0)
        net.W[0][:] = [[1.0], [0.0]]
        net.b[0][:] = [0.5]
        net.W[1][:] = [[-50.0, 50.0]]
        hist = train(net, X, y, lr=1.0, epochs=3, momentum=mu)  # 3 steps
        assert list(hist["dead_fraction"]) == [0.0, 1.0, 1.0, 1.0]
        biases[mu] = net.b[0][0]
    first_step = 0.5 - biases[0.0]
    assert first_step > 1
    assert 0.5 - biases[0.9] == pytest.approx(first_step * (1 + 0.9 + 0.81))


@pytest.mark.parametrize(
    ("momentum", "error"),
    [(-0.1, ValueError), (1.0, ValueError), (1.5, ValueError), (float("nan"), ValueError),
     ("0.9", TypeError), (True, TypeError), (None, TypeError)],
)
def test_bad_momentum(momentum, error):
    X, y = two_moons(10, seed=0)
    with pytest.raises(error, match="momentum"):
        train(MLP([2, 3, 2]), X, y, lr=0.1, epochs=1, momentum=momentum)


# --------------------------------------------------------------------------- normalisation, skips


def _with_random_affine(net: MLP, seed: int = 5) -> MLP:
    """Gains in [0.5, 1.5] and shifts ~ N(0, 0.3^2), so the checks do not pass because gamma = 1."""
    rng = np.random.default_rng(seed)
    for g, b in zip(net.gamma, net.beta, strict=True):
        g[:] = rng.uniform(0.5, 1.5, g.shape)
        b[:] = rng.normal(0.0, 0.3, b.shape)
    return net


def input_margin(net: MLP, X: np.ndarray) -> float:
    """Smallest |u| over what goes into the hidden activations on X."""
    net.forward(X)
    return min(float(np.abs(u).min()) for u in net.pre_activations[:-1])


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "gelu"])
@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("norm", [None, "layer", "batch"])
def test_gradient_check_passes_with_normalisation_and_skips(norm, residual, activation):
    X, y = two_moons(30, seed=1)
    net = _with_random_affine(MLP([2, 5, 5, 5, 3], activation, init="glorot", bias=0.1, seed=1,
                                  norm=norm, residual=residual))
    if activation in KINKED:
        assert input_margin(net, X) > 2e-4
    errors = gradient_check(net, X, y % 3)
    expected = {f"{p}{k}" for k in range(1, 5) for p in "Wb"}
    if norm:
        expected |= {f"{p}{k}" for k in range(1, 4) for p in ("gamma", "beta")}
    assert set(errors) == expected | {"directions"}
    assert max(errors.values()) < 1e-4, errors


@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_gradient_check_passes_for_batch_norm_with_running_statistics(activation, residual):
    X, y = two_moons(30, seed=1)
    net = _with_random_affine(MLP([2, 5, 5, 3], activation, init="he", bias=0.1, seed=2,
                                  norm="batch", residual=residual))
    rng = np.random.default_rng(0)
    net.running_mean = [rng.normal(0, 0.3, m.shape) for m in net.running_mean]
    net.running_var = [rng.uniform(0.5, 2.0, v.shape) for v in net.running_var]
    net.training = False
    if activation in KINKED:
        assert input_margin(net, X) > 2e-4
    errors = gradient_check(net, X, y % 3)
    assert max(errors.values()) < 1e-4, errors


@pytest.mark.parametrize("norm", [None, "layer", "batch"])
def test_gradient_check_passes_for_a_deep_residual_network(norm):
    X, y = two_moons(30, seed=1)
    net = MLP([2] + [8] * 10 + [2], "tanh", init="glorot", seed=0, norm=norm, residual=True)
    errors = gradient_check(net, X, y)
    assert max(errors.values()) < 1e-4, errors


def test_the_plain_backward_pass_is_wrong_for_a_residual_network_and_the_check_says_so():
    X, y = two_moons(30, seed=1)
    net = MLP([2, 6, 6, 6, 2], "tanh", init="glorot", seed=0, residual=True)
    net.backward = lambda grad_out: MLP.backward(net, grad_out)  # forgets the skips
    errors = gradient_check(net, X, y)
    assert errors["W1"] > 1e-2 and errors["W2"] > 1e-2, errors
    assert errors["W4"] < 1e-4  # above the last skip nothing is wrong


@pytest.mark.parametrize("norm", ["layer", "batch"])
def test_gradient_check_catches_a_normalisation_bug(norm):
    X, y = two_moons(30, seed=1)
    net = _with_random_affine(MLP([2, 5, 4, 2], "tanh", init="glorot", seed=3, norm=norm))
    right = net.backward

    def sign_error_on_one_gain(grad_out):
        grads = right(grad_out)
        dW, db, dgamma, dbeta = grads[1]
        dgamma = dgamma.copy()
        dgamma[2] = -dgamma[2]
        grads[1] = (dW, db, dgamma, dbeta)
        return grads

    net.backward = sign_error_on_one_gain
    errors = gradient_check(net, X, y)
    assert errors["gamma2"] > 1e-3, errors
    assert max(e for k, e in errors.items() if k not in ("gamma2", "directions")) < 1e-4


def test_gradient_check_catches_batch_norm_treated_as_a_constant_scaling():
    # The classic mistake: delta = gamma * dL/du / sqrt(var + eps), forgetting that the batch
    # mean and variance depend on z too. Right for running statistics, wrong in training mode.
    X, y = two_moons(30, seed=1)
    net = MLP([2, 5, 4, 2], "tanh", init="glorot", seed=3, norm="batch")

    def constant_scaling(grad_out):
        cache = net._norm_cache
        net._norm_cache = [(inv, None, stats) for inv, _, stats in cache]
        try:
            return MLP.backward_general(net, grad_out)
        finally:
            net._norm_cache = cache

    net.backward = constant_scaling
    errors = gradient_check(net, X, y)
    assert errors["W1"] > 1e-2 and errors["W2"] > 1e-2, errors


def test_plain_network_backward_general_equals_backward_bit_for_bit():
    X, y = spirals(40, seed=0)
    net = MLP([2, 7, 7, 3, 2], "elu", seed=4)
    assert net.backward.__func__ is MLP.backward  # the dozen lines chapter 5 prints
    _, grads = net.loss_and_grads(X, y)
    deltas = net.deltas
    general = net.backward_general(output_gradient(net, y))
    for a, b in zip(grads, general, strict=True):
        assert len(a) == len(b) == 2
        for u, v in zip(a, b, strict=True):
            np.testing.assert_array_equal(u, v)
    for u, v in zip(deltas, net.deltas, strict=True):
        np.testing.assert_array_equal(u, v)


def output_gradient(net: MLP, y: np.ndarray) -> np.ndarray:
    """dLoss/d(output) of the cross-entropy at the last forward pass."""
    return softmax_cross_entropy(net.activations[-1], y)[1]


def test_explicit_defaults_train_bit_for_bit_like_the_plain_network():
    X, y = two_moons(60, seed=0)
    runs = []
    for kwargs in ({}, {"norm": None, "residual": False}):
        net = MLP([2, 8, 8, 2], "relu", seed=3, **kwargs)
        hist = train(net, X, y, lr=0.3, epochs=3, batch_size=10, seed=1, clip=1.0, momentum=0.5)
        runs.append((_params(net), hist))
    for p, q in zip(runs[0][0], runs[1][0], strict=True):
        np.testing.assert_array_equal(p, q)
    for key in runs[0][1]:
        np.testing.assert_array_equal(runs[0][1][key], runs[1][1][key])
    assert MLP([2, 3, 2]).pre_activations is not None


def test_layer_norm_forward_normalises_each_row():
    X, _ = spirals(20, seed=0)
    net = MLP([2, 6, 5, 2], "tanh", seed=0, norm="layer", norm_eps=1e-12)
    net.forward(X)
    assert len(net.pre_activations) == 3 and len(net.zhats) == 2
    for z, zhat, u in zip(net.zs[:2], net.zhats, net.pre_activations[:2], strict=True):
        np.testing.assert_allclose(zhat, (z - z.mean(1, keepdims=True)) / z.std(1, keepdims=True),
                                   atol=1e-9)
        np.testing.assert_array_equal(u, zhat)  # gamma = 1, beta = 0 at the start
        np.testing.assert_allclose(u.mean(axis=1), 0, atol=1e-12)
        np.testing.assert_allclose(u.std(axis=1), 1, rtol=1e-9)
    np.testing.assert_array_equal(net.pre_activations[-1], net.zs[-1])  # output: not normalised
    net.gamma[0][:] = 2.0
    net.beta[0][:] = -1.0
    net.forward(X)
    np.testing.assert_allclose(net.pre_activations[0], 2 * net.zhats[0] - 1)
    np.testing.assert_allclose(net.activations[1], np.tanh(2 * net.zhats[0] - 1))
    net.training = False  # layer norm ignores the flag
    np.testing.assert_array_equal(net.forward(X), net.forward(X))


def test_batch_norm_uses_batch_statistics_in_training_and_running_ones_in_evaluation():
    X, _ = spirals(30, seed=1)
    net = MLP([2, 6, 4, 2], "relu", seed=0, norm="batch")
    assert net.training
    net.forward(X)
    for u in net.pre_activations[:2]:
        np.testing.assert_allclose(u.mean(axis=0), 0, atol=1e-12)
        np.testing.assert_allclose(u.var(axis=0), 1, rtol=1e-3)  # var / (var + eps)
    net.running_mean = [np.full(6, 0.5), np.full(4, -0.25)]
    net.running_var = [np.full(6, 4.0), np.full(4, 0.25)]
    net.training = False
    net.forward(X)
    np.testing.assert_allclose(net.pre_activations[0], (net.zs[0] - 0.5) / np.sqrt(4 + 1e-5))
    np.testing.assert_allclose(net.pre_activations[1], (net.zs[1] + 0.25) / np.sqrt(0.25 + 1e-5))
    net.training = True
    predicted = net.predict(X)  # predict always evaluates with the running statistics ...
    assert net.training  # ... and leaves the flag as it was
    net.training = False
    np.testing.assert_array_equal(predicted, np.argmax(net.forward(X), axis=1))


def test_batch_norm_running_statistics_after_one_full_batch_step():
    X, y = two_moons(40, seed=2)
    net = MLP([2, 5, 2], "tanh", seed=1, norm="batch", norm_momentum=0.25)
    z = X @ net.W[0] + net.b[0]
    net.training = False
    train(net, X, y, lr=0.1, epochs=1)
    assert not net.training  # restored
    np.testing.assert_allclose(net.running_mean[0], 0.25 * z.mean(axis=0))
    np.testing.assert_allclose(net.running_var[0], 0.75 + 0.25 * z.var(axis=0, ddof=1))


def test_batch_norm_cancels_the_hidden_bias():
    X, y = two_moons(30, seed=1)
    net = MLP([2, 5, 5, 2], "tanh", seed=1, norm="batch", bias=0.3)
    _, grads = net.loss_and_grads(X, y)
    scale = np.abs(grads[0][0]).max()
    assert np.abs(grads[0][1]).max() < 1e-12 * max(scale, 1)
    assert np.abs(grads[1][1]).max() < 1e-12 * max(scale, 1)
    assert np.abs(grads[2][1]).max() > 1e-3  # the output layer's bias is not normalised away


def test_residual_skips_equal_width_hidden_layers_from_layer_2_on():
    X, _ = spirals(15, seed=0)
    net = MLP([3, 3, 3, 4, 4, 2], "tanh", seed=0, residual=True)
    assert net.skips == [False, True, False, True, False]
    assert not any(MLP([3, 3, 3, 4, 4, 2], "tanh").skips)  # residual=False: none
    net.forward(np.hstack([X, X[:, :1]]))
    a = net.activations
    np.testing.assert_array_equal(a[1], np.tanh(net.zs[0]))  # layer 1: no skip, though 3 == 3
    np.testing.assert_array_equal(a[2], a[1] + np.tanh(net.zs[1]))  # 3 -> 3: skip
    np.testing.assert_array_equal(a[3], np.tanh(net.zs[2]))  # 3 -> 4: no skip
    np.testing.assert_array_equal(a[4], a[3] + np.tanh(net.zs[3]))  # 4 -> 4: skip
    np.testing.assert_array_equal(a[5], net.zs[4])  # output layer: never


def test_dead_units_with_normalisation_are_counted_on_what_enters_the_activation():
    X, _ = two_moons(30, seed=0)
    net = MLP([2, 4, 2], "relu", seed=0, norm="layer")
    net.beta[0][1] = -100.0  # unit 2's input u = zhat - 100 < 0 on every row
    np.testing.assert_array_equal(net.dead_units(X)[0], [False, True, False, False])
    assert np.any(net.zs[0][:, 1] > 0)  # though its z is positive on some rows


def test_gradient_check_leaves_normalisation_state_unchanged():
    X, y = two_moons(20, seed=1)
    net = MLP([2, 4, 4, 2], "tanh", seed=5, norm="batch", residual=True)
    net.loss_and_grads(X[:7], y[:7])
    before = [p.copy() for p in net.W + net.b + net.gamma + net.beta]
    stats = [s.copy() for s in net.running_mean + net.running_var]
    cache = [net.zs, net.pre_activations, net.zhats, net.deltas]
    gradient_check(net, X, y)
    for p, q in zip(before, net.W + net.b + net.gamma + net.beta, strict=True):
        np.testing.assert_array_equal(p, q)
    for p, q in zip(stats, net.running_mean + net.running_var, strict=True):
        np.testing.assert_array_equal(p, q)
    for old, new in zip(cache, [net.zs, net.pre_activations, net.zhats, net.deltas], strict=True):
        assert old is new


def test_clipping_and_momentum_cover_the_gains_and_shifts():
    X, y = two_moons(50, seed=0)
    net = MLP([2, 8, 8, 2], "relu", weight_std=1.0, init="normal", seed=0, norm="layer")
    before = np.concatenate([p.ravel() for p in net.W + net.b + net.gamma + net.beta])
    train(net, X, y, lr=0.5, epochs=1, clip=0.01)
    after = np.concatenate([p.ravel() for p in net.W + net.b + net.gamma + net.beta])
    assert np.linalg.norm(after - before) == pytest.approx(0.5 * 0.01)
    assert np.any(net.gamma[0] != 1)
    # momentum: heavy ball on every parameter, gamma and beta included
    mu, lr = 0.8, 0.2
    net = MLP([2, 5, 5, 2], "tanh", seed=2, norm="layer")
    ref = MLP([2, 5, 5, 2], "tanh", seed=2, norm="layer")
    train(net, X, y, lr=lr, epochs=3, momentum=mu)
    params = [p for layer in ref._layer_parameters() for p in layer]
    velocity = [np.zeros_like(p) for p in params]
    for _ in range(3):
        grads = [g for layer in ref.loss_and_grads(X, y)[1] for g in layer]
        for p, v, g in zip(params, velocity, grads, strict=True):
            v[...] = mu * v + g
            p -= lr * v
    for p, q in zip(net.W + net.b + net.gamma + net.beta, ref.W + ref.b + ref.gamma + ref.beta,
                    strict=True):
        np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-14)


def test_remedies_change_how_much_of_the_gradient_reaches_layer_1_of_a_deep_sigmoid_network():
    # Chapter 6's deep sigmoid network: 10 hidden layers of 16 (Glorot). At the start, layer 1's
    # weight gradient is ~1e-6 of layer 10's. Batch norm and a residual skip bring it within a
    # factor of 100 (seeds 0-7: 0.9-30 and 0.05-0.4); layer norm gains only ~100x (1e-4-1e-3):
    # it restores the spread over the units of a row, not the spread over the examples.
    X, y = two_moons(100, seed=0)
    ratios = {}
    for norm, residual in ((None, False), ("layer", False), ("batch", False), (None, True)):
        net = MLP([2] + [16] * 10 + [2], "sigmoid", init="glorot", seed=0, norm=norm,
                  residual=residual)
        w = net.gradient_norms(X, y)["weights"]
        ratios[norm, residual] = w[0] / w[-2]
    assert ratios[None, False] < 1e-5, ratios
    assert 10 * ratios[None, False] < ratios["layer", False] < 1e-2, ratios
    assert ratios["batch", False] > 0.1 and ratios[None, True] > 1e-2, ratios


def test_callback_is_called_after_every_step_with_the_raw_gradients():
    X, y = two_moons(50, seed=0)
    net = MLP([2, 6, 2], "relu", seed=0, norm="batch")
    seen = []

    def callback(n, grads):
        assert n is net and n.training
        seen.append(([w.copy() for w in n.W], [layer[0].copy() for layer in grads], len(grads[0])))

    start = [w.copy() for w in net.W]
    train(net, X, y, lr=0.1, epochs=2, batch_size=20, seed=3, clip=1e-3, callback=callback)
    assert len(seen) == 2 * 3  # 50 rows in batches of 20: 3 steps per epoch
    assert seen[0][2] == 4  # (dW, db, dgamma, dbeta) for the normalised hidden layer
    # W had already moved by lr times the clipped gradient; the callback saw it unclipped
    step = start[0] - seen[0][0][0]
    raw = seen[0][1][0]
    assert np.linalg.norm(raw) > 1e-3 and np.linalg.norm(step) <= 0.1 * 1e-3 * (1 + 1e-12)
    np.testing.assert_allclose(step / np.linalg.norm(step), raw / np.linalg.norm(raw) * np.sign(
        np.sum(step * raw)), atol=0.2)
    with pytest.raises(TypeError, match="callback"):
        train(net, X, y, lr=0.1, epochs=1, callback="print")


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"norm": "group"}, ValueError, "norm"),
        ({"norm": 1}, TypeError, "norm"),
        ({"norm": True}, TypeError, "norm"),
        ({"residual": "yes"}, TypeError, "residual"),
        ({"residual": 1}, TypeError, "residual"),
        ({"norm_eps": 0.0}, ValueError, "norm_eps"),
        ({"norm_eps": "tiny"}, TypeError, "norm_eps"),
        ({"norm_momentum": 0.0}, ValueError, "norm_momentum"),
        ({"norm_momentum": 1.5}, ValueError, "norm_momentum"),
    ],
)
def test_bad_normalisation_arguments(kwargs, error, name):
    with pytest.raises(error, match=name):
        MLP([2, 3, 2], **kwargs)


def test_batch_norm_needs_two_rows_per_batch():
    X, y = two_moons(21, seed=0)
    net = MLP([2, 3, 2], norm="batch")
    with pytest.raises(ValueError, match="batch_size"):
        train(net, X, y, lr=0.1, epochs=1, batch_size=10)  # 21 = 10 + 10 + 1
    with pytest.raises(ValueError, match="batch_size"):
        train(net, X, y, lr=0.1, epochs=1, batch_size=1)
    with pytest.raises(ValueError, match="2 rows"):
        net.forward(X[:1])
    net.training = False
    assert net.forward(X[:1]).shape == (1, 2)  # running statistics: any batch
    with pytest.raises(ValueError, match="training"):
        net.update_running_statistics()  # the last forward pass used running statistics
    with pytest.raises(ValueError, match="batch"):
        MLP([2, 3, 2], norm="layer").update_running_statistics()
    train(net, X, y, lr=0.1, epochs=1, batch_size=7)
