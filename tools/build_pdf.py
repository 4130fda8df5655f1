"""Build the printed lecture notes: student handouts, answer keys and the whole book.

Usage: ``python tools/build_pdf.py [book] [handouts] [answers] [card] [--paper a4|letter]
[--language en|ja] [--chapters chapters/01_sigmoid ...]`` from the repository root
(``make pdf``; ``make pdf PAPER=letter`` for US Letter; ``make pdf-ja`` for the Japanese
edition). Without arguments all four kinds are built, for every chapter.

Writes
    _build/pdf/handouts/<chapter>.pdf    a student handout: the chapter, exercises without solutions
    _build/pdf/solutions/<chapter>.pdf   its answer key: every exercise, each with its solution
    _build/pdf/book.pdf                  the whole book; each chapter's solutions at its end
    _build/pdf/reference_card.pdf        the reference card, printed like a handout (one page)

With ``--language ja`` the same PDFs are written to ``_build/pdf-ja/`` (LaTeX
sources and logs in ``_build/print-ja/``): the prose comes from the Japanese
catalogs ``locales/ja/LC_MESSAGES/<page>.po`` (Sphinx's gettext; a message not
yet translated prints in English), code, outputs and figures from the same
execution cache, and the preamble loads ``xeCJK`` with the Noto CJK JP fonts
(without it xelatex silently drops every kana and kanji).

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
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import build_state
import yaml
from translate_myst import catalog

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
WORK = BUILD / "print"
OUT = BUILD / "pdf"
LOCALES = ROOT / "locales"
JUPYTER_BOOK = str(Path(sys.executable).parent / "jupyter-book")
FLAGS = ["--builder", "pdflatex", "-W", "-n", "--keep-going"]
PAPER = {"a4": "a4paper", "letter": "letterpaper"}


#: The words the print editions add around the book's own text, per language.
WORDS = {
    "en": {"course": None, "lecture notes": "lecture notes", "for teachers": "for teachers",
           "answer key": "Answer key: {}", "page": r"page \thepage\ of \pageref*{LastPage}"},
    "ja": {"course": "活性化関数", "lecture notes": "講義ノート", "for teachers": "教員用",
           "answer key": "解答集: {}", "page": r"\thepage\ / \pageref*{LastPage} ページ"},
}
LANGUAGES = tuple(WORDS)

# xelatex drops every kana and kanji without a CJK font ("Missing character" in
# the log): xeCJK sets the Noto CJK JP fonts for CJK characters (Latin text
# keeps the book's FreeSerif/FreeSans/FreeMono). Packages: texlive-lang-cjk,
# texlive-lang-chinese (ctexhook.sty, which xeCJK loads) and fonts-noto-cjk.
CJK_FONTS = r"""
\usepackage{xeCJK}
\setCJKmainfont{Noto Serif CJK JP}
\setCJKsansfont{Noto Sans CJK JP}
\setCJKmonofont{Noto Sans Mono CJK JP}
% Sphinx names the contents after the first toctree caption; sphinx-jupyterbook-latex
% puts "Contents" back for English only.
\addto\captionsjapanese{\renewcommand{\contentsname}{目次}}
"""


def work_dir(language: str) -> Path:
    """Where the LaTeX builds of one language live: ``_build/print`` or ``_build/print-ja``."""
    return WORK if language == "en" else BUILD / f"print-{language}"


def out_dir(language: str) -> Path:
    """Where the PDFs of one language go: ``_build/pdf`` or ``_build/pdf-ja``."""
    return OUT if language == "en" else BUILD / f"pdf-{language}"


def copy_catalogs(language: str, locales: Path, target: Path) -> Path:
    """Copy the ``.po`` files of ``language`` into ``target`` (the build compiles them there).

    Sphinx writes each compiled ``.mo`` next to its ``.po``; copying keeps the
    source tree (which translators are editing) free of build products. Files
    that did not change keep their times, so Sphinx re-reads only the pages
    whose catalog changed.
    """
    source = locales / language / "LC_MESSAGES"
    if not source.is_dir():
        raise FileNotFoundError(f"no catalogs for {language!r} in {source}")
    if (locales / language / "book.yml").is_file():   # the edition's title (tools/build_ja.py)
        (target / language).mkdir(parents=True, exist_ok=True)
        shutil.copy2(locales / language / "book.yml", target / language / "book.yml")
    wanted = {p.relative_to(source) for p in source.rglob("*.po")}
    dest = target / language / "LC_MESSAGES"
    for stale in [p for p in dest.rglob("*.po") if p.relative_to(dest) not in wanted]:
        stale.unlink()
        stale.with_suffix(".mo").unlink(missing_ok=True)
    for rel in sorted(wanted):
        src, dst = source / rel, dest / rel
        if not dst.is_file() or dst.read_bytes() != src.read_bytes():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    return target


def tex_escape(text: str) -> str:
    for char in "\\&%$#_{}":
        text = text.replace(char, "\\" + char)
    return text


def page_style(course: str, part: str, language: str = "en") -> str:
    r"""LaTeX for every page's header (course, chapter) and footer (page X of Y)."""
    return (CJK_FONTS if language == "ja" else "") + rf"""
\usepackage{{lastpage}}
\usepackage{{needspace}}
% Table cells set ragged right: narrow justified columns leave wide gaps.
\newcolumntype{{T}}{{L}}
\makeatletter
\fancypagestyle{{normal}}{{%
  \fancyhf{{}}%
  \fancyhead[L]{{\small\sffamily {tex_escape(course)}}}%
  \fancyhead[R]{{\small\sffamily {tex_escape(part)}}}%
  \fancyfoot[C]{{\small\sffamily {WORDS[language]["page"]}}}%
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


def page_titles(language: str = "en", locales: Path = LOCALES) -> dict[str, str]:
    """docname -> the page's H1 (translated where its catalog translates it), every page."""
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
        title = next(line[2:].strip() for line in text.splitlines() if line.startswith("# "))
        titles[name] = catalog(language, name, locales).get(title, title)
    return titles


