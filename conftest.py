"""pytest configuration for ``pytest --nbval chapters`` (``make nbval``).

nbval compares every stored output of a notebook with a fresh run, as text.
That is right for printed text and glued values (the chapters print nothing
that depends on a CPU's last bits), but not for figures: an SVG's coordinates
differ in their last digits from one CPU or BLAS kernel to another. So SVG
outputs are taken out of nbval's exact comparison and compared as pictures,
with a tolerance, by ``tools/svgcompare.py``. A figure that really changed
fails the cell; one whose last digits moved passes.

Without ``rsvg-convert`` the figures are not compared and a warning says so;
with ``CI=true`` that is an error instead. ``ACTLAB_STATIC=1`` is set as the
Makefile sets it, so slider cells draw the static figure that is stored.
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "tools"))

import svgcompare

# Slider cells (actlab.interactive_figure) draw their static figure under nbval,
# as in the stored outputs, also when pytest is run without make.
os.environ.setdefault("ACTLAB_STATIC", "1")

SVG = "image/svg+xml"


def _svgs(outputs) -> list[str]:
    return [o["data"][SVG] for o in outputs if SVG in o.get("data", {})]


def _patch_nbval() -> None:
    try:
        from nbval.plugin import IPyNbCell
    except ImportError:  # nbval not installed: nothing to patch
        return
    exact_compare = IPyNbCell.compare_outputs

    def compare_outputs(self, test, ref, skip_compare=None):
        skip = (*(skip_compare or self.parent.skip_compare), SVG)
        if not exact_compare(self, test, ref, skip):
            return False
        fresh, stored = _svgs(test), _svgs(ref)
        if len(fresh) != len(stored):
            self.comparison_traceback.append(
                f"the cell drew {len(fresh)} figure(s); the notebook stores {len(stored)}")
            return False
        if fresh == stored:
            return True
        if svgcompare.rasteriser() is None:
            message = ("figures not compared: rsvg-convert not found "
                       "(install Debian's librsvg2-bin)")
            if os.environ.get("CI") == "true":
                self.comparison_traceback.append(message)
                return False
            warnings.warn(message, stacklevel=1)
            return True
        for number, (new, old) in enumerate(zip(fresh, stored, strict=True), start=1):
            rms = svgcompare.rms_difference(old, new)
            if rms > svgcompare.TOLERANCE:
                self.comparison_traceback.append(
                    f"figure {number} of this cell changed: RMS pixel difference {rms:.2f} "
                    f"> {svgcompare.TOLERANCE} (run `make outputs` if the change is intended)")
                return False
        return True

    IPyNbCell.compare_outputs = compare_outputs


_patch_nbval()
