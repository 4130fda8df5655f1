"""Static checks of the chapter notebooks: the conventions every chapter follows.

These read the committed notebooks (no execution): their shape, the Colab
install cell, figure captions and alt text, and that stored outputs exist.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())
CHAPTERS = [c["file"] for part in TOC["parts"] for c in part["chapters"]
            if c["file"].startswith("chapters/")]
IMAGE_TYPES = {"image/svg+xml", "image/png", "application/pdf"}


def load(chapter: str) -> dict:
    return json.loads((ROOT / f"{chapter}.ipynb").read_text())


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def source(cell: dict) -> str:
    return "".join(cell["source"])


def test_every_notebook_in_chapters_is_in_the_toc():
    on_disk = sorted(f"chapters/{p.stem}" for p in (ROOT / "chapters").glob("*.ipynb"))
    assert on_disk == sorted(CHAPTERS)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_one_title_then_learning_goals(chapter):
    nb = load(chapter)
    markdown = "\n".join(source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    prose = re.sub(r"^(`{3,}).*?^\1", "", markdown, flags=re.M | re.S)  # drop fenced blocks
    assert len(re.findall(r"^# ", prose, re.M)) == 1, "exactly one H1 per chapter"
    assert source(nb["cells"][0]).startswith("# ")
    assert "Learning goals" in markdown
    assert "{exercise}" in markdown and "{solution}" in markdown


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_first_cell_installs_actlab_on_colab_from_this_repository(chapter):
    # The same cell as the class notebooks' (tools/make_class.py): it installs
    # actlab from this repository where it is missing, and fails loudly.
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    from make_class import INSTALL_CELL

    first, second = code_cells(load(chapter))[:2]
    assert "remove-cell" in first["metadata"].get("tags", []), "hidden on the website and in the PDF"
    repo = CONFIG["repository"]["url"]
    assert source(first) == INSTALL_CELL.format(repo=repo).rstrip("\n")
    assert first["outputs"] == [], "the install cell must do nothing where actlab is installed"
    assert "use_house_style()" in source(second) and "from actlab import" in source(second)


def test_the_install_cell_fails_loudly_when_pip_fails(tmp_path):
    # Run the cell where actlab cannot be found (-S: no site-packages) and pip
    # cannot install it (no index, a repository that does not exist):
    # it must raise with the reason, not print a warning and carry on.
    import subprocess
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    from make_class import INSTALL_CELL

    code = INSTALL_CELL.format(repo="file:///nonexistent/repository")
    env = {"PATH": "/usr/bin:/bin", "PIP_NO_INDEX": "1", "PYTHONNOUSERSITE": "1"}
    done = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=120, check=False)
    assert done.returncode != 0
    assert "Could not install the book's helper package actlab" in done.stderr


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_figure_has_a_caption_and_alt_text(chapter):
    figures = 0
    for cell in code_cells(load(chapter)):
        if not any(IMAGE_TYPES & set(o.get("data", {})) for o in cell["outputs"]):
            continue
        figures += 1
        meta = cell["metadata"].get("mystnb", {})
        assert meta.get("figure", {}).get("caption"), f"no caption: {source(cell)[:80]}"
        assert meta.get("figure", {}).get("name"), f"no figure name: {source(cell)[:80]}"
        assert meta.get("image", {}).get("alt"), f"no alt text: {source(cell)[:80]}"
    assert figures >= 1, "a chapter without a figure?"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_outputs_are_stored_and_nothing_went_to_stderr(chapter):
    for cell in code_cells(load(chapter)):
        if "remove-cell" in cell["metadata"].get("tags", []):
            continue
        assert cell["execution_count"] is not None, f"not executed: {source(cell)[:80]}"
        for out in cell["outputs"]:
            assert out.get("name") != "stderr", f"stderr output: {''.join(out.get('text', ''))[:200]}"
            assert out["output_type"] != "error"


def fenced_code_lines(markdown: str) -> list[str]:
    """The lines inside plain code fences (```python ... ```), not inside directives."""
    lines, stack = [], []  # stack of (fence, is_code)
    for line in markdown.splitlines():
        m = re.match(r"^\s*(`{3,}|:{3,})\s*(.*?)\s*$", line)
        if m:
            fence, info = m.groups()
            if stack and not info and fence[0] == stack[-1][0][0] and len(fence) >= len(stack[-1][0]):
                stack.pop()
            else:
                stack.append((fence, not info.startswith("{")))
            continue
        if stack and stack[-1][1]:
            lines.append(line)
    return lines


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_printed_output_and_markdown_code_fit_79_columns(chapter):
    # Wider lines overflow the website's code box at 1280 px and wrap with
    # markers on paper. (Code cells are held to 79 columns by ruff: chapters/ruff.toml.)
    wide = []
    for cell in load(chapter)["cells"]:
        if cell["cell_type"] == "code":
            for out in cell["outputs"]:
                text = "".join(out.get("text", "")) + "".join(out.get("data", {}).get("text/plain", ""))
                if "image/svg+xml" in out.get("data", {}):
                    continue
                wide += [line for line in text.splitlines() if len(line) > 79]
        else:
            wide += [line for line in fenced_code_lines(source(cell)) if len(line) > 79]
    assert not wide, f"{len(wide)} line(s) wider than 79 columns, e.g. {wide[0]!r}"


def _names(code: str) -> tuple[set[str], set[str]]:
    """(names a cell assigns or defines, names it reads) -- IPython magics aside."""
    import ast

    tree = ast.parse("\n".join(line for line in code.splitlines() if not line.lstrip().startswith("%")))
    stored, loaded = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (stored if isinstance(node.ctx, ast.Store) else loaded).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            stored.add(node.name)
        elif isinstance(node, ast.arg):
            stored.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            stored |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return stored, loaded


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_glue_cells_only_glue(chapter):
    # The class notebooks drop the cells that feed the book's prose; so such a
    # cell may compute and glue values but must define nothing a later cell reads.
    cells = code_cells(load(chapter))

    def glue_only(cell: dict) -> bool:
        return "glue(" in source(cell) and "remove-cell" in cell["metadata"].get("tags", [])

    for i, cell in enumerate(cells):
        if not glue_only(cell):
            continue
        defined, _ = _names(source(cell))
        defined -= {"glue"}
        for later in [c for c in cells[i + 1:] if not glue_only(c)]:
            stored, loaded = _names(source(later))
            needed = (defined & loaded) - stored
            assert not needed, (f"a glue cell defines {sorted(needed)}, read by a later cell: "
                                f"{source(later)[:80]!r}")


NOTEBOOK_FILES = sorted(p.relative_to(ROOT).as_posix()
                        for p in [*ROOT.glob("chapters/*.ipynb"), *ROOT.glob("*.ipynb"),
                                   *ROOT.glob("notebooks/*.ipynb")])


@pytest.mark.parametrize("path", NOTEBOOK_FILES)
def test_opening_a_notebook_in_jupyterlab_leaves_it_unchanged(path):
    """JupyterLab writes the kernel's own kernelspec and nbformat's JSON layout on
    save; a notebook stored any other way shows up in `git diff` once opened."""
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager

    text = (ROOT / path).read_text(encoding="utf-8")
    nb = nbformat.reads(text, as_version=4)
    spec = KernelSpecManager().get_kernel_spec("python3")
    assert nb.metadata.get("kernelspec") == {
        "display_name": spec.display_name, "language": spec.language, "name": "python3"}, \
        f"{path}: run tools/refresh_outputs.py (it normalises the metadata)"
    assert set(nb.metadata) <= {"kernelspec", "language_info", "actlab"}, \
        f"{path}: unexpected notebook metadata {sorted(nb.metadata)}"
    assert (nb.nbformat, nb.nbformat_minor) == (4, 5) and all("id" in c for c in nb.cells)
    assert text == nbformat.writes(nb) + "\n", f"{path}: not in nbformat's own JSON layout"
