"""The Japanese printed notes (``make pdf-ja``): Japanese glyphs on paper, the English rules.

``tools/build_pdf.py --language ja`` builds the same PDFs as the English
edition into ``_build/pdf-ja/`` from the Japanese catalogs. xelatex compiles
Japanese text without a CJK font too, and silently drops every kana and kanji
("Missing character" in the log only): these tests read the PDFs' text and the
LaTeX logs. Each chapter's handout must print its Japanese title and opening
sentence (from the catalog), not the English ones: a chapter not yet
translated fails here, naming the messages to translate.

Needs what tests/pdf/test_pdf.py needs, plus xeCJK (texlive-lang-cjk,
texlive-lang-chinese) and the Noto CJK JP fonts (fonts-noto-cjk): the tests skip
where these are missing, except when ``CI=true``. `.ci/run` installs them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import build_pdf
import make_class
import pytest
from test_pdf import TOOLS, chapters, exercise_count, info, notebook_markdown, pages, raw_text
from translate_myst import catalog

ROOT = Path(__file__).resolve().parents[2]
PDF = build_pdf.out_dir("ja")
WORK = build_pdf.work_dir("ja")
FONTS = ["Noto Serif CJK JP", "Noto Sans CJK JP", "Noto Sans Mono CJK JP"]
#: Pages a Japanese handout may take: the English budget (10), plus one for
#: Japanese prose, which prints a little longer than the English.
HANDOUT_BUDGET = 11
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
GLUE_TEXT = re.compile(r"\{glue(?::text)?\}`([^`]+)`")


def missing_tools() -> list[str]:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if shutil.which("kpsewhich") is None or not subprocess.run(
            ["kpsewhich", "xeCJK.sty", "ctexhook.sty"], capture_output=True, text=True,
            check=False).stdout.count(".sty") == 2:
        missing.append("xeCJK (texlive-lang-cjk, texlive-lang-chinese)")
    fonts = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True,
                           check=False).stdout if shutil.which("fc-list") else ""
    missing += [f for f in FONTS if f not in fonts]
    return missing


@pytest.fixture(scope="module")
def built() -> subprocess.CompletedProcess:
    missing = missing_tools()
    if missing:
        message = f"Japanese PDF tools missing: {', '.join(missing)} (see README: make pdf-ja)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + "; CI=true, so the PDF tests must run")
        pytest.skip(message)
    shutil.rmtree(PDF, ignore_errors=True)
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "build_pdf.py"), "--language", "ja"],
                          cwd=ROOT, capture_output=True, text=True, timeout=2400, check=False)
    assert done.returncode == 0, (done.stdout + done.stderr)[-6000:]
    return done


def handout(chapter: str) -> Path:
    return PDF / "handouts" / f"{Path(chapter).name}.pdf"


def answers(chapter: str) -> Path:
    return PDF / "solutions" / f"{Path(chapter).name}.pdf"


def every_pdf() -> list[Path]:
    return [PDF / "book.pdf", PDF / "reference_card.pdf"] + [
        p for c in chapters() for p in (handout(c), answers(c))]


def squeeze(text: str) -> str:
    """NFKC, without any white space: pdftotext breaks Japanese lines anywhere."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def japanese_title_and_sentence(chapter: str) -> tuple[str, str]:
    """The chapter's translated H1 and the start of its translated opening paragraph.

    Fails, naming the message, where the catalog does not translate them yet.
    """
    messages = catalog("ja", chapter)
    lines = notebook_markdown(chapter).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# "))
    title = lines[start][2:].strip()
    first = next(line for line in lines[start + 1:] if line.strip() and not line.startswith("#"))
    opening = next((m for m in messages if m.startswith(first.strip())), None)
    assert title in messages, f"{chapter}: the title {title!r} is not translated yet"
    assert opening, f"{chapter}: the opening paragraph {first[:50]!r}... is not translated yet"
    plain = re.split(r"[$`*_{}\[\]()（]", messages[opening])[0]
    assert len(plain) >= 6, f"{chapter}: the translated opening starts with too little plain text"
    return messages[title], plain[:16]


def test_every_pdf_exists_on_a4_with_page_x_of_y(built):
    for pdf in every_pdf():
        assert pdf.is_file(), pdf
        assert "(A4)" in info(pdf), f"{pdf.name} is not A4"
        n = pages(pdf)
        last = re.search(r"(\d+) / (\d+) ページ", raw_text(pdf, n, n))
        assert last and last.group(1) == last.group(2), f"{pdf.name}: no 'X / Y ページ' footer"
        if pdf.name != "book.pdf":  # the book's front matter has roman page numbers
            assert int(last.group(2)) == n, f"{pdf.name}: footer says {last.group(0)} of {n} pages"


def test_latex_logs_have_no_missing_character(built):
    logs = sorted(WORK.glob("*/_build/latex/*.log"))
    assert len(logs) >= 2 + 2 * len(chapters()), logs
    bad = re.compile(r"Missing character[^\n]*|Reference .* undefined|Citation .* undefined"
                     r"|There were undefined references|Overfull \\hbox \((\d{2,})")
    problems = [f"{log.parent.parent.parent.name}: {m.group(0)}" for log in logs
                for m in bad.finditer(log.read_text(errors="replace"))]
    assert not problems, "\n".join(problems[:20])


