"""Unit tests of actlab.diagnostics and of the plots that go with it."""

from __future__ import annotations

import copy

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from actlab import (
    MLP,
    SELU_ALPHA,
    SELU_LAMBDA,
    UpdateRecorder,
    layer_gradients,
    layer_outputs,
    layer_statistics,
    max_derivative,
    plot_gradient_norms,
    plot_layer_histograms,
    plot_update_ratios,
    train,
    two_moons,
    use_house_style,
)

pytestmark = [pytest.mark.filterwarnings("error"),  # any warning fails a test
              # a socket another test module leaked, collected during this one, is not this
              # module's warning (pytest reports it through an "unraisable" warning)
              pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")]


@pytest.fixture(autouse=True)
def _style():
    with matplotlib.rc_context():
        use_house_style()
        yield
    plt.close("all")


def one_layer_net(activation: str, z_columns: list[list[float]]) -> tuple[MLP, np.ndarray]:
    """A [1, n, 1] network whose hidden z on the rows of X are exactly ``z_columns``.

    X is the identity-like column (1, 2, ...) and W1, b1 are chosen so that
    z[i, j] = z_columns[j][i] (two rows: z = b + x w with x = 0 and x = 1).
    """
    z = np.array(z_columns, dtype=float).T  # shape (2, n): row 0 at x = 0, row 1 at x = 1
    net = MLP([1, z.shape[1], 1], activation, seed=0)
    net.b[0][...] = z[0]
    net.W[0][...] = (z[1] - z[0])[None, :]
    return net, np.array([[0.0], [1.0]])


# --------------------------------------------------------------------------- layer statistics


def test_tanh_statistics_by_hand():
    # z of three units on two examples; tanh saturates (|a| >= sqrt(0.95)) where |z| >= 2.178.
    net, X = one_layer_net("tanh", [[0.0, 3.0], [-2.0, -2.5], [0.5, 1.0]])
    stats = layer_statistics(net, X)
    a = np.tanh(np.array([[0.0, -2.0, 0.5], [3.0, -2.5, 1.0]]))
    assert stats["mean"][0] == pytest.approx(a.mean())
    assert stats["std"][0] == pytest.approx(a.std())
    assert stats["saturated"][0] == pytest.approx(2 / 6)      # z = 3 and z = -2.5
    assert stats["never_positive"][0] == pytest.approx(1 / 3)  # the unit with z = -2, -2.5


def test_tanh_saturation_threshold_is_abs_a_about_0975():
    z_edge = np.arctanh(np.sqrt(0.95))  # where 1 - tanh^2 = 0.05
    net, X = one_layer_net("tanh", [[z_edge - 1e-6, z_edge + 1e-6]])
    assert layer_statistics(net, X)["saturated"][0] == pytest.approx(0.5)
    # A looser threshold counts both, a stricter one neither.
    assert layer_statistics(net, X, threshold=0.06)["saturated"][0] == pytest.approx(1.0)
    assert layer_statistics(net, X, threshold=0.04)["saturated"][0] == pytest.approx(0.0)


def test_sigmoid_saturation_is_relative_to_its_maximum_of_a_quarter():
    # sigma'(4) = 0.0177 > 0.05 * 0.25 = 0.0125 > sigma'(5) = 0.0066, on both sides.
    net, X = one_layer_net("sigmoid", [[4.0, 5.0], [-4.0, -5.0]])
    stats = layer_statistics(net, X)
    assert stats["saturated"][0] == pytest.approx(0.5)
    assert stats["never_positive"][0] == pytest.approx(0.5)


def test_relu_saturated_is_the_inactive_share_and_never_positive_counts_units():
    net, X = one_layer_net("relu", [[1.0, -1.0], [0.0, -3.0], [2.0, 2.0], [-1.0, 0.5]])
    stats = layer_statistics(net, X)
    assert stats["saturated"][0] == pytest.approx(4 / 8)        # z <= 0: -1, 0, -3, -1
    assert stats["never_positive"][0] == pytest.approx(1 / 4)   # only the unit with 0, -3
    assert stats["mean"][0] == pytest.approx((1 + 2 + 2 + 0.5) / 8)


def test_statistics_cover_every_hidden_layer_and_not_the_output():
    X, _ = two_moons(50, seed=1)
    net = MLP([2, 8, 6, 4, 2], "sigmoid", init="glorot", seed=2)
    stats = layer_statistics(net, X)
    assert set(stats) == {"mean", "std", "saturated", "never_positive"}
    assert all(v.shape == (3,) for v in stats.values())
    net.forward(X)
    for k in range(3):
        a = net.activations[k + 1]
        assert stats["mean"][k] == pytest.approx(a.mean())
        assert stats["std"][k] == pytest.approx(a.std())


def test_a_deep_saturated_tanh_network_is_reported_saturated():
    X, _ = two_moons(100, seed=0)
    healthy = MLP([2] + [32] * 4 + [2], "tanh", init="glorot", seed=0)
    saturated = MLP([2] + [32] * 4 + [2], "tanh", init="normal", weight_std=3.0, seed=0)
    assert layer_statistics(healthy, X)["saturated"].max() < 0.1
    assert layer_statistics(saturated, X)["saturated"][1:].min() > 0.8


def test_statistics_use_what_goes_into_the_activation_with_normalisation():
    X, _ = two_moons(40, seed=3)
    net = MLP([2, 6, 6, 2], "relu", norm="layer", seed=1)
    net.beta[0][...] = -5.0  # every unit of layer 1 is pushed below 0 after the normalisation
    stats = layer_statistics(net, X)
    assert stats["never_positive"][0] == 1.0
    net.forward(X)
    assert not np.all(net.zs[0] <= 0)  # the raw z would not have said so
    for got, u in zip(layer_outputs(net, X), net.pre_activations[:-1], strict=True):
        assert np.array_equal(got, np.maximum(u, 0))


def test_statistics_of_a_batch_norm_network_use_the_running_statistics():
    X, _ = two_moons(40, seed=3)
    net = MLP([2, 6, 2], "tanh", norm="batch", seed=1)
    net.running_mean[0][...] = 100.0   # absurd running statistics: everything saturates
    assert layer_statistics(net, X)["saturated"][0] == 1.0
    assert net.training  # the flag is left as it was


def test_residual_statistics_are_of_the_branch_not_the_sum():
    X, _ = two_moons(30, seed=4)
    net = MLP([2, 5, 5, 2], "relu", residual=True, seed=2)
    outs = layer_outputs(net, X)
    net.forward(X)
    assert np.array_equal(outs[1], np.maximum(net.pre_activations[1], 0))
    assert not np.array_equal(outs[1], net.activations[2])  # a_2 = a_1 + f(z_2)


@pytest.mark.parametrize(("activation", "expected", "tol"), [
    ("sigmoid", 0.25, 1e-12), ("tanh", 1.0, 1e-12), ("relu", 1.0, 0), ("leaky_relu", 1.0, 0),
    ("silu", 1.0998393, 1e-6), ("gelu", 1.1289041, 1e-6), ("softplus", 1.0, 1e-3),
    ("selu", SELU_LAMBDA * SELU_ALPHA, 1e-3),
])
def test_max_derivative(activation, expected, tol):
    assert max_derivative(MLP([1, 2, 1], activation)) == pytest.approx(expected, abs=tol)


def test_max_derivative_follows_alpha():
    assert max_derivative(MLP([1, 2, 1], "elu", alpha=2.0)) == pytest.approx(2.0, abs=1e-2)


@pytest.mark.parametrize(("kwargs", "error"), [
    ({"threshold": 0}, ValueError), ({"threshold": 1}, ValueError),
    ({"threshold": "0.05"}, TypeError),
])
def test_bad_threshold(kwargs, error):
    net, X = one_layer_net("tanh", [[0.0, 1.0]])
    with pytest.raises(error, match="threshold"):
        layer_statistics(net, X, **kwargs)


@pytest.mark.parametrize("func", [layer_statistics, layer_outputs, max_derivative])
def test_a_non_network_is_refused(func):
    args = ([[0.0]],) if func is not max_derivative else ()
    with pytest.raises(TypeError, match="net"):
        func("not a network", *args)


# --------------------------------------------------------------------------- gradients


def test_layer_gradients_are_the_back_propagated_weight_gradients_and_change_nothing():
    X, y = two_moons(30, seed=1)
    net = MLP([2, 5, 4, 2], "tanh", init="glorot", seed=1)
    before = [W.copy() for W in net.W]
    grads = layer_gradients(net, X, y)
    _, expected = net.loss_and_grads(X, y)
    assert len(grads) == 3
    for g, (dW, _) in zip(grads, expected, strict=True):
        assert np.array_equal(g, dW)
    for W, W0 in zip(net.W, before, strict=True):
        assert np.array_equal(W, W0)


# --------------------------------------------------------------------------- update recorder


def recorded_steps(net, X, y, **kwargs):
    """Train with an UpdateRecorder and a spy that keeps the weights after each step."""
    rec = UpdateRecorder(net)
    weights = [[W.copy() for W in net.W]]
    raw = []

    def both(n, grads):
        rec(n, grads)
        weights.append([W.copy() for W in n.W])
        raw.append([g[0].copy() for g in grads])

    train(net, X, y, callback=both, **kwargs)
    return rec, weights, raw


def test_plain_sgd_ratio_is_lr_times_gradient_norm_over_weight_norm():
    X, y = two_moons(40, seed=1)
    net = MLP([2, 6, 5, 2], "tanh", init="glorot", seed=0)
    start = copy.deepcopy(net)
    lr = 0.3
    rec, weights, raw = recorded_steps(net, X, y, lr=lr, epochs=3)   # full batch: 3 steps
    assert rec.ratios.shape == rec.grad_norms.shape == (3, 3)
    # Step 1, computed independently on a copy of the starting network.
    _, grads = start.loss_and_grads(X, y)
    for k, (dW, _) in enumerate(grads):
        assert rec.grad_norms[0, k] == pytest.approx(np.linalg.norm(dW), rel=1e-12)
        expected = lr * np.linalg.norm(dW) / np.linalg.norm(start.W[k])
        assert rec.ratios[0, k] == pytest.approx(expected, rel=1e-10)
    # Every step: the same identity with that step's weights and gradient.
    for s in range(3):
        for k in range(3):
            expected = lr * np.linalg.norm(raw[s][k]) / np.linalg.norm(weights[s][k])
            assert rec.ratios[s, k] == pytest.approx(expected, rel=1e-10)


def test_with_momentum_the_ratio_measures_the_real_update():
    X, y = two_moons(40, seed=1)
    net = MLP([2, 6, 2], "relu", seed=0)
    lr = 0.1
    rec, weights, raw = recorded_steps(net, X, y, lr=lr, epochs=4, momentum=0.9)
    velocity = [np.zeros_like(W) for W in weights[0]]
    for s in range(4):
        for k in range(2):
            velocity[k] = 0.9 * velocity[k] + raw[s][k]
            real = np.linalg.norm(weights[s + 1][k] - weights[s][k]) / np.linalg.norm(weights[s][k])
            assert rec.ratios[s, k] == pytest.approx(real, rel=1e-12)
            assert rec.ratios[s, k] == pytest.approx(
                lr * np.linalg.norm(velocity[k]) / np.linalg.norm(weights[s][k]), rel=1e-8)
    naive = lr * np.linalg.norm(raw[3][0]) / np.linalg.norm(weights[3][0])
    assert abs(rec.ratios[3, 0] - naive) > 0.1 * naive  # the velocity is not the gradient


def test_with_clipping_the_ratio_is_smaller_than_the_unclipped_one():
    X, y = two_moons(40, seed=1)
    net = MLP([2, 6, 2], "tanh", init="normal", weight_std=2.0, seed=0)
    lr = 0.5
    rec, weights, raw = recorded_steps(net, X, y, lr=lr, epochs=2, clip=1e-3)
    for s in range(2):
        total = np.sqrt(sum(np.sum(g**2) for g in raw[s]))  # ||dW|| only, a lower bound
        assert total > 1e-3  # clipping happened
        for k in range(2):
            unclipped = lr * np.linalg.norm(raw[s][k]) / np.linalg.norm(weights[s][k])
            assert rec.ratios[s, k] < 0.5 * unclipped
            assert rec.grad_norms[s, k] == pytest.approx(np.linalg.norm(raw[s][k]))


def test_minibatches_give_one_row_per_step():
    X, y = two_moons(50, seed=1)
    net = MLP([2, 4, 2], "tanh", seed=0)
    rec = UpdateRecorder(net)
    train(net, X, y, lr=0.1, epochs=3, batch_size=20, callback=rec)  # 3 batches per epoch
    assert rec.steps == 9 and rec.ratios.shape == (9, 2)
    assert np.all(np.isfinite(rec.ratios)) and np.all(rec.ratios > 0)


def test_zero_weights_give_inf_or_nan_without_a_warning():
    X, y = two_moons(21, seed=1)  # classes of 11 and 10: the mean of p - onehot(y) is not 0
    net = MLP([2, 3, 2], "sigmoid", seed=0)
    for W in net.W:
        W[...] = 0.0
    rec = UpdateRecorder(net)
    train(net, X, y, lr=0.1, epochs=1, callback=rec)
    # W2's gradient a_1^T delta_2 is not 0 (a_1 = 1/2); W1's is 0 since W2 was 0.
    assert np.isnan(rec.ratios[0, 0]) and np.isinf(rec.ratios[0, 1])


def test_a_recorder_is_tied_to_its_network():
    X, y = two_moons(20, seed=1)
    rec = UpdateRecorder(MLP([2, 3, 2], seed=0))
    with pytest.raises(ValueError, match="another network"):
        train(MLP([2, 3, 2], seed=0), X, y, lr=0.1, epochs=1, callback=rec)
    with pytest.raises(TypeError, match="net"):
        UpdateRecorder([np.zeros((2, 2))])


def test_an_empty_recorder_has_empty_arrays_of_the_right_width():
    rec = UpdateRecorder(MLP([2, 3, 3, 2], seed=0))
    assert rec.steps == 0 and rec.ratios.shape == (0, 3) and rec.grad_norms.shape == (0, 3)


# --------------------------------------------------------------------------- plots


def test_layer_histograms_are_densities_one_style_per_layer_legend_outside():
    rng = np.random.default_rng(0)
    values = [rng.normal(0, s, size=(200, 8)) for s in (0.5, 1.0, 2.0)]
    ax = plot_layer_histograms(values, bins=40, value_range=(-10, 10), xlabel="$a$")
    lines = ax.get_lines()
    assert len(lines) == 3
    assert len({str(line.get_linestyle()) for line in lines}) == 3
    assert len({line.get_color() for line in lines}) == 3
    width = 20 / 40
    for line in lines:  # all values are inside the range, so each density integrates to 1
        assert np.sum(line.get_ydata()) * width == pytest.approx(1.0)
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["layer 1", "layer 2", "layer 3"]
    assert legend.get_bbox_to_anchor().transformed(ax.transAxes.inverted()).x0 > 1


def test_layer_histograms_share_their_bins_by_default():
    ax = plot_layer_histograms([np.array([0.0, 1.0]), np.array([3.0, 4.0])], bins=4,
                               labels=["a", "b"])
    first, second = ax.get_lines()
    assert np.array_equal(first.get_xdata(), second.get_xdata())
    assert first.get_xdata()[0] == pytest.approx(0.5)  # centres of 4 bins over [0, 4]


@pytest.mark.parametrize(("args", "kwargs"), [
    ([[]], {}), ([[np.array([1.0, np.nan])]], {}), ([[np.ones(3)]], {"labels": ["a", "b"]}),
    ([[np.ones(3)]], {"bins": 0}), ([[np.ones(3)]], {"value_range": (1, 1)}),
])
def test_layer_histograms_refuse_bad_input(args, kwargs):
    with pytest.raises(ValueError):
        plot_layer_histograms(*args, **kwargs)


def test_update_ratios_on_a_log_axis_with_the_reference_line():
    ratios = np.array([[1e-2, 1e-4], [2e-2, 3e-4], [4e-2, 5e-4], [8e-2, 7e-4]])
    ax = plot_update_ratios(ratios)
    assert ax.get_yscale() == "log"
    lines = ax.get_lines()
    assert len(lines) == 3
    reference = lines[-1]
    assert np.all(np.asarray(reference.get_ydata()) == 1e-3)
    assert "0.001" in [t.get_text() for t in ax.get_legend().get_texts()][-1]
    assert np.array_equal(lines[0].get_xdata(), [1, 2, 3, 4])
    assert np.array_equal(lines[1].get_ydata(), ratios[:, 1])


def test_update_ratios_window_averages_blocks_and_drops_the_tail():
    ratios = np.arange(1.0, 8.0)[:, None]  # 7 steps, one layer
    ax = plot_update_ratios(ratios, window=3, reference=None)
    (line,) = ax.get_lines()
    assert np.array_equal(line.get_ydata(), [2.0, 5.0])   # means of 1-3 and 4-6
    assert np.array_equal(line.get_xdata(), [2.0, 5.0])   # their middle steps


def test_gradient_norms_plot_one_line_per_layer():
    norms = np.exp(np.linspace(0, -5, 30)).reshape(10, 3)
    ax = plot_gradient_norms(norms, labels=["$W_1$", "$W_2$", "$W_3$"])
    assert ax.get_yscale() == "log" and len(ax.get_lines()) == 3


@pytest.mark.parametrize(("values", "kwargs"), [
    (np.ones(5), {}), (np.ones((3, 2)), {"window": 0}), (np.ones((3, 2)), {"window": 4}),
    (np.ones((3, 2)), {"labels": ["a"]}), (np.ones((3, 2)), {"reference": -1.0}),
])
def test_trace_plots_refuse_bad_input(values, kwargs):
    with pytest.raises(ValueError):
        plot_update_ratios(values, **kwargs)


def test_a_recorder_feeds_the_plots():
    X, y = two_moons(60, seed=2)
    net = MLP([2, 8, 8, 2], "tanh", init="glorot", seed=0)
    rec = UpdateRecorder(net)
    train(net, X, y, lr=0.2, epochs=5, batch_size=20, callback=rec)
    fig, axes = plt.subplots(1, 3, figsize=(12, 3))
    plot_layer_histograms(layer_outputs(net, X), ax=axes[0])
    plot_gradient_norms(rec.grad_norms, ax=axes[1], window=3)
    plot_update_ratios(rec.ratios, ax=axes[2], window=3)
    fig.canvas.draw()
