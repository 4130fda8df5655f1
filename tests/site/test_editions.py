"""The English and the Japanese site against each other (`make site-ja`).

* The language switch: every page of each edition links the same page of the
  other, and the link resolves (as a browser resolves it, from ``_build/html``
  and ``_build/html/ja``, where the published site has them).
* Glued numbers: each page of the Japanese site shows exactly the glued values
  of its English page (the same execution; ``_ext/translated_glue.py``), and
  none renders empty.
* Japanese text: every translated message of a page's catalog that the
  English page shows reaches the Japanese page (its longest run of kana and
  kanji is there: not English left over), the pages are marked ``lang="ja"``,
  and the theme speaks Japanese too.
"""

from __future__ import annotations

import html
import os
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = ROOT / "_build" / "html"
CATALOGS = ROOT / "locales" / "ja" / "LC_MESSAGES"

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\u3005\u30fc]+")
_PASTED = re.compile(r'<span class="pasted-text">([^<]*)</span>')


class _Switch(HTMLParser):
    """The language-switch links of a page: ``[(lang, href), ...]``."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and "data-language-switch" in a:
            self.links.append((a["data-language-switch"], a.get("href", "")))


def _switch(path: Path) -> list[tuple[str, str]]:
    parser = _Switch()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.links


def _is_redirect(path: Path) -> bool:
    """index.html: a redirect to intro.html, no page of its own."""
    return 'http-equiv="Refresh"' in path.read_text(encoding="utf-8")


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if "_static" not in p.parts and "_sources" not in p.parts)


@pytest.fixture(scope="session")
def english_pages() -> list[str]:
    if not (ENGLISH / "intro.html").is_file():
        pytest.fail(f"{ENGLISH} has no built book: run `make book` first")
    return _pages(ENGLISH)


def test_the_language_switch_links_the_same_page_both_ways(site, pages, english_pages):
    assert set(pages) == set(english_pages), (
        f"pages only in English: {sorted(set(english_pages) - set(pages))}; "
        f"only in Japanese: {sorted(set(pages) - set(english_pages))}")
    problems = []
    for here, there, other in ((ENGLISH, site, "ja"), (site, ENGLISH, "en")):
        for rel in pages:
            if _is_redirect(here / rel):
                continue
            links = _switch(here / rel)
            if [lang for lang, _ in links] != [other]:
                problems.append(f"{here / rel}: switch links {links}, want one to {other!r}")
                continue
            target = Path(os.path.normpath((here / rel).parent / links[0][1]))
            if target != Path(os.path.normpath(there / rel)):
                problems.append(f"{here / rel}: switch goes to {target}, not the same page")
            elif not target.is_file():
                problems.append(f"{here / rel}: switch target {target} does not exist")
    assert not problems, "\n".join(problems[:30])


def test_japanese_pages_show_the_english_pages_glued_values(site, pages):
    checked, problems = 0, []
    for rel in pages:
        english = Counter(_PASTED.findall((ENGLISH / rel).read_text(encoding="utf-8")))
        japanese = Counter(_PASTED.findall((site / rel).read_text(encoding="utf-8")))
        checked += sum(english.values())
        if english != japanese:
            problems.append(f"{rel}: only in English {dict(english - japanese)}, "
                            f"only in Japanese {dict(japanese - english)}")
        if japanese[""]:
            problems.append(f"{rel}: {japanese['']} glued values render empty")
    assert checked > 100, f"only {checked} glued values in the English pages: are they built?"
    assert not problems, "\n".join(problems)


_MARKUP = re.compile(r"\{[\w:.-]+\}`[^`]*`|\$\$.+?\$\$|\$[^$]+\$|`[^`]*`|\]\([^)]*\)|[*_\[\]]", re.S)
_WORDS = re.compile(r"[A-Za-z][A-Za-z,;:.'’ -]*[A-Za-z]")


def _page_text(path: Path) -> str:
    """A page's text, with its attributes (alt texts): unescaped, tags out, spaces collapsed."""
    raw = html.unescape(path.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", raw + " " + re.sub(r"<[^>]+>", "", raw))


def _english_shown(msgid: str, english_page: str) -> bool:
    """Whether the English page (still) shows this message: not print-only, not stale.

    Its longest run of words must be on the page; a short one (a table cell,
    "Summary") as the whole text of an element.
    """
    words = _WORDS.findall(re.sub(r"\s+", " ", _MARKUP.sub(" ", msgid)))
    if not words:
        return False
    longest = max(words, key=len)
    if len(longest) >= 12:
        return longest in english_page
    return re.search(r">\s*" + re.escape(longest) + r"\s*<", english_page) is not None


def _translated(catalog: Path) -> list[tuple[str, str]]:
    with catalog.open("rb") as handle:
        return [(m.id, m.string) for m in read_po(handle)
                if m.id and m.string and not m.fuzzy and isinstance(m.id, str)]


def test_every_translated_message_reaches_its_page(site):
    catalogs = sorted(CATALOGS.rglob("*.po"))
    assert catalogs, f"no catalogs in {CATALOGS}"
    missing, reached = [], 0
    for catalog in catalogs:
        rel = catalog.relative_to(CATALOGS).with_suffix(".html").as_posix()
        page = site / rel
        if not page.is_file():
            missing.append(f"{rel}: the catalog's page is not in the site")
            continue
        text, english = _page_text(page), _page_text(ENGLISH / rel)
        for msgid, msgstr in _translated(catalog):
            runs = _JAPANESE.findall(msgstr)
            if not runs or not _english_shown(msgid, english):
                continue  # no kana or kanji (a formula, a name), or not on the web page
            longest = max(runs, key=len)
            if longest in text:
                reached += 1
            else:
                missing.append(f"{rel}: {longest!r} (from {msgid[:50]!r}) is not on the page")
    assert not missing, f"{len(missing)} translations missing:\n" + "\n".join(missing[:40])
    assert reached, "no translated message found on any page"


_UNTRANSLATED = re.compile(r'(<(\w+)[^>]*class="[^"]*\buntranslated\b[^"]*"[^>]*>)(.{0,300})', re.S)
_ALT = re.compile(r'alt="([^"]*)"')


def test_no_english_is_left_over(site, pages):
    """Every page has a catalog, and every message of the current sources is translated.

    The Japanese build marks text its catalog does not translate (a new or
    changed English paragraph, before `make gettext` and its translation)
    ``class="untranslated"``; the computed text of cell outputs is not a message.
    """
    content = [rel for rel in pages if not _is_redirect(site / rel)
               and rel not in ("genindex.html", "search.html")]
    no_catalog = [rel for rel in content
                  if not (CATALOGS / rel).with_suffix(".po").is_file()]
    left = []
    for rel in content:
        for start, tag, text in _UNTRANSLATED.findall((site / rel).read_text(encoding="utf-8")):
            if tag == "img":  # the alt text is the message
                text = _ALT.search(start).group(1) if _ALT.search(start) else ""
                # Sphinx translates an image's alt text without marking the image
                # translated: what counts is whether the alt text is Japanese
                if _JAPANESE.search(text):
                    continue
            words = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", text))).strip()
            left.append(f"{rel}: <{tag}> {words[:90]!r}")
    report = [f"pages without a catalog (run `make gettext`): {no_catalog}"] if no_catalog else []
    if left:
        report += [f"{len(left)} passages in English (`make gettext`, then translate them):",
                   *left[:40]]
    assert not report, "\n".join(report)


def test_japanese_pages_are_marked_and_the_theme_is_japanese(site, pages):
    unmarked = [rel for rel in pages if not _is_redirect(site / rel)
                and '<html lang="ja"' not in (site / rel).read_text(encoding="utf-8")]
    assert not unmarked, f"pages without lang=\"ja\": {unmarked}"
    intro = (site / "intro.html").read_text(encoding="utf-8")
    assert "検索" in intro, "the theme's strings (search) are not in Japanese"


def test_the_switch_works_from_file_urls(browser):
    """A reader who opens the built files directly (no server) can switch and back."""
    page = browser.new_page()
    start = (ENGLISH / "chapters" / "01_sigmoid.html").as_uri()
    page.goto(start)
    page.click("a[data-language-switch=ja]")
    page.wait_for_load_state()
    assert page.url == (ENGLISH / "ja" / "chapters" / "01_sigmoid.html").as_uri()
    assert page.evaluate("document.documentElement.lang") == "ja"
    page.click("a[data-language-switch=en]")
    page.wait_for_load_state()
    assert page.url == start
    assert page.evaluate("document.documentElement.lang") == "en"
    page.close()
