"""The build executes each notebook once and never shows a stale result.

A throw-away book in a temporary folder -- the project's Makefile, _config.yml,
extensions and tools/build_state.py, a copy of actlab, and two tiny chapters
that print a value from actlab and from a data file -- is built with
``make book`` again and again, changing one input at a time, and each time the
test checks which notebooks executed and what the page shows.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(sys.executable).parent.parent

CHAPTER = """\
from pathlib import Path

from actlab import glue
from actlab._probe import VALUE

data = Path("data/{name}.txt").read_text().strip()
glue("value", VALUE, display=False)
glue("data", data, display=False)
print("{name} computed", VALUE, data)
"""


def notebook(name: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(
                    f"# Probe {name}\n\nThe value is {{glue:text}}`value` and the data say "
                    f"{{glue:text}}`data`."),
                nbformat.v4.new_code_cell(CHAPTER.format(name=name))]
    return nb


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    tmp = tmp_path_factory.mktemp("cache-book")
    for name in ("Makefile", "_config.yml", "references.bib", "requirements.txt",
                 "requirements-class.txt"):
        shutil.copy2(ROOT / name, tmp / name)
    for folder in ("_ext", "_static", "_extra", "_latex", "jupyter"):
        shutil.copytree(ROOT / folder, tmp / folder)
    (tmp / "tools").mkdir()
    shutil.copy2(ROOT / "tools" / "build_state.py", tmp / "tools")
    shutil.copytree(ROOT / "code", tmp / "code",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    (tmp / "code" / "actlab" / "_probe.py").write_text("VALUE = 'first'\n")
    (tmp / "intro.md").write_text("# Probe book\n\nTwo chapters.\n")
    (tmp / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nparts:\n  - caption: Probes\n    chapters:\n"
        "      - file: chapters/a\n      - file: chapters/b\n")
    (tmp / "chapters" / "data").mkdir(parents=True)
    for name in "ab":
        nbformat.write(notebook(name), tmp / "chapters" / f"{name}.ipynb")
        (tmp / "chapters" / "data" / f"{name}.txt").write_text("old-data\n")
    return tmp


def make_book(book: Path) -> tuple[set[str], float]:
    """Run ``make book``; return the chapters that executed, and the seconds taken."""
    env = {**os.environ, "PYTHONPATH": str(book / "code")}  # the copy's actlab, not ours
    env.pop("MAKEFLAGS", None)
    start = time.perf_counter()
    done = subprocess.run(["make", "--no-print-directory", "book", f"VENV={VENV}"],
                          cwd=book, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-4000:]
    executed = set(re.findall(r"executed chapters/(\w+)\.ipynb", log))
    executed |= set(re.findall(r"chapters/(\w+)\.ipynb: Executing notebook", log))
    return executed, seconds


def page(book: Path, name: str) -> str:
    return (book / "_build" / "html" / "chapters" / f"{name}.html").read_text()


def test_each_input_change_re_executes_exactly_what_it_must(book):
    executed, cold = make_book(book)
    assert executed == {"a", "b"}
    assert "first" in page(book, "a") and "old-data" in page(book, "b")

    executed, warm = make_book(book)
    assert executed == set(), "nothing changed, nothing may execute"
    assert warm <= 0.1 * cold, f"no-change rebuild took {warm:.1f} s vs {cold:.1f} s cold"

    # One chapter's code changes: only that chapter executes again.
    nb = nbformat.read(book / "chapters" / "b.ipynb", as_version=4)
    nb.cells[1].source += "\nprint('edited')"
    nbformat.write(nb, book / "chapters" / "b.ipynb")
    executed, _ = make_book(book)
    assert executed == {"b"}

    # actlab changes: every notebook executes again and the page shows the new value.
    (book / "code" / "actlab" / "_probe.py").write_text("VALUE = 'second'\n")
    executed, _ = make_book(book)
    assert executed == {"a", "b"}
    assert "second" in page(book, "a") and "first" not in page(book, "a")

    # A file the notebooks read changes: the same.
    (book / "chapters" / "data" / "a.txt").write_text("new-data\n")
    executed, _ = make_book(book)
    assert executed == {"a", "b"}
    assert "new-data" in page(book, "a")


def test_a_configuration_change_re_renders_every_page_without_executing(book):
    make_book(book)
    config = (book / "_config.yml").read_text()
    (book / "_config.yml").write_text(config.replace('title: "Activation Functions"',
                                                     'title: "Renamed Book"'))
    executed, _ = make_book(book)
    assert executed == set()
    for name in "ab":  # the title is in every page's sidebar: both were rendered again
        assert "Renamed Book" in page(book, name)
