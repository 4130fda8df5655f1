"""actlab.glue writes exactly what myst_nb.glue writes (the book reads it)."""

from __future__ import annotations

import IPython.display
import myst_nb.ext.glue as myst_glue
import pytest

from actlab import glue


def calls_of(fn, monkeypatch, *args, **kwargs) -> list:
    seen = []
    fake = lambda *a, **k: seen.append((a, k))  # noqa: E731
    monkeypatch.setattr(IPython.display, "display", fake)
    monkeypatch.setattr(myst_glue, "ipy_display", fake)
    fn(*args, **kwargs)
    return seen


@pytest.mark.parametrize("value", [0.25, 36.74, "text", [1, 2]])
@pytest.mark.parametrize("display", [True, False])
def test_same_output_as_myst_nb(monkeypatch, value, display):
    ours = calls_of(glue, monkeypatch, "name", value, display=display)
    theirs = calls_of(myst_glue.glue, monkeypatch, "name", value, display=display)
    assert ours == theirs and len(ours) == 1


def test_name_must_be_a_string():
    with pytest.raises(TypeError, match="name"):
        glue(3, 1.0)


def test_sci_writes_mantissa_and_exponent_as_one_piece_of_math():
    from actlab import sci

    assert sci(1.6e-10).data == r"$1.6 \times 10^{-10}$"
    assert sci(123456.0, digits=3).data == r"$1.23 \times 10^{5}$"
    assert sci(-2.4e-3, digits=1).data == r"$-2 \times 10^{-3}$"
    with pytest.raises(TypeError, match="value"):
        sci("1e-3")
    with pytest.raises(ValueError, match="digits"):
        sci(1.0, digits=0)
