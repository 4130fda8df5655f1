"""Build the PDF lecture notes (the whole book and one handout per chapter) and check them.

Needs TeX Live (xelatex, latexmk) and poppler (pdfinfo, pdfimages, pdftotext):
the tests skip with a reason where these are missing, except when ``CI=true``,
where a missing tool is a failure. `.ci/run` installs them.
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
TOOLS = ["xelatex", "latexmk", "pdfinfo", "pdfimages", "pdftotext"]


def chapters() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [c["file"] for part in toc["parts"] for c in part["chapters"]
            if c["file"].startswith("chapters/")]


@pytest.fixture(scope="module")
def built() -> subprocess.CompletedProcess:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        message = f"PDF tools missing: {', '.join(missing)} (see README: make pdf)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + "; CI=true, so the PDF tests must run")
        pytest.skip(message)
    shutil.rmtree(PDF, ignore_errors=True)
    return subprocess.run([sys.executable, str(ROOT / "tools" / "build_pdf.py")], cwd=ROOT,
                          capture_output=True, text=True, timeout=2400, check=False)


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def text(pdf: Path) -> str:
    """The PDF's text, normalised by :func:`norm`."""
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return norm(out)


def norm(s: str) -> str:
    """Lower-case letters and digits only: LaTeX curls quotes, makes ligatures and
    hyphenates at line ends, so punctuation and spacing are not compared."""
    return re.sub(r"[^0-9a-z]", "", unicodedata.normalize("NFKC", s).lower())


def title_and_sentence(chapter: str) -> tuple[str, str]:
    """The notebook's H1 and the first words of its opening paragraph (plain prose only)."""
    nb = json.loads((ROOT / f"{chapter}.ipynb").read_text())
    lines = "".join(nb["cells"][0]["source"]).splitlines()
    title = next(line[2:].strip() for line in lines if line.startswith("# "))
    paragraph = next(line for line in lines[1:] if line.strip() and not line.startswith("#"))
    words = []
    for word in paragraph.split():
        if any(ch in word for ch in "$`*_{}"):
            break
        words.append(word)
    assert len(words) >= 4, f"{chapter}: the opening paragraph starts with too little plain text"
    return title, " ".join(words[:8])


def test_build_succeeds(built):
    assert built.returncode == 0, (built.stdout + built.stderr)[-4000:]


def test_expected_files_and_page_counts(built):
    assert (PDF / "book.pdf").is_file()
    n = len(chapters())
    assert 6 * n <= pages(PDF / "book.pdf") <= 40 * n + 10
    for chapter in chapters():
        handout = PDF / "handouts" / f"{Path(chapter).name}.pdf"
        assert handout.is_file(), handout
        assert 3 <= pages(handout) <= 40, (handout, pages(handout))


def test_figures_are_vector_not_raster(built):
    for pdf in [PDF / "book.pdf", *sorted((PDF / "handouts").glob("*.pdf"))]:
        listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                                 check=True).stdout.splitlines()
        images = listing[2:]  # two header lines
        assert not images, f"{pdf.name} contains raster images:\n" + "\n".join(images[:5])


@pytest.mark.parametrize("log_dir", ["pdf-book", "pdf-handouts"])
def test_latex_logs_are_clean(built, log_dir):
    logs = sorted((ROOT / "_build" / log_dir / "_build" / "latex").glob("*.log"))
    assert logs, f"no LaTeX logs under _build/{log_dir}"
    bad = re.compile(r"Missing character|Reference .* undefined|Citation .* undefined"
                     r"|There were undefined references|Overfull \\hbox \((\d{2,})")
    problems = [f"{log.name}: {m.group(0)}" for log in logs
                for m in bad.finditer(log.read_text(errors="replace"))]
    assert not problems, "\n".join(problems[:20])


def test_every_chapter_is_in_the_book_and_in_its_handout(built):
    book = text(PDF / "book.pdf")
    for chapter in chapters():
        title, sentence = title_and_sentence(chapter)
        handout = text(PDF / "handouts" / f"{Path(chapter).name}.pdf")
        for name, body in (("book", book), ("handout", handout)):
            assert norm(title) in body, f"{chapter}: title {title!r} not in the {name}"
            assert norm(sentence) in body, f"{chapter}: {sentence!r} not in the {name}"


def test_handouts_have_no_contents_page_and_the_book_does(built):
    assert "contents" in text(PDF / "book.pdf")[:3000]
    for handout in sorted((PDF / "handouts").glob("*.pdf")):
        first_pages = subprocess.run(["pdftotext", "-l", "2", str(handout), "-"],
                                     capture_output=True, text=True, check=True).stdout
        assert "CONTENTS" not in first_pages.upper(), f"{handout.name} has a contents page"
