"""Serve MathJax 3 from the built site instead of a CDN, so the book works offline.

MathJax comes from the PyPI package ``django-static-mathjax`` (a plain copy of
MathJax's official ``es5`` distribution, pinned in ``requirements.txt``; it does
not need Django). At the end of an HTML build the files the pages use are
copied into ``_static/mathjax/`` and every page loads ``tex-chtml.js`` from
there. Nothing is downloaded at build or view time.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError

ENTRY = "tex-chtml.js"
# The entry script, the TeX extensions it autoloads on demand, its web fonts,
# and the context menu / accessibility components it may load lazily.
PARTS = [ENTRY, "input/tex/extensions", "output/chtml/fonts/woff-v2", "ui", "a11y"]


def mathjax_source() -> Path:
    """Return the folder of MathJax's ``es5`` distribution in site-packages."""
    try:
        import mathjax  # provided by django-static-mathjax
    except ImportError as err:
        raise ExtensionError(
            "offline_mathjax: install django-static-mathjax (see requirements.txt)"
        ) from err
    src = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    if not (src / ENTRY).is_file():
        raise ExtensionError(f"offline_mathjax: {src / ENTRY} is missing")
    return src


def _set_path(app: Sphinx, config: Config) -> None:
    mathjax_source()  # fail early, before the build, when the package is missing
    config.mathjax_path = f"mathjax/{ENTRY}"


def _copy(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    src, dest = mathjax_source(), Path(app.outdir) / "_static" / "mathjax"
    for part in PARTS:
        if (src / part).is_dir():
            shutil.copytree(src / part, dest / part, dirs_exist_ok=True)
        else:
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src / part, dest / part)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _set_path)
    app.connect("build-finished", _copy)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
