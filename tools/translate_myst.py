"""Apply a page's gettext catalog to its MyST source, message by message, as Sphinx does.

The Japanese website and PDFs are translated by Sphinx (``locale_dirs``): it
cuts each page into *messages* and replaces each by its ``msgstr``. The class
notebooks are written from the MyST source, not from Sphinx's doctrees, so
``tools/make_class.py --language ja`` translates the source here first, with
the same cutting. How Sphinx's gettext builder extracts messages from a MyST
notebook (myst-parser 3, Sphinx 7):

* a paragraph -- also one inside a list item, a block quote or a directive's
  body -- is one message: its MyST source with the lines joined by single
  spaces (the text of the ``inline`` token, ``rawsource.replace("\\n", " ")``);
* a heading is one message (its text without the ``#`` marks), and so is each
  table cell;
* a directive's argument (the title of ``{admonition} Title``) is one message,
  and the directive's body is cut like a page (option lines ``:label: ...`` are
  not text); a ``{solution}``'s argument is a label, not text;
* code, display math (``$$ ... $$``, whose msgid is the math itself) and MyST
  targets and comments are not translated here. Figure captions and alt text
  are messages too, but the class notebooks do not print them.

A message the catalog does not translate (empty or fuzzy ``msgstr``) stays in
English and is recorded in ``Translator.missing``: a caller decides whether
that is an error (the tests) or a note (``make class-ja`` while translators work).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "locales"

_FENCE_INFO = re.compile(r"^\{([\w:-]+)\}\s*(.*?)\s*$")
_OPTION = re.compile(r"^\s*:[\w-]+:")
#: Directives whose argument is a label or a name, not text to translate.
_ARGUMENT_NOT_TEXT = {"solution", "math", "code-cell", "glue:figure", "glue:math", "only",
                      "figure", "image", "include", "footbibliography", "bibliography"}
#: Directives whose body is not MyST prose.
_BODY_NOT_TEXT = {"math", "code-cell", "code", "code-block"}


def catalog(language: str, page: str, locales: Path = LOCALES) -> dict[str, str]:
    """msgid -> msgstr of ``locales/<language>/LC_MESSAGES/<page>.po`` (translated, not fuzzy).

    Empty for English and for a page without a catalog.
    """
    from babel.messages.pofile import read_po

    path = Path(locales) / language / "LC_MESSAGES" / f"{page}.po"
    if language == "en" or not path.is_file():
        return {}
    with path.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle)
                if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


@lru_cache(maxsize=1)
def _parser():
    """myst-parser's Markdown parser with the book's extensions (``parse`` in _config.yml)."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    extensions = set(config.get("parse", {}).get("myst_enable_extensions", []))
    return create_md_parser(MdParserConfig(enable_extensions=extensions), RendererHTML)


class Translator:
    """Translate MyST text with one page's messages (``msgid -> msgstr``).

    Parameters
    ----------
    messages
        The page's catalog, as :func:`catalog` returns it.
    page
        The page's docname, for messages about it.
    """

    def __init__(self, messages: dict[str, str], page: str = ""):
        self.messages = messages
        self.page = page
        self.missing: list[str] = []
        self.used: list[str] = []

    def message(self, msgid: str) -> str | None:
        """The translation of one message, or None (and ``msgid`` recorded as missing)."""
        msgid = msgid.strip()
        if not msgid:
            return None
        text = self.messages.get(msgid)
        if text is None:
            self.missing.append(msgid)
            return None
        self.used.append(msgid)
        # A msgstr is one message: line breaks in it carry no meaning (MyST reads
        # them as spaces), and a continuation line could leave its list or quote.
        return " ".join(text.split("\n"))

    def markdown(self, text: str) -> str:
        """``text`` (MyST) with each of its messages replaced by its translation."""
        lines = text.split("\n")
        edits: list[tuple[int, int, list[str]]] = []   # [start, end) -> new lines
        tokens = _parser().parse(text)
        for i, token in enumerate(tokens):
            if token.type in ("paragraph_open", "heading_open") and token.map:
                new = self._block(lines, token.map, tokens[i + 1].content)
                if new is not None:
                    edits.append((*token.map, new))
            elif token.type == "tr_open" and token.map:
                new = self._row(lines[token.map[0]], tokens, i)
                if new is not None:
                    edits.append((token.map[0], token.map[0] + 1, [new]))
            elif token.type in ("fence", "colon_fence") and token.map:
                edits += self._directive(lines, token)
        for start, end, new in sorted(edits, reverse=True):
            lines[start:end] = new
        return "\n".join(lines)

    def _block(self, lines: list[str], where: list[int], content: str) -> list[str] | None:
        """A paragraph or heading on ``lines[where[0]:where[1]]``, translated onto one line."""
        text = self.message(content.replace("\n", " "))
        if text is None:
            return None
        first = content.split("\n", 1)[0]
        at = lines[where[0]].find(first)
        if at < 0:
            raise ValueError(f"{self.page}: cannot find {first!r} in {lines[where[0]]!r}")
        # The list marker, quote marks or heading marks stay; so does anything
        # after the paragraph's last line on the same line (nothing, in practice).
        return [lines[where[0]][:at] + text]

    def _row(self, line: str, tokens: list, i: int) -> str | None:
        """A table row with each cell translated (cells without a translation unchanged)."""
        cells = []
        for token in tokens[i + 1:]:
            if token.type == "tr_close":
                break
            if token.type == "inline":
                cells.append(token.content)
        translated = [self.message(cell.replace("\n", " ")) or cell if cell.strip() else cell
                      for cell in cells]
        if translated == cells:
            return None
        indent = line[:len(line) - len(line.lstrip())]
        return indent + "| " + " | ".join(c.replace("|", "\\|") if "\\|" not in c else c
                                          for c in translated) + " |"

    def _directive(self, lines: list[str], token) -> list[tuple[int, int, list[str]]]:
        """A ``{name} argument`` fence: its argument (a title) and its body, translated."""
        match = _FENCE_INFO.match(token.info)
        if not match:
            return []   # a code fence
        name, argument = match.groups()
        edits = []
        start, end = token.map
        if argument and name not in _ARGUMENT_NOT_TEXT:
            text = self.message(argument)
            if text is not None:
                opening = lines[start]
                at = opening.rfind(argument)
                edits.append((start, start + 1, [opening[:at] + text]))
        if name in _BODY_NOT_TEXT:
            return edits
        body_start = start + 1
        last = lines[end - 1].strip()
        fence_char = token.markup[:1]
        closed = end - 1 > start and len(last) >= len(token.markup) and set(last) == {fence_char}
        closing = end - 1 if closed else end
        while body_start < closing and _OPTION.match(lines[body_start]):
            body_start += 1
        if body_start < closing:
            body = self.markdown("\n".join(lines[body_start:closing]))
            edits.append((body_start, closing, body.split("\n")))
        return edits
