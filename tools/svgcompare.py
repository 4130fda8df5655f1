"""Compare two SVG figures as pictures, with a tolerance.

Matplotlib writes every coordinate of an SVG with many decimals, and the last
ones differ from one CPU to another. Comparing the files as bytes would fail on
a reader's laptop for a figure that is fine; comparing nothing would let a real
change through. So, as matplotlib's own image tests do, both figures are
rasterised (by ``rsvg-convert``, from Debian's ``librsvg2-bin``) and compared
by the root-mean-square difference of their pixels, on a 0-255 scale.
"""

from __future__ import annotations

import io
import shutil
import subprocess

import numpy as np

#: Largest RMS pixel difference (0-255 scale) accepted as "the same figure".
#: Last-bit differences in coordinates give 0; a moved line or a changed label
#: gives several units (see tests/test_svgcompare.py).
TOLERANCE = 0.5

#: Raster width in pixels (a 6.4-inch figure at 100 dpi).
WIDTH = 640


def rasteriser() -> str | None:
    """The path of ``rsvg-convert``, or None when it is not installed."""
    return shutil.which("rsvg-convert")


def rasterise(svg: str, width: int = WIDTH) -> np.ndarray:
    """Render ``svg`` (the text of an SVG file) to an RGB array of floats in 0-255."""
    import matplotlib.image as mpimg

    exe = rasteriser()
    if exe is None:
        raise RuntimeError("rsvg-convert not found: install Debian's librsvg2-bin")
    png = subprocess.run([exe, "--format", "png", "--width", str(width),
                          "--background-color", "white"],
                         input=svg.encode(), capture_output=True, check=True).stdout
    rgba = mpimg.imread(io.BytesIO(png), format="png")
    return np.asarray(rgba[..., :3], dtype=np.float64) * 255.0


def rms_difference(svg_a: str, svg_b: str) -> float:
    """The RMS pixel difference of two SVG figures (inf when their sizes differ)."""
    if svg_a == svg_b:
        return 0.0
    a, b = rasterise(svg_a), rasterise(svg_b)
    if a.shape != b.shape:
        return float("inf")
    return float(np.sqrt(np.mean((a - b) ** 2)))


def same_figure(svg_a: str, svg_b: str, tolerance: float = TOLERANCE) -> bool:
    """True when the two SVG figures look the same, within ``tolerance``."""
    return rms_difference(svg_a, svg_b) <= tolerance
