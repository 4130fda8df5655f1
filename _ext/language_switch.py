"""A language switch on every page: a link to the same page in the other edition(s).

The editions are one site each, built from the same sources (``make book``:
English, ``make book-ja``: Japanese, see README.md). Published, the Japanese
site is the folder ``ja/`` of the English one; locally ``make book-ja`` links
``_build/html/ja`` to ``_build/html-ja``, so the same relative links work from
a web server and from ``file://``, with no script and no network.

``language_editions`` maps each edition's language to its folder in the
published site, e.g. ``{"en": "", "ja": "ja"}``; the edition being built is
Sphinx's ``language`` (English when unset). Each page of it gets, in the
article header in front of the theme's buttons, one link per other edition,
to the page of the same name,
relative (``chapters/01_sigmoid.html`` -> ``../ja/chapters/01_sigmoid.html``
and back ``../../chapters/01_sigmoid.html``), marked ``data-language-switch``,
``hreflang`` and ``lang``. Without ``language_editions`` nothing changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

TEMPLATE = "language-switch.html"
#: sphinx-book-theme's header buttons; the switch takes their place and includes them.
BUTTONS = "article-header-buttons.html"

#: Each language's name, in that language (the link text), and the link's tooltip.
NAMES = {
    "en": ("English", "Read this page in English"),
    "ja": ("日本語", "このページを日本語で読む"),
}


def current_language(config: Config) -> str:
    """The language of the edition being built (``language`` unset means English)."""
    return (config.language or "en").split("_")[0]


def _folder(editions: dict[str, str], language: str) -> list[str]:
    return [part for part in str(editions[language]).strip("/").split("/") if part]


def switch_links(pagename: str, editions: dict[str, str], language: str) -> list[dict[str, str]]:
    """The switch's links for one page: name, tooltip, language and relative URL of each.

    Parameters
    ----------
    pagename : str
        The page, as Sphinx names it (``chapters/01_sigmoid``).
    editions : dict
        Language -> that edition's folder in the published site (``""`` for the root).
    language : str
        The language of the page's own edition; it must be a key of ``editions``.
    """
    if language not in editions:
        raise ConfigError(f"language_editions {sorted(editions)} lacks this edition's "
                          f"language {language!r}")
    up = "../" * (pagename.count("/") + len(_folder(editions, language)))
    links = []
    for other in editions:
        if other == language:
            continue
        if other not in NAMES:
            raise ConfigError(f"language_editions: no name for {other!r} (known: {sorted(NAMES)})")
        folder = "".join(f"{part}/" for part in _folder(editions, other))
        name, title = NAMES[other]
        links.append({"lang": other, "name": name, "title": title,
                      "url": f"{up}{folder}{pagename}.html"})
    return links


def _check(app: Sphinx, config: Config) -> None:
    editions = config.language_editions
    if not editions:
        return
    if not isinstance(editions, dict) or not all(isinstance(v, str) for v in editions.values()):
        raise ConfigError("language_editions must map languages to folders, "
                          f"e.g. {{'en': '', 'ja': 'ja'}}, not {editions!r}")
    switch_links("index", editions, current_language(config))  # fails early on a bad map
    config.templates_path.append(str(Path(__file__).parent / "templates"))


def _add_switch(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    editions = app.config.language_editions
    if not editions or app.builder.format != "html":
        return
    context["language_switch"] = switch_links(pagename, editions, current_language(app.config))
    items = context.get("theme_article_header_end") or []
    if isinstance(items, str):
        items = [item.strip() for item in items.split(",") if item.strip()]
    if TEMPLATE in items:
        return
    # The theme's buttons, with the switch in front of them on the same row.
    context["language_switch_buttons"] = BUTTONS if BUTTONS in items else ""
    items = [TEMPLATE if item == BUTTONS else item for item in items]
    context["theme_article_header_end"] = items if TEMPLATE in items else [*items, TEMPLATE]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("language_editions", {}, "html", types=[dict])
    app.connect("config-inited", _check)
    # Before pydata-sphinx-theme (priority 500) resolves the header's templates.
    app.connect("html-page-context", _add_switch, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
