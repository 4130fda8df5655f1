r"""A tiny multilayer perceptron in NumPy, with the backward pass written out.

Rows are examples. With :math:`a_0 = X` (shape ``(m, n_0)``) the network computes,
for the layers :math:`l = 1, \dots, L`,

.. math:: z_l = a_{l-1} W_l + b_l, \qquad a_l = f_l(z_l),

where :math:`W_l` has shape ``(n_{l-1}, n_l)``, every hidden layer uses the same
activation :math:`f` and the output layer uses ``output`` (the identity,
``"linear"``, by default), so :math:`a_L` are the logits. Back-propagation is the
chain rule run backwards, starting from :math:`\partial\mathcal{L}/\partial a_L`:

.. math::
    \delta_l = \frac{\partial \mathcal{L}}{\partial z_l}
             = \frac{\partial \mathcal{L}}{\partial a_l} \odot f_l'(z_l), \quad
    \frac{\partial \mathcal{L}}{\partial W_l} = a_{l-1}^\top \delta_l, \quad
    \frac{\partial \mathcal{L}}{\partial b_l} = \textstyle\sum_{\text{rows}} \delta_l, \quad
    \frac{\partial \mathcal{L}}{\partial a_{l-1}} = \delta_l W_l^\top.

The activations and their derivatives are :mod:`actlab.activations`' own.

**Dead units.** Hidden unit :math:`j` of layer :math:`l` is *dead on a data set*
when its pre-activation satisfies :math:`z_{l,j} \le 0` for every example in it.
For ReLU its output and its derivative (``relu_prime(0) == 0``) are then zero for
every example, so no gradient reaches its incoming weights and no SGD step on
that data can revive it. Leaky ReLU and ELU units are counted by the same
criterion — "never in the positive region" — but a small gradient still flows
through them, so they can come back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import numpy as np

from ._validation import as_real_array, check_int, check_real_scalar
from .activations import (
    elu,
    elu_prime,
    gelu,
    gelu_prime,
    leaky_relu,
    leaky_relu_prime,
    mish,
    mish_prime,
    relu,
    relu_prime,
    selu,
    selu_prime,
    sigmoid,
    sigmoid_prime,
    silu,
    silu_prime,
    softplus,
    softplus_prime,
    tanh,
    tanh_prime,
)
from .numdiff import central_difference

__all__ = ["ACTIVATIONS", "INITS", "MLP", "gradient_check", "mean_squared_error",
           "softmax_cross_entropy", "train"]

_FUNCTIONS: dict[str, tuple[Callable, Callable]] = {
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
    "leaky_relu": (leaky_relu, leaky_relu_prime),
    "elu": (elu, elu_prime),
    "softplus": (softplus, softplus_prime),
    "silu": (silu, silu_prime),
    "gelu": (gelu, gelu_prime),
    "gelu_tanh": (partial(gelu, approximate="tanh"), partial(gelu_prime, approximate="tanh")),
    "mish": (mish, mish_prime),
    "selu": (selu, selu_prime),
    "linear": (lambda z: z, np.ones_like),
}
#: Names accepted for ``activation`` and ``output``.
ACTIVATIONS = tuple(_FUNCTIONS)
#: Names accepted for ``init`` (``"naive"``, the former name of ``"normal"``, still works).
INITS = ("normal", "glorot", "he")
_INIT_ALIASES = {"naive": "normal"}
_DEFAULT_ALPHA = {"leaky_relu": 0.01, "elu": 1.0}


def _check_positive(value: Any, name: str) -> float:
    value = check_real_scalar(value, name)
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value}")
    return value


def _check_choice(value: Any, name: str, choices: Sequence[str]) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {type(value).__name__}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return value


def _function_pair(name: str, alpha: float | None) -> tuple[Callable, Callable]:
    f, fprime = _FUNCTIONS[name]
    if name in _DEFAULT_ALPHA:
        a = _DEFAULT_ALPHA[name] if alpha is None else alpha
        return partial(f, alpha=a), partial(fprime, alpha=a)
    return f, fprime


def softmax_cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    r"""Mean softmax cross-entropy and its gradient with respect to the logits.

    :math:`\mathcal{L} = -\frac1m \sum_i \log p_{i, y_i}` with
    :math:`p_i = \operatorname{softmax}(z_i)`, computed as a log-sum-exp so it
    never overflows; the gradient is :math:`(p - \mathrm{onehot}(y)) / m`.
    ``y`` holds integer class labels, one per row of ``logits``.
    """
    if y.shape != (logits.shape[0],):
        raise ValueError(f"y must hold one label per row: shape {y.shape}, expected ({logits.shape[0]},)")
    shifted = logits - logits.max(axis=1, keepdims=True)
    with np.errstate(under="ignore"):  # exp of a very negative logit is 0, as it should be
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        grad = np.exp(log_p)
    m = logits.shape[0]
    rows = np.arange(m)
    grad[rows, y] -= 1
    return float(-log_p[rows, y].mean()), grad / m


def mean_squared_error(out: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    r"""Half the mean squared error and its gradient: :math:`\frac{1}{2m}\sum_i \lVert a_i - t_i\rVert^2`.

    The gradient with respect to ``out`` is :math:`(a - t) / m`. A 1-D ``target``
    is read as one column.
    """
    target = target.reshape(out.shape[0], -1) if target.ndim == 1 else target
    if target.shape != out.shape:
        raise ValueError(f"y must have the output's shape {out.shape}, got {target.shape}")
    diff = out - target
    m = out.shape[0]
    return float(0.5 * np.sum(diff**2) / m), diff / m


def _dead_masks(zs: list[np.ndarray]) -> list[np.ndarray]:
    """Per hidden layer: which units have z <= 0 on every row (the output layer is left out)."""
    return [np.all(z <= 0, axis=0) for z in zs[:-1]]


#: Gradients of a whole network: one ``(dW, db)`` pair per layer, layer 1 first.
Grads = list[tuple[np.ndarray, np.ndarray]]

LOSSES = {"cross_entropy": softmax_cross_entropy, "mse": mean_squared_error}


class MLP:
    r"""A fully connected network: dense layers, one hidden activation, plain SGD.

    Parameters
    ----------
    sizes : sequence of int
        Widths ``[n_0, n_1, ..., n_L]``: inputs, hidden layers, outputs (each >= 1).
    activation : str, default "relu"
        Hidden activation, one of :data:`ACTIVATIONS`.
    output : str, default "linear"
        Output activation (the identity gives logits for the cross-entropy).
    init : {"normal", "glorot", "he"}, default "he"
        Weights are drawn from :math:`\mathcal N(0, s^2)` with :math:`s` =
        ``weight_std`` (normal), :math:`\sqrt{2/(n_{l-1}+n_l)}` (Glorot/Xavier) or
        :math:`\sqrt{2/n_{l-1}}` (He/Kaiming). ``"naive"`` is accepted as the
        former name of ``"normal"``.
    weight_std : float, default 0.01
        Standard deviation of the ``"normal"`` initialisation (the same in every layer).
    bias : float, default 0.0
        Initial value of every bias.
    alpha : float, optional
        Parameter of leaky_relu (default 0.01) or elu (default 1.0).
    seed : int, default 0
        Seed of ``numpy.random.default_rng`` for the weights.

    Attributes
    ----------
    W, b : lists of ndarray
        Weights and biases, layer 1 first.
    zs, activations : lists of ndarray
        Cache of the last :meth:`forward`: :math:`z_1..z_L` and :math:`a_0..a_L`.
    deltas : list of ndarray
        :math:`\delta_1..\delta_L` from the last :meth:`backward`.
    """

    def __init__(self, sizes: Sequence[int], activation: str = "relu", *, output: str = "linear",
                 init: str = "he", weight_std: float = 0.01, bias: float = 0.0,
                 alpha: float | None = None, seed: int = 0) -> None:
        if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or len(sizes) < 2:
            raise TypeError("sizes must be a sequence of at least two layer widths")
        self.sizes = [check_int(n, "sizes", 1) for n in sizes]
        self.activation = _check_choice(activation, "activation", ACTIVATIONS)
        self.output = _check_choice(output, "output", ACTIVATIONS)
        if isinstance(init, str):
            init = _INIT_ALIASES.get(init, init)
        self.init = _check_choice(init, "init", INITS)
        weight_std = _check_positive(weight_std, "weight_std")
        bias = check_real_scalar(bias, "bias")
        alpha = None if alpha is None else check_real_scalar(alpha, "alpha")
        self._f, self._fprime = _function_pair(self.activation, alpha)
        self._f_out, self._fprime_out = _function_pair(self.output, alpha)
        rng = np.random.default_rng(check_int(seed, "seed", 0))
        self.W: list[np.ndarray] = []
        self.b: list[np.ndarray] = []
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:], strict=True):
            std = {"normal": weight_std, "glorot": np.sqrt(2 / (n_in + n_out)),
                   "he": np.sqrt(2 / n_in)}[self.init]
            self.W.append(std * rng.standard_normal((n_in, n_out)))
            self.b.append(np.full(n_out, bias))
        self.zs: list[np.ndarray] = []
        self.activations: list[np.ndarray] = []
        self.deltas: list[np.ndarray] = []

    def _check_X(self, X: Any) -> np.ndarray:
        X = as_real_array(X, "X").astype(np.float64, copy=False)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have shape (m, {self.sizes[0]}), got {X.shape}")
        return X

    def _check_y(self, y: Any, X: np.ndarray, loss: str) -> np.ndarray:
        y = np.asarray(y)
        if loss == "cross_entropy":
            if y.dtype.kind not in "iu":
                raise TypeError(f"y must hold integer class labels, not dtype {y.dtype}")
            if y.shape != (X.shape[0],):
                raise ValueError(f"y must have shape ({X.shape[0]},) to match X, got {y.shape}")
            if y.size and (y.min() < 0 or y.max() >= self.sizes[-1]):
                raise ValueError(f"y must hold labels in 0..{self.sizes[-1] - 1}")
            return y
        y = as_real_array(y, "y").astype(np.float64, copy=False)
        if y.shape[0] != X.shape[0]:
            raise ValueError(f"y must have one row per row of X ({X.shape[0]}), got {y.shape}")
        return y

    def forward(self, X: Any) -> np.ndarray:
        """Return the network's output for the rows of ``X``; cache every ``z`` and ``a``."""
        a = self._check_X(X)
        self.zs, self.activations = [], [a]
        last = len(self.W) - 1
        for k, (W, b) in enumerate(zip(self.W, self.b, strict=True)):
            z = a @ W + b
            a = self._f_out(z) if k == last else self._f(z)
            self.zs.append(z)
            self.activations.append(a)
        return a

    def backward(self, grad_out: np.ndarray) -> Grads:
        """Back-propagate dLoss/d(output) through the last forward batch.

        Returns ``[(dW_1, db_1), ..., (dW_L, db_L)]`` and keeps every
        ``delta_l = dLoss/dz_l`` in ``self.deltas``.
        """
        L = len(self.W)
        grads: list[Any] = [None] * L
        self.deltas = [np.empty(0)] * L
        g = grad_out                                  # dLoss/da, top layer
        for k in reversed(range(L)):                  # k = l - 1
            fprime = self._fprime_out if k == L - 1 else self._fprime
            delta = g * fprime(self.zs[k])            # dLoss/dz_l
            self.deltas[k] = delta
            grads[k] = (self.activations[k].T @ delta, delta.sum(axis=0))
            g = delta @ self.W[k].T                   # dLoss/da_{l-1}
        return grads

    def compute_loss(self, X: Any, y: Any, loss: str = "cross_entropy") -> float:
        """The loss on ``(X, y)`` ("cross_entropy" or "mse"), without gradients."""
        _check_choice(loss, "loss", tuple(LOSSES))
        X = self._check_X(X)
        return LOSSES[loss](self.forward(X), self._check_y(y, X, loss))[0]

    def loss_and_grads(self, X: Any, y: Any, loss: str = "cross_entropy") -> tuple[float, Grads]:
        """Forward, loss and backward on one batch: ``(loss value, [(dW, db), ...])``."""
        _check_choice(loss, "loss", tuple(LOSSES))
        X = self._check_X(X)
        value, grad_out = LOSSES[loss](self.forward(X), self._check_y(y, X, loss))
        return value, self.backward(grad_out)

    def step(self, grads: Grads, lr: float) -> None:
        """One SGD step in place: :math:`W \\leftarrow W - \\eta\\, \\partial\\mathcal L/\\partial W`."""
        lr = _check_positive(lr, "lr")
        for W, b, (dW, db) in zip(self.W, self.b, grads, strict=True):
            W -= lr * dW
            b -= lr * db

    def predict(self, X: Any) -> np.ndarray:
        """Class labels: the index of the largest output for each row."""
        return np.argmax(self.forward(X), axis=1)

    def accuracy(self, X: Any, y: Any) -> float:
        """Fraction of rows whose predicted label equals ``y``."""
        X = self._check_X(X)
        return float(np.mean(self.predict(X) == self._check_y(y, X, "cross_entropy")))

    def dead_units(self, X: Any) -> list[np.ndarray]:
        """Per hidden layer, a boolean mask: is the unit's ``z <= 0`` for every row of ``X``?"""
        self.forward(X)
        return _dead_masks(self.zs)

    def dead_fraction(self, X: Any) -> float:
        """Fraction of all hidden units that are dead on ``X`` (see the module docstring)."""
        masks = self.dead_units(X)
        return float(np.concatenate(masks).mean()) if masks else 0.0

    def gradient_norms(self, X: Any, y: Any, loss: str = "cross_entropy") -> dict[str, np.ndarray]:
        r"""Per-layer Frobenius norms of :math:`\partial\mathcal L/\partial W_l` ("weights")
        and of :math:`\delta_l = \partial\mathcal L/\partial z_l` ("deltas"), layer 1 first."""
        _, grads = self.loss_and_grads(X, y, loss)
        return {"weights": np.array([np.linalg.norm(dW) for dW, _ in grads]),
                "deltas": np.array([np.linalg.norm(d) for d in self.deltas])}


