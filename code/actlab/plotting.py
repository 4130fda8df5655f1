"""The house style for every figure in the book.

Call :func:`use_house_style` once in a chapter's first cell. It sets a
colour-blind-safe palette in which every line also differs in dash pattern (so
figures read in grayscale print), white backgrounds (so figures stay legible in
a dark website theme), and reproducible figure files: notebooks emit each
figure once, as SVG, with a fixed date and no random ids. (The PDF book
converts the SVG to vector PDF at build time; see ``_config.yml``.)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler

__all__ = [
    "COLORS",
    "LINESTYLES",
    "origin_axes",
    "plot_function_and_derivative",
    "plot_functions",
    "plot_gradient_norms",
    "plot_layer_histograms",
    "plot_update_ratios",
    "use_house_style",
]

#: Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
#: Dash patterns paired with :data:`COLORS`, so lines differ in grayscale too.
LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 1)), (0, (8, 2))]

#: The fixed date written into every figure file (2026-01-01 00:00 UTC).
SOURCE_DATE_EPOCH = "1767225600"

_RC = {
    "figure.figsize": (6.4, 3.6),
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "font.size": 11,
    "axes.titlesize": 11,
    "axes.labelsize": 11,
    "legend.fontsize": 10,
    "legend.framealpha": 0.9,
    "axes.grid": True,
    "grid.alpha": 0.35,
    "grid.linewidth": 0.6,
    "lines.linewidth": 2.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=COLORS) + cycler(linestyle=LINESTYLES),
    "svg.hashsalt": "actlab",
    "svg.fonttype": "path",
}


def use_house_style() -> None:
    """Apply the book's figure style and, inside IPython, emit figures as SVG only.

    Sets ``SOURCE_DATE_EPOCH`` (overriding any value in the environment) and
    ``svg.hashsalt``, so that an SVG file carries a fixed date and no random
    ids. Its coordinates may still differ in the last digits from one CPU to
    another, so stored figures are compared with a tolerance, not as bytes.
    """
    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    mpl.rcParams.update(_RC)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with Jupyter
        return
    if get_ipython() is not None:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("svg")


def origin_axes(ax: plt.Axes) -> plt.Axes:
    """Draw the axes lines x = 0 and y = 0 through the origin and return ``ax``.

    The tick labels stay on the frame at the left and the bottom, where no
    curve can hide them; the two lines through (0, 0) show where the origin is.
    """
    for line in (ax.axhline, ax.axvline):
        line(0, color="0.25", linewidth=0.9, linestyle="-", zorder=1.5)
    return ax


def _check_x(x: Any) -> np.ndarray:
    arr = np.asarray(x)
    if arr.ndim != 1 or arr.dtype.kind not in "iuf" or arr.size < 2:
        raise ValueError("x must be a 1-D array of at least two real numbers")
    return arr


def plot_functions(
    x: Any,
    curves: Mapping[str, Any],
    *,
    ax: plt.Axes | None = None,
    title: str | None = None,
    xlabel: str = "$x$",
    ylabel: str | None = None,
    origin: bool = True,
    ylim: Sequence[float] | None = None,
    legend_loc: str = "best",
) -> plt.Axes:
    """Plot several curves over the same ``x`` in the house style.

    Parameters
    ----------
    x : array_like
        1-D abscissae.
    curves : mapping of str to array_like
        Legend label -> y values (same length as ``x``). Each curve gets the
        next colour *and* dash pattern.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.
    title, xlabel, ylabel : str, optional
        Texts; labels may use LaTeX math (``"$x$"``).
    origin : bool, default True
        Draw the axes through (0, 0) with :func:`origin_axes`.
    ylim : (float, float), optional
        y-limits; by default matplotlib's, which always show every curve.
    legend_loc : str, default "best"
        Passed to :meth:`matplotlib.axes.Axes.legend`.

    Returns
    -------
    matplotlib Axes
    """
    xs = _check_x(x)
    if not isinstance(curves, Mapping) or not curves:
        raise ValueError("curves must be a non-empty mapping of label -> y values")
    if ax is None:
        _, ax = plt.subplots()
    for label, y in curves.items():
        ys = np.asarray(y)
        if ys.shape != xs.shape:
            raise ValueError(f"curve {label!r} has shape {ys.shape}, but x has shape {xs.shape}")
        ax.plot(xs, ys, label=label)
    if origin:
        origin_axes(ax)
    if ylim is not None:
        ax.set_ylim(*ylim)
    if title:
        ax.set_title(title)
    ax.set_xlabel(xlabel, loc="right")
    if ylabel:
        ax.set_ylabel(ylabel, loc="top")
    ax.legend(loc=legend_loc)
    return ax


def plot_function_and_derivative(
    f: Callable[[np.ndarray], Any],
    fprime: Callable[[np.ndarray], Any],
    x: Any,
    name: str,
    *,
    fig_title: str | None = None,
) -> tuple[plt.Figure, np.ndarray]:
    r"""Plot a function and its derivative side by side, axes through the origin.

    Parameters
    ----------
    f, fprime : callable
        The function and its derivative, vectorised.
    x : array_like
        1-D abscissae.
    name : str
        The function's symbol in LaTeX without dollars, e.g. ``r"\sigma"``;
        panels are titled :math:`name(x)` and :math:`name'(x)`.
    fig_title : str, optional
        A title over both panels.

    Returns
    -------
    (Figure, ndarray of two Axes)
    """
    xs = _check_x(x)
    fig, axes = plt.subplots(1, 2, figsize=(8.0, 3.2), layout="constrained")
    for ax, g, label, style in (
        (axes[0], f, f"${name}(x)$", 0),
        (axes[1], fprime, f"${name}'(x)$", 1),
    ):
        ax.plot(xs, np.asarray(g(xs)), color=COLORS[style], linestyle=LINESTYLES[style])
        origin_axes(ax)
        ax.set_title(label)
        ax.set_xlabel("$x$", loc="right")
    if fig_title:
        fig.suptitle(fig_title)
    return fig, axes


# --------------------------------------------------------------------------- per-layer diagnostics
# The figures of :mod:`actlab.diagnostics`: one line per layer, each with its own colour and dash
# pattern, and the legend outside the axes on the right, where it covers no data.


def _layer_labels(labels: Sequence[str] | None, count: int) -> list[str]:
    if labels is None:
        return [f"layer {k + 1}" for k in range(count)]
    labels = [str(label) for label in labels]
    if len(labels) != count:
        raise ValueError(f"labels must hold one label per layer ({count}), got {len(labels)}")
    return labels


def _style(k: int) -> dict[str, Any]:
    return {"color": COLORS[k % len(COLORS)], "linestyle": LINESTYLES[k % len(LINESTYLES)]}


def _legend_outside(ax: plt.Axes) -> None:
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)


def plot_layer_histograms(
    values: Sequence[Any],
    *,
    ax: plt.Axes | None = None,
    labels: Sequence[str] | None = None,
    bins: int = 60,
    value_range: tuple[float, float] | None = None,
    xlabel: str = "value",
    ylabel: str = "density",
    title: str | None = None,
) -> plt.Axes:
    """Histograms of per-layer values (activations, gradients), drawn as lines.

    Each layer's values (any shape; all entries count) are binned with
    :func:`numpy.histogram` into ``bins`` equal bins over ``value_range`` (default:
    from the smallest to the largest value of all layers, so every layer uses
    the same bins) and drawn as a density: a line through the bin centres,
    one colour and dash pattern per layer.

    Parameters
    ----------
    values : sequence of array_like
        One array per layer, e.g. :func:`actlab.diagnostics.layer_outputs` or
        :func:`actlab.diagnostics.layer_gradients`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.
    labels : sequence of str, optional
        Legend labels, one per layer (default "layer 1", "layer 2", ...).
    bins : int, default 60
    value_range : (float, float), optional
    xlabel, ylabel, title : str, optional

    Returns
    -------
    matplotlib Axes
    """
    arrays = [np.asarray(v, dtype=np.float64).ravel() for v in values]
    if not arrays or any(a.size == 0 for a in arrays):
        raise ValueError("values must hold at least one non-empty array per layer")
    if any(not np.all(np.isfinite(a)) for a in arrays):
        raise ValueError("values must be finite")
    names = _layer_labels(labels, len(arrays))
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 1:
        raise ValueError(f"bins must be a positive integer, got {bins!r}")
    if value_range is None:
        low = min(float(a.min()) for a in arrays)
        high = max(float(a.max()) for a in arrays)
        value_range = (low, high) if high > low else (low - 0.5, high + 0.5)
    low, high = (float(v) for v in value_range)
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"value_range must be two finite numbers, low < high; got {value_range}")
    edges = np.linspace(low, high, int(bins) + 1)
    if ax is None:
        _, ax = plt.subplots()
    centres = (edges[:-1] + edges[1:]) / 2
    for k, (a, name) in enumerate(zip(arrays, names, strict=True)):
        density, _ = np.histogram(a, bins=edges, density=True)
        ax.plot(centres, density, label=name, **_style(k))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    if title:
        ax.set_title(title)
    _legend_outside(ax)
    return ax


def _plot_layer_traces(values: Any, ax: plt.Axes | None, labels: Sequence[str] | None,
                       window: int, xlabel: str, ylabel: str, title: str | None) -> plt.Axes:
    v = np.asarray(values, dtype=np.float64)
    if v.ndim != 2 or v.shape[0] < 1 or v.shape[1] < 1:
        raise ValueError("values must have shape (steps, layers), with at least one of each")
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 1:
        raise ValueError(f"window must be a positive integer, got {window!r}")
    names = _layer_labels(labels, v.shape[1])
    blocks = v.shape[0] // window
    if blocks < 1:
        raise ValueError(f"window ({window}) is longer than the {v.shape[0]} steps recorded")
    means = v[: blocks * window].reshape(blocks, window, -1).mean(axis=1)
    steps = np.arange(blocks) * window + (window + 1) / 2  # steps are counted from 1
    if ax is None:
        _, ax = plt.subplots()
    for k, name in enumerate(names):
        ax.plot(steps, means[:, k], label=name, **_style(k))
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    return ax


def plot_gradient_norms(
    norms: Any,
    *,
    ax: plt.Axes | None = None,
    labels: Sequence[str] | None = None,
    window: int = 1,
    xlabel: str = "SGD step",
    ylabel: str = r"$\|\partial\mathcal{L}/\partial W_l\|$",
    title: str | None = None,
) -> plt.Axes:
    """Per-layer gradient norms over the steps of training, on a log axis.

    Parameters
    ----------
    norms : array_like, shape (steps, layers)
        E.g. :attr:`actlab.diagnostics.UpdateRecorder.grad_norms`.
    ax : matplotlib Axes, optional
    labels : sequence of str, optional
        One per layer (default "layer 1", ...).
    window : int, default 1
        Plot the mean of each block of ``window`` consecutive steps (at the
        block's middle step) instead of every step; a trailing incomplete
        block is left out.
    xlabel, ylabel, title : str, optional

    Returns
    -------
    matplotlib Axes
    """
    ax = _plot_layer_traces(norms, ax, labels, window, xlabel, ylabel, title)
    _legend_outside(ax)
    return ax


def plot_update_ratios(
    ratios: Any,
    *,
    ax: plt.Axes | None = None,
    labels: Sequence[str] | None = None,
    window: int = 1,
    reference: float | None = 1e-3,
    xlabel: str = "SGD step",
    ylabel: str = r"$\|\Delta W_l\| \,/\, \|W_l\|$",
    title: str | None = None,
) -> plt.Axes:
    """Per-layer update-to-weight ratios over the steps, on a log axis, with a reference line.

    Parameters
    ----------
    ratios : array_like, shape (steps, layers)
        E.g. :attr:`actlab.diagnostics.UpdateRecorder.ratios`.
    ax : matplotlib Axes, optional
    labels : sequence of str, optional
        One per layer (default "layer 1", ...).
    window : int, default 1
        As in :func:`plot_gradient_norms`.
    reference : float or None, default 1e-3
        Draw a thin grey horizontal line there, labelled in the legend (the
        rule-of-thumb size of a healthy ratio); ``None`` draws none.
    xlabel, ylabel, title : str, optional

    Returns
    -------
    matplotlib Axes
    """
    ax = _plot_layer_traces(ratios, ax, labels, window, xlabel, ylabel, title)
    if reference is not None:
        if not np.isfinite(reference) or reference <= 0:
            raise ValueError(f"reference must be a positive number or None, got {reference!r}")
        ax.axhline(reference, color="0.35", linewidth=1.0, linestyle=(0, (2, 2)),
                   label=f"reference {reference:g}", zorder=1.5)
    _legend_outside(ax)
    return ax
