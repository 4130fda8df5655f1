"""The Japanese class notebooks (``make class-ja``): translated, plain, and the same code.

``tools/make_class.py --language ja`` translates each Markdown cell with its
page's catalog (``tools/translate_myst.py``) and converts it like the English
edition. A message that is not translated stays English in the notebook: the
first test fails then, listing the messages (it fails until the translators
have finished; ``tools/check_po.py`` reports the catalogs themselves). The code
cells are the English ones, which tests/test_class.py executes.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import make_class
import nbformat
import pytest
import translate_myst

ROOT = Path(__file__).resolve().parents[1]
OUT = make_class.out_dir("ja")
MYST = re.compile(r"\{[a-z]+(?::[a-z]+)?\}`|^\s*[`:]{3,}\{|^\s*:::|^\(\S+\)=\s*$|footbibliography",
                  re.M)
#: Kana, kanji, and CJK or full-width punctuation ("Leaky ReLU、PReLU、ELU" is Japanese).
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
GLUE = re.compile(r"\{(glue:text|glue|glue:md)\}`([^`]*)`")
PAGES = make_class.book_pages()
CHAPTERS = [p for p in PAGES if (ROOT / f"{p}.ipynb").is_file()]


@pytest.fixture(scope="module")
def kit() -> Path:
    subprocess.run([sys.executable, str(ROOT / "tools" / "make_class.py"), "--language", "ja"],
                   cwd=ROOT, check=True)
    return OUT


def notebooks(kit: Path, edition: str) -> list[Path]:
    found = sorted((kit / edition).glob("*.ipynb"))
    assert len(found) == len(CHAPTERS)
    return found


def markdown(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def source_markdown(page: str) -> str:
    path = ROOT / page
    if path.with_suffix(".ipynb").is_file():
        nb = nbformat.read(path.with_suffix(".ipynb"), as_version=4)
        return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return path.with_suffix(".md").read_text()


def test_every_message_is_translated():
    """No prose of a class notebook is left in English (a catalog message missing or fuzzy)."""
    bib, titles = make_class.bibliography(), {p: make_class.page_title(p, "ja") for p in PAGES}
    report = []
    for page in PAGES:
        missing: list[str] = []
        if page in CHAPTERS or (ROOT / f"{page}.ipynb").is_file():
            make_class.convert(page, "teacher", bib, titles, "repo", language="ja", missing=missing)
        else:
            translator = translate_myst.Translator(translate_myst.catalog("ja", page), page)
            translator.markdown(source_markdown(page))
            missing = translator.missing
        if missing:
            report.append(f"{page}: {len(set(missing))} message(s) not translated, e.g. "
                          + "; ".join(repr(m[:50]) for m in sorted(set(missing))[:3]))
    assert not report, ("untranslated text would be English in the Japanese class notebooks "
                        "(fill locales/ja/LC_MESSAGES/<page>.po):\n" + "\n".join(report))


def prose_paragraphs(text: str, bib_entries: set[str]) -> list[str]:
    """The paragraphs of ``text`` that are prose: no code, math, links or reference entries."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\$[^$\n]+\$|`[^`\n]+`|\]\([^)]*\)", " ", text)
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", text):
        lines = [ln.lstrip("> ").strip() for ln in paragraph.splitlines()]
        lines = [ln for ln in lines if ln and ln[2:] not in bib_entries]
        if lines:
            paragraphs.append(" ".join(lines))
    return paragraphs


@pytest.mark.parametrize("edition", make_class.EDITIONS)
def test_the_prose_is_japanese(kit, edition):
    """Every paragraph with English words has Japanese in it too (none left untranslated)."""
    bib_entries = {entry["entry"] for entry in make_class.bibliography().values()}
    english = []
    for path in [*notebooks(kit, edition), *sorted((kit / edition).glob("*.md"))]:
        text = markdown(path) if path.suffix == ".ipynb" else path.read_text()
        for paragraph in prose_paragraphs(text, bib_entries):
            words = re.findall(r"[A-Za-z]{3,}", paragraph)
            if len(words) >= 4 and not CJK.search(paragraph):
                english.append(f"{path.name}: {paragraph[:70]!r}")
    assert not english, f"{len(english)} English paragraph(s):\n" + "\n".join(english[:15])


@pytest.mark.parametrize("edition", make_class.EDITIONS)
def test_no_myst_syntax_survives(kit, edition):
    for path in notebooks(kit, edition):
        found = MYST.findall(markdown(path))
        assert not found, f"{path.name}: MyST markup left: {found[:5]}"


def test_student_edition_has_a_turn_per_exercise_and_no_solution(kit):
    for path in notebooks(kit, "student"):
        text = markdown(path)
        exercises = re.findall(r"^> \*\*練習 (\d+)\*\*", text, re.M)
        assert exercises == [str(n) for n in range(1, len(exercises) + 1)], path.name
        if path.stem != "reference_card":
            assert exercises, f"{path.name}: no exercises"
        assert "の解答**" not in text, f"{path.name} shows a solution"
        nb = nbformat.read(path, as_version=4)
        turns = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("# やってみよう")]
        assert len(turns) == len(exercises), path.name


