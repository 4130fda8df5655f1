"""Measure the book's speed, each figure next to its floor in the same run.

Usage: ``python tools/bench.py [--no-build] [--no-pdf] [--max-seconds S]``
(``make bench``). Prints, in order:

1. ``actlab`` against the plain NumPy expressions it replaces
   (tools/bench_actlab.py): one ratio per function and dtype.
2. Each chapter executed bare -- a fresh kernel, top to bottom, one after
   another, nothing written back -- and their total: the floor of any build.
3. The build pipeline, in a throw-away copy of the repository (so ``_build/`` is
   left alone) with this environment: a cold ``make book`` (empty cache) as a
   ratio to the bare total; ``make book`` again with nothing changed; after one
   chapter's code changed; ``make pdf`` right after ``make book``; and how many
   notebooks each step executed.
BLAS runs single-threaded, as in the Makefile.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_actlab
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(sys.executable).parent.parent
SINGLE_THREADED = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                   "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


def time_notebook(path: Path) -> float:
    """Execute ``path`` in a fresh kernel (in memory only); return the wall-clock seconds."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def copy_repository(dest: Path) -> None:
    """Copy the files git knows (committed or not), keeping their modification times."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split("\n")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)


def make(copy: Path, target: str) -> tuple[float, int]:
    """Run ``make target`` in the copy; return (seconds, notebooks executed)."""
    start = time.perf_counter()
    done = subprocess.run(["make", "--no-print-directory", target, f"VENV={VENV}"], cwd=copy,
                          capture_output=True, text=True, env={**os.environ, "MAKEFLAGS": ""},
                          check=False)
    seconds = time.perf_counter() - start
    log = done.stdout + done.stderr
    if done.returncode:
        raise SystemExit(f"make {target} failed in {copy}:\n{log[-3000:]}")
    executed = len(re.findall(r"^executed chapters/", log, re.M))
    executed += len(re.findall(r"Executing notebook", log))
    return seconds, executed


def bench_builds(bare: float, pdf: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        copy = Path(tmp)
        copy_repository(copy)
        rows = []
        cold, n = make(copy, "book")
        rows.append(("cold `make book` (empty cache)", cold, n, f"{cold / bare:.2f} x bare"))
        warm, n = make(copy, "book")
        rows.append(("`make book`, nothing changed", warm, n, f"{warm / cold:.1%} of cold"))
        chapter = sorted((copy / "chapters").glob("*.ipynb"))[0]
        nb = nbformat.read(chapter, as_version=4)
        cell = next(c for c in nb.cells if c.cell_type == "code" and
                    "remove-cell" not in c.metadata.get("tags", []))
        cell.source += "\n# edited"
        nbformat.write(nb, chapter)
        one, n = make(copy, "book")
        rows.append((f"`make book` after editing {chapter.stem}", one, n, f"{one / cold:.1%} of cold"))
        if pdf:
            if shutil.which("xelatex") is None:
                rows.append(("`make pdf` after `make book`", float("nan"), 0, "skipped: no xelatex"))
            else:
                seconds, n = make(copy, "pdf")
                rows.append(("`make pdf` after `make book`", seconds, n, "LaTeX: book + handouts"))
    print(f"\n{'build step':<44} {'seconds':>8} {'executed':>9}  note")
    for name, seconds, n, note in rows:
        print(f"{name:<44} {seconds:8.1f} {n:9d}  {note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="skip the build pipeline")
    parser.add_argument("--no-pdf", action="store_true", help="skip `make pdf` in the pipeline")
    parser.add_argument("--max-seconds", type=float, default=None,
                        help="exit with status 1 if a notebook takes longer than this")
    args = parser.parse_args(argv)
    for key, value in SINGLE_THREADED.items():
        os.environ[key] = value

    bench_actlab.main([])

    notebooks = sorted((ROOT / "chapters").glob("*.ipynb"))
    print(f"\n{'notebook, executed bare':<44} {'seconds':>8}")
    bare, too_slow = 0.0, []
    for path in notebooks:
        seconds = time_notebook(path)
        bare += seconds
        if args.max_seconds is not None and seconds > args.max_seconds:
            too_slow.append(path.name)
        print(f"{'chapters/' + path.name:<44} {seconds:8.1f}", flush=True)
    print(f"{'all, one after another':<44} {bare:8.1f}", flush=True)

    if not args.no_build:
        bench_builds(bare, pdf=not args.no_pdf)
    if too_slow:
        print(f"slower than {args.max_seconds:g} s: {', '.join(too_slow)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
