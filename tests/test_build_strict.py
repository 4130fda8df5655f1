"""The book build is strict: a notebook cell that raises makes it exit non-zero.

A throw-away book is built with the project's own ``_config.yml`` (so its
execution keys are the ones under test) and the Makefile's own flags. Without
``nb_execution_raise_on_error`` and ``-W`` a failing cell is only a warning and
the build exits 0, so the passing twin shows the test can tell the difference.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"


def _jb_flags() -> list[str]:
    out = subprocess.run(["make", "-s", "--no-print-directory", "print-jb-flags"], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    flags = out.stdout.split()
    assert "-W" in flags, flags
    return flags


def _notebook(source: str) -> dict:
    return {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# A test chapter\n\nSome prose."},
            {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
             "source": source},
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _build(tmp_path: Path, source: str) -> subprocess.CompletedProcess:
    book = tmp_path / "book"
    (book / "chapters").mkdir(parents=True)
    shutil.copy(ROOT / "_config.yml", book / "_config.yml")
    shutil.copy(ROOT / "references.bib", book / "references.bib")
    for folder in ("_ext", "_latex", "_static", "_extra"):  # what _config.yml names
        shutil.copytree(ROOT / folder, book / folder)
    (book / "intro.md").write_text("# Throw-away book\n\nA page.\n")
    (book / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n  - file: chapters/nb\n")
    (book / "chapters" / "nb.ipynb").write_text(json.dumps(_notebook(source)))
    return subprocess.run([str(JUPYTER_BOOK), "build", str(book), *_jb_flags()],
                          check=False, capture_output=True, text=True, timeout=600)


@pytest.mark.skipif(not JUPYTER_BOOK.exists(), reason="jupyter-book is not installed in this env")
def test_a_failing_cell_fails_the_build(tmp_path):
    result = _build(tmp_path, "import actlab\nraise RuntimeError('this cell fails on purpose')")
    assert result.returncode != 0, result.stdout[-2000:]
    assert "this cell fails on purpose" in result.stdout + result.stderr


@pytest.mark.skipif(not JUPYTER_BOOK.exists(), reason="jupyter-book is not installed in this env")
def test_a_passing_cell_builds(tmp_path):
    result = _build(tmp_path, "import actlab\nprint(actlab.sigmoid(0.0))")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert (tmp_path / "book" / "_build" / "html" / "chapters" / "nb.html").exists()
