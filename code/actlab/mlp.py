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

**Normalisation and skips (opt-in).** With ``norm="layer"`` or
``norm="batch"`` every hidden layer normalises its pre-activation before the
activation, with a learnable gain :math:`\gamma_l` and shift :math:`\beta_l`
(one per unit):

.. math::
    \hat z_l = \frac{z_l - \mu}{\sqrt{\sigma^2 + \epsilon}}, \qquad
    u_l = \gamma_l \odot \hat z_l + \beta_l, \qquad a_l = f(u_l),

where :math:`\mu, \sigma^2` are the mean and the (biased) variance of
:math:`z_l` over the units of each row (layer normalisation) or over the rows
of the batch for each unit (batch normalisation, which in evaluation uses
running averages instead). With ``residual=True`` every hidden layer
:math:`l \ge 2` as wide as the layer before it adds an identity skip,
:math:`a_l = a_{l-1} + f(u_l)`. Writing
:math:`g_l = \partial\mathcal L/\partial a_l` and
:math:`\partial\mathcal L/\partial u_l = g_l \odot f'(u_l)`, the backward pass
adds :math:`\partial\mathcal L/\partial\gamma_l = \sum_{\text{rows}}
\partial\mathcal L/\partial u_l \odot \hat z_l`,
:math:`\partial\mathcal L/\partial\beta_l = \sum_{\text{rows}}
\partial\mathcal L/\partial u_l` and, with
:math:`d = \gamma_l \odot \partial\mathcal L/\partial u_l`,

.. math::
    \delta_l = \frac{1}{\sqrt{\sigma^2 + \epsilon}}
        \Bigl(d - \overline{d} - \hat z_l \odot \overline{d \odot \hat z_l}\Bigr),

the bars being means over the same axis as :math:`\mu` (for running
statistics, which are constants, simply
:math:`\delta_l = d / \sqrt{\sigma^2 + \epsilon}`). A skip adds :math:`g_l`
itself to :math:`\partial\mathcal L/\partial a_{l-1} = \delta_l W_l^\top + g_l`:
the per-layer Jacobian :math:`\partial a_l/\partial a_{l-1}` becomes the
identity plus the plain layer's. See :class:`MLP` for the attributes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
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

