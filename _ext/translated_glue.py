"""Translated editions: glued values and sidebar captions translated, computed outputs not.

Sphinx's gettext pipeline (``language``, ``locale_dirs``; see README.md,
*Editions*) replaces each paragraph, heading or caption of a page by its
translation, which it parses again as MyST on its own -- without the
notebook's glue data: myst-nb keeps that data only while it parses the
notebook itself. So ``{glue:text}`key``` in a translation rendered empty, with
the warning "No key 'key' found in glue data for this document".

This extension fixes that for every builder (the website and the LaTeX PDFs):

* The ``glue`` domain's ``{glue:text}`` and ``{glue:md}`` roles (the ones the
  book uses) get a fallback: in a translated message they read the glue data
  of the notebook being translated from the ``<page>.glue.json`` that myst-nb
  has just written for it (into ``jupyter_execute/``, before any translation
  runs), and render exactly as in the original text. A key the notebook does
  not glue still warns (and fails the strict build); so does ``{glue}``
  (``{glue:any}``) in a translation, which needs more of myst-nb's renderer.
* The captions of the table of contents (the parts of ``_toc.yml``, shown in
  every page's sidebar), which sphinx-external-toc inserts after Sphinx has
  translated the page, are translated from the root page's catalog too.
* The text that cell *outputs* put on the page (a ``text/markdown`` table, a
  ``text/latex`` formula) is computed, so it is marked not translatable: it
  stays out of the catalogs (``make gettext``), where it would go stale when a
  number changes, and is shown as computed in every edition. Figure captions
  and alt texts, which come from the cell metadata, stay translatable.

Without a ``language`` other than English nothing changes: the English build
reads no catalog and its glue roles find their data as before.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

from docutils import nodes
from myst_nb.core.render import NbElementRenderer
from myst_nb.ext.glue.domain import NbGlueDomain
from myst_nb.ext.glue.roles import PasteMarkdownRole, PasteTextRole
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.i18n import docname_to_domain

logger = logging.getLogger(__name__)

#: Key of the loaded glue data in ``env.temp_data`` (cleared after each page).
_TEMP_KEY = "translated_glue_data"


def is_translation(document: nodes.document) -> bool:
    """True for the little document Sphinx parses a translated message into."""
    return str(document.get("source", "")).endswith("<translated>")


def glue_data(env: Any) -> dict[str, Any]:
    """The glue data of the page being read: ``{key: {"data": ..., "metadata": ...}}``.

    Read from ``<output_folder>/<docname>.glue.json``, which myst-nb writes while
    it parses the notebook (empty if the notebook glues nothing).
    """
    if _TEMP_KEY not in env.temp_data:
        *folders, name = env.docname.split("/")
        path = Path(env.mystnb_config.output_folder).joinpath(*folders, f"{name}.glue.json")
        env.temp_data[_TEMP_KEY] = json.loads(path.read_text("utf8")) if path.is_file() else {}
    return env.temp_data[_TEMP_KEY]


def stand_in_renderer(data: dict[str, Any], markdown: Any, config: Any) -> SimpleNamespace:
    """What myst-nb's glue roles ask of ``document["nb_renderer"]``, for a translated message.

    Parameters
    ----------
    data : dict
        The page's glue data (``renderer.nb_client.glue_data``).
    markdown : myst_parser's renderer
        The translated message's own MyST renderer: Markdown values
        (``{glue:md}``) are rendered with it, through myst-nb's own (private)
        ``_render_markdown_base``, so ``:myst``, ``:commonmark`` and ``:gfm``
        mean what they mean in the original text (myst-nb is pinned, and
        tests/test_translations.py checks this).
    config : myst_nb's NbParserConfig
        ``env.mystnb_config``.
    """
    def render_markdown_inline(mime: Any) -> list[nodes.Element]:
        fmt = mime.cell_metadata.get(config.cell_metadata_key, {}).get("markdown_format",
                                                                      "commonmark")
        base = SimpleNamespace(renderer=markdown, logger=logger)
        return NbElementRenderer._render_markdown_base(base, mime, fmt=fmt, inline=True)

    renderer = SimpleNamespace(nb_client=SimpleNamespace(glue_data=data), nb_config=config)
    return SimpleNamespace(renderer=renderer, render_markdown_inline=render_markdown_inline)


class _FromTranslation:
    """Mixin for a glue role: in a translated message, use the page's glue data."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        document = self.document
        if "nb_renderer" in document or not is_translation(document):
            return super().run()
        env = document.settings.env
        markdown = getattr(self.inliner, "_renderer", None)  # myst-parser's MockInliner
        document["nb_renderer"] = stand_in_renderer(glue_data(env), markdown, env.mystnb_config)
        try:
            return super().run()
        finally:
            del document["nb_renderer"]


class TranslatedPasteTextRole(_FromTranslation, PasteTextRole):
    """``{glue:text}`` that also works in translated text."""


class TranslatedPasteMarkdownRole(_FromTranslation, PasteMarkdownRole):
    """``{glue:md}`` that also works in translated text."""


class TranslatedGlueDomain(NbGlueDomain):
    """myst-nb's ``glue`` domain with roles that also work in translated text."""

    roles: ClassVar[dict[str, Any]] = {
        **NbGlueDomain.roles,
        "text": TranslatedPasteTextRole(),
        "md": TranslatedPasteMarkdownRole(),
    }


class KeepOutputsUntranslated(SphinxTransform):
    """Mark the text of cell outputs not translatable (before Sphinx's Locale, priority 20).

    Captions and legends (from the cell metadata) stay translatable, and so do
    images' alt texts (Sphinx handles them apart from text nodes).
    """

    default_priority = 15

    def apply(self, **kwargs: Any) -> None:
        for output in self.document.findall(nodes.container):
            if "cell_output" not in output.get("classes", []):
                continue
            for node in output.findall(nodes.TextElement):
                if not _in_caption(node, output):
                    node["translatable"] = False


class TranslateTocCaptions(SphinxTransform):
    """Translate toctree captions from the page's catalog, as Sphinx's Locale does for text.

    Runs after sphinx-external-toc's ``InsertToctrees`` (priority 100) and
    before the toctrees are collected (``doctree-read``).
    """

    default_priority = 150

    def apply(self, **kwargs: Any) -> None:
        toctrees = [t for t in self.document.findall(addnodes.toctree) if t.get("caption")]
        if not toctrees or not self.config.language or not self.config.locale_dirs:
            return
        dirs = [str(Path(self.env.srcdir) / d) for d in self.config.locale_dirs]
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        catalog, found = init_locale(dirs, self.config.language, domain)
        if not found:
            return
        for toctree in toctrees:
            toctree["caption"] = catalog.gettext(toctree["caption"])


def _in_caption(node: nodes.Node, stop: nodes.Element) -> bool:
    while node is not None and node is not stop:
        if isinstance(node, (nodes.caption, nodes.legend)):
            return True
        node = node.parent
    return False


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_nb")
    app.add_domain(TranslatedGlueDomain, override=True)
    app.add_transform(KeepOutputsUntranslated)
    app.add_transform(TranslateTocCaptions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
