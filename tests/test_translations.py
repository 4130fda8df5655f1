"""The translation catalogs are complete, and translated pages keep their glued numbers.

* Every message of ``locales/ja/LC_MESSAGES/*.po`` is translated, none is fuzzy,
  and each translation carries its English text's glue roles, maths, code,
  links and references unchanged (``tools/check_po.py``). This fails while a
  catalog is unfinished, and again whenever an English paragraph changes
  (``make gettext`` marks its translation fuzzy) until the translation is updated.
* A throw-away book (one notebook, one small catalog), built with the Japanese
  site's own configuration (``tools/build_ja.py``) and the Makefile's strict
  flags: a glued value inside a translated paragraph appears in the HTML and
  in the LaTeX source (``_ext/translated_glue.py``); without that extension the
  same build fails with myst-nb's "No key ... found in glue data" -- so the test
  can tell. The gettext build of the same book extracts the prose and the
  figure caption but not the text a cell output computes.
* ``_ext/language_switch.py`` computes relative links both ways.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "_ext"))
import build_ja  # noqa: E402
import check_po  # noqa: E402
from language_switch import switch_links  # noqa: E402
from sphinx.errors import ConfigError  # noqa: E402

needs_jupyter_book = pytest.mark.skipif(not JUPYTER_BOOK.exists(),
                                        reason="jupyter-book is not installed in this env")


def test_every_message_is_translated_not_fuzzy_and_keeps_its_markup():
    catalogs = sorted((ROOT / "locales").rglob("*.po"))
    assert catalogs, "no catalogs under locales/: run `make gettext`"
    problems = [line for path in catalogs for line in check_po.check(path)]
    kinds = {kind: sum(f": {kind}" in p for p in problems)
             for kind in ("untranslated", "fuzzy", "markup differs")}
    assert not problems, (f"{len(problems)} problems in {len(catalogs)} catalogs "
                          f"({', '.join(f'{n} {k}' for k, n in kinds.items())}); "
                          "`python tools/check_po.py` lists them all. The first 40:\n"
                          + "\n".join(problems[:40]))


# ---------------------------------------------------------------- a throw-away book

SQUARE = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
          '<rect width="40" height="40"/></svg>')

CELLS = [
    ("markdown", "# A glue test\n\n"
                 "The value is {glue:text}`x:.2f` and the maths say {glue:md}`m:myst`.\n\n"
                 "This paragraph stays in English: {glue:text}`x:.3f`.", {}),
    ("code", "from actlab import glue, sci\n\nglue('x', 3.14159, display=False)\n"
             "glue('m', sci(1.6e-10), display=False)", {"tags": ["remove-cell"]}),
    ("code", "from IPython.display import SVG\nSVG('" + SQUARE + "')",
     {"mystnb": {"figure": {"caption": "A black square.", "name": "fig-square"},
                 "image": {"alt": "a black square"}}}),
    ("code", "from IPython.display import Markdown\nMarkdown('Computed text: **42**')", {}),
]

CATALOG = {
    "A glue test": "グルーのテスト",
    "The value is {glue:text}`x:.2f` and the maths say {glue:md}`m:myst`.":
        "値は {glue:text}`x:.2f`、数式では {glue:md}`m:myst` です。",
    "A black square.": "黒い正方形。",
    "a black square": "黒い正方形の図",
}


def _po(messages: dict[str, str]) -> str:
    def quote(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    head = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
            '"Language: ja\\n"\n\n')
    return head + "".join(f"msgid {quote(k)}\nmsgstr {quote(v)}\n\n" for k, v in messages.items())


def _notebook() -> dict:
    cells = []
    for kind, source, metadata in CELLS:
        cell = {"cell_type": kind, "metadata": metadata, "source": source}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        cells.append(cell)
    return {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                        "language": "python"}}}


def _flags() -> list[str]:
    out = subprocess.run(["make", "-s", "--no-print-directory", "print-jb-flags"], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return out.stdout.split()


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    book = tmp_path_factory.mktemp("ja-book")
    (book / "chapters").mkdir()
    shutil.copy(ROOT / "references.bib", book / "references.bib")
    for folder in ("_ext", "_latex", "_static", "_extra"):  # what _config.yml names
        shutil.copytree(ROOT / folder, book / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (book / "intro.md").write_text("# Throw-away book\n\nA page.\n")
    (book / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n  - file: chapters/nb\n")
    (book / "chapters" / "nb.ipynb").write_text(json.dumps(_notebook()))
    catalogs = book / "locales" / "ja" / "LC_MESSAGES" / "chapters"
    catalogs.mkdir(parents=True)
    (catalogs / "nb.po").write_text(_po(CATALOG))
    return book


def _build(book: Path, builder: str, name: str,
           glue_fix: bool = True) -> tuple[subprocess.CompletedProcess, Path]:
    config = (build_ja.gettext_config() if builder == "gettext"
              else build_ja.japanese_config(book / "locales"))
    config["execute"]["cache"] = str(book / "_build" / ".jupyter_cache")
    extensions = config["sphinx"]["local_extensions"]
    for key in extensions:
        extensions[key] = str(book / "_ext")
    if not glue_fix:
        del extensions["translated_glue"]
    out = book / f"out-{name}"
    out.mkdir()
    (out / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True))
    builder_args = ["--builder", builder] if builder in ("html", "latex") else \
        ["--builder", "custom", "--custom-builder", builder]
    result = subprocess.run([str(JUPYTER_BOOK), "build", str(book), *_flags(), *builder_args,
                             "--config", str(out / "_config.yml"), "--path-output", str(out)],
                            check=False, capture_output=True, text=True, timeout=600)
    return result, out / "_build" / builder


def _log(result: subprocess.CompletedProcess) -> str:
    return (result.stdout + result.stderr)[-4000:]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@needs_jupyter_book
def test_glued_values_appear_in_translated_html(book):
    result, out = _build(book, "html", "html")
    assert result.returncode == 0, _log(result)
    html = (out / "chapters" / "nb.html").read_text()
    assert '値は <span class="pasted-text">3.14</span>、数式では' in html, _text(html)[:3000]
    assert r"1.6 \times 10^{-10}" in html            # the {glue:md} value, as maths
    assert "グルーのテスト" in html and "黒い正方形。" in html and 'alt="黒い正方形の図"' in html
    assert 'stays in English: <span class="pasted-text">3.142</span>' in html
    assert "Computed text" in html                      # the output, as computed
    assert "No key" not in _log(result)


@needs_jupyter_book
def test_glued_values_appear_in_translated_latex(book):
    result, out = _build(book, "latex", "latex")
    assert result.returncode == 0, _log(result)
    tex = next(out.glob("*.tex")).read_text()
    assert r"値は \DUrole{pasted-text}{3.14}、数式では" in tex, tex[-3000:]
    assert r"1.6 \times 10^{-10}" in tex
    assert "グルーのテスト" in tex


@needs_jupyter_book
def test_without_the_extension_the_translated_glue_is_lost(book):
    result, _ = _build(book, "html", "no-fix", glue_fix=False)
    assert result.returncode != 0, "the strict build passed without translated_glue"
    assert "No key 'x' found in glue data" in _log(result)


@needs_jupyter_book
def test_catalog_templates_have_the_prose_not_the_computed_output(book):
    result, out = _build(book, "gettext", "gettext")
    assert result.returncode == 0, _log(result)
    pot = (out / "chapters" / "nb.pot").read_text()
    for message in CATALOG:
        assert f'msgid "{message}"' in pot.replace('"\n"', ""), message
    assert "Computed text" not in pot


def test_catalog_locations_are_relative_to_the_repository(tmp_path):
    outdir = tmp_path / "_build" / "gettext" / "_build" / "gettext"
    (outdir / "chapters").mkdir(parents=True)
    pot = outdir / "chapters" / "nb.pot"
    pot.write_text('#: ../../../../chapters/nb.ipynb:10002 ../../../../intro.md:3\nmsgid "A"\n'
                   'msgstr ""\n\n#: ../../../../chapters/nb.ipynb:20004\nmsgid "B"\n')
    build_ja.root_relative_locations(pot, outdir, root=tmp_path)
    assert pot.read_text() == ('#: chapters/nb.ipynb:10002 intro.md:3\nmsgid "A"\nmsgstr ""\n\n'
                               '#: chapters/nb.ipynb:20004\nmsgid "B"\n')


# ---------------------------------------------------------------- the language switch

EDITIONS = {"en": "", "ja": "ja"}


def test_switch_links_go_to_the_same_page_in_the_other_edition():
    assert switch_links("intro", EDITIONS, "en") == [
        {"lang": "ja", "name": "日本語", "title": "このページを日本語で読む",
         "url": "ja/intro.html"}]
    assert switch_links("chapters/01_sigmoid", EDITIONS, "en")[0]["url"] == \
        "../ja/chapters/01_sigmoid.html"
    assert switch_links("chapters/01_sigmoid", EDITIONS, "ja")[0]["url"] == \
        "../../chapters/01_sigmoid.html"
    assert switch_links("search", EDITIONS, "ja")[0]["name"] == "English"


def test_switch_rejects_an_edition_it_does_not_know():
    with pytest.raises(ConfigError, match="lacks"):
        switch_links("intro", EDITIONS, "fr")
    with pytest.raises(ConfigError, match="no name"):
        switch_links("intro", {"en": "", "xx": "xx"}, "en")
