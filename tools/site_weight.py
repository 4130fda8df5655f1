"""Page weight of the built site: what a reader's browser downloads for each page.

Usage: ``python tools/site_weight.py [_build/html]`` (part of ``make bench``).

Each page is opened in headless Chromium (from a local static server) and
every resource it loads is counted twice: raw bytes (as read from a zip or
``python -m http.server``) and gzip-compressed bytes (as GitHub Pages and most
web servers send text files; images and fonts count at their raw size when
gzip does not shrink them). Also printed: the size of the whole site and of its
largest figure.
"""

from __future__ import annotations

import functools
import gzip
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@functools.cache
def file_weight(path: Path) -> tuple[int, int]:
    """Return (raw bytes, gzip bytes) of one file; gzip never counts more than raw."""
    data = path.read_bytes()
    return len(data), min(len(data), len(gzip.compress(data, compresslevel=6, mtime=0)))


def resources_weight(site: Path, urls: list[str]) -> tuple[int, int]:
    """Sum the weights of the site files behind ``urls`` (each counted once)."""
    files = set()
    for url in urls:
        path = unquote(urlsplit(url).path).lstrip("/")
        target = site / path
        if target.is_dir():
            target = target / "index.html"
        if target.is_file():
            files.add(target)
    raw = sum(file_weight(f)[0] for f in files)
    gz = sum(file_weight(f)[1] for f in files)
    return raw, gz


LOADED_URLS_JS = ("() => [location.href, ...performance.getEntriesByType('resource')"
                  ".map(e => e.name)]")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    """Serve ``site`` with a plain static server on a free port; return it and its URL.

    Stop it with ``httpd.shutdown()``.
    """
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    site = Path(argv[0] if argv else "_build/html").resolve()
    if not Path(CHROMIUM).is_file():
        print(f"page weights need Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
        return 1
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                   if "_static" not in p.parts and "_sources" not in p.parts)
    httpd, base = serve(site)
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for rel in pages:
            page = browser.new_page()
            page.goto(f"{base}/{rel}", wait_until="networkidle")
            page.evaluate("() => window.MathJax ? MathJax.startup.promise : null")
            page.wait_for_load_state("networkidle")
            rows.append((rel, *resources_weight(site, page.evaluate(LOADED_URLS_JS))))
            page.close()
        browser.close()
    httpd.shutdown()

    total = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    figures = sorted((f.stat().st_size, f) for f in site.rglob("*")
                     if f.suffix in {".svg", ".png", ".jpg"} and "_static" not in f.parts)
    print(f"site: {total / 1e6:.1f} MB in {site}")
    print(f"{'page':<36}{'raw MB':>10}{'gzip MB':>10}")
    for rel, raw, gz in sorted(rows, key=lambda r: -r[1]):
        print(f"{rel:<36}{raw / 1e6:>10.2f}{gz / 1e6:>10.2f}")
    if figures:
        size, path = figures[-1]
        print(f"largest figure: {size / 1e3:.0f} kB ({path.relative_to(site)}), "
              f"{len(figures)} figures, all {', '.join(sorted({f.suffix for _, f in figures}))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
