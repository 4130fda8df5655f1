"""Unit tests of actlab.interactive_figure: sliders live, one figure static."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from actlab import interactive_figure
from actlab.widgets import STATIC_ENV

widgets = pytest.importorskip("ipywidgets")


class Recorder:
    """A draw function that makes one figure and remembers its calls."""

    def __init__(self):
        self.calls = []

    def __call__(self, **values):
        self.calls.append(values)
        _, ax = plt.subplots()
        ax.plot([0, 1], [0, values.get("alpha", 0)])


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def static(monkeypatch):
    monkeypatch.setenv(STATIC_ENV, "1")


@pytest.fixture
def live(monkeypatch):
    monkeypatch.delenv(STATIC_ENV, raising=False)


def test_static_draws_once_at_the_defaults_and_says_it_is_interactive(static, capsys):
    draw = Recorder()
    result = interactive_figure(draw, alpha=(0.0, 0.5, 0.01, 0.1), depth=(2, 40, 1, 20),
                                s=([1, 2, 4, 8], 4))
    assert result is None
    assert draw.calls == [{"alpha": 0.1, "depth": 20, "s": 4}]
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["Interactive in JupyterLab or Colab: move the sliders alpha, depth, s."]
    assert len(lines[0]) <= 79


def test_live_returns_sliders_with_the_given_ranges_and_defaults(live):
    draw = Recorder()
    box = interactive_figure(draw, alpha=(0.0, 0.5, 0.01, 0.1), depth=(2, 40, 1, 20),
                             s=([1, 2, 4, 8], 4))
    assert isinstance(box, widgets.VBox)
    alpha, depth, s, output = box.children
    assert isinstance(alpha, widgets.FloatSlider)
    assert (alpha.description, alpha.min, alpha.max, alpha.step, alpha.value) == \
        ("alpha", 0.0, 0.5, 0.01, 0.1)
    assert alpha.readout_format == ".2f"
    assert isinstance(depth, widgets.IntSlider)
    assert (depth.min, depth.max, depth.step, depth.value) == (2, 40, 1, 20)
    assert isinstance(s, widgets.SelectionSlider)
    assert (list(s.options), s.value) == ([1, 2, 4, 8], 4)
    assert not any(w.continuous_update for w in (alpha, depth, s))
    assert isinstance(output, widgets.Output)
    assert draw.calls == [{"alpha": 0.1, "depth": 20, "s": 4}]  # the first picture


def test_live_redraws_when_a_slider_moves_and_leaves_no_figure_open(live):
    draw = Recorder()
    box = interactive_figure(draw, alpha=(0.0, 0.5, 0.01, 0.1), depth=(2, 40, 1, 20))
    alpha, depth, _ = box.children
    alpha.value = 0.3
    depth.value = 5
    assert draw.calls == [{"alpha": 0.1, "depth": 20}, {"alpha": 0.3, "depth": 20},
                          {"alpha": 0.3, "depth": 5}]
    assert plt.get_fignums() == []


def test_an_integer_default_in_a_float_range_gives_a_float_slider(live):
    box = interactive_figure(Recorder(), lr=(0.1, 3.0, 0.1, 2))
    assert isinstance(box.children[0], widgets.FloatSlider)
    assert box.children[0].value == 2.0


@pytest.mark.parametrize("spec, error, match", [
    ([0.0, 1.0, 0.1, 0.5], TypeError, "must be a tuple"),
    ((0.0, 1.0, 0.1), ValueError, "got 3 entries"),
    ((0.0, "1", 0.1, 0.5), TypeError, "max must be a real number"),
    ((0.0, 1.0, 0.1, True), TypeError, "default must be a real number"),
    ((0.0, float("nan"), 0.1, 0.5), ValueError, "max must be finite"),
    ((1.0, 0.0, 0.1, 0.5), ValueError, "min must be below max"),
    ((0.0, 1.0, 0.0, 0.5), ValueError, "step must be positive"),
    ((0.0, 1.0, 0.1, 2.0), ValueError, "outside"),
    ((0.0, 1.0, 0.25, 0.3), ValueError, "not min \\+ k \\* step"),
    (([1, 2, 4], 3), ValueError, "not one of the options"),
    (([1], 1), ValueError, "at least two options"),
    (("abc", "a"), ValueError, "at least two options"),
])
def test_bad_specs_raise_naming_the_slider(static, spec, error, match):
    draw = Recorder()
    with pytest.raises(error, match=match) as info:
        interactive_figure(draw, alpha=spec)
    assert "'alpha'" in str(info.value)
    assert draw.calls == []


def test_draw_must_be_callable_and_there_must_be_a_slider(static):
    with pytest.raises(TypeError, match="draw must be callable"):
        interactive_figure("not a function", alpha=(0.0, 1.0, 0.1, 0.5))
    with pytest.raises(ValueError, match="at least one slider"):
        interactive_figure(Recorder())


def test_without_ipywidgets_the_figure_is_static(live, monkeypatch, capsys):
    import sys

    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import fails
    draw = Recorder()
    assert interactive_figure(draw, alpha=(0.0, 0.5, 0.01, 0.1)) is None
    assert draw.calls == [{"alpha": 0.1}]
    assert capsys.readouterr().out == ("Shown at the defaults: install ipywidgets to move "
                                       "the slider alpha.\n")
