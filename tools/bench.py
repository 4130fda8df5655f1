"""Print how long each chapter notebook takes to execute, and optionally the book build.

Usage: ``python tools/bench.py [--book] [--max-seconds S] [NOTEBOOK ...]`` (``make bench``
runs it with ``--book``). Without notebook arguments every ``chapters/*.ipynb`` is timed.

Each notebook is executed top to bottom by a fresh kernel in its own folder, as in
the book build and under nbval, and is *not* written back. The time includes the
kernel start. ``--book`` then times a full ``jupyter-book build`` with the
Makefile's flags into a temporary ``--path-output``, so ``_build/`` is left alone.
BLAS runs single-threaded, as in the Makefile.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
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


def jb_flags() -> list[str]:
    """The strict build flags, read from the Makefile so the two never disagree."""
    out = subprocess.run(["make", "-s", "--no-print-directory", "print-jb-flags"], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return out.stdout.split()


def time_book() -> tuple[float, list[str]]:
    """Build the whole book into a temporary folder; return (seconds, flags used)."""
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    flags = jb_flags()
    with tempfile.TemporaryDirectory(prefix="bench-book-") as tmp:
        start = time.perf_counter()
        subprocess.run([str(jupyter_book), "build", ".", *flags, "--path-output", tmp],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - start, flags


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to time (default: chapters/*.ipynb)")
    parser.add_argument("--book", action="store_true", help="also time a full jupyter-book build")
    parser.add_argument("--max-seconds", type=float, default=None,
                        help="exit with status 1 if a notebook takes longer than this")
    args = parser.parse_args(argv)
    for key, value in SINGLE_THREADED.items():
        os.environ.setdefault(key, value)

    notebooks = args.notebooks or sorted((ROOT / "chapters").glob("*.ipynb"))
    width = max(len(str(p.resolve().relative_to(ROOT))) for p in notebooks)
    total, too_slow = 0.0, []
    print(f"{'notebook':<{width}}  seconds", flush=True)
    for path in notebooks:
        seconds = time_notebook(path.resolve())
        total += seconds
        name = str(path.resolve().relative_to(ROOT))
        if args.max_seconds is not None and seconds > args.max_seconds:
            too_slow.append(name)
        print(f"{name:<{width}}  {seconds:7.1f}", flush=True)
    print(f"{'all notebooks, one after another':<{width}}  {total:7.1f}", flush=True)

    if args.book:
        seconds, flags = time_book()
        print(f"book build (jupyter-book build . {' '.join(flags)}): {seconds:.1f} s", flush=True)
    if too_slow:
        print(f"slower than {args.max_seconds:g} s: {', '.join(too_slow)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