def results_only_chapters() -> list[str]:
    """Chapters (and the card) whose handout prints results, not code (metadata actlab.handout)."""
    return [c for c in [*chapters(), CARD]
            if json.loads((ROOT / f"{c}.ipynb").read_text()).get("metadata", {})
            .get("actlab", {}).get("handout") == "results"]


def config_for(edition: str, paper: str, title: str | None = None, language: str = "en",
               locales: Path | None = None) -> dict:
    """The project's configuration, adapted to one print edition in one language.

    ``locales`` (for a language other than English): the folder holding
    ``<language>/LC_MESSAGES/*.po``, as Sphinx's ``locale_dirs`` wants it.
    """
    if language not in WORDS:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    words = WORDS[language]
    locales_dir = locales or LOCALES
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"]["cache"] = str(build_state.CACHE)  # the one shared cache
    sphinx = config.setdefault("sphinx", {})
    # Relative paths in the config are resolved against the config file's folder.
    sphinx["local_extensions"] = {name: str((ROOT / path).resolve())
                                  for name, path in sphinx.get("local_extensions", {}).items()}
    sphinx["local_extensions"]["print_edition"] = str(ROOT / "_ext")
    cfg = sphinx.setdefault("config", {})
    cfg["print_edition"] = edition
    cfg["print_doc_titles"] = page_titles(language, locales_dir)
    cfg["print_results_only"] = results_only_chapters()
    strings = locales_dir / language / "book.yml"   # the title of the Japanese site
    course = ((yaml.safe_load(strings.read_text()) or {}).get("title") if strings.is_file()
              else None) or words["course"] or config["title"]
    if language != "en":
        config["title"] = course
        cfg["language"] = language
        cfg["locale_dirs"] = [str(locales_dir)]
        cfg["gettext_compact"] = False   # one catalog per page, as in locales/
    elements = {
        "papersize": PAPER[paper],
        "extraclassoptions": "openany,oneside",   # no blank pages between chapters
        "figure_align": "H",                      # a figure stays where the text calls it
        "sphinxsetup": "hmargin={1.8cm,1.8cm}, vmargin={2cm,2cm}",
        "fvset": r"\fvset{fontsize=\footnotesize}",   # 79 columns, and denser code
        "preamble": page_style(course, title or course, language),
    }
    if language == "ja":
        # As Sphinx does for Chinese: xeCJK must not space out code (fancyvrb).
        elements["fvset"] = r"\fvset{fontsize=\footnotesize,formatcom=\xeCJKVerbAddon}"
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
        config["title"] = title if edition == "handout" else words["answer key"].format(title)
        config["author"] = f"{course}: {words['lecture notes' if edition == 'handout' else 'for teachers']}"
    return config