def train(net: MLP, X: Any, y: Any, *, lr: float, epochs: int, batch_size: int | None = None,
          loss: str = "cross_entropy", seed: int = 0, clip: float | None = None,
          momentum: float = 0.0) -> dict[str, np.ndarray]:
    r"""Minibatch SGD on ``(X, y)``, in place; return the history.

    Each epoch visits the rows in a fresh random order (``default_rng(seed)``)
    in batches of ``batch_size`` (default: the whole set). With ``clip``, a step
    whose gradient has a global norm above ``clip`` is scaled down to norm ``clip``.

    With ``momentum`` :math:`\mu > 0` the steps are heavy-ball SGD: every
    parameter :math:`\theta` keeps a velocity :math:`v` (zero at the start of
    each call) and a step with gradient :math:`g` (after clipping) is
    :math:`v \leftarrow \mu v + g,\ \theta \leftarrow \theta - \eta v`. A
    parameter whose gradient is zero therefore keeps moving until its velocity
    has decayed. ``momentum=0`` (the default) is plain SGD,
    :math:`\theta \leftarrow \theta - \eta g`, bit for bit.

    Returns
    -------
    dict of ndarray, each of length ``epochs + 1`` (entry 0 is before training)
        ``"loss"`` and ``"dead_fraction"`` on the whole ``(X, y)``, and for the
        cross-entropy ``"accuracy"``.
    """
    _check_choice(loss, "loss", tuple(LOSSES))
    X = net._check_X(X)
    y = net._check_y(y, X, loss)
    lr = _check_positive(lr, "lr")
    epochs = check_int(epochs, "epochs", 0)
    batch = X.shape[0] if batch_size is None else check_int(batch_size, "batch_size", 1)
    clip = None if clip is None else _check_positive(clip, "clip")
    momentum = check_real_scalar(momentum, "momentum")
    if not 0 <= momentum < 1:
        raise ValueError(f"momentum must be in [0, 1), got {momentum}")
    velocity = ([(np.zeros_like(W), np.zeros_like(b)) for W, b in zip(net.W, net.b, strict=True)]
                if momentum else None)
    rng = np.random.default_rng(check_int(seed, "seed", 0))
    history: dict[str, list[float]] = {"loss": [], "dead_fraction": []}
    if loss == "cross_entropy":
        history["accuracy"] = []

    def record() -> None:
        out = net.forward(X)
        history["loss"].append(LOSSES[loss](out, y)[0])
        masks = _dead_masks(net.zs)
        history["dead_fraction"].append(float(np.concatenate(masks).mean()) if masks else 0.0)
        if loss == "cross_entropy":
            history["accuracy"].append(float(np.mean(np.argmax(out, axis=1) == y)))

    record()
    for _ in range(epochs):
        order = rng.permutation(X.shape[0])
        for start in range(0, X.shape[0], batch):
            rows = order[start:start + batch]
            _, grads = net.loss_and_grads(X[rows], y[rows], loss)
            if clip is not None:
                norm = np.sqrt(sum(np.sum(dW**2) + np.sum(db**2) for dW, db in grads))
                if norm > clip:
                    grads = [(dW * (clip / norm), db * (clip / norm)) for dW, db in grads]
            if velocity is not None:  # heavy ball: v <- mu v + g, then step along v
                for (vW, vb), (dW, db) in zip(velocity, grads, strict=True):
                    vW *= momentum
                    vW += dW
                    vb *= momentum
                    vb += db
                grads = velocity
            net.step(grads, lr)
        record()
    return {key: np.array(values) for key, values in history.items()}


