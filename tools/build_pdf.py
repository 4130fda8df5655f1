"""Build the PDF lecture notes: the whole book and one handout per chapter.

Usage: ``python tools/build_pdf.py`` from the repository root (``make pdf``).

Writes
    _build/pdf/book.pdf                  the whole book
    _build/pdf/handouts/<chapter>.pdf    one handout per chapter, e.g. 01_sigmoid.pdf

(The LaTeX sources and logs stay in _build/pdf-book/ and _build/pdf-handouts/.)
Both go through LaTeX (Jupyter Book forces xelatex). The notebooks' outputs
come from the execution cache the website shares (``tools/build_state.py``), so
after ``make book`` no notebook executes again. The handouts use ``--individualpages`` with a second
configuration, generated from ``_config.yml``, that drops the table of contents
and the blank pages between chapters.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import build_state
import yaml

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
OUT = BUILD / "pdf"
JUPYTER_BOOK = str(Path(sys.executable).parent / "jupyter-book")
FLAGS = ["--builder", "pdflatex", "-W", "-n", "--keep-going"]


HANDOUT_TITLE = r"""
\makeatletter
\noindent{\sffamily\bfseries\LARGE \@title\par}
\vspace{4pt}
\noindent{\sffamily\large \@author\par}
\vspace{6pt}\hrule\vspace{14pt}
\makeatother
"""


def run(args: list[str]) -> None:
    print("+", " ".join(args), flush=True)
    subprocess.run(args, cwd=ROOT, check=True)


def build(outdir: Path, extra: list[str]) -> None:
    """One strict jupyter-book build into ``outdir``, from the shared execution cache."""
    build_state.ensure_cache_fresh()
    build_state.fill_cache(jobs=2)
    stamp = outdir / "_build" / build_state.STAMP
    fresh = stamp.is_file() and stamp.read_text() == build_state.render_digest(stamp.parent)
    run([JUPYTER_BOOK, "build", ".", *FLAGS, *extra, *([] if fresh else ["--all"]),
         "--path-output", str(outdir)])
    stamp.write_text(build_state.render_digest(stamp.parent))


def chapters() -> list[str]:
    """The chapter files named in _toc.yml, e.g. ``chapters/01_sigmoid``."""
    return [str(p.relative_to(ROOT).with_suffix("")) for p in build_state.book_notebooks()
            if p.parent.name == "chapters"]


def handout_config() -> Path:
    """Write the handouts' configuration next to the project's and return its path."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"]["cache"] = str(build_state.CACHE)  # the one shared cache
    sphinx = config.setdefault("sphinx", {})
    # Relative paths in the config are resolved against the config file's folder.
    sphinx["local_extensions"] = {name: str((ROOT / path).resolve())
                                  for name, path in sphinx.get("local_extensions", {}).items()}
    cfg = sphinx.setdefault("config", {})
    cfg["latex_elements"] = {
        "tableofcontents": "",
        "extraclassoptions": "openany,oneside",
        # A title block on the first page instead of a title page: chapter, then course.
        "maketitle": HANDOUT_TITLE,
        # Without chapters, LaTeX would number sections 0.1, 0.2, ...
        "preamble": r"\renewcommand{\thesection}{\arabic{section}}",
    }
    # A handout is one chapter: its ## headings are sections, not \part pages.
    # (sphinx-jupyterbook-latex would otherwise pick "part" from the toc's parts.)
    cfg["jblatex_captions_to_parts"] = False
    cfg["latex_toplevel_sectioning"] = "section"
    config["author"] = f"{config['title']}: lecture notes"
    path = BUILD / "pdf-handouts" / "_config.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def build_book() -> Path:
    build(BUILD / "pdf-book", [])
    pdf = BUILD / "pdf-book" / "_build" / "latex" / "book.pdf"
    OUT.mkdir(parents=True, exist_ok=True)
    shutil.copy2(pdf, OUT / "book.pdf")
    return OUT / "book.pdf"


def build_handouts() -> list[Path]:
    config = handout_config()
    build(config.parent, ["--individualpages", "--config", str(config)])
    latex = config.parent / "_build" / "latex"
    (OUT / "handouts").mkdir(parents=True, exist_ok=True)
    made = []
    for chapter in chapters():
        name = Path(chapter).name
        candidates = [latex / f"{chapter.replace('/', '-')}.pdf", latex / f"{name}.pdf"]
        found = [c for c in candidates if c.is_file()]
        if not found:
            raise SystemExit(f"no handout PDF for {chapter} in {latex}: {sorted(latex.glob('*.pdf'))}")
        shutil.copy2(found[0], OUT / "handouts" / f"{name}.pdf")
        made.append(OUT / "handouts" / f"{name}.pdf")
    return made


def main(argv: list[str]) -> int:
    which = set(argv) or {"book", "handouts"}
    if "book" in which:
        print(f"wrote {build_book().relative_to(ROOT)}")
    if "handouts" in which:
        for path in build_handouts():
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
