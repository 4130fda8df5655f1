"""Make the class notebooks: plain Jupyter notebooks that read right in any viewer.

Usage: ``python tools/make_class.py [--kit-only] [--language en|ja]`` (``make class``,
``make class-ja``). Writes

    _build/class/student/   one notebook per chapter: exercises, each followed by an
                            empty "your turn" cell, and no solutions
    _build/class/teacher/   the same with every solution
    _build/class/activation-functions-{student,teacher}.zip
    notebooks/              the student edition without outputs, committed to the
                            repository: what a student who clones it (or opens it
                            on Colab, Binder or GitHub) reads and runs; not
                            with --kit-only (the tests compare it instead)

With ``--language ja`` the same two editions go to ``_build/class-ja/`` (zips
``activation-functions-ja-{student,teacher}.zip``; no ``notebooks/`` copy): each
Markdown cell is first translated with its page's catalog
(``locales/ja/LC_MESSAGES/<page>.po``, cut into messages as Sphinx does:
``tools/translate_myst.py``), then converted like the English one. A message
not yet translated stays English; the tool lists them (tests/test_class_ja.py
fails on any).

The chapters are MyST notebooks: their prose uses roles and directives that only
the book's build understands (``{glue:text}``, ``{footcite:t}``, ``{exercise}``,
...). JupyterLab, Colab, VS Code and GitHub show them as raw markup. Here every
glued value is written into the prose as text (from the notebook's stored
outputs, which nbval keeps equal to a fresh run), citations become
"Author (year)" with the chapter's reference list, admonitions become quoted
blocks with a bold title, cross-references become links or titles, and cells
that only feed the book (``glue`` calls) are removed. The hidden install cell
becomes a visible first cell, so the notebook runs on Colab as it is.
"""

from __future__ import annotations

import copy
import re
import shutil
import sys
import zipfile
from pathlib import Path

import nbformat
import yaml
from translate_myst import LOCALES, Translator, catalog

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "_build" / "class"
#: The committed student notebooks (tests/test_class.py checks they are fresh).
REPOSITORY_COPY = ROOT / "notebooks"
GLUE_PREFIX = "application/papermill.record/"
EDITIONS = ("student", "teacher")
#: Pages of the book that only the teacher edition carries.
TEACHERS_ONLY = {"teachers"}

ROLE = re.compile(r"\{([\w:-]+)\}`([^`]*)`")
FENCE = re.compile(r"^(\s*)(`{3,}|:{3,})\{([\w:-]+)\}\s*(.*?)\s*$")


#: The words the class notebooks add around the book's text, per language.
#: (Japanese: "練習" is what sphinx-exercise prints on the Japanese site and PDFs.)
WORDS = {
    "en": {"exercise": "Exercise {n}", "solution": "Solution to Exercise {n}",
           "your turn": "# Your turn: Exercise {n}\n", "figure": "Figure %s",
           "front page": "the book's first page"},
    "ja": {"exercise": "練習 {n}", "solution": "練習 {n} の解答",
           "your turn": "# やってみよう: 練習 {n}\n", "figure": "図 %s",
           "front page": "本書の最初のページ"},
}
LANGUAGES = tuple(WORDS)


def out_dir(language: str) -> Path:
    """``_build/class`` (English) or ``_build/class-<language>``."""
    return OUT if language == "en" else ROOT / "_build" / f"class-{language}"


def zip_name(edition: str, language: str = "en") -> str:
    """``activation-functions-student`` or ``activation-functions-ja-student`` (no suffix)."""
    return f"activation-functions-{'' if language == 'en' else language + '-'}{edition}"


def admonition_title(name: str, language: str) -> str:
    """The default title of a ``{note}``, ``{tip}``... box: Sphinx's own word for it."""
    if language == "en":
        return name.capitalize()
    import gettext

    import sphinx

    strings = gettext.translation("sphinx", Path(sphinx.__file__).parent / "locale",
                                  languages=[language], fallback=True)
    words = {"seealso": "See also"}
    return strings.gettext(words.get(name, name.capitalize()))


class ConversionError(ValueError):
    """The chapter uses markup this converter does not know: extend it, do not guess."""


# --------------------------------------------------------------------------- data


def book_pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])]


