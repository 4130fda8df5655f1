"""Every link inside the built site resolves, and no page loads anything from the network.

Links are resolved as a browser does, by their text (``ja/../x.html`` is
``x.html`` even where ``ja`` is a symbolic link), so the language switch's links
between ``_build/html`` and its ``ja/`` folder are checked like any other.
"""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Collector(HTMLParser):
    """Collects the ids of a page and the URLs it links to or loads."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []  # <a href>: may point outside the site
        self.loads: list[str] = []  # src=, <link href>: fetched by the browser

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name"):
            if a.get(key):
                self.ids.add(a[key])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if a.get("src"):
            self.loads.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel") not in ("canonical",):
            self.loads.append(a["href"])


def _parse(path: Path) -> _Collector:
    c = _Collector()
    c.feed(path.read_text(encoding="utf-8"))
    return c


def _is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme) or url.startswith("//")


def test_every_internal_link_and_anchor_resolves(site, pages):
    parsed = {page: _parse(site / page) for page in pages}
    broken = []
    checked = 0
    for page, c in parsed.items():
        for url in c.links + c.loads:
            if _is_external(url) or url.startswith(("mailto:", "javascript:", "data:")):
                continue
            parts = urlsplit(url)
            target = (site / page).parent / unquote(parts.path) if parts.path else site / page
            target = Path(os.path.normpath(target))
            if target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.is_file():
                broken.append(f"{page}: {url} (no file)")
                continue
            if parts.fragment and target.suffix == ".html":
                rel = target.relative_to(site).as_posix() if target.is_relative_to(site) else ""
                ids = parsed[rel].ids if rel in parsed else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page}: {url} (no anchor)")
    assert checked > 100, f"only {checked} internal links found: is the site built?"
    hint = ("\n(links into ja/ are the language switch: `make book-ja` builds the Japanese "
            "site there)" if any(": ja/" in b or ": ../ja/" in b for b in broken) else "")
    assert not broken, "broken internal links:\n" + "\n".join(broken) + hint


def test_no_page_loads_anything_from_the_network(site, pages):
    remote = []
    for page in pages:
        for url in _parse(site / page).loads:
            if _is_external(url):
                remote.append(f"{page}: {url}")
    assert not remote, "pages load remote resources:\n" + "\n".join(remote)


def test_launch_buttons_open_the_class_notebook_in_the_repository(site):
    """Colab and Binder open notebooks/<chapter>.ipynb (plain Jupyter, no MyST),
    which exists in the repository, not the chapter's MyST source."""
    import re

    root = Path(__file__).resolve().parents[2]
    html = (site / "chapters" / "05_dying_relu.html").read_text()
    targets = re.findall(r'href="(https://(?:colab\.research\.google\.com|mybinder\.org)[^"]+)"', html)
    assert len(targets) == 2, f"expected a Colab and a Binder button, found {targets}"
    for url in targets:
        assert "notebooks/05_dying_relu.ipynb" in unquote(url), url
        assert "chapters/05_dying_relu.ipynb" not in unquote(url), url
    assert (root / "notebooks" / "05_dying_relu.ipynb").is_file()