def test_teacher_edition_has_a_solution_for_every_exercise(kit):
    for path in notebooks(kit, "teacher"):
        text = markdown(path)
        exercises = re.findall(r"^> \*\*練習 (\d+)\*\*", text, re.M)
        solutions = re.findall(r"^> \*\*練習 (\d+) の解答\*\*", text, re.M)
        assert solutions == exercises, (path.name, exercises, solutions)


def test_glued_values_are_written_in(kit):
    """Each value a page glues into its prose is in the Japanese notebook's prose, as in the English."""
    for page in CHAPTERS:
        nb = nbformat.read(ROOT / f"{page}.ipynb", as_version=4)
        chapter = make_class.Chapter(page, nb, "teacher", {}, {}, "ja")
        text = markdown(OUT / "teacher" / f"{Path(page).name}.ipynb")
        absent = []
        for kind, content in GLUE.findall(source_markdown(page)):
            value = chapter.glue_text(content, kind)
            if value.strip() and value.strip() not in text:
                absent.append(f"{content} = {value!r}")
        assert not absent, f"{page}: glued values missing: {absent[:5]}"


def test_code_is_the_english_code(kit):
    """The code cells are the English class notebooks' (tests/test_class.py runs those)."""
    bib = make_class.bibliography()
    titles = {p: make_class.page_title(p) for p in PAGES}
    repo = make_class.yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    for page in CHAPTERS:
        for edition in make_class.EDITIONS:
            english = make_class.convert(page, edition, bib, titles, repo)
            japanese = nbformat.read(OUT / edition / f"{Path(page).name}.ipynb", as_version=4)
            code = [c.source for c in english.cells if c.cell_type == "code"
                    and not c.source.startswith("# Your turn")]
            code_ja = [c.source for c in japanese.cells if c.cell_type == "code"
                       and not c.source.startswith("# やってみよう")]
            assert code == code_ja, f"{page} ({edition}): the code differs from the English"


def test_zips_hold_each_edition(kit):
    for edition in make_class.EDITIONS:
        name = make_class.zip_name(edition, "ja")
        names = zipfile.ZipFile(kit / f"{name}.zip").namelist()
        assert all(n.startswith(f"{name}/") for n in names)
        assert sum(n.endswith(".ipynb") for n in names) == len(CHAPTERS)
    assert not (kit / "student" / "teachers.md").exists(), "the teacher's guide is teachers-only"
    assert (kit / "teacher" / "teachers.md").exists()


def test_translator_cuts_messages_as_sphinx_does():
    """Every message the translator looks up is a msgid of the page's catalog.

    The catalogs come from Sphinx's gettext builder (``make gettext``): a drift
    in how either cuts the text, or a source changed since the catalogs were
    refreshed, would leave prose English without any message being missing.
    """
    problems = []
    for page in PAGES:
        path = translate_myst.LOCALES / "ja" / "LC_MESSAGES" / f"{page}.po"
        if not path.is_file():
            problems.append(f"{page}: no catalog {path.relative_to(ROOT)}")
            continue
        translator = translate_myst.Translator({}, page)
        translator.markdown(source_markdown(page))
        unknown = sorted(set(translator.missing) - _all_ids(path))
        if unknown:
            problems.append(f"{page}: {len(unknown)} text(s) not in the catalog, e.g. {unknown[0][:60]!r}")
    assert not problems, "run `make gettext` (the catalogs are older than the sources):\n" + \
        "\n".join(problems)


def _all_ids(path: Path) -> set[str]:
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


def test_translator_on_a_small_example():
    text = ("# Title\n\nA paragraph\nover two lines with {glue:text}`x:.2f`.\n\n"
            "- item one\n  continued\n- item two\n\n"
            ":::{admonition} Pitfall: a box\n:class: warning\nInside the box.\n:::\n\n"
            "| a | b |\n|---|---|\n| cell | $x$ |\n\n$$\ny = x\n$$\n")
    messages = {"Title": "題", "A paragraph over two lines with {glue:text}`x:.2f`.":
                "二行にわたる段落 {glue:text}`x:.2f`。", "item one continued": "項目一",
                "Pitfall: a box": "落とし穴: 箱", "Inside the box.": "箱の中。", "cell": "セル"}
    translator = translate_myst.Translator(messages, "example")
    out = translator.markdown(text)
    assert out.startswith("# 題\n\n二行にわたる段落 {glue:text}`x:.2f`。\n\n- 項目一\n- item two\n")
    assert ":::{admonition} 落とし穴: 箱\n:class: warning\n箱の中。\n:::" in out
    assert "| セル | $x$ |" in out and "$$\ny = x\n$$" in out
    assert sorted(translator.missing) == ["$x$", "a", "b", "item two"]