def page_title(page: str, language: str = "en", locales: Path = LOCALES) -> str:
    """The page's H1, translated where the page's catalog translates it."""
    path = ROOT / page
    if path.with_suffix(".ipynb").is_file():
        nb = nbformat.read(path.with_suffix(".ipynb"), as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    else:
        text = path.with_suffix(".md").read_text()
    title = next(line[2:].strip() for line in text.splitlines() if line.startswith("# "))
    return catalog(language, page, locales).get(title, title)


def glue_values(nb: nbformat.NotebookNode) -> dict[str, dict]:
    """name -> the mime bundle ``glue`` stored (prefix removed)."""
    values = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get("scrapbook")
            if not meta:
                continue
            prefix = meta.get("mime_prefix", "")
            values[meta["name"]] = {k[len(prefix):]: v for k, v in out.get("data", {}).items()
                                    if k.startswith(prefix)}
    return values


def bibliography() -> dict[str, dict]:
    """BibTeX key -> {'authors': [surnames], 'year', 'entry' (formatted reference)}."""
    from pybtex.database import parse_file
    from pybtex.richtext import Text

    def plain(latex: str) -> str:  # "M{\\"u}ller" -> "Müller", "{ELU}s" -> "ELUs"
        return Text.from_latex(latex).render_as("text")

    db = parse_file(str(ROOT / "references.bib"))
    entries = {}
    for key, entry in db.entries.items():
        people = entry.persons.get("author", [])
        surnames = [plain(" ".join(p.last_names)) for p in people]
        full = [plain(" ".join(p.first_names + p.middle_names + p.last_names)) for p in people]
        fields = {k.lower(): plain(v) for k, v in entry.fields.items() if k.lower() != "url"}
        url = entry.fields.get("url", "")
        authors = full[0] if len(full) == 1 else ", ".join(full[:-1]) + " and " + full[-1]
        venue = fields.get("journal") or fields.get("booktitle") or fields.get("publisher") or ""
        parts = [f"{authors} ({fields.get('year', 'n.d.')}).", f"{fields.get('title', key)}."]
        if venue:
            parts.append(f"*{venue}*.")
        if url:
            parts.append(url)
        entries[key] = {"authors": surnames, "year": fields.get("year", "n.d."),
                        "entry": " ".join(parts)}
    return entries


def cite_names(surnames: list[str]) -> str:
    if len(surnames) == 1:
        return surnames[0]
    if len(surnames) == 2:
        return f"{surnames[0]} and {surnames[1]}"
    return f"{surnames[0]} et al."


# --------------------------------------------------------------------------- prose


class Chapter:
    """The state one chapter's conversion needs: glue data, labels, citations."""

    def __init__(self, page: str, nb: nbformat.NotebookNode, edition: str,
                 bib: dict[str, dict], titles: dict[str, str], language: str = "en"):
        self.page, self.nb, self.edition = page, nb, edition
        self.language, self.words = language, WORDS[language]
        self.bib, self.titles = bib, titles
        self.glue = glue_values(nb)
        self.cited: list[str] = []
        self.figures = self._figure_numbers()
        self.exercises = self._exercise_numbers()
        self.next_exercise = 0
        self.root = yaml.safe_load((ROOT / "_toc.yml").read_text())["root"]

    def _figure_numbers(self) -> dict[str, int]:
        numbers = {}
        for cell in self.nb.cells:
            name = cell.get("metadata", {}).get("mystnb", {}).get("figure", {}).get("name")
            if cell.cell_type == "code" and name:
                numbers[name] = len(numbers) + 1
        return numbers

    def _exercise_numbers(self) -> dict[str, int]:
        numbers = {}
        for cell in self.nb.cells:
            if cell.cell_type != "markdown":
                continue
            lines = cell.source.splitlines()
            for i, line in enumerate(lines):
                m = FENCE.match(line)
                if m and m.group(3) == "exercise":
                    label = next((ln.split(":label:")[1].strip() for ln in lines[i + 1:i + 6]
                                  if ln.strip().startswith(":label:")), None)
                    numbers[label or f"#{len(numbers) + 1}"] = len(numbers) + 1
        return numbers

    # --- inline roles
    def glue_text(self, content: str, kind: str) -> str:
        key, spec = content, ""
        if ":" in content:  # "name:format" (a format spec, or glue:md's myst/commonmark)
            key, spec = content.rsplit(":", 1)
        if kind == "glue:md" and spec in ("myst", "commonmark"):
            spec = ""
        if key not in self.glue:
            raise ConversionError(f"{self.page}: no glued value {key!r}")
        bundle = self.glue[key]
        if kind == "glue:md":
            return bundle.get("text/markdown", bundle.get("text/plain", ""))
        from myst_nb.core.variables import format_plain_text  # exactly as the book formats

        try:
            return format_plain_text(bundle.get("text/plain", ""), spec or "s")
        except ValueError as err:
            raise ConversionError(f"{self.page}: glued value {key!r} does not take "
                                  f"format {spec!r}: {err}") from None

    def cite(self, content: str, kind: str) -> str:
        keys = [k.strip() for k in content.split(",")]
        for key in keys:
            if key not in self.bib:
                raise ConversionError(f"{self.page}: unknown citation {key!r}")
            if key not in self.cited:
                self.cited.append(key)
        if kind == "footcite:t":
            return "; ".join(f"{cite_names(self.bib[k]['authors'])} ({self.bib[k]['year']})"
                             for k in keys)
        return "(" + "; ".join(f"{cite_names(self.bib[k]['authors'])}, {self.bib[k]['year']}"
                               for k in keys) + ")"

    def doc(self, content: str) -> str:
        m = re.match(r"^(.*?)\s*<([^>]+)>$", content)
        text, target = (m.group(1), m.group(2)) if m else (None, content)
        here = Path(self.page).parent
        docname = str((here / target).resolve().relative_to(ROOT)) if not target.startswith("/") \
            else target.lstrip("/")
        docname = re.sub(r"\.(md|ipynb)$", "", docname)
        if docname == self.root:  # the book's front page is not in the kit: name it
            return text or self.words["front page"]
        if docname not in self.titles:
            raise ConversionError(f"{self.page}: link to unknown page {target!r}")
        title = text or self.titles[docname]
        suffix = ".ipynb" if docname.startswith("chapters/") else ".md"
        link = f"{Path(docname).name}{suffix}"
        return f"[{title}]({link})"

    def numref(self, content: str) -> str:
        m = re.match(r"^(.*?)\s*<([^>]+)>$", content)
        fmt, label = (m.group(1), m.group(2)) if m else (self.words["figure"], content)
        if label not in self.figures:
            raise ConversionError(f"{self.page}: numref to unknown figure {label!r}")
        return fmt.replace("%s", str(self.figures[label])).replace("{number}", str(self.figures[label]))

    def role(self, match: re.Match) -> str:
        kind, content = match.group(1), match.group(2)
        if kind in ("glue:text", "glue", "glue:md"):
            return self.glue_text(content, kind)
        if kind in ("footcite", "footcite:p", "footcite:t"):
            return self.cite(content, kind)
        if kind == "doc":
            return self.doc(content)
        if kind == "numref":
            return self.numref(content)
        if kind == "math":
            return f"${content}$"
        if kind == "ref":
            m = re.match(r"^(.*?)\s*<([^>]+)>$", content)
            return m.group(1) if m else content.replace("-", " ")
        raise ConversionError(f"{self.page}: unknown role {{{kind}}}")

    def inline(self, text: str) -> str:
        out = []
        for line in text.split("\n"):
            if re.match(r"^\(\S+\)=\s*$", line):   # MyST target "(label)="
                continue
            if re.match(r"^%", line):               # MyST comment
                continue
            out.append(ROLE.sub(self.role, line))
        text = "\n".join(out)
        return re.sub(r"\$\$\s*\(([\w-]+)\)", "$$", text)  # "$$ (label)" equation labels

    # --- block directives
    def blocks(self, source: str) -> list[tuple[str, str]]:
        """Convert one Markdown cell into segments: ("md", text) and ("code", text)."""
        lines = source.split("\n")
        segments: list[tuple[str, str]] = []
        buf: list[str] = []

        def flush():
            if buf and "".join(buf).strip():
                segments.append(("md", self.inline("\n".join(buf)).strip("\n")))
            buf.clear()

        i = 0
        while i < len(lines):
            m = FENCE.match(lines[i])
            if not m:
                buf.append(lines[i])
                i += 1
                continue
            _, fence, name, arg = m.groups()
            j = i + 1
            while j < len(lines) and lines[j].strip() != fence:
                j += 1
            if j == len(lines):
                raise ConversionError(f"{self.page}: unclosed {{{name}}} directive")
            body = lines[i + 1:j]
            options = {}
            while body and re.match(r"^\s*:[\w-]+:", body[0]):
                key, _, value = body.pop(0).strip()[1:].partition(":")
                options[key] = value.strip()
            content = "\n".join(body).strip("\n")
            i = j + 1
            if name == "exercise":
                flush()
                self.next_exercise += 1
                number = self.next_exercise
                segments.append(("md", self.quote(self.words["exercise"].format(n=number), content)))
                if self.edition == "student":
                    segments.append(("code", self.words["your turn"].format(n=number)))
            elif name == "solution":
                if self.edition == "teacher":
                    flush()
                    number = self.exercises.get(arg, "?")
                    segments.append(("md", self.quote(self.words["solution"].format(n=number),
                                                      content)))
            elif name == "admonition":
                buf.append(self.quote(self.inline(arg), content))
            elif name in ("note", "tip", "warning", "important", "caution", "attention",
                          "hint", "seealso", "danger", "error"):
                title = arg or admonition_title(name, self.language)
                buf.append(self.quote(self.inline(title), content))
            elif name == "footbibliography":
                buf.append(self.references())
            elif name == "math":
                buf.append(f"$$\n{content}\n$$")
            else:
                raise ConversionError(f"{self.page}: unknown directive {{{name}}}")
        flush()
        return segments

    def quote(self, title: str, content: str) -> str:
        inner = []
        for kind, text in Chapter.blocks(self, content):
            inner.append(text if kind == "md" else f"```python\n{text}```")
        body = "\n\n".join(inner)
        lines = [f"**{title}**", "", *body.split("\n")]
        return "\n".join(("> " + line).rstrip() for line in lines)

    def references(self) -> str:
        if not self.cited:
            return ""
        items = [f"- {self.bib[key]['entry']}" for key in
                 sorted(self.cited, key=lambda k: (self.bib[k]["authors"], self.bib[k]["year"]))]
        return "\n".join(items)


# --------------------------------------------------------------------------- cells

INSTALL_CELL = '''\
# Run this cell first. On Colab (or any machine without the book's helper
# package) it installs `actlab`; where actlab is already installed it does
# nothing. If the installation fails it stops here with the reason.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("actlab") is None:
    URL = "git+{repo}#subdirectory=code"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", f"actlab @ {{URL}}"],
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(
            "Could not install the book's helper package actlab:\\n"
            + done.stderr[-1500:]
            + "\\nCheck that this notebook can reach the internet (on Colab: "
            "Runtime > Disconnect and delete runtime, then run again), or "
            f"install it yourself with: pip install 'actlab @ {{URL}}'"
        )
    importlib.invalidate_caches()
import actlab  # noqa: F401  (fails here, loudly, if actlab is still missing)
'''


def is_glue_only(cell: nbformat.NotebookNode) -> bool:
    """A code cell that exists only to glue values into the book's prose."""
    tags = cell.get("metadata", {}).get("tags", [])
    return "remove-cell" in tags and "glue(" in cell.source


def is_install_cell(cell: nbformat.NotebookNode) -> bool:
    return "remove-cell" in cell.get("metadata", {}).get("tags", []) and "import actlab" in cell.source


def translator(page: str, language: str, locales: Path = LOCALES) -> Translator | None:
    """The translator of one page's MyST text (None for English: the source as it is)."""
    return None if language == "en" else Translator(catalog(language, page, locales), page)


def convert(page: str, edition: str, bib: dict, titles: dict, repo: str,
            keep_glue: bool = False, language: str = "en", locales: Path = LOCALES,
            missing: list[str] | None = None) -> nbformat.NotebookNode:
    """The class notebook of ``page``, its prose filled from the stored outputs.

    ``keep_glue`` keeps the cells that glue values (for the tests, which run the
    notebook and compare what it glues with what the prose says). With a
    ``language`` other than English the Markdown cells are translated from
    ``locales`` first, and the messages left in English are appended to
    ``missing``; Markdown outputs (the reference card's table) are translated
    where the catalog has their text (computed text may stay out of it).
    """
    nb = nbformat.read(ROOT / f"{page}.ipynb", as_version=4)
    chapter = Chapter(page, nb, edition, bib, titles, language)
    translate = translator(page, language, locales)
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            source = translate.markdown(cell.source) if translate else cell.source
            for kind, text in chapter.blocks(source):
                cells.append(nbformat.v4.new_markdown_cell(text) if kind == "md"
                             else nbformat.v4.new_code_cell(text))
            continue
        if is_install_cell(cell):
            cells.append(nbformat.v4.new_code_cell(INSTALL_CELL.format(repo=repo)))
            continue
        if is_glue_only(cell) and not keep_glue:
            continue
        new = copy.deepcopy(cell)
        keep = {k: v for k, v in new.metadata.items() if k in ("tags",)}
        keep["tags"] = [t for t in keep.get("tags", []) if t.startswith("nbval")]
        new.metadata = nbformat.from_dict({k: v for k, v in keep.items() if v})
        if not keep_glue:
            new.outputs = [o for o in new.outputs if not o.get("metadata", {}).get("scrapbook")]
        if translate:  # a Markdown output (the card's table) where the catalog has it:
            outputs = Translator(translate.messages, page)   # computed text, not counted missing
            for out in new.get("outputs", []):
                if "text/markdown" in out.get("data", {}):
                    out["data"]["text/markdown"] = outputs.markdown(out["data"]["text/markdown"])
        cells.append(new)
    out = nbformat.v4.new_notebook()
    out.metadata = nbformat.from_dict({"kernelspec": nb.metadata.get("kernelspec", {}),
                                       "language_info": nb.metadata.get("language_info",
                                                                        {"name": "python"})})
    out.cells = cells
    for i, cell in enumerate(out.cells):  # stable ids: rebuilding changes nothing
        cell["id"] = f"{Path(page).name[:2]}-{i:03d}"
    if translate and missing is not None:
        missing += translate.missing
    return out


def write_markdown_page(page: str, folder: Path, bib: dict, titles: dict, language: str = "en",
                        locales: Path = LOCALES, missing: list[str] | None = None) -> None:
    """A Markdown page of the book (the notation page) as plain Markdown."""
    source = (ROOT / f"{page}.md").read_text()
    translate = translator(page, language, locales)
    if translate:
        source = translate.markdown(source)
        if missing is not None:
            missing += translate.missing
    fake = nbformat.v4.new_notebook()
    chapter = Chapter(page, fake, "teacher", bib, titles, language)
    text = "\n\n".join(t for kind, t in chapter.blocks(source) if kind == "md")
    (folder / f"{Path(page).name}.md").write_text(text + "\n")


def without_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` with no outputs and no execution counts (small, stable diffs)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def write_repository_copy(student: Path, target: Path = REPOSITORY_COPY) -> None:
    """``target``: the student edition in ``student`` without outputs, plus its pages."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for path in sorted(student.iterdir()):
        if path.suffix == ".ipynb":
            nbformat.write(without_outputs(nbformat.read(path, as_version=4)), target / path.name)
        elif path.suffix == ".md":
            shutil.copy(path, target / path.name)


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kit-only", action="store_true",
                        help="do not rewrite notebooks/ (English only; the tests compare it)")
    parser.add_argument("--language", choices=LANGUAGES, default="en",
                        help="en: _build/class/; ja: _build/class-ja/ from locales/ja")
    parser.add_argument("--locales", type=Path, default=LOCALES,
                        help="the folder holding <language>/LC_MESSAGES/*.po (default: locales)")
    args = parser.parse_args(argv)
    language = args.language
    if language != "en" and not (args.locales / language / "LC_MESSAGES").is_dir():
        parser.error(f"no catalogs for {language!r} in {args.locales}")
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = config["repository"]["url"]
    bib = bibliography()
    pages = book_pages()
    titles = {p: page_title(p, language, args.locales) for p in pages}
    out = out_dir(language)
    shutil.rmtree(out, ignore_errors=True)
    missing: dict[str, set[str]] = {}
    for edition in EDITIONS:
        folder = out / edition
        folder.mkdir(parents=True)
        for page in pages:
            if edition == "student" and page in TEACHERS_ONLY:
                continue
            left: list[str] = []
            if (ROOT / f"{page}.ipynb").is_file():
                nbformat.write(convert(page, edition, bib, titles, repo, language=language,
                                       locales=args.locales, missing=left),
                               folder / f"{Path(page).name}.ipynb")
            else:
                write_markdown_page(page, folder, bib, titles, language, args.locales, left)
            missing.setdefault(page, set()).update(left)
        name = zip_name(edition, language)
        archive = out / f"{name}.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(folder.iterdir()):
                zf.write(path, f"{name}/{path.name}")
        print(f"wrote {folder.relative_to(ROOT)}/ and {archive.relative_to(ROOT)}")
    untranslated = {page: len(ids) for page, ids in missing.items() if ids}
    if untranslated:
        print(f"not yet translated ({language}), left in English: "
              + ", ".join(f"{page} {n}" for page, n in untranslated.items()) + " message(s)",
              file=sys.stderr)
    if language == "en" and not args.kit_only:
        write_repository_copy(OUT / "student")
        print(f"wrote {REPOSITORY_COPY.relative_to(ROOT)}/ (the student edition without outputs)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
