r"""Per-layer health diagnostics for an :class:`~actlab.mlp.MLP`.

Functions, not a framework: each takes a network (and data) and returns NumPy
arrays, one entry per layer, layer 1 first. The plots that go with them are
:func:`actlab.plotting.plot_layer_histograms`,
:func:`actlab.plotting.plot_gradient_norms` and
:func:`actlab.plotting.plot_update_ratios`.

*What goes into the activation.* For hidden layer :math:`l` the statistics
are computed on what the activation function :math:`f` receives: the
pre-activation :math:`z_l = a_{l-1} W_l + b_l`, or its normalised form when the
network normalises before the activation (the network's ``pre_activations``
when it has them, else its ``zs``), and on the activation's output
:math:`f(z_l)` (with a residual connection that is the branch added to
:math:`a_{l-1}`, not the sum). The output layer is left out of the activation
statistics; the gradient diagnostics cover every layer. The statistics
evaluate the network as :meth:`MLP.predict` does (batch normalisation with its
running statistics); :func:`layer_gradients` follows ``net.training`` as
:meth:`MLP.loss_and_grads` does.

*Saturated.* A hidden unit is saturated on an example when its local
derivative is small next to the largest derivative the activation has:

.. math:: |f'(z)| \le \tau \max_u |f'(u)|, \qquad \tau = 0.05 \text{ by default.}

Almost no gradient then passes through the unit for that example. For tanh
(:math:`\max f' = 1`) the rule is :math:`1 - a^2 \le 0.05`, i.e.
:math:`|a| \ge \sqrt{0.95} \approx 0.975`, close to the rule of thumb
:math:`|a| > 0.97`; for the sigmoid (:math:`\max \sigma' = 1/4`) it is
:math:`a(1 - a) \le 0.0125`, i.e. :math:`a \le 0.0127` or :math:`a \ge 0.9873`.
The rule applies to every activation, but what it measures differs: for the
rectifiers it counts the examples on the flat negative side (for ReLU every
:math:`z \le 0`; for Leaky ReLU with :math:`\alpha < \tau` every :math:`z < 0`),
so for them the share of units *never positive* is the telling number.

*Never positive.* A hidden unit is never positive on a data set when its
pre-activation is :math:`\le 0` on every example of it: a dead unit, for ReLU
(see :mod:`actlab.mlp`).

*Update-to-weight ratio.* For layer :math:`l` and one SGD step that changes
the weights from :math:`W_l` to :math:`W_l'`, the ratio is
:math:`\lVert W_l' - W_l\rVert / \lVert W_l\rVert` (Frobenius norms, the
weights before the step in the denominator). For plain SGD with learning rate
:math:`\eta` it equals :math:`\eta\,\lVert\partial\mathcal L/\partial W_l\rVert
/ \lVert W_l\rVert`; :class:`UpdateRecorder` measures the real change of the
weights, so it is right with momentum and gradient clipping too. A common rule
of thumb puts healthy values near :math:`10^{-3}`.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

import numpy as np

from ._validation import check_real_scalar
from .mlp import MLP

__all__ = ["UpdateRecorder", "layer_gradients", "layer_outputs", "layer_statistics",
           "max_derivative"]

#: The interval and the number of points on which :func:`max_derivative` looks.
_GRID = np.linspace(-30.0, 30.0, 60001)


def _check_net(net: Any) -> MLP:
    if not isinstance(net, MLP):
        raise TypeError(f"net must be an actlab MLP, not {type(net).__name__}")
    return net


def _pre_activations(net: MLP, X: Any) -> list[np.ndarray]:
    """Forward ``X`` as :meth:`MLP.predict` does; return what each hidden activation receives."""
    evaluating = getattr(net, "_evaluating", None)  # batch norm: use the running statistics
    with evaluating() if evaluating is not None else nullcontext():
        net.forward(X)
    pre = getattr(net, "pre_activations", None)
    if not isinstance(pre, list) or len(pre) != len(net.zs):
        pre = net.zs
    return list(pre[:-1])


def max_derivative(net: MLP) -> float:
    r"""The largest :math:`|f'(z)|` of the network's hidden activation :math:`f`.

    Taken over a grid of spacing 0.001 on :math:`[-30, 30]`, which holds the
    maximum of every activation in :data:`actlab.ACTIVATIONS` or, for those
    whose derivative only approaches its supremum (softplus, 1 as
    :math:`z \to \infty`; SELU, :math:`\lambda\alpha` as :math:`z \to 0^-`),
    comes within 1e-3 of it. (Sigmoid 0.25, tanh and ReLU 1, SiLU about 1.0998,
    exact GELU about 1.1289.)
    """
    _check_net(net)
    return float(np.max(np.abs(net._fprime(_GRID))))


def layer_outputs(net: MLP, X: Any) -> list[np.ndarray]:
    r"""The activation outputs :math:`f(z_l)` of every hidden layer on ``X``.

    Parameters
    ----------
    net : MLP
    X : array_like, shape (m, n_0)

    Returns
    -------
    list of ndarray
        One array of shape ``(m, n_l)`` per hidden layer, layer 1 first.
    """
    _check_net(net)
    return [net._f(z) for z in _pre_activations(net, X)]


def layer_statistics(net: MLP, X: Any, *, threshold: float = 0.05) -> dict[str, np.ndarray]:
    r"""Health statistics of every hidden layer on the rows of ``X``.

    Parameters
    ----------
    net : MLP
    X : array_like, shape (m, n_0)
        The data (every row is one example).
    threshold : float, default 0.05
        :math:`\tau` of the saturation rule :math:`|f'(z)| \le \tau \max|f'|`
        (see the module docstring), strictly between 0 and 1.

    Returns
    -------
    dict of ndarray, each of length L - 1 (one entry per hidden layer)
        ``"mean"`` and ``"std"``: mean and standard deviation of the
        activation output :math:`f(z_l)` over all examples and units of the
        layer. ``"saturated"``: share of (example, unit) pairs with
        :math:`|f'(z)| \le \tau \max|f'|`. ``"never_positive"``: share of
        the layer's units whose :math:`z` is :math:`\le 0` on every row.

    Examples
    --------
    >>> net = MLP([2, 3, 2], "relu")
    >>> net.W[0][...] = [[1.0, -1.0, 0.0], [0.0, 0.0, 0.0]]
    >>> stats = layer_statistics(net, [[1.0, 0.0], [2.0, 0.0]])
    >>> {key: round(float(v[0]), 4) for key, v in stats.items()}
    {'mean': 0.5, 'std': 0.7638, 'saturated': 0.6667, 'never_positive': 0.6667}
    """
    _check_net(net)
    tau = check_real_scalar(threshold, "threshold")
    if not 0 < tau < 1:
        raise ValueError(f"threshold must lie strictly between 0 and 1, got {tau}")
    limit = tau * max_derivative(net)
    stats: dict[str, list[float]] = {"mean": [], "std": [], "saturated": [],
                                     "never_positive": []}
    for z in _pre_activations(net, X):
        a = net._f(z)
        stats["mean"].append(float(np.mean(a)))
        stats["std"].append(float(np.std(a)))
        stats["saturated"].append(float(np.mean(np.abs(net._fprime(z)) <= limit)))
        stats["never_positive"].append(float(np.mean(np.all(z <= 0, axis=0))))
    return {key: np.array(values) for key, values in stats.items()}


def layer_gradients(net: MLP, X: Any, y: Any, loss: str = "cross_entropy") -> list[np.ndarray]:
    r"""The weight gradients :math:`\partial\mathcal L/\partial W_l` of every layer on one batch.

    One forward and backward pass on ``(X, y)``; the weights are not changed.

    Returns
    -------
    list of ndarray
        :math:`\partial\mathcal L/\partial W_l`, shape ``(n_{l-1}, n_l)``,
        for :math:`l = 1, \dots, L`.
    """
    _check_net(net)
    _, grads = net.loss_and_grads(X, y, loss)
    return [g[0] for g in grads]


class UpdateRecorder:
    r"""Record per-layer gradient norms and update-to-weight ratios during training.

    Use it as the ``callback`` of :func:`actlab.train`: after every SGD step
    it stores, for every layer :math:`l`, the Frobenius norm of the raw
    gradient :math:`\lVert\partial\mathcal L/\partial W_l\rVert` of that step
    and the ratio :math:`\lVert W_l' - W_l\rVert / \lVert W_l\rVert` of the
    real change of the weights to the weights before the step. It keeps a copy
    of the weights to measure that change, so the ratio is right with
    momentum and clipping too (where it is not :math:`\eta` times the gradient
    norm). A layer whose weights before the step are all zero gets the ratio
    ``inf`` (or ``nan`` if they did not move either).

    Parameters
    ----------
    net : MLP
        The network that will be trained; create the recorder right before
        training, so that its copy of the weights is current.

    Attributes
    ----------
    grad_norms : ndarray, shape (steps, L)
    ratios : ndarray, shape (steps, L)
        One row per recorded step, one column per layer (layer 1 first).

    Examples
    --------
    >>> from actlab import two_moons, train
    >>> X, y = two_moons(40, seed=1)
    >>> net = MLP([2, 8, 2], "tanh", seed=0)
    >>> rec = UpdateRecorder(net)
    >>> _ = train(net, X, y, lr=0.1, epochs=3, batch_size=20, callback=rec)
    >>> rec.ratios.shape
    (6, 2)
    """

    def __init__(self, net: MLP) -> None:
        self.net = _check_net(net)
        self._previous = [W.copy() for W in net.W]
        self._grad_norms: list[list[float]] = []
        self._ratios: list[list[float]] = []

    def __call__(self, net: MLP, grads: list[tuple[np.ndarray, ...]]) -> None:
        """Record one step: ``net.W`` holds the new weights, ``grads`` the step's gradients."""
        if net is not self.net:
            raise ValueError("this UpdateRecorder was made for another network")
        if len(grads) != len(net.W):
            raise ValueError(f"grads must hold one tuple per layer ({len(net.W)}), "
                             f"got {len(grads)}")
        norms, ratios = [], []
        for prev, W, g in zip(self._previous, net.W, grads, strict=True):
            norms.append(float(np.linalg.norm(g[0])))
            change = float(np.linalg.norm(W - prev))
            if np.any(prev):
                ratios.append(change / float(np.linalg.norm(prev)))
            else:  # all-zero weights before the step: no finite ratio
                ratios.append(np.inf if change > 0 else np.nan)
            prev[...] = W
        self._grad_norms.append(norms)
        self._ratios.append(ratios)

    @property
    def steps(self) -> int:
        """Number of steps recorded."""
        return len(self._ratios)

    @property
    def grad_norms(self) -> np.ndarray:
        return np.array(self._grad_norms, dtype=np.float64).reshape(-1, len(self.net.W))

    @property
    def ratios(self) -> np.ndarray:
        return np.array(self._ratios, dtype=np.float64).reshape(-1, len(self.net.W))
