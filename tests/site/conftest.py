"""Fixtures for tests of the built website in _build/html, or of its Japanese edition.

These tests need the site to be built first (`make book`); `make test` does so.
With ``BOOK_LANGUAGE=ja`` (`make site-ja`, after `make book book-ja`) the same
tests check the Japanese site instead, as ``_build/html/ja`` -- where the
published site has it, so its language switch leads back to the English pages
-- and test_editions.py checks the two editions against each other.
Browser tests need Debian's Chromium: they skip with a reason where it is
missing, except when ``CI=true``, where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# tools/site_weight.py holds the static server and Chromium flags the tests share.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from site_weight import ARGS as CHROMIUM_ARGS
from site_weight import serve

ROOT = Path(__file__).resolve().parents[2]
ENGLISH_SITE = ROOT / "_build" / "html"
LANGUAGE = os.environ.get("BOOK_LANGUAGE", "en")
if LANGUAGE not in ("en", "ja"):
    raise ValueError(f"BOOK_LANGUAGE must be en or ja, not {LANGUAGE!r}")
#: The site under test, as the published site nests it (not resolved: ``ja`` is a link).
SITE = ENGLISH_SITE if LANGUAGE == "en" else ENGLISH_SITE / LANGUAGE
BUILD_COMMAND = "make book" if LANGUAGE == "en" else "make book book-ja"
# The checks of the two editions against each other run with the Japanese site.
collect_ignore = ["test_editions.py"] if LANGUAGE == "en" else []
CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def chromium_path() -> str | None:
    for path in [os.environ.get("CHROMIUM"), *CHROMIUM_CANDIDATES, shutil.which("chromium")]:
        if path and Path(path).is_file():
            return path
    return None


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "intro.html").is_file():
        pytest.fail(f"{SITE} has no built book: run `{BUILD_COMMAND}` first")
    return SITE


@pytest.fixture(scope="session")
def language() -> str:
    """The language of the site under test: ``en`` or ``ja``."""
    return LANGUAGE


@pytest.fixture(scope="session")
def pages(site: Path) -> list[str]:
    """Every HTML page of the site, as paths relative to its root."""
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if "_static" not in p.parts and "_sources" not in p.parts
    )


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """A plain static server for the site (what a teacher would use), on a free port.

    It serves the English site, so a Japanese page's links to it work too.
    """
    httpd, url = serve(ENGLISH_SITE)
    yield url if site == ENGLISH_SITE else f"{url}/{site.relative_to(ENGLISH_SITE).as_posix()}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        message = "Chromium is not installed (Debian: apt-get install chromium)"
        if in_ci():
            pytest.fail(message + "; CI=true, so the browser tests must run")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()
