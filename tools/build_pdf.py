"""Build the printed lecture notes: student handouts, answer keys and the whole book.

Usage: ``python tools/build_pdf.py [book] [handouts] [answers] [card] [--paper a4|letter]``
from the repository root (``make pdf``; ``make pdf PAPER=letter`` for US Letter).
Without arguments all four are built.

Writes
    _build/pdf/handouts/<chapter>.pdf    a student handout: the chapter, exercises without solutions
    _build/pdf/solutions/<chapter>.pdf   its answer key: every exercise, each with its solution
    _build/pdf/book.pdf                  the whole book; each chapter's solutions at its end
    _build/pdf/reference_card.pdf        the reference card, printed like a handout (one page)

Each PDF goes through LaTeX (xelatex) with a configuration generated from
``_config.yml`` (kept with the LaTeX sources and logs in ``_build/print/``).
A handout and an answer key are one-chapter books of their own, so figures and
exercises are numbered from 1 and each carries its own reference list; links
to other chapters print those chapters' titles. ``_ext/print_edition.py`` does
the rest: solutions moved or removed, numbered citations, plot code left out.
The notebooks' outputs come from the execution cache the website shares
(``tools/build_state.py``): after ``make book``, no notebook executes again.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import build_state
import yaml

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
WORK = BUILD / "print"
OUT = BUILD / "pdf"
JUPYTER_BOOK = str(Path(sys.executable).parent / "jupyter-book")
FLAGS = ["--builder", "pdflatex", "-W", "-n", "--keep-going"]
PAPER = {"a4": "a4paper", "letter": "letterpaper"}


def tex_escape(text: str) -> str:
    for char in "\\&%$#_{}":
        text = text.replace(char, "\\" + char)
    return text


def page_style(course: str, part: str) -> str:
    r"""LaTeX for every page's header (course, chapter) and footer (page X of Y)."""
    return rf"""
\usepackage{{lastpage}}
\usepackage{{needspace}}
\makeatletter
\fancypagestyle{{normal}}{{%
  \fancyhf{{}}%
  \fancyhead[L]{{\small\sffamily {tex_escape(course)}}}%
  \fancyhead[R]{{\small\sffamily {tex_escape(part)}}}%
  \fancyfoot[C]{{\small\sffamily page \thepage\ of \pageref*{{LastPage}}}}%
  \renewcommand{{\headrulewidth}}{{0.4pt}}\renewcommand{{\footrulewidth}}{{0pt}}}}
\fancypagestyle{{plain}}{{\pagestyle{{normal}}}}
\makeatother
% Figures at 70 % of the text width: still legible (their 11-pt text prints at
% about 8 pt), and a chapter's figures no longer fill half its pages.
\let\actlabincludegraphics\sphinxincludegraphics
\renewcommand{{\sphinxincludegraphics}}[2][]{{\actlabincludegraphics[width=0.7\linewidth]{{#2}}}}
% A heading never ends a page: it moves to the next with the text it heads.
\pretocmd{{\section}}{{\needspace{{8\baselineskip}}}}{{}}{{}}
\pretocmd{{\subsection}}{{\needspace{{6\baselineskip}}}}{{}}{{}}
% (In a one-chapter PDF, sphinx-jupyterbook-latex prints headings as line blocks.)
\BeforeBeginEnvironment{{DUlineblock}}{{\needspace{{8\baselineskip}}}}
% Keep a short box (learning goals, an exercise, a solution) on one page.
\BeforeBeginEnvironment{{sphinxadmonition}}{{\needspace{{7\baselineskip}}}}
"""


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
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"failed ({done.returncode}): {' '.join(args)}\n"
                           f"{done.stdout[-6000:]}\n{done.stderr[-6000:]}")


def chapters() -> list[str]:
    """The chapter files named in _toc.yml, e.g. ``chapters/01_sigmoid``."""
    return [str(p.relative_to(ROOT).with_suffix("")) for p in build_state.book_notebooks()
            if p.parent.name == "chapters"]