__all__ = ["ACTIVATIONS", "INITS", "MLP", "NORMS", "gradient_check", "mean_squared_error",
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
#: Names accepted for ``norm`` (besides ``None``, no normalisation).
NORMS = ("layer", "batch")
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
    """Per hidden layer: which units have z <= 0 on every row (the output layer is left out).

    ``zs`` is what goes into each layer's activation: :attr:`MLP.pre_activations`.
    """
    return [np.all(z <= 0, axis=0) for z in zs[:-1]]


#: Gradients of a whole network: one tuple per layer, layer 1 first: ``(dW, db)``,
#: or ``(dW, db, dgamma, dbeta)`` for a normalised hidden layer.
Grads = list[tuple[np.ndarray, ...]]

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
    norm : {None, "layer", "batch"}, default None
        Normalise every hidden layer's pre-activation before its activation
        (see the module docstring): over the units of each row (``"layer"``)
        or over the rows of the batch (``"batch"``), then
        :math:`u = \gamma \odot \hat z + \beta` with :math:`\gamma = 1`,
        :math:`\beta = 0` at the start. The output layer is never normalised.
        Under batch normalisation the bias :math:`b_l` of a hidden layer
        cancels (its gradient is zero); it is kept so every layer has the same
        parameters.
    residual : bool, default False
        Identity skip :math:`a_l = a_{l-1} + f(u_l)` around every hidden
        layer :math:`l \ge 2` whose width equals the previous layer's.
    norm_eps : float, default 1e-5
        The :math:`\epsilon` added to the variance.
    norm_momentum : float, default 0.1
        Batch normalisation's running statistics move this share of the way
        to each training batch's:
        :math:`r \leftarrow (1 - m)\, r + m\, s` (see
        :meth:`update_running_statistics`).

    Attributes
    ----------
    W, b : lists of ndarray
        Weights and biases, layer 1 first.
    gamma, beta : lists of ndarray
        Gains and shifts of the normalised hidden layers (empty without ``norm``).
    running_mean, running_var : lists of ndarray
        Batch normalisation's running statistics, one per hidden layer
        (start at 0 and 1; empty unless ``norm="batch"``).
    training : bool
        Batch normalisation uses the batch's own statistics when ``True``
        (the start value) and the running statistics when ``False``.
        :meth:`forward`, :meth:`compute_loss`, :meth:`loss_and_grads` and
        :meth:`gradient_norms` follow the flag; :meth:`predict`,
        :meth:`accuracy`, :meth:`dead_units` and :meth:`dead_fraction`
        always evaluate with the running statistics; :func:`train` takes its
        steps with ``True`` and records its history with ``False``. Layer
        normalisation and plain networks ignore the flag.
    zs, activations : lists of ndarray
        Cache of the last :meth:`forward`: :math:`z_1..z_L` (before any
        normalisation) and :math:`a_0..a_L`.
    pre_activations : list of ndarray
        What went into each layer's activation function in the last
        :meth:`forward`: :math:`u_1..u_{L-1}` and :math:`z_L`. Without
        ``norm`` it is ``zs`` itself.
    zhats : list of ndarray
        The normalised :math:`\hat z_l` of the hidden layers in the last
        :meth:`forward` (empty without ``norm``).
    deltas : list of ndarray
        :math:`\delta_1..\delta_L` from the last :meth:`backward`.
    skips : list of bool
        One per layer: does layer :math:`l` add the identity skip
        :math:`a_{l-1}`? (Only with ``residual``; never layer 1 or the output layer.)

    Notes
    -----
    :meth:`backward` is the plain network's backward pass, short enough to
    read at once. A network with ``norm`` or ``residual`` uses
    :meth:`backward_general` as its ``backward``; on a plain network the two
    give the same numbers.
    """

    def __init__(self, sizes: Sequence[int], activation: str = "relu", *, output: str = "linear",
                 init: str = "he", weight_std: float = 0.01, bias: float = 0.0,
                 alpha: float | None = None, seed: int = 0, norm: str | None = None,
                 residual: bool = False, norm_eps: float = 1e-5,
                 norm_momentum: float = 0.1) -> None:
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
        self.norm = None if norm is None else _check_choice(norm, "norm", NORMS)
        if not isinstance(residual, (bool, np.bool_)):
            raise TypeError(f"residual must be True or False, not {type(residual).__name__}")
        self.residual = bool(residual)
        self.norm_eps = _check_positive(norm_eps, "norm_eps")
        self.norm_momentum = check_real_scalar(norm_momentum, "norm_momentum")
        if not 0 < self.norm_momentum <= 1:
            raise ValueError(f"norm_momentum must be in (0, 1], got {self.norm_momentum}")
        hidden = self.sizes[1:-1]
        self.gamma = [np.ones(n) for n in hidden] if self.norm else []
        self.beta = [np.zeros(n) for n in hidden] if self.norm else []
        self.running_mean = [np.zeros(n) for n in hidden] if self.norm == "batch" else []
        self.running_var = [np.ones(n) for n in hidden] if self.norm == "batch" else []
        self.training = True
        # skips[k]: does layer k + 1 (a hidden layer l >= 2 as wide as its input) add a_{l-1}?
        self.skips = [self.residual and 1 <= k < len(hidden) and self.sizes[k] == self.sizes[k + 1]
                      for k in range(len(self.W))]
        self.pre_activations: list[np.ndarray] = self.zs
        self.zhats: list[np.ndarray] = []
        self._norm_cache: list[tuple[np.ndarray, Any, Any]] = []
        if self.norm is not None or self.residual:
            self.backward = self.backward_general  # type: ignore[method-assign]

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
        """Return the network's output for the rows of ``X``; cache every ``z`` and ``a``.

        Also caches :attr:`pre_activations` and, with ``norm``, :attr:`zhats`
        (see the class docstring; batch normalisation follows :attr:`training`).
        """
        a = self._check_X(X)
        self.zs, self.activations = [], [a]
        if self.norm is None and not self.residual:
            self.pre_activations, self.zhats, self._norm_cache = self.zs, [], []
        else:
            self.pre_activations, self.zhats, self._norm_cache = [], [], []
        last = len(self.W) - 1
        for k, (W, b) in enumerate(zip(self.W, self.b, strict=True)):
            z = a @ W + b
            if k == last:
                a = self._f_out(z)
                u = z
            else:
                u = z if self.norm is None else self._normalise(k, z)
                a = a + self._f(u) if self.skips[k] else self._f(u)
            self.zs.append(z)
            if self.pre_activations is not self.zs:
                self.pre_activations.append(u)
            self.activations.append(a)
        return a

    def _normalise(self, k: int, z: np.ndarray) -> np.ndarray:
        r"""Layer ``k + 1``: :math:`u = \gamma \odot (z - \mu) / \sqrt{\sigma^2 + \epsilon} + \beta`."""
        if self.norm == "batch" and not self.training:
            axis: int | None = None
            mu, var = self.running_mean[k], self.running_var[k]
            centred = z - mu
        else:
            axis = 1 if self.norm == "layer" else 0
            if axis == 0 and z.shape[0] < 2:
                raise ValueError("batch normalisation needs at least 2 rows of X in training mode")
            count = z.shape[axis]
            mu = z.sum(axis=axis, keepdims=axis == 1) / count
            centred = z - mu
            var = (centred * centred).sum(axis=axis, keepdims=axis == 1) / count
        inv_std = 1.0 / np.sqrt(var + self.norm_eps)
        zhat = centred * inv_std
        self.zhats.append(zhat)
        self._norm_cache.append((inv_std, axis, (mu, var) if axis == 0 else None))
        return self.gamma[k] * zhat + self.beta[k]

    def update_running_statistics(self) -> None:
        r"""Move batch normalisation's running statistics towards the last batch's.

        With :math:`m` = ``norm_momentum`` and the mean :math:`\mu` and biased
        variance :math:`\sigma^2` of each hidden unit's :math:`z` over the
        :math:`n` rows of the last :meth:`forward` (which must have run with
        ``training=True``): :math:`r_\mu \leftarrow (1 - m) r_\mu + m \mu` and
        :math:`r_{\sigma^2} \leftarrow (1 - m) r_{\sigma^2} + m\, \sigma^2 n / (n - 1)`
        (the unbiased variance, as in PyTorch's ``BatchNorm1d``). :func:`train`
        calls it once per step; :meth:`forward` never changes the statistics.
        """
        if self.norm != "batch":
            raise ValueError("update_running_statistics needs a network with norm='batch'")
        if not self._norm_cache or self._norm_cache[0][2] is None:
            raise ValueError("update_running_statistics needs a forward pass with training=True first")
        n = self.zs[0].shape[0]
        m = self.norm_momentum
        for k, (_, _, (mu, var)) in enumerate(self._norm_cache):
            self.running_mean[k] = (1 - m) * self.running_mean[k] + m * mu
            self.running_var[k] = (1 - m) * self.running_var[k] + m * var * (n / (n - 1))

    def _layer_parameters(self) -> list[tuple[np.ndarray, ...]]:
        """Per layer, the arrays a step updates, in the order of its gradient tuple."""
        L = len(self.W)
        return [(self.W[k], self.b[k], self.gamma[k], self.beta[k])
                if self.norm is not None and k < L - 1 else (self.W[k], self.b[k])
                for k in range(L)]

    @contextmanager
    def _evaluating(self) -> Iterator[None]:
        """Run the block with ``training = False`` (running statistics), then restore the flag."""
        was = self.training
        self.training = False
        try:
            yield
        finally:
            self.training = was

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

    def backward_general(self, grad_out: np.ndarray) -> Grads:
        r"""Back-propagate through any network, with or without ``norm`` and ``residual``.

        Layer by layer from the top, with :math:`g = \partial\mathcal L/\partial a_l`:

        * :math:`\partial\mathcal L/\partial u_l = g \odot f'(u_l)`
          (:math:`u_l = z_l` without normalisation);
        * with normalisation, :math:`\partial\mathcal L/\partial\gamma_l =
          \sum_{\text{rows}} \partial\mathcal L/\partial u_l \odot \hat z_l`,
          :math:`\partial\mathcal L/\partial\beta_l = \sum_{\text{rows}}
          \partial\mathcal L/\partial u_l`, :math:`d = \gamma_l \odot
          \partial\mathcal L/\partial u_l` and
          :math:`\delta_l = (d - \overline{d} - \hat z_l \odot
          \overline{d \odot \hat z_l}) / \sqrt{\sigma^2 + \epsilon}`, means over
          the normalised axis (:math:`\delta_l = d / \sqrt{\sigma^2 + \epsilon}`
          with running statistics, which do not depend on :math:`z`);
        * :math:`\partial\mathcal L/\partial W_l = a_{l-1}^\top \delta_l`,
          :math:`\partial\mathcal L/\partial b_l = \sum_{\text{rows}} \delta_l`;
        * :math:`\partial\mathcal L/\partial a_{l-1} = \delta_l W_l^\top`, plus
          :math:`g` itself when layer :math:`l` has a skip.

        Returns ``[(dW_1, db_1, dgamma_1, dbeta_1), ..., (dW_L, db_L)]`` (no
        ``dgamma, dbeta`` without ``norm`` or for the output layer) and keeps
        every :math:`\delta_l` in ``self.deltas``.
        """
        L = len(self.W)
        grads: list[Any] = [None] * L
        self.deltas = [np.empty(0)] * L
        g = grad_out                                   # dLoss/da_l, top layer
        for k in reversed(range(L)):                   # k = l - 1
            extra: tuple[np.ndarray, ...] = ()
            if k == L - 1:
                delta = g * self._fprime_out(self.zs[k])
            else:
                du = g * self._fprime(self.pre_activations[k])   # dLoss/du_l
                if self.norm is None:
                    delta = du
                else:
                    zhat, (inv_std, axis, _) = self.zhats[k], self._norm_cache[k]
                    extra = ((du * zhat).sum(axis=0), du.sum(axis=0))
                    d = self.gamma[k] * du                         # dLoss/dzhat_l
                    if axis is None:                               # running statistics
                        delta = d * inv_std
                    else:
                        count = d.shape[axis]
                        delta = inv_std * (d - d.sum(axis=axis, keepdims=True) / count
                                           - zhat * ((d * zhat).sum(axis=axis, keepdims=True) / count))
            self.deltas[k] = delta
            grads[k] = (self.activations[k].T @ delta, delta.sum(axis=0), *extra)
            g_below = delta @ self.W[k].T              # dLoss/da_{l-1} through W_l
            g = g_below + g if self.skips[k] else g_below
        return grads

    def compute_loss(self, X: Any, y: Any, loss: str = "cross_entropy") -> float:
        """The loss on ``(X, y)`` ("cross_entropy" or "mse"), without gradients."""
        _check_choice(loss, "loss", tuple(LOSSES))
        X = self._check_X(X)
        return LOSSES[loss](self.forward(X), self._check_y(y, X, loss))[0]

    def loss_and_grads(self, X: Any, y: Any, loss: str = "cross_entropy") -> tuple[float, Grads]:
        """Forward, loss and backward on one batch: ``(loss value, [(dW, db), ...])``.

        Batch normalisation follows :attr:`training`; see :meth:`backward_general`
        for the gradient tuples of normalised layers.
        """
        _check_choice(loss, "loss", tuple(LOSSES))
        X = self._check_X(X)
        value, grad_out = LOSSES[loss](self.forward(X), self._check_y(y, X, loss))
        return value, self.backward(grad_out)

    def step(self, grads: Grads, lr: float) -> None:
        """One SGD step in place, :math:`\\theta \\leftarrow \\theta - \\eta\\, g`, for every parameter.

        ``grads`` as :meth:`backward` returns them: per layer ``(dW, db)``, or
        ``(dW, db, dgamma, dbeta)`` for a normalised hidden layer.
        """
        lr = _check_positive(lr, "lr")
        for params, layer_grads in zip(self._layer_parameters(), grads, strict=True):
            for param, grad in zip(params, layer_grads, strict=True):
                param -= lr * grad

    def predict(self, X: Any) -> np.ndarray:
        """Class labels: the index of the largest output for each row (running statistics)."""
        with self._evaluating():
            return np.argmax(self.forward(X), axis=1)

    def accuracy(self, X: Any, y: Any) -> float:
        """Fraction of rows whose predicted label equals ``y``."""
        X = self._check_X(X)
        return float(np.mean(self.predict(X) == self._check_y(y, X, "cross_entropy")))

    def dead_units(self, X: Any) -> list[np.ndarray]:
        """Per hidden layer, a boolean mask: is the unit's ``z <= 0`` for every row of ``X``?

        ``z`` is what goes into the activation (:attr:`pre_activations`; the
        normalised :math:`u` with ``norm``), evaluated with the running statistics.
        """
        with self._evaluating():
            self.forward(X)
        return _dead_masks(self.pre_activations)

    def dead_fraction(self, X: Any) -> float:
        """Fraction of all hidden units that are dead on ``X`` (see the module docstring)."""
        masks = self.dead_units(X)
        return float(np.concatenate(masks).mean()) if masks else 0.0

    def gradient_norms(self, X: Any, y: Any, loss: str = "cross_entropy") -> dict[str, np.ndarray]:
        r"""Per-layer Frobenius norms of :math:`\partial\mathcal L/\partial W_l` ("weights")
        and of :math:`\delta_l = \partial\mathcal L/\partial z_l` ("deltas"), layer 1 first."""
        _, grads = self.loss_and_grads(X, y, loss)
        return {"weights": np.array([np.linalg.norm(layer[0]) for layer in grads]),
                "deltas": np.array([np.linalg.norm(d) for d in self.deltas])}


def train(net: MLP, X: Any, y: Any, *, lr: float, epochs: int, batch_size: int | None = None,
          loss: str = "cross_entropy", seed: int = 0, clip: float | None = None,
          momentum: float = 0.0,
          callback: Callable[[MLP, Grads], Any] | None = None) -> dict[str, np.ndarray]:
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

    With ``callback``, ``callback(net, grads)`` is called after every SGD
    step (after :meth:`MLP.step`, so ``net.W`` already holds the updated
    weights). ``grads`` is the list of the raw back-propagated gradients of
    that step, one tuple per layer, layer 1 first, whose first element is
    :math:`\partial\mathcal L/\partial W_l` (then
    :math:`\partial\mathcal L/\partial b_l`, then the gradients of any
    normalisation parameters): before clipping and momentum. The callback's
    return value is ignored; it must not modify ``grads``.

    The steps run with ``net.training = True`` (batch normalisation uses each
    batch's statistics and, after each step's forward pass, moves its running
    statistics, :meth:`MLP.update_running_statistics`); the history is
    recorded with ``net.training = False`` (running statistics), and the flag
    is restored at the end. With batch normalisation, no batch may have a
    single row. Clipping and momentum act on every parameter, including
    :math:`\gamma` and :math:`\beta`.

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
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be callable, not {type(callback).__name__}")
    momentum = check_real_scalar(momentum, "momentum")
    if not 0 <= momentum < 1:
        raise ValueError(f"momentum must be in [0, 1), got {momentum}")
    if net.norm == "batch" and (batch < 2 or X.shape[0] % batch == 1):
        raise ValueError(f"batch_size {batch} leaves a batch of 1 row ({X.shape[0]} rows): "
                         "batch normalisation needs at least 2 rows per batch")
    velocity = ([tuple(np.zeros_like(p) for p in params) for params in net._layer_parameters()]
                if momentum else None)
    rng = np.random.default_rng(check_int(seed, "seed", 0))
    history: dict[str, list[float]] = {"loss": [], "dead_fraction": []}
    if loss == "cross_entropy":
        history["accuracy"] = []

    def record() -> None:
        out = net.forward(X)
        history["loss"].append(LOSSES[loss](out, y)[0])
        masks = _dead_masks(net.pre_activations)
        history["dead_fraction"].append(float(np.concatenate(masks).mean()) if masks else 0.0)
        if loss == "cross_entropy":
            history["accuracy"].append(float(np.mean(np.argmax(out, axis=1) == y)))

    was_training = net.training
    try:
        with net._evaluating():
            record()
        for _ in range(epochs):
            order = rng.permutation(X.shape[0])
            net.training = True
            for start in range(0, X.shape[0], batch):
                rows = order[start:start + batch]
                _, grads = net.loss_and_grads(X[rows], y[rows], loss)
                if net.norm == "batch":
                    net.update_running_statistics()
                raw = grads
                if clip is not None:
                    norm = np.sqrt(sum(sum(np.sum(g**2) for g in layer) for layer in grads))
                    if norm > clip:
                        grads = [tuple(g * (clip / norm) for g in layer) for layer in grads]
                if velocity is not None:  # heavy ball: v <- mu v + g, then step along v
                    for v_layer, g_layer in zip(velocity, grads, strict=True):
                        for v, g in zip(v_layer, g_layer, strict=True):
                            v *= momentum
                            v += g
                    grads = velocity
                net.step(grads, lr)
                if callback is not None:
                    callback(net, raw)
            with net._evaluating():
                record()
    finally:
        net.training = was_training
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

    Every parameter is checked: ``W_l``, ``b_l`` and, with ``norm``, the
    gains ``gamma_l`` and shifts ``beta_l``, in the mode :attr:`MLP.training`
    selects (batch statistics or running statistics). The parameters, and
    the cache of the last forward and backward pass (``zs``,
    ``activations``, ``deltas``, ``pre_activations``, ``zhats``), are left
    as they were; so are the running statistics.

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
        ``{"W1": e, "b1": e, ..., "directions": e}`` (with ``norm`` also
        ``"gamma1"``, ``"beta1"``, ... for the hidden layers): for each array the
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
    cache_names = ("zs", "activations", "deltas", "pre_activations", "zhats", "_norm_cache")
    saved_cache = [getattr(net, name) for name in cache_names]
    params, names = [], []
    for k, layer in enumerate(net._layer_parameters()):
        params.extend(layer)
        names.extend(f"{name}{k + 1}" for name in ("W", "b", "gamma", "beta")[:len(layer)])
    originals = [p.copy() for p in params]
    eps = np.finfo(np.float64).eps
    try:
        loss_value, grads = net.loss_and_grads(X, y, loss)
        analytic = [g for layer in grads for g in layer]
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
            errors[names[k]] = _entry_errors(grad, numeric, floor)
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
        for name, value in zip(cache_names, saved_cache, strict=True):
            setattr(net, name, value)
    return errors