def test_every_pdf_is_set_in_japanese(built):
    for pdf in every_pdf():
        text = raw_text(pdf)
        kana_kanji = len(CJK.findall(text))
        assert kana_kanji >= 300 if pdf.name != "reference_card.pdf" else kana_kanji >= 20, \
            f"{pdf.name}: only {kana_kanji} kana and kanji (dropped glyphs, or not translated)"
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                               check=False).stdout
        assert "CJKjp" in fonts, f"{pdf.name} embeds no Noto CJK JP font:\n{fonts}"


def test_every_chapter_is_in_the_book_and_in_its_handout_in_japanese(built):
    book = squeeze(raw_text(PDF / "book.pdf"))
    for chapter in chapters():
        title, sentence = japanese_title_and_sentence(chapter)
        text = squeeze(raw_text(handout(chapter)))
        for name, body in (("book", book), ("handout", text)):
            assert squeeze(title) in body, f"{chapter}: title {title!r} not in the {name}"
            assert squeeze(sentence) in body, f"{chapter}: {sentence!r} not in the {name}"


def timing_keys(nb) -> set[str]:
    """Glued values of cells tagged nbval-ignore-output (timings: each run differs)."""
    keys = set()
    for cell in nb.cells:
        if "nbval-ignore-output" in cell.get("metadata", {}).get("tags", []):
            one = make_class.nbformat.v4.new_notebook()
            one.cells = [cell]
            keys |= set(make_class.glue_values(one))
    return keys


def test_glued_numbers_are_printed(built):
    """Every number a translated paragraph glues (``{glue:text}``) is printed: on the
    handout, or (a solution's) in the answer key.

    The values are the notebook's stored ones, which nbval keeps equal to a
    fresh run (the cache's), except timings, which are left out.
    """
    for chapter in chapters():
        nb = make_class.nbformat.read(ROOT / f"{chapter}.ipynb", as_version=4)
        converter = make_class.Chapter(chapter, nb, "teacher", {}, {}, "ja")
        timed = timing_keys(nb)
        text = squeeze(raw_text(handout(chapter)) + raw_text(answers(chapter)))
        missing = []
        for msgstr in catalog("ja", chapter).values():
            for content in GLUE_TEXT.findall(msgstr):
                if content.rsplit(":", 1)[0] in timed:
                    continue
                value = converter.glue_text(content, "glue:text")
                if re.fullmatch(r"-?[\d.,]+", value) and squeeze(value) not in text:
                    missing.append(f"{content} = {value}")
        assert not missing, f"{chapter}: glued values not printed: {missing[:8]}"


def test_page_counts(built):
    n = len(chapters())
    assert 6 * n <= pages(PDF / "book.pdf") <= 30 * n
    for chapter in chapters():
        assert 3 <= pages(handout(chapter)) <= HANDOUT_BUDGET, (chapter, pages(handout(chapter)))
        assert 1 <= pages(answers(chapter)) <= 6, (chapter, pages(answers(chapter)))
    assert pages(PDF / "reference_card.pdf") == 1, "the Japanese reference card is not one sheet"


def test_figures_are_vector_not_raster(built):
    for pdf in every_pdf():
        listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                                 check=True).stdout.splitlines()
        assert not listing[2:], f"{pdf.name} contains raster images:\n" + "\n".join(listing[2:7])


# sphinx-exercise's Japanese: an exercise is "練習 N", a solution "解答 練習 N"
# (print_edition sets an ideographic space between the two words).
EXERCISE = re.compile(r"^\s*練習 (\d+)\s*$", re.M)
SOLUTION = re.compile(r"解答[\s\u3000]*練習 (\d+)")


def test_student_handouts_have_exercises_but_no_solutions(built):
    for chapter in chapters():
        text = raw_text(handout(chapter))
        found = [int(k) for k in EXERCISE.findall(text)]
        assert found == list(range(1, exercise_count(chapter) + 1)), f"{chapter}: exercises {found}"
        assert not SOLUTION.search(text), f"{chapter}: the student handout shows a solution"


def test_answer_keys_have_every_exercise_and_its_solution(built):
    for chapter in chapters():
        text = raw_text(answers(chapter))
        n = exercise_count(chapter)
        exercises = [int(k) for k in EXERCISE.findall(text)]
        solutions = [int(k) for k in SOLUTION.findall(text)]
        assert exercises == list(range(1, n + 1)), f"{chapter}: {exercises}"
        assert solutions == list(range(1, n + 1)), f"{chapter}: {solutions}"
        assert "解答集" in raw_text(answers(chapter), 1, 1), f"{chapter}: no answer-key title"


def test_handout_figures_are_numbered_from_one_without_repeats(built):
    for chapter in chapters():
        captions = [int(k) for k in re.findall(r"^\s*図 (\d+):", raw_text(handout(chapter)), re.M)]
        assert captions, f"{chapter}: no figure captions found"
        assert captions == list(range(1, len(captions) + 1)), f"{chapter}: figures {captions}"


def test_no_book_plumbing_on_paper(built):
    for pdf in every_pdf():
        text = raw_text(pdf)
        assert "glue(" not in text, f"{pdf.name} prints a glue(...) call"
        assert "\u21aa" not in text, f"{pdf.name}: a code line wraps (\u21aa)"
        assert not re.findall(r"\b0\d_[a-z_]+\b", text), f"{pdf.name} names chapters by file"


def test_the_book_has_contents_and_gathers_solutions(built):
    text = raw_text(PDF / "book.pdf")
    assert "目次" in text[:5000], "the Japanese book has no contents (目次)"
    assert text.count("演習の解答") >= len(chapters())
