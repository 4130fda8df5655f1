"""The class notebooks (tools/make_class.py, `make class`) read right and run.

They are built from the committed chapters; each is then executed top to
bottom in a fresh kernel, as a student would on Colab or in JupyterLab.
"""

from __future__ import annotations

import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "_build" / "class"
sys.path.insert(0, str(ROOT / "tools"))
import make_class  # noqa: E402

MYST = re.compile(r"\{[a-z]+(?::[a-z]+)?\}`|^\s*[`:]{3,}\{|^\s*:::|^\(\S+\)=\s*$|footbibliography",
                  re.M)
CHAPTERS = [p for p in make_class.book_pages() if (ROOT / f"{p}.ipynb").is_file()]


@pytest.fixture(scope="module")
def kit() -> Path:
    subprocess.run([sys.executable, str(ROOT / "tools" / "make_class.py"), "--kit-only"],
                   cwd=ROOT, check=True)
    return OUT


def test_the_committed_student_notebooks_are_fresh(kit, tmp_path):
    """notebooks/ (what a student who clones the repository opens) is the student
    edition of the current chapters, without outputs: `make class` rewrites it."""
    make_class.write_repository_copy(kit / "student", tmp_path)
    fresh = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    committed = {p.name: p.read_bytes() for p in make_class.REPOSITORY_COPY.iterdir()}
    assert sorted(committed) == sorted(fresh), "run `make class` and commit notebooks/"
    stale = [name for name in fresh if committed[name] != fresh[name]]
    assert not stale, f"notebooks/ is stale ({stale}): run `make class` and commit it"


def notebooks(kit: Path, edition: str) -> list[Path]:
    found = sorted((kit / edition).glob("*.ipynb"))
    assert len(found) == len(CHAPTERS)
    return found


def markdown(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def execute(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def timing_keys(page: str) -> set[str]:
    """Glued values of cells tagged nbval-ignore-output (timings vary by machine and run)."""
    nb = nbformat.read(ROOT / f"{page}.ipynb", as_version=4)
    keys = set()
    for cell in nb.cells:
        if "nbval-ignore-output" in cell.get("metadata", {}).get("tags", []):
            cell_nb = nbformat.v4.new_notebook()
            cell_nb.cells = [cell]
            keys |= set(make_class.glue_values(cell_nb))
    return keys


@pytest.mark.parametrize("edition", make_class.EDITIONS)
def test_no_myst_syntax_survives(kit, edition):
    for path in notebooks(kit, edition):
        found = MYST.findall(markdown(path))
        assert not found, f"{path.name}: MyST markup left: {found[:5]}"


def exercises_in_the_source(path: Path) -> int:
    """How many {exercise} boxes the book page of this class notebook has."""
    page = next(p for p in CHAPTERS if Path(p).name == path.stem)
    return len(re.findall(r"^[`:]{3,}\{exercise\}", markdown(ROOT / f"{page}.ipynb"), re.M))


def test_student_edition_has_a_turn_per_exercise_and_no_solution(kit):
    for path in notebooks(kit, "student"):
        text = markdown(path)
        exercises = re.findall(r"^> \*\*Exercise (\d+)\*\*", text, re.M)
        assert len(exercises) == exercises_in_the_source(path), path.name
        assert "Solution" not in text, f"{path.name} shows a solution"
        nb = nbformat.read(path, as_version=4)
        turns = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("# Your turn")]
        assert len(turns) == len(exercises), path.name


def test_teacher_edition_has_a_solution_for_every_exercise(kit):
    for path in notebooks(kit, "teacher"):
        text = markdown(path)
        exercises = re.findall(r"^> \*\*Exercise (\d+)\*\*", text, re.M)
        solutions = re.findall(r"^> \*\*Solution to Exercise (\d+)\*\*", text, re.M)
        assert len(exercises) == exercises_in_the_source(path), path.name
        assert solutions == exercises, (path.name, exercises, solutions)


def test_zips_hold_each_edition(kit):
    import zipfile

    for edition in make_class.EDITIONS:
        names = zipfile.ZipFile(kit / f"activation-functions-{edition}.zip").namelist()
        assert sum(n.endswith(".ipynb") for n in names) == len(CHAPTERS)


def test_class_notebooks_run_and_their_prose_numbers_are_what_the_code_computes(kit):
    # One execution per chapter: the teacher edition, with the cells that glue
    # values kept in place. It must run without an error, and every value it
    # glues must equal the one written into the class notebook's prose (taken
    # from the stored outputs). The student edition runs the same code cells
    # (glue cells aside, which define nothing: tests/test_book.py) plus empty
    # "your turn" cells.
    bib = make_class.bibliography()
    titles = {p: make_class.page_title(p) for p in make_class.book_pages()}
    work = kit / "check"
    work.mkdir(exist_ok=True)
    paths = []
    for page in CHAPTERS:
        path = work / f"{Path(page).name}.ipynb"
        nbformat.write(make_class.convert(page, "teacher", bib, titles, "repo", keep_glue=True), path)
        paths.append(path)
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(execute, paths))
    for page, nb in zip(CHAPTERS, runs, strict=True):
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
                  if o.output_type == "error" or o.get("name") == "stderr"]
        assert not errors, f"{page}: {errors[0]}"
        stored = make_class.glue_values(nbformat.read(ROOT / f"{page}.ipynb", as_version=4))
        fresh = make_class.glue_values(nb)
        assert fresh.keys() == stored.keys(), page
        timed = timing_keys(page)  # wall-clock timings: they differ by nature
        changed = [k for k in stored if k not in timed
                   and stored[k].get("text/plain") != fresh[k].get("text/plain")]
        assert not changed, f"{page}: glued values differ from the prose: {changed[:5]}"
