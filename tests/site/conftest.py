"""Fixtures for tests of the built website in _build/html.

These tests need the site to be built first (`make book`); `make test` does so.
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
SITE = ROOT / "_build" / "html"
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
        pytest.fail(f"{SITE} has no built book: run `make book` first")
    return SITE


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
    """A plain static server for the site (what a teacher would use), on a free port."""
    httpd, url = serve(site)
    yield url
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
