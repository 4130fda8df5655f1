"""The figure comparison nbval uses (tools/svgcompare.py) tolerates last-digit
differences and catches real changes."""

from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import svgcompare

from actlab import use_house_style

if svgcompare.rasteriser() is None:
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true but rsvg-convert is missing (Debian: librsvg2-bin)")
    pytest.skip("rsvg-convert not installed (Debian: librsvg2-bin)", allow_module_level=True)


def figure(shift: float = 0.0, label: str = "$\\sigma(x)$") -> str:
    use_house_style()
    x = np.linspace(-6, 6, 200)
    fig, ax = plt.subplots()
    ax.plot(x + shift, 1 / (1 + np.exp(-x)), label=label)
    ax.legend()
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    return buf.getvalue()


def jitter_last_digits(svg: str) -> str:
    """Change the last digit of every coordinate with 4+ decimals, as another CPU might."""
    return re.sub(r"(\d\.\d{3,})(\d)", lambda m: m.group(1) + str((int(m.group(2)) + 1) % 10), svg)


def test_identical_and_last_digit_changes_pass():
    svg = figure()
    assert svgcompare.rms_difference(svg, svg) == 0.0
    jittered = jitter_last_digits(svg)
    assert jittered != svg
    assert svgcompare.same_figure(svg, jittered)


def test_a_moved_curve_or_a_new_label_fails():
    svg = figure()
    assert not svgcompare.same_figure(svg, figure(shift=0.3))
    assert not svgcompare.same_figure(svg, figure(label="$\\tanh(x)$"))