def page_titles() -> dict[str, str]:
    """docname -> the page's H1, for every page of the book."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    names = [toc["root"]] + [c["file"] for part in toc.get("parts", [])
                             for c in part.get("chapters", [])]
    titles = {}
    for name in names:
        path = ROOT / name
        if path.with_suffix(".ipynb").is_file():
            nb = json.loads(path.with_suffix(".ipynb").read_text())
            text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
        else:
            text = path.with_suffix(".md").read_text()
        titles[name] = next(line[2:].strip() for line in text.splitlines() if line.startswith("# "))
    return titles


def results_only_chapters() -> list[str]:
    """Chapters (and the card) whose handout prints results, not code (metadata actlab.handout)."""
    return [c for c in [*chapters(), CARD]
            if json.loads((ROOT / f"{c}.ipynb").read_text()).get("metadata", {})
            .get("actlab", {}).get("handout") == "results"]


def config_for(edition: str, paper: str, title: str | None = None) -> dict:
    """The project's configuration, adapted to one print edition."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"]["cache"] = str(build_state.CACHE)  # the one shared cache
    sphinx = config.setdefault("sphinx", {})
    # Relative paths in the config are resolved against the config file's folder.
    sphinx["local_extensions"] = {name: str((ROOT / path).resolve())
                                  for name, path in sphinx.get("local_extensions", {}).items()}
    sphinx["local_extensions"]["print_edition"] = str(ROOT / "_ext")
    cfg = sphinx.setdefault("config", {})
    cfg["print_edition"] = edition
    cfg["print_doc_titles"] = page_titles()
    cfg["print_results_only"] = results_only_chapters()
    course = config["title"]
    elements = {
        "papersize": PAPER[paper],
        "extraclassoptions": "openany,oneside",   # no blank pages between chapters
        "figure_align": "H",                      # a figure stays where the text calls it
        "sphinxsetup": "hmargin={1.8cm,1.8cm}, vmargin={2cm,2cm}",
        "fvset": r"\fvset{fontsize=\footnotesize}",   # 79 columns, and denser code
        "preamble": page_style(course, title or course),
    }
    cfg["latex_elements"] = elements
    # No \part pages (a page holding two words): chapters follow one another.
    cfg["jblatex_captions_to_parts"] = False
    if edition in ("handout", "answers"):
        elements["tableofcontents"] = ""
        elements["maketitle"] = HANDOUT_TITLE
        # One chapter: its ## headings are sections numbered 1, 2, ... and its
        # figures and exercises are numbered from 1.
        elements["preamble"] += r"\renewcommand{\thesection}{\arabic{section}}"
        cfg["jblatex_captions_to_parts"] = False
        cfg["latex_toplevel_sectioning"] = "section"
        cfg["numfig_secnum_depth"] = 0
        cfg["hide_solutions"] = edition == "handout"
        config["title"] = title if edition == "handout" else f"Answer key: {title}"
        config["author"] = f"{course}: {'lecture notes' if edition == 'handout' else 'for teachers'}"
    return config


def build(name: str, config: dict, toc: dict | None) -> Path:
    """One strict LaTeX build from the shared cache; return the PDF it made."""
    work = WORK / name
    work.mkdir(parents=True, exist_ok=True)
    (work / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    extra = ["--config", str(work / "_config.yml")]
    if toc is not None:
        (work / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))
        extra += ["--toc", str(work / "_toc.yml")]
    stamp = work / "_build" / build_state.STAMP
    digest = build_state.render_digest(stamp.parent) + (work / "_config.yml").read_text()
    fresh = stamp.is_file() and stamp.read_text() == digest
    run([JUPYTER_BOOK, "build", ".", *FLAGS, *extra, *([] if fresh else ["--all"]),
         "--path-output", str(work)])
    stamp.write_text(digest)
    return work / "_build" / "latex" / "book.pdf"


#: The reference card (a page of the book), also printed alone as a one-page handout.
CARD = "reference_card"

#: Pages of the website that the printed book leaves out (the teacher's guide is
#: for planning a class, not part of the book a student reads).
NOT_IN_PRINT = {"teachers"}


def book_toc() -> dict:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    for part in toc.get("parts", []):
        part["chapters"] = [c for c in part["chapters"] if c["file"] not in NOT_IN_PRINT]
    toc["parts"] = [p for p in toc.get("parts", []) if p["chapters"]]
    return toc


def build_book(paper: str) -> Path:
    pdf = build("book", config_for("book", paper), book_toc())
    OUT.mkdir(parents=True, exist_ok=True)
    shutil.copy2(pdf, OUT / "book.pdf")
    return OUT / "book.pdf"


def build_chapter(chapter: str, edition: str, paper: str, folder: Path | None = None) -> Path:
    title = page_titles()[chapter]
    toc = {"format": "jb-article", "root": chapter}
    pdf = build(f"{edition}-{Path(chapter).name}", config_for(edition, paper, title), toc)
    folder = folder or OUT / ("handouts" if edition == "handout" else "solutions")
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(pdf, folder / f"{Path(chapter).name}.pdf")
    return folder / f"{Path(chapter).name}.pdf"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", nargs="*", help="book, handouts, answers (default: all)")
    parser.add_argument("--paper", choices=sorted(PAPER), default="a4")
    parser.add_argument("--jobs", type=int, default=2, help="LaTeX builds at a time")
    args = parser.parse_args(argv)
    kinds = {"book", "handouts", "answers", "card"}
    which = set(args.which) or kinds
    if which - kinds:
        parser.error(f"unknown PDF kind(s): {sorted(which - kinds)}")
    build_state.ensure_cache_fresh()
    build_state.fill_cache(jobs=args.jobs)
    jobs = [("book", None)] if "book" in which else []
    jobs += [(e, c) for e, key in (("handout", "handouts"), ("answers", "answers"))
             if key in which for c in chapters()]
    jobs += [("card", CARD)] if "card" in which else []
    failed = []
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(build_book, args.paper) if c is None else
                   pool.submit(build_chapter, c, "handout", args.paper, OUT) if e == "card"
                   else pool.submit(build_chapter, c, e, args.paper) for e, c in jobs]
        for future in futures:
            try:
                print(f"wrote {future.result().relative_to(ROOT)}", flush=True)
            except RuntimeError as err:
                failed.append(str(err))
    for message in failed:
        print(message, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
