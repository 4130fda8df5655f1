"""Keep the shared execution cache fresh, fill it in parallel, and decide re-renders.

Usage (the Makefile runs these; see README.md)::

    python tools/build_state.py prepare OUTDIR [--jobs N]   # before a build
    python tools/build_state.py record OUTDIR               # after it succeeded

Every build of the book (the website in ``_build/html``, the PDF book and the
handouts) reads notebook outputs from one jupyter-cache, ``_build/.jupyter_cache``
(``execute.cache`` in ``_config.yml``), so each notebook executes once for all
three. Two things jupyter-cache cannot see are handled here:

* It hashes only a notebook's code cells. When anything else a notebook's
  results depend on changes -- ``actlab``'s source, the requirements, a data
  file -- ``prepare`` empties the cache, so every notebook executes again.
* Sphinx re-renders only the pages whose source changed. When the
  configuration, an extension, a template, the bibliography or the cache
  changes, every page must be rendered again: ``prepare`` then prints
  ``--all`` for the Makefile to pass to ``jupyter-book build``.

``prepare`` also executes, two at a time, every notebook the cache lacks, so a
cold build uses both cores (jupyter-book itself executes one after another).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
CACHE = ROOT / CONFIG["execute"]["cache"]
TIMEOUT = int(CONFIG["execute"].get("timeout", 120))

#: What a notebook's results depend on besides its own code cells.
EXECUTION_INPUTS = ["code/actlab/**/*.py", "code/pyproject.toml", "requirements*.txt",
                    "chapters/data/**/*"]
#: What every rendered page depends on besides its own source.
RENDER_INPUTS = ["_config.yml", "_toc.yml", "_ext/**/*", "_static/**/*", "_extra/**/*",
                 "_latex/**/*", "_templates/**/*", "references.bib", "tools/build_pdf.py"]
STAMP = ".build-inputs"


def digest(patterns: list[str]) -> str:
    """A SHA-256 over the names and contents of the files matching ``patterns``."""
    h = hashlib.sha256()
    files = sorted({p for pattern in patterns for p in ROOT.glob(pattern) if p.is_file()})
    for path in files:
        if "__pycache__" in path.parts:
            continue
        h.update(str(path.relative_to(ROOT)).encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def book_notebooks() -> list[Path]:
    """Every notebook the table of contents names, in book order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    entries = [c for part in toc.get("parts", []) for c in part.get("chapters", [])]
    return [ROOT / f"{e['file']}.ipynb" for e in entries
            if (ROOT / f"{e['file']}.ipynb").is_file()]


def ensure_cache_fresh() -> bool:
    """Empty the execution cache if its inputs changed; True if it was emptied."""
    want = digest(EXECUTION_INPUTS)
    stamp = CACHE / STAMP
    if stamp.is_file() and stamp.read_text() == want:
        return False
    emptied = CACHE.exists()
    shutil.rmtree(CACHE, ignore_errors=True)
    CACHE.mkdir(parents=True)
    stamp.write_text(want)
    return emptied


def render_digest(outdir: Path) -> str:
    """What the pages in ``outdir`` were rendered from, besides their sources.

    The website's download menu links the PDFs and class-notebook zips that exist
    (``_ext/pdf_downloads.py``), so for the website the list of those files counts too.
    """
    parts = [digest(RENDER_INPUTS), (CACHE / STAMP).read_text()]
    if outdir.name == "html":
        parts += sorted(str(p.relative_to(ROOT)) for p in [*ROOT.glob("_build/pdf/**/*.pdf"),
                                                             *ROOT.glob("_build/class/*.zip")])
    return "\n".join(parts)


def _execute(path: str) -> tuple[str, object, float, str | None]:
    """Execute one notebook in its own folder, as myst-nb's cache mode does."""
    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    nb = nbformat.read(path, as_version=4)
    result = single_nb_execution(nb, cwd=str(Path(path).parent), allow_errors=False,
                                 timeout=TIMEOUT, meta_override=True)
    return path, nb, result.time, result.exc_string if result.err else None


def fill_cache(jobs: int) -> int:
    """Execute every notebook the cache has no record of; return how many ran."""
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(CACHE))
    missing = []
    for path in book_notebooks():
        try:
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            missing.append(str(path))
    if not missing:
        return 0
    start = time.perf_counter()
    failed = []
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        for path, nb, seconds, error in pool.map(_execute, missing):
            name = Path(path).relative_to(ROOT)
            if error:
                failed.append(f"{name}:\n{error}")
                continue
            cache.cache_notebook_bundle(
                CacheBundleIn(nb, path, data={"execution_seconds": seconds}),
                check_validity=False, overwrite=True)
            print(f"executed {name} in {seconds:.1f} s", file=sys.stderr, flush=True)
    print(f"executed {len(missing) - len(failed)} notebook(s) into the cache, {jobs} at a "
          f"time, in {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    if failed:
        # The build will execute these again and fail with the same traceback.
        print("notebook execution failed:\n" + "\n".join(failed), file=sys.stderr)
    return len(missing)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["prepare", "record"])
    parser.add_argument("outdir", type=Path, help="the build's output folder, e.g. _build/html")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    stamp = (ROOT / args.outdir) / STAMP
    if args.action == "record":
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(render_digest(args.outdir))
        return 0
    if ensure_cache_fresh():
        print("execution inputs changed: emptied the notebook cache", file=sys.stderr)
    fill_cache(args.jobs)
    if not stamp.is_file() or stamp.read_text() != render_digest(args.outdir):
        print("--all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
