"""Build the printed lecture notes and check what a teacher would check on paper.

Three kinds of PDF (tools/build_pdf.py): a student handout and an answer key per
chapter, and the whole book. The checks read the PDFs' text and metadata.

Needs TeX Live (xelatex, latexmk), poppler (pdfinfo, pdfimages, pdftotext) and
rsvg-convert: the tests skip with a reason where these are missing, except when
``CI=true``, where a missing tool is a failure. `.ci/run` installs them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PDF = ROOT / "_build" / "pdf"
WORK = ROOT / "_build" / "print"
TOOLS = ["xelatex", "latexmk", "pdfinfo", "pdfimages", "pdftotext", "rsvg-convert"]
#: Pages a student handout may take. The aim is 8 (one 90-minute class); the
#: long experiment chapters print their results without code and reach 10.
HANDOUT_BUDGET = 10


def chapters() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [c["file"] for part in toc["parts"] for c in part["chapters"]
            if c["file"].startswith("chapters/")]


def handout(chapter: str) -> Path:
    return PDF / "handouts" / f"{Path(chapter).name}.pdf"


def answers(chapter: str) -> Path:
    return PDF / "solutions" / f"{Path(chapter).name}.pdf"


def every_pdf() -> list[Path]:
    return [PDF / "book.pdf"] + [p for c in chapters() for p in (handout(c), answers(c))]


@pytest.fixture(scope="module")
def built() -> subprocess.CompletedProcess:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        message = f"PDF tools missing: {', '.join(missing)} (see README: make pdf)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + "; CI=true, so the PDF tests must run")
        pytest.skip(message)
    shutil.rmtree(PDF, ignore_errors=True)
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "build_pdf.py")], cwd=ROOT,
                          capture_output=True, text=True, timeout=2400, check=False)
    assert done.returncode == 0, (done.stdout + done.stderr)[-6000:]
    return done


def info(pdf: Path) -> str:
    return subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout


def pages(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", info(pdf), re.M).group(1))


def raw_text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-layout"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def norm(s: str) -> str:
    """Lower-case letters and digits only: LaTeX curls quotes, makes ligatures and
    hyphenates at line ends, so punctuation and spacing are not compared."""
    return re.sub(r"[^0-9a-z]", "", unicodedata.normalize("NFKC", s).lower())


def notebook_markdown(chapter: str) -> str:
    nb = json.loads((ROOT / f"{chapter}.ipynb").read_text())
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def title_and_sentence(chapter: str) -> tuple[str, str]:
    """The notebook's H1 and the first words of its opening paragraph (plain prose only)."""
    lines = notebook_markdown(chapter).splitlines()
    title = next(line[2:].strip() for line in lines if line.startswith("# "))
    start = next(i for i, line in enumerate(lines) if line.startswith("# "))
    paragraph = next(line for line in lines[start + 1:] if line.strip() and not line.startswith("#"))
    words = []
    for word in paragraph.split():
        if any(ch in word for ch in "$`*_{}"):
            break
        words.append(word)
    assert len(words) >= 4, f"{chapter}: the opening paragraph starts with too little plain text"
    return title, " ".join(words[:8])


def exercise_count(chapter: str) -> int:
    return len(re.findall(r"^[`:]{3,}\{exercise\}", notebook_markdown(chapter), re.M))


def cited_keys(chapter: str) -> set[str]:
    groups = re.findall(r"\{footcite(?::\w+)?\}`([^`]+)`", notebook_markdown(chapter))
    return {key.strip() for group in groups for key in group.split(",")}


def first_author_surnames(keys: set[str]) -> set[str]:
    """The first author's surname of each BibTeX entry in ``keys``."""
    bib = (ROOT / "references.bib").read_text()
    names = set()
    for key in keys:
        entry = re.search(r"@\w+\{" + re.escape(key) + r",(.*?)\n\}", bib, re.S)
        assert entry, f"{key} not in references.bib"
        author = re.search(r"author\s*=\s*[{\"](.*?)[}\"],?\s*\n", entry.group(1), re.S).group(1)
        first = author.split(" and ")[0].strip()
        surname = first.split(",")[0] if "," in first else first.split()[-1]
        names.add(surname.strip("{}"))
    return names


def body_of_pages(pdf: Path) -> list[str]:
    """Each page's text without its running header and footer."""
    out = []
    for page in raw_text(pdf).split("\f")[:pages(pdf)]:
        lines = [line for line in page.splitlines() if line.strip()]
        lines = [line for line in lines if not re.search(r"page \d+ of \d+", line)]
        out.append("\n".join(lines[1:]))  # the first line is the running header
    return out


def test_every_pdf_exists_on_a4_with_page_x_of_y(built):
    for pdf in every_pdf():
        assert pdf.is_file(), pdf
        assert "(A4)" in info(pdf), f"{pdf.name} is not A4"
        n = pages(pdf)
        last = re.search(r"page (\d+) of (\d+)", raw_text(pdf, n, n))
        assert last and last.group(1) == last.group(2), f"{pdf.name}: no 'page X of Y' footer"
        if pdf.name != "book.pdf":  # the book's front matter has roman page numbers
            assert int(last.group(2)) == n, f"{pdf.name}: footer says {last.group(0)} of {n} pages"


