"""Build the Japanese website, and refresh the translation catalogs from the sources.

Usage (the Makefile runs these; see README.md, *Editions*)::

    python tools/build_ja.py html [--locales DIR] [JUPYTER-BOOK FLAGS]   # make book-ja
    python tools/build_ja.py link          # (re)make the links _build/html-ja, _build/html/ja
    python tools/build_ja.py gettext [--locales DIR]                     # make gettext

``html`` builds the whole site with Sphinx's ``language = "ja"`` from the
catalogs ``locales/ja/LC_MESSAGES/<page>.po`` (one per page,
``gettext_compact = False``). Jupyter Book 1's command line has no ``-D``, so
the configuration is ``_config.yml`` with the Japanese settings added, written
to ``_build/ja/_config.yml`` and passed with ``--config`` (the page-independent
strings it translates -- the book's title, description and footer -- are in
``locales/ja/book.yml``). The notebooks' outputs come from the execution cache
the English site fills (``tools/build_state.py``): no notebook executes again,
so code, outputs, figures and glued numbers are the English edition's. The
catalogs are copied to ``_build/ja/locales`` and compiled there, which keeps
the source tree free of ``.mo`` files. The site is built in
``_build/ja/_build/html``; ``_build/html-ja`` links to it, and
``_build/html/ja`` links to ``_build/html-ja``, which is where the published
site has it, so the language switch works locally too.

``gettext`` extracts every page's messages (``sphinx-build -b gettext``, run
through Jupyter Book on the same cache) into ``_build/gettext/`` and merges
them into the catalogs with ``sphinx-intl update``: a new message arrives
untranslated, a changed one fuzzy, and existing translations are kept. The
locations it writes (``#: chapters/01_sigmoid.ipynb:10002``) are relative to
the repository root.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import build_state
import yaml

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
LANGUAGE = "ja"
WORK = BUILD / LANGUAGE
LOCALES = ROOT / "locales"
#: Translations of the configuration's own strings (title, description, footer).
BOOK_STRINGS = LOCALES / LANGUAGE / "book.yml"
SITE = BUILD / f"html-{LANGUAGE}"          # -> ja/_build/html
ENGLISH_SITE = BUILD / "html"
GETTEXT = BUILD / "gettext"
BIN = Path(sys.executable).parent
JUPYTER_BOOK = str(BIN / "jupyter-book")
DEFAULT_FLAGS = ["-W", "-n", "--keep-going"]


def base_config() -> dict:
    """``_config.yml`` as a configuration that works from any folder (absolute paths)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"]["cache"] = str(build_state.CACHE)  # the one shared cache
    sphinx = config.setdefault("sphinx", {})
    # Relative paths of local extensions are resolved against the config file's folder.
    sphinx["local_extensions"] = {name: str((ROOT / path).resolve())
                                  for name, path in sphinx.get("local_extensions", {}).items()}
    return config


def japanese_config(locales: Path) -> dict:
    """The configuration of the Japanese site, reading the catalogs in ``locales``.

    Parameters
    ----------
    locales : Path
        The folder holding ``ja/LC_MESSAGES/<page>.po`` (Sphinx's ``locale_dirs``).
    """
    config = base_config()
    strings = yaml.safe_load(BOOK_STRINGS.read_text()) if BOOK_STRINGS.is_file() else {}
    unknown = set(strings) - {"title", "author", "description", "extra_footer"}
    if unknown:
        raise ValueError(f"{BOOK_STRINGS}: unknown keys {sorted(unknown)}")
    for key in ("title", "author", "description"):
        if key in strings:
            config[key] = strings[key]
    if "extra_footer" in strings:
        config.setdefault("html", {})["extra_footer"] = strings["extra_footer"]
    cfg = config["sphinx"].setdefault("config", {})
    cfg["language"] = LANGUAGE
    cfg["locale_dirs"] = [str(locales)]
    cfg["gettext_compact"] = False   # one catalog per page, as in locales/
    # Text whose catalog has no translation (yet) is marked class="untranslated"
    # in the HTML; tests/site/test_editions.py lists it.
    cfg["translation_progress_classes"] = "untranslated"
    return config


def gettext_config() -> dict:
    """The configuration of the gettext build that extracts the messages.

    For the gettext builder myst-nb renders no image output (its mime priority
    there is LaTeX, Markdown, plain text); with images first, each figure's
    alt text (``mystnb.image.alt``) is extracted too, like its caption.
    """
    config = base_config()
    cfg = config["sphinx"].setdefault("config", {})
    cfg["gettext_compact"] = False
    cfg["nb_mime_priority_overrides"] = [*cfg.get("nb_mime_priority_overrides", []),
                                         ["gettext", "image/svg+xml", 1],
                                         ["gettext", "image/png", 2]]
    return config


def copy_catalogs(source: Path, target: Path) -> Path:
    """Copy the catalogs ``source/ja/LC_MESSAGES/**.po`` into ``target``; return ``target``.

    Sphinx compiles each ``.po`` into a ``.mo`` beside it, and again only when the
    ``.po`` is newer: so a catalog whose text changed is written with the current
    time, one that did not is left alone (and its page is not read again), and
    one that is gone is removed with its ``.mo``.
    """
    source, dest = source / LANGUAGE / "LC_MESSAGES", target / LANGUAGE / "LC_MESSAGES"
    if not source.is_dir():
        raise SystemExit(f"no catalogs in {source}")
    wanted = {p.relative_to(source) for p in source.rglob("*.po")}
    for stale in [p for p in dest.rglob("*.po") if p.relative_to(dest) not in wanted]:
        stale.unlink()
        stale.with_suffix(".mo").unlink(missing_ok=True)
    for rel in sorted(wanted):
        text, copy = (source / rel).read_bytes(), dest / rel
        if not copy.is_file() or copy.read_bytes() != text:
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_bytes(text)
    return target


