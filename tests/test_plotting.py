"""Unit tests of the house figure style."""

from __future__ import annotations

import io
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from actlab import (
    plot_function_and_derivative,
    plot_functions,
    sigmoid,
    sigmoid_prime,
    tanh,
    use_house_style,
)
from actlab.plotting import SOURCE_DATE_EPOCH


@pytest.fixture(autouse=True)
def _style():
    with matplotlib.rc_context():
        use_house_style()
        yield
    plt.close("all")


def _svg(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg")
    return buf.getvalue()


def test_lines_differ_in_dash_pattern_not_only_colour():
    x = np.linspace(-5, 5, 50)
    ax = plot_functions(x, {"a": sigmoid(x), "b": tanh(x), "c": x / 5, "d": -x / 5})
    patterns = {line.get_linestyle() for line in ax.get_lines()}
    assert len(patterns) == 4, patterns
    assert ax.get_legend() is not None


def test_figures_are_byte_identical_and_dateless():
    x = np.linspace(-5, 5, 50)

    def make():
        fig, _ = plot_function_and_derivative(sigmoid, sigmoid_prime, x, r"\sigma")
        return _svg(fig)

    first, second = make(), make()
    assert first == second
    # The date written is the fixed SOURCE_DATE_EPOCH (2026-01-01), never today's.
    fixed = time.strftime("%Y-%m-%d", time.gmtime(int(SOURCE_DATE_EPOCH)))
    assert fixed.encode() in first
    today = time.strftime("%Y-%m-%d", time.gmtime())
    assert today == fixed or today.encode() not in first


def test_backgrounds_are_opaque_white_for_dark_themes():
    assert matplotlib.rcParams["savefig.transparent"] is False
    assert matplotlib.colors.to_hex(matplotlib.rcParams["savefig.facecolor"]) == "#ffffff"


def test_bad_curves_are_rejected():
    x = np.linspace(0, 1, 5)
    with pytest.raises(ValueError, match="curve 'y'"):
        plot_functions(x, {"y": np.zeros(4)})
    with pytest.raises(ValueError, match="curves"):
        plot_functions(x, {})
    with pytest.raises(ValueError, match="x"):
        plot_functions([[0, 1]], {"y": [0, 1]})
