"""Drop duplicate <script> tags from every HTML page.

sphinx-thebe (loaded by Jupyter Book) registers its inline configuration
script once per read phase, so each page declares ``const THEBE_JS_URL`` twice
and the browser reports "Identifier 'THEBE_JS_URL' has already been declared".
Keeping the first copy of each identical script fixes the console error.
"""

from __future__ import annotations

from sphinx.application import Sphinx


def _dedupe(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    unique = []
    for js in scripts:
        attributes = getattr(js, "attributes", {})
        # Inline scripts come with filename None or "" depending on who added them.
        key = (str(getattr(js, "filename", js) or ""), attributes.get("body"), attributes.get("src"))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    context["script_files"] = unique


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", _dedupe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