def run(command: list[str]) -> None:
    print("+", " ".join(command), flush=True)
    result = subprocess.run(command, cwd=ROOT, check=False)
    if result.returncode:
        raise SystemExit(f"{Path(command[0]).name} failed (exit status {result.returncode})")


def render_digest(config_text: str) -> str:
    """What the Japanese pages were rendered from, besides their sources and catalogs.

    Sphinx itself re-reads a page whose catalog changed; this covers the
    configuration, the extensions, the execution cache and the Japanese PDFs and
    class notebooks the download menu offers.
    """
    offered = sorted(str(p.relative_to(ROOT)) for p in [*BUILD.glob(f"pdf-{LANGUAGE}/**/*.pdf"),
                                                        *BUILD.glob(f"class-{LANGUAGE}/*.zip")])
    parts = [build_state.digest(build_state.RENDER_INPUTS), (build_state.CACHE / build_state.STAMP)
             .read_text(), hashlib.sha256(config_text.encode()).hexdigest(), *offered]
    return "\n".join(parts)


def link(path: Path, target: str) -> None:
    """Make ``path`` a symbolic link to ``target`` (relative), replacing an older link."""
    if path.is_symlink():
        if os.readlink(path) == target:
            return
        path.unlink()
    elif path.exists():
        raise SystemExit(f"{path} exists and is not a link: remove it (make clean) and rebuild")
    path.symlink_to(target)


def build_html(flags: list[str], catalogs: Path = LOCALES) -> Path:
    """Build the Japanese site (incrementally) and link it into place; return its folder."""
    if build_state.ensure_cache_fresh():
        print("execution inputs changed: emptied the notebook cache", file=sys.stderr)
    build_state.fill_cache(jobs=os.cpu_count() or 1)
    WORK.mkdir(parents=True, exist_ok=True)
    locales = copy_catalogs(catalogs, WORK / "locales")
    config_file = WORK / "_config.yml"
    config_file.write_text(yaml.safe_dump(japanese_config(locales), sort_keys=False,
                                          allow_unicode=True))
    outdir = WORK / "_build" / "html"
    stamp = outdir / build_state.STAMP
    digest = render_digest(config_file.read_text())
    fresh = stamp.is_file() and stamp.read_text() == digest
    run([JUPYTER_BOOK, "build", ".", *flags, *([] if fresh else ["--all"]),
         "--config", str(config_file), "--path-output", str(WORK)])
    stamp.write_text(digest)
    link_sites()
    return SITE


def link_sites() -> None:
    """Link ``_build/html-ja`` to the built site, and ``_build/html/ja`` to that (if both exist)."""
    outdir = WORK / "_build" / "html"
    if outdir.is_dir():
        link(SITE, os.path.relpath(outdir, SITE.parent))
    if ENGLISH_SITE.is_dir() and SITE.is_dir():
        link(ENGLISH_SITE / LANGUAGE, os.path.relpath(SITE, ENGLISH_SITE))


_LOCATION = re.compile(r"^#: (.+)$", re.M)


def root_relative_locations(pot: Path, outdir: Path, root: Path = ROOT) -> None:
    """Rewrite a template's ``#:`` locations, relative to ``outdir``, relative to ``root``."""
    def fix(match: re.Match) -> str:
        places = []
        for place in match.group(1).split():
            name, _, line = place.rpartition(":")
            if not name or not line.isdigit():
                name, line = place, ""
            path = Path(os.path.normpath(outdir / name))
            if path.is_relative_to(root):
                name = path.relative_to(root).as_posix()
            places.append(f"{name}:{line}" if line else name)
        return "#: " + " ".join(places)

    pot.write_text(_LOCATION.sub(fix, pot.read_text("utf8")), "utf8")


def refresh_catalogs(locales: Path) -> None:
    """Extract every page's messages and merge them into ``locales/ja/LC_MESSAGES``."""
    build_state.ensure_cache_fresh()
    build_state.fill_cache(jobs=os.cpu_count() or 1)
    GETTEXT.mkdir(parents=True, exist_ok=True)
    config_file = GETTEXT / "_config.yml"
    config_file.write_text(yaml.safe_dump(gettext_config(), sort_keys=False, allow_unicode=True))
    run([JUPYTER_BOOK, "build", ".", *DEFAULT_FLAGS, "--all", "--builder", "custom",
         "--custom-builder", "gettext", "--config", str(config_file),
         "--path-output", str(GETTEXT)])
    templates = GETTEXT / "_build" / "gettext"
    pots = sorted(templates.rglob("*.pot"))
    if not pots:
        raise SystemExit(f"the gettext build wrote no templates into {templates}")
    for pot in pots:
        root_relative_locations(pot, templates)
    run([str(BIN / "sphinx-intl"), "update", "-p", str(templates), "-l", LANGUAGE,
         "-d", str(locales)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["html", "link", "gettext"])
    parser.add_argument("--locales", type=Path, default=LOCALES,
                        help="the catalogs' folder: read (html) or updated (gettext); "
                             "default: locales")
    args, flags = parser.parse_known_args(argv)
    if args.action == "html":
        build_html(flags or DEFAULT_FLAGS, args.locales.resolve())
        print(f"wrote {SITE.relative_to(ROOT)}/index.html")
    elif args.action == "link":
        link_sites()
    else:
        if flags:
            parser.error(f"unknown arguments: {flags}")
        refresh_catalogs(args.locales.resolve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