#: Floor of :func:`gradient_check`'s errors, in units of the round-off error
#: of a central difference (see its Notes).
_ROUNDOFF_FLOOR = 1e6


def _entry_errors(analytic: Any, numeric: Any, floor: Any) -> float:
    """Largest |a - n| / max(|a| + |n|, floor) over the entries."""
    diff = np.abs(np.asarray(analytic) - numeric)
    scale = np.maximum(np.abs(analytic) + np.abs(numeric), floor)
    return float(np.max(diff / scale))


def gradient_check(net: MLP, X: Any, y: Any, loss: str = "cross_entropy",
                   h: float | None = None, *, directions: int = 4,
                   seed: int = 0) -> dict[str, float]:
    r"""Compare back-propagated gradients with central differences.

    Two comparisons, both made with :func:`actlab.central_difference`:

    * **Entry by entry.** Each entry :math:`\theta_i` of each ``W_l`` and
      ``b_l`` is nudged alone by :math:`\pm h_i` and the loss recomputed,
      which gives a numerical derivative :math:`n_i` to compare with the
      back-propagated :math:`a_i`. The error of the entry is

      .. math::
          e_i = \frac{|a_i - n_i|}{\max\bigl(|a_i| + |n_i|,\ s_i\bigr)},
          \qquad s_i = 10^{6}\,\frac{\varepsilon\,|\mathcal L|}{h_i},

      where :math:`\varepsilon\,|\mathcal L|/h_i` is the size of the
      round-off error of the central difference (:math:`\varepsilon` the
      machine epsilon, :math:`\mathcal L` the loss at the current
      parameters). Above the floor :math:`s_i`, :math:`e_i` is the relative
      error; below it, the error is measured against the floor, so the
      round-off of a tiny gradient scores about 1e-6 instead of looking
      like a disagreement.
    * **Along random directions.** For each of ``directions`` random unit
      vectors :math:`v` through all the parameters at once, the central
      difference of :math:`t \mapsto \mathcal L(\theta + t v)` is compared
      with :math:`\sum_i a_i v_i` in the same way. Two loss evaluations per
      direction, whatever the size of the network, and every entry moves,
      including those whose gradient is 0; but an error much smaller than
      the whole gradient can hide in the sum.

    The parameters, and the cache of the last forward and backward pass
    (``zs``, ``activations``, ``deltas``), are left as they were.

    Parameters
    ----------
    net : MLP
        The network; its parameters are nudged and then restored.
    X, y : array_like
        The batch, as for :meth:`MLP.loss_and_grads`.
    loss : {"cross_entropy", "mse"}, default "cross_entropy"
        The loss whose gradient is checked.
    h : float, optional
        Step of every central difference. Default: that of
        :func:`actlab.central_difference`, :math:`\varepsilon^{1/3}
        \max(1, |\theta_i|)` for each entry, and
        :math:`\varepsilon^{1/3} \max(1, \max_i |\theta_i|)` along the
        directions.
    directions : int, default 4
        Number of random directions; 0 skips that comparison.
    seed : int, default 0
        Seed of ``numpy.random.default_rng`` for the directions.

    Returns
    -------
    dict of float
        ``{"W1": e, "b1": e, ..., "directions": e}``: for each array the
        largest :math:`e_i` over its entries, and the largest error over
        the directions (no ``"directions"`` key when ``directions=0``).

    Notes
    -----
    How to read the errors (float64):

    * A correct backward pass scores below 1e-4 everywhere: typically
      1e-10 to 1e-6, the most in deep or saturated networks, whose large
      higher derivatives add truncation error (about :math:`h^2`).
    * A wrong entry whose error exceeds the floor scores close to 1: a sign
      error scores 1, and so does a non-zero value where the true gradient
      is exactly 0.
    * No check at one point sees an error below about :math:`10^{-4} s_i`
      (a hundred times the round-off, about 4e-9 for a loss of 1 and the
      default step): an entry whose whole gradient is that small cannot be
      checked, as in the first layers of a deep sigmoid network. Nor does
      it see a bug that only rescales an entry whose true gradient is 0
      there (a sign error on a dead ReLU unit's weight): check at another
      point as well (another batch, seed or bias).
    * With ReLU or leaky ReLU, a nudge that carries some :math:`z` across
      the kink at 0 spoils :math:`n_i`: keep every :math:`|z|` well above
      :math:`h`.

    Examples
    --------
    >>> from actlab import two_moons
    >>> X, y = two_moons(30, seed=1)
    >>> net = MLP([2, 4, 2], "tanh", init="glorot", seed=0)
    >>> errors = gradient_check(net, X, y)
    >>> sorted(errors)
    ['W1', 'W2', 'b1', 'b2', 'directions']
    >>> max(errors.values()) < 1e-4
    True
    """
    _check_choice(loss, "loss", tuple(LOSSES))
    directions = check_int(directions, "directions", 0)
    if h is not None:
        h = _check_positive(h, "h")
    saved_cache = net.zs, net.activations, net.deltas
    params = [p for pair in zip(net.W, net.b, strict=True) for p in pair]
    originals = [p.copy() for p in params]
    eps = np.finfo(np.float64).eps
    try:
        loss_value, grads = net.loss_and_grads(X, y, loss)
        analytic = [g for pair in grads for g in pair]
        roundoff = eps * abs(loss_value)   # round-off of the loss, times h
        tiny = np.finfo(np.float64).tiny   # keeps 0 / 0 out when the loss is 0
        errors = {}
        for k, (param, grad) in enumerate(zip(params, analytic, strict=True)):
            numeric = np.empty_like(param)
            for idx in np.ndindex(param.shape):

                def loss_at(value: Any, idx: tuple = idx, param: np.ndarray = param) -> float:
                    param[idx] = value
                    return net.compute_loss(X, y, loss)

                numeric[idx] = central_difference(loss_at, originals[k][idx], h)
                param[idx] = originals[k][idx]
            step = np.cbrt(eps) * np.maximum(1, np.abs(param)) if h is None else h
            floor = np.maximum(_ROUNDOFF_FLOOR * roundoff / step, tiny)
            errors[f"{'Wb'[k % 2]}{k // 2 + 1}"] = _entry_errors(grad, numeric, floor)
        if directions:
            rng = np.random.default_rng(check_int(seed, "seed", 0))
            largest = max(float(np.abs(p).max()) for p in params)
            t = np.cbrt(eps) * max(1.0, largest) if h is None else h
            worst = 0.0
            for _ in range(directions):
                v = [rng.standard_normal(p.shape) for p in params]
                norm = np.sqrt(sum(np.sum(u**2) for u in v))

                def loss_along(s: Any, v: list = v, norm: float = norm) -> float:
                    for p, p0, u in zip(params, originals, v, strict=True):
                        p[...] = p0 + s * (u / norm)
                    return net.compute_loss(X, y, loss)

                numeric_v = central_difference(loss_along, 0.0, t)
                analytic_v = sum(np.sum(g * u) for g, u in zip(analytic, v, strict=True)) / norm
                floor = max(_ROUNDOFF_FLOOR * roundoff / t, tiny)
                worst = max(worst, _entry_errors(analytic_v, numeric_v, floor))
            errors["directions"] = worst
    finally:
        for p, p0 in zip(params, originals, strict=True):
            p[...] = p0
        net.zs, net.activations, net.deltas = saved_cache
    return errors