def build(name: str, config: dict, toc: dict | None, work: Path = WORK) -> Path:
    """One strict LaTeX build from the shared cache (in ``work/name``); return the PDF it made."""
    work = work / name
    work.mkdir(parents=True, exist_ok=True)
    (work / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
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
#: What the one-sheet card adds to the preamble: its table in a smaller type.
CARD_PREAMBLE = r"""
\AtBeginEnvironment{tabulary}{\footnotesize}
"""

#: Pages of the website that the printed book leaves out (the teacher's guide is
#: for planning a class, not part of the book a student reads).
NOT_IN_PRINT = {"teachers"}


def book_toc() -> dict:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    for part in toc.get("parts", []):
        part["chapters"] = [c for c in part["chapters"] if c["file"] not in NOT_IN_PRINT]
    toc["parts"] = [p for p in toc.get("parts", []) if p["chapters"]]
    return toc


def build_book(paper: str, language: str = "en", locales: Path | None = None) -> Path:
    pdf = build("book", config_for("book", paper, language=language, locales=locales),
                book_toc(), work_dir(language))
    out = out_dir(language)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy2(pdf, out / "book.pdf")
    return out / "book.pdf"


def build_chapter(chapter: str, edition: str, paper: str, folder: Path | None = None,
                  language: str = "en", locales: Path | None = None) -> Path:
    title = page_titles(language, locales or LOCALES)[chapter]
    toc = {"format": "jb-article", "root": chapter}
    config = config_for(edition, paper, title, language, locales)
    if chapter == CARD:   # one sheet: a smaller table
        config["sphinx"]["config"]["latex_elements"]["preamble"] += CARD_PREAMBLE
    pdf = build(f"{edition}-{Path(chapter).name}", config, toc, work_dir(language))
    folder = folder or out_dir(language) / ("handouts" if edition == "handout" else "solutions")
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(pdf, folder / f"{Path(chapter).name}.pdf")
    return folder / f"{Path(chapter).name}.pdf"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", nargs="*", help="book, handouts, answers (default: all)")
    parser.add_argument("--paper", choices=sorted(PAPER), default="a4")
    parser.add_argument("--jobs", type=int, default=2, help="LaTeX builds at a time")
    parser.add_argument("--language", choices=LANGUAGES, default="en",
                        help="en: _build/pdf/; ja: _build/pdf-ja/ from locales/ja")
    parser.add_argument("--locales", type=Path, default=LOCALES,
                        help="the folder holding <language>/LC_MESSAGES/*.po (default: locales)")
    parser.add_argument("--chapters", nargs="+", metavar="DOCNAME",
                        help="only these chapters' handouts and answer keys (e.g. chapters/01_sigmoid)")
    args = parser.parse_args(argv)
    kinds = {"book", "handouts", "answers", "card"}
    which = set(args.which) or kinds
    if which - kinds:
        parser.error(f"unknown PDF kind(s): {sorted(which - kinds)}")
    selected = chapters()
    if args.chapters:
        unknown = sorted(set(args.chapters) - set(selected))
        if unknown:
            parser.error(f"not chapters of the book: {unknown} (known: {selected})")
        selected = [c for c in selected if c in args.chapters]
    language, locales = args.language, None
    if language != "en":
        try:
            locales = copy_catalogs(language, args.locales.resolve(),
                                    work_dir(language) / "locales")
        except FileNotFoundError as err:
            parser.error(str(err))
    # As the Makefile sets it: slider cells print their static figure, also when
    # this script runs without make (a notebook the cache lacks executes here).
    os.environ.setdefault("ACTLAB_STATIC", "1")
    build_state.ensure_cache_fresh()
    build_state.fill_cache(jobs=args.jobs)
    jobs = [("book", None)] if "book" in which else []
    jobs += [(e, c) for e, key in (("handout", "handouts"), ("answers", "answers"))
             if key in which for c in selected]
    jobs += [("card", CARD)] if "card" in which else []
    failed = []
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(build_book, args.paper, language, locales) if c is None else
                   pool.submit(build_chapter, c, "handout", args.paper, out_dir(language),
                               language, locales) if e == "card"
                   else pool.submit(build_chapter, c, e, args.paper, None, language, locales)
                   for e, c in jobs]
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
