"""Live sliders for a figure whose parameter is the lesson.

:func:`interactive_figure` turns a function that draws one matplotlib figure
into sliders that redraw it (ipywidgets, in JupyterLab and Colab). Where the
environment variable ``ACTLAB_STATIC`` is ``1`` -- the book's build, nbval and
``make outputs`` set it -- it draws the figure once, at the sliders' defaults,
and prints one line saying that the figure is interactive in the notebook: the
website, the PDFs and the stored outputs show a static figure and load no
widget code.
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Callable
from typing import Any

import matplotlib.pyplot as plt

__all__ = ["STATIC_ENV", "interactive_figure"]

#: The environment variable that asks for a static figure (value ``"1"``).
STATIC_ENV = "ACTLAB_STATIC"


def _real(value: Any, what: str) -> float | int:
    """``value`` if it is a finite real number (not a boolean), else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a real number, not {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite, got {value}")
    return value


def _decimals(step: float) -> int:
    """Digits after the point that show every multiple of ``step``."""
    text = f"{step:.10f}".rstrip("0")
    return max(1, len(text.split(".")[1]))


def _slider(name: str, spec: Any) -> tuple[str, dict[str, Any]]:
    """Check one slider spec; return its kind and the keywords of its widget."""
    if not isinstance(spec, tuple):
        raise TypeError(f"slider {name!r} must be a tuple (min, max, step, default) "
                        f"or (options, default), not {type(spec).__name__}")
    if len(spec) == 2:
        options, default = spec
        if not isinstance(options, (list, tuple)) or len(options) < 2:
            raise ValueError(f"slider {name!r}: (options, default) needs a list of at "
                             f"least two options, got {options!r}")
        if default not in options:
            raise ValueError(f"slider {name!r}: the default {default!r} is not one of "
                             f"the options {list(options)!r}")
        return "selection", {"options": list(options), "value": default}
    if len(spec) != 4:
        raise ValueError(f"slider {name!r} must be (min, max, step, default) or "
                         f"(options, default); got {len(spec)} entries")
    low, high, step, default = (_real(v, f"slider {name!r}: {part}") for v, part
                                in zip(spec, ("min", "max", "step", "default"), strict=True))
    if not low < high:
        raise ValueError(f"slider {name!r}: min must be below max, got {low} and {high}")
    if not step > 0:
        raise ValueError(f"slider {name!r}: step must be positive, got {step}")
    if not low <= default <= high:
        raise ValueError(f"slider {name!r}: the default {default} is outside [{low}, {high}]")
    steps = (default - low) / step
    if abs(steps - round(steps)) > 1e-9 * max(1.0, abs(steps)):
        raise ValueError(f"slider {name!r}: the default {default} is not min + k * step "
                         f"(min {low}, step {step}): the slider could not show it")
    keywords = {"min": low, "max": high, "step": step, "value": default}
    if all(isinstance(v, numbers.Integral) for v in spec):
        return "int", keywords
    keywords["readout_format"] = f".{_decimals(step)}f"
    return "float", keywords


def interactive_figure(draw: Callable[..., Any], **sliders: tuple) -> Any:
    """Sliders that redraw a figure in a live notebook; a static figure elsewhere.

    ``draw(**values)`` makes one matplotlib figure for one value of each
    slider. In a live notebook (JupyterLab, Colab) this returns an ipywidgets
    box with one slider per keyword above the figure, which is redrawn when a
    slider is released: make the call the last line of its cell, so that the
    notebook shows the box. Where the environment variable ``ACTLAB_STATIC``
    is ``1`` (the book's build, nbval, ``make outputs``), or where ipywidgets
    is not installed, it prints one line saying the figure is interactive in
    the notebook, calls ``draw`` once with the defaults and returns ``None``.

    Parameters
    ----------
    draw : callable
        Called as ``draw(**values)``, with one keyword per slider; it draws a
        new figure (``plt.show()`` is called after it, and its figures are
        closed after each redraw).
    **sliders : tuple
        One slider per keyword, named by it:

        - ``(min, max, step, default)``: a slider over ``min``, ``min + step``,
          ... ``max``; integer (``IntSlider``) when all four are ``int``,
          otherwise ``FloatSlider``. ``default`` must be one of its values.
        - ``(options, default)``: a ``SelectionSlider`` over the list
          ``options`` (for values that are not evenly spaced), starting at
          ``default``.

    Returns
    -------
    ipywidgets.VBox or None
        The sliders and the figure's output area in a live notebook; ``None``
        when the figure is drawn statically.

    Raises
    ------
    TypeError
        If ``draw`` is not callable, or a spec is not a tuple of the right kind.
    ValueError
        If there is no slider, or a spec is inconsistent (``min >= max``, a
        step that is not positive, a default outside the range or not on its
        steps, a default that is not among the options).

    Examples
    --------
    >>> def draw(alpha):
    ...     x = np.linspace(-4, 2, 601)
    ...     plot_functions(x, {"Leaky ReLU": leaky_relu(x, alpha)})
    >>> interactive_figure(draw, alpha=(0.0, 0.5, 0.01, 0.1))  # doctest: +SKIP
    """
    if not callable(draw):
        raise TypeError(f"draw must be callable, not {type(draw).__name__}")
    if not sliders:
        raise ValueError("interactive_figure needs at least one slider, e.g. "
                         "alpha=(0.0, 0.5, 0.01, 0.1)")
    specs = {name: _slider(name, spec) for name, spec in sliders.items()}
    names = ("the slider " if len(specs) == 1 else "the sliders ") + ", ".join(specs)
    widgets = None
    if os.environ.get(STATIC_ENV) == "1":
        print(f"Interactive in JupyterLab or Colab: move {names}.")
    else:
        try:
            import ipywidgets as widgets
        except ImportError:
            print(f"Shown at the defaults: install ipywidgets to move {names}.")
    if widgets is None:
        draw(**{name: keywords["value"] for name, (_, keywords) in specs.items()})
        plt.show()
        return None

    kinds = {"int": widgets.IntSlider, "float": widgets.FloatSlider,
             "selection": widgets.SelectionSlider}
    controls = {name: kinds[kind](description=name, continuous_update=False,
                                  style={"description_width": "initial"}, **keywords)
                for name, (kind, keywords) in specs.items()}

    def redraw(**values: Any) -> None:
        before = set(plt.get_fignums())
        draw(**values)
        plt.show()
        for number in set(plt.get_fignums()) - before:  # the inline backend closed them
            plt.close(number)

    output = widgets.interactive_output(redraw, controls)
    return widgets.VBox([*controls.values(), output])
