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

pytestmark = pytest.mark.filterwarnings("error")  # any NumPy warning fails a test

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