def test_page_counts(built):
    n = len(chapters())
    assert 6 * n <= pages(PDF / "book.pdf") <= 30 * n
    for chapter in chapters():
        assert 3 <= pages(handout(chapter)) <= HANDOUT_BUDGET, (chapter, pages(handout(chapter)))
        assert 1 <= pages(answers(chapter)) <= 6, (chapter, pages(answers(chapter)))


def test_reference_card_is_a_single_a4_sheet(built):
    card = PDF / "reference_card.pdf"   # tools/build_pdf.py, kind "card"
    assert card.is_file(), card
    assert "(A4)" in info(card), "the reference card is not A4"
    assert pages(card) == 1, f"the reference card takes {pages(card)} pages, not one sheet"


def test_no_empty_or_near_empty_page(built):
    for pdf in every_pdf():
        for number, body in enumerate(body_of_pages(pdf), start=1):
            if pdf.name == "book.pdf" and number == 1:
                continue  # the title page: title, authors and date
            assert len(norm(body)) >= 120, f"{pdf.name} page {number} is (nearly) empty: {body!r}"


def test_figures_are_vector_not_raster(built):
    for pdf in every_pdf():
        listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                                 check=True).stdout.splitlines()
        images = listing[2:]  # two header lines
        assert not images, f"{pdf.name} contains raster images:\n" + "\n".join(images[:5])


def test_latex_logs_are_clean(built):
    logs = sorted(WORK.glob("*/_build/latex/*.log"))
    assert len(logs) >= 1 + 2 * len(chapters()), logs
    bad = re.compile(r"Missing character|Reference .* undefined|Citation .* undefined"
                     r"|There were undefined references|Overfull \\hbox \((\d{2,})")
    problems = [f"{log.parent.parent.parent.name}: {m.group(0)}" for log in logs
                for m in bad.finditer(log.read_text(errors="replace"))]
    assert not problems, "\n".join(problems[:20])


def test_every_chapter_is_in_the_book_and_in_its_handout(built):
    book = norm(raw_text(PDF / "book.pdf"))
    for chapter in chapters():
        title, sentence = title_and_sentence(chapter)
        text = norm(raw_text(handout(chapter)))
        for name, body in (("book", book), ("handout", text)):
            assert norm(title) in body, f"{chapter}: title {title!r} not in the {name}"
            assert norm(sentence) in body, f"{chapter}: {sentence!r} not in the {name}"


def test_student_handouts_have_exercises_but_no_solutions(built):
    for chapter in chapters():
        text = raw_text(handout(chapter))
        n = exercise_count(chapter)
        found = [int(k) for k in re.findall(r"^\s*Exercise (\d+)\s*$", text, re.M)]
        assert found == list(range(1, n + 1)), f"{chapter}: exercises numbered {found}"
        assert "Solution" not in text, f"{chapter}: the student handout shows a solution"


def test_answer_keys_have_every_exercise_and_its_solution(built):
    for chapter in chapters():
        text = raw_text(answers(chapter))
        n = exercise_count(chapter)
        assert n >= 3
        exercises = [int(k) for k in re.findall(r"^\s*Exercise (\d+)\s*$", text, re.M)]
        solutions = [int(k) for k in re.findall(r"Solution to Exercise (\d+)", text)]
        assert exercises == list(range(1, n + 1)), f"{chapter}: {exercises}"
        assert solutions == list(range(1, n + 1)), f"{chapter}: {solutions}"


def test_handout_figures_are_numbered_from_one_without_repeats(built):
    for chapter in chapters():
        captions = [int(k) for k in re.findall(r"^\s*Fig\. (\d+):", raw_text(handout(chapter)), re.M)]
        assert captions, f"{chapter}: no figure captions found"
        assert captions == list(range(1, len(captions) + 1)), f"{chapter}: figures {captions}"


def test_citations_read_on_paper(built):
    for pdf in every_pdf():
        text = raw_text(pdf)
        assert not re.search(r"Page \d+, \d+", text), f"{pdf.name}: footnote-style 'Page N, k' marks"
    for chapter in chapters():
        keys = cited_keys(chapter)
        if not keys:
            continue
        text = norm(raw_text(handout(chapter)))
        assert "references" in text, f"{chapter}: no reference list"
        for surname in first_author_surnames(keys):
            assert norm(surname) in text, f"{chapter}: {surname} missing from the handout"


def test_no_book_plumbing_on_paper(built):
    for pdf in every_pdf():
        text = raw_text(pdf)
        assert "glue(" not in text, f"{pdf.name} prints a glue(...) call"
        assert "%pip" not in text and "except ImportError" not in text, f"{pdf.name}: install cell"
        assert "\u21aa" not in text, f"{pdf.name}: a code line wraps (\u21aa)"
        stems = re.findall(r"\b0\d_[a-z_]+\b", text)
        assert not stems, f"{pdf.name} names chapters by file: {sorted(set(stems))}"


def test_the_book_gathers_solutions_and_has_contents(built):
    text = raw_text(PDF / "book.pdf")
    assert "Contents" in text[:5000] or "CONTENTS" in text[:5000]
    assert text.count("Solutions to the exercises") >= len(chapters())
    assert "download" not in norm(raw_text(PDF / "book.pdf", 1, 6)).replace("downloaded", ""), \
        "the printed front matter speaks of the website's download menu"


def test_handouts_have_no_contents_page(built):
    for chapter in chapters():
        first_pages = raw_text(handout(chapter), 1, 2)
        assert "CONTENTS" not in first_pages.upper(), f"{chapter} has a contents page"
