"""Open every page of the built site in headless Chromium and check what a reader gets.

For each page: no failed request, no request leaving the machine, no console
error; every image loaded; every math element typeset by MathJax; a light and
a dark screenshot under _build/screenshots/ for a person to look at. Then: the
sidebar links every chapter of _toc.yml, and the search finds the right chapters.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from site_weight import LOADED_URLS_JS, resources_weight  # on sys.path via conftest.py

ROOT = Path(__file__).resolve().parents[2]
LANGUAGE = os.environ.get("BOOK_LANGUAGE", "en")   # as in conftest.py
SCREENSHOTS = ROOT / "_build" / "screenshots" / ("" if LANGUAGE == "en" else LANGUAGE)

#: Searches and the chapter each must find among its first three hits, per edition.
SEARCHES = {
    "en": [("sigmoid", "chapters/01_sigmoid.html"), ("dying", "chapters/05_dying_relu.html")],
    "ja": [("シグモイド", "chapters/01_sigmoid.html"), ("dying", "chapters/05_dying_relu.html")],
}

# What a page may download, gzip-compressed as a web server sends it (see tools/site_weight.py).
MAX_PAGE_BYTES = 2_000_000


def toc_chapters() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]
    return [f for f in files if f.startswith("chapters/")]


def visit(browser, url: str, theme: str = "light"):
    """Load ``url`` and return (page, problems seen while loading)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=theme)
    context.add_init_script(
        f"localStorage.setItem('theme', '{theme}'); localStorage.setItem('mode', '{theme}');"
    )
    page = context.new_page()
    problems: list[str] = []
    host = urlsplit(url).netloc

    def on_request(request):
        if urlsplit(request.url).netloc not in (host, "") and not request.url.startswith("data:"):
            problems.append(f"request leaves the machine: {request.url}")

    def on_response(response):
        if response.status >= 400:
            problems.append(f"HTTP {response.status}: {response.url}")

    page.on("request", on_request)
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} {r.failure}"))
    page.on("response", on_response)
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.goto(url, wait_until="networkidle")
    return page, problems


def wait_for_math(page) -> dict:
    """Wait until MathJax has typeset the page; return counts of math elements."""
    page.wait_for_function(
        "() => !window.MathJax || (window.MathJax.startup && window.MathJax.startup.promise)"
    )
    page.evaluate("() => window.MathJax ? MathJax.startup.promise : null")
    return page.evaluate(
        """() => {
            const math = Array.from(document.querySelectorAll('span.math, div.math'));
            const raw = math.filter(m => !m.querySelector('mjx-container'));
            return {math: math.length, untypeset: raw.map(m => m.textContent.slice(0, 60)),
                    errors: document.querySelectorAll('mjx-merror').length};
        }"""
    )


def test_every_page_loads_cleanly_in_light_and_dark(browser, server, site, pages):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    report = []
    typeset_pages = 0
    for rel in pages:
        for theme in ("light", "dark"):
            page, problems = visit(browser, f"{server}/{rel}", theme)
            math = wait_for_math(page)
            page.wait_for_load_state("networkidle")
            raw, gz = resources_weight(site, page.evaluate(LOADED_URLS_JS))
            broken_images = page.evaluate(
                "() => Array.from(document.images)"
                ".filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
            )
            problems += [f"image did not load: {src}" for src in broken_images]
            problems += [f"math not typeset: {m}" for m in math["untypeset"]]
            if math["errors"]:
                problems.append(f"{math['errors']} MathJax errors")
            if gz > MAX_PAGE_BYTES:
                problems.append(f"page needs {gz:,} bytes (gzip; {raw:,} raw) > {MAX_PAGE_BYTES:,}")
            if theme == "dark":
                mode = page.evaluate("() => document.documentElement.dataset.theme")
                if mode != "dark":
                    problems.append(f"dark mode not applied (data-theme={mode!r})")
            typeset_pages += bool(math["math"])
            shot = SCREENSHOTS / f"{rel.replace('/', '__').removesuffix('.html')}-{theme}.png"
            page.screenshot(path=str(shot), full_page=True)
            report += [f"{rel} [{theme}]: {p}" for p in problems]
            page.context.close()
    assert typeset_pages >= 2 * len(toc_chapters()), "too few pages with math: is MathJax loading?"
    assert not report, "\n".join(report)


def test_sidebar_links_every_chapter(browser, server):
    page, problems = visit(browser, f"{server}/intro.html")
    hrefs = page.eval_on_selector_all(
        "nav.bd-docs-nav a.reference.internal", "els => els.map(e => e.href)"
    )
    for chapter in toc_chapters():
        matching = [h for h in hrefs if urlsplit(h).path.endswith(f"/{chapter}.html")]
        assert matching, f"the sidebar does not link {chapter}: {hrefs}"
        response = page.request.get(matching[0])
        assert response.ok, f"{matching[0]} -> HTTP {response.status}"
    assert not problems, problems
    page.context.close()


@pytest.mark.parametrize(("query", "expected"), SEARCHES[LANGUAGE])
def test_search_finds_the_right_chapter(browser, server, site, query, expected):
    if not (site / expected).is_file():
        pytest.fail(f"{expected} is not in the built site")
    page, problems = visit(browser, f"{server}/search.html?q={query}")
    page.wait_for_selector("#search-results ul.search li", timeout=15_000)
    hits = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.href)")
    paths = [urlsplit(h).path for h in hits]
    assert any(p.endswith("/" + expected) for p in paths), f"search {query!r} -> {paths}"
    assert not problems, problems
    # The expected chapter is among the first three hits.
    top = [urlsplit(h).path.removeprefix(urlsplit(server).path + "/") for h in hits[:3]]
    assert expected in top, f"search {query!r}: {expected} not in the top three {top}"
    page.context.close()


OVERFLOW_JS = """(selector) => Array.from(document.querySelectorAll(selector))
    .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 2)
    .map(e => e.textContent.trim().split('\\n')[0].slice(0, 70))"""


def test_code_fits_at_1280_px_and_display_math_fits_a_phone(browser, server):
    problems = []
    for chapter in toc_chapters():
        for width, selector, what in ((1280, "div.highlight pre, div.cell_output pre", "code box"),
                                      (390, "div.math", "display math")):
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            page.goto(f"{server}/{chapter}.html", wait_until="networkidle")
            wait_for_math(page)
            for text in page.evaluate(OVERFLOW_JS, selector):
                problems.append(f"{chapter} at {width} px: {what} scrolls: {text!r}")
            context.close()
    assert not problems, "\n".join(problems[:30])
