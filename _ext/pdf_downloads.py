"""Offer the PDF lecture notes on the website, when they were built before it.

``make pdf`` writes ``_build/pdf/book.pdf``, ``_build/pdf/handouts/<chapter>.pdf``
and ``_build/pdf/solutions/<chapter>.pdf`` (see tools/build_pdf.py). If they exist
when the website is built, they are copied to ``_static/pdf/`` and the download
menu of each page gains "Book (PDF)" and, on a chapter, "Handout (PDF)" and
"Answer key (PDF)". Likewise ``make class`` writes the class notebooks' zips
(``_build/class/activation-functions-{student,teacher}.zip``), which the menu
offers as "Notebooks for students (zip)" and "Notebooks for teachers (zip)".
Without them the menu is unchanged, so the site never links a file it does not
have.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx


def _pdf_dir(app: Sphinx) -> Path:
    return Path(app.srcdir) / "_build" / "pdf"


def _class_dir(app: Sphinx) -> Path:
    return Path(app.srcdir) / "_build" / "class"


def _add_buttons(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.format != "html":
        return
    pdfs = _pdf_dir(app)
    buttons = []
    handout = pdfs / "handouts" / f"{Path(pagename).name}.pdf"
    if pagename.startswith("chapters/") and handout.is_file():
        buttons.append(("Handout (PDF)", f"_static/pdf/handouts/{handout.name}",
                        "This chapter as printable lecture notes, exercises without solutions",
                        "download-handout-button"))
    answers = pdfs / "solutions" / f"{Path(pagename).name}.pdf"
    if pagename.startswith("chapters/") and answers.is_file():
        buttons.append(("Answer key (PDF)", f"_static/pdf/solutions/{answers.name}",
                        "This chapter's exercises with their solutions, for teachers",
                        "download-answers-button"))
    if (pdfs / "book.pdf").is_file():
        buttons.append(("Book (PDF)", "_static/pdf/book.pdf", "Download the whole book as a PDF",
                        "download-book-button"))
    for edition, tip in (("student", "every chapter as a plain notebook, without solutions"),
                         ("teacher", "every chapter as a plain notebook, with solutions")):
        archive = _class_dir(app) / f"activation-functions-{edition}.zip"
        if archive.is_file():
            buttons.append((f"Notebooks for {edition}s (zip)", f"_static/class/{archive.name}",
                            f"Class notebooks: {tip}", f"download-class-{edition}-button"))
    groups = [b for b in context.get("header_buttons", []) if b.get("label") == "download-buttons"]
    if not buttons or not groups:
        return
    for text, target, tooltip, label in buttons:
        groups[0]["buttons"].append({
            "type": "link",
            "url": context["pathto"](target, 1),
            "text": text,
            "tooltip": tooltip,
            "icon": "fas fa-file-pdf",
            "label": label,
        })


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
    app.connect("build-finished", _copy)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
