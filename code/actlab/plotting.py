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
