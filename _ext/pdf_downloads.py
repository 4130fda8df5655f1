"""Offer the PDF lecture notes on the website, when they were built before it.

``make pdf`` writes ``_build/pdf/book.pdf``, ``_build/pdf/handouts/<chapter>.pdf``
and ``_build/pdf/solutions/<chapter>.pdf`` (see tools/build_pdf.py). If they exist
when the website is built, they are copied to ``_static/pdf/`` and the download
menu of each page gains "Book (PDF)" and, on a chapter, "Handout (PDF)" and
"Answer key (PDF)". Likewise ``make class`` writes the class notebooks' zips
(``_build/class/activation-functions-{student,teacher}.zip``), which the menu
offers as "Notebooks for students (zip)" and "Notebooks for teachers (zip)".
Without them the menu is unchanged, so the site never links a file it does not
have. The Japanese site (``language = "ja"``, ``make book-ja``) offers the
Japanese ones instead, from ``_build/pdf-ja/`` and ``_build/class-ja/``
(``activation-functions-ja-*.zip``), with the menu's words in Japanese.

The launch buttons (Binder, Colab) open the page's *class notebook*, the copy
in the repository's ``notebooks/`` folder that reads right without the book's
build (``make class``), instead of the chapter's MyST source.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx

#: The menu's entries (text, tooltip), by Sphinx's ``language`` (English for any other).
WORDS = {
    "en": {
        "handout": ("Handout (PDF)",
                    "This chapter as printable lecture notes, exercises without solutions"),
        "answers": ("Answer key (PDF)",
                    "This chapter's exercises with their solutions, for teachers"),
        "book": ("Book (PDF)", "Download the whole book as a PDF"),
        "student": ("Notebooks for students (zip)",
                    "Class notebooks: every chapter as a plain notebook, without solutions"),
        "teacher": ("Notebooks for teachers (zip)",
                    "Class notebooks: every chapter as a plain notebook, with solutions"),
    },
    "ja": {
        "handout": ("配布資料 (PDF)", "この章の印刷用講義ノート（演習の解答なし）"),
        "answers": ("解答集 (PDF)", "この章の演習とその解答（教員用）"),
        "book": ("本全体 (PDF)", "本全体を PDF でダウンロード"),
        "student": ("学生用ノートブック (zip)", "授業用ノートブック：全章を普通のノートブックで（解答なし）"),
        "teacher": ("教員用ノートブック (zip)", "授業用ノートブック：全章を普通のノートブックで（解答つき）"),
    },
}


def _suffix(app: Sphinx) -> str:
    """``""`` for the English edition, ``"-ja"`` for the Japanese one (``make pdf-ja``...)."""
    language = (app.config.language or "en").split("_")[0]
    return "" if language == "en" else f"-{language}"


def _words(app: Sphinx) -> dict[str, tuple[str, str]]:
    return WORDS.get(_suffix(app).lstrip("-") or "en", WORDS["en"])


def _pdf_dir(app: Sphinx) -> Path:
    return Path(app.srcdir) / "_build" / f"pdf{_suffix(app)}"


def _class_dir(app: Sphinx) -> Path:
    return Path(app.srcdir) / "_build" / f"class{_suffix(app)}"


def _add_buttons(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.format != "html":
        return
    pdfs, words = _pdf_dir(app), _words(app)
    buttons = []
    handout = pdfs / "handouts" / f"{Path(pagename).name}.pdf"
    if pagename.startswith("chapters/") and handout.is_file():
        buttons.append((*words["handout"], f"_static/pdf/handouts/{handout.name}",
                        "download-handout-button"))
    answers = pdfs / "solutions" / f"{Path(pagename).name}.pdf"
    if pagename.startswith("chapters/") and answers.is_file():
        buttons.append((*words["answers"], f"_static/pdf/solutions/{answers.name}",
                        "download-answers-button"))
    if (pdfs / "book.pdf").is_file():
        buttons.append((*words["book"], "_static/pdf/book.pdf", "download-book-button"))
    for edition in ("student", "teacher"):
        archive = _class_dir(app) / f"activation-functions{_suffix(app)}-{edition}.zip"
        if archive.is_file():
            buttons.append((*words[edition], f"_static/class/{archive.name}",
                            f"download-class-{edition}-button"))
    groups = [b for b in context.get("header_buttons", []) if b.get("label") == "download-buttons"]
    if not buttons or not groups:
        return
    for text, tooltip, target, label in buttons:
        groups[0]["buttons"].append({
            "type": "link",
            "url": context["pathto"](target, 1),
            "text": text,
            "tooltip": tooltip,
            "icon": "fas fa-file-pdf",
            "label": label,
        })


def _launch_class_notebooks(app: Sphinx, pagename: str, templatename: str, context: dict,
                            doctree) -> None:
    """Point the launch buttons at ``notebooks/<page>.ipynb`` where it exists."""
    if app.builder.format != "html":
        return
    name = Path(pagename).name
    if not (Path(app.srcdir) / "notebooks" / f"{name}.ipynb").is_file():
        return
    source = f"{pagename}.ipynb"
    for group in context.get("header_buttons", []):
        if group.get("label") != "launch-buttons":
            continue
        for button in group.get("buttons", []):
            url = button.get("url", "")
            if source not in url:
                raise RuntimeError(f"launch button {button.get('text')!r} of {pagename} "
                                   f"does not name {source}: {url}")
            button["url"] = url.replace(source, f"notebooks/{name}.ipynb")


def _copy(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for source, pattern, dest in ((_pdf_dir(app), "*.pdf", "pdf"), (_class_dir(app), "*.zip", "class")):
        if not source.is_dir():
            continue
        for path in source.rglob(pattern) if pattern == "*.pdf" else source.glob(pattern):
            target = Path(app.outdir) / "_static" / dest / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", _add_buttons, priority=600)  # after sphinx-book-theme's 501
    app.connect("html-page-context", _launch_class_notebooks, priority=600)
    app.connect("build-finished", _copy)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
