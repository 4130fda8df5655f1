"""Print editions of the book: the whole book, student handouts and answer keys.

``tools/build_pdf.py`` builds each PDF with ``print_edition`` set in its
generated configuration; the website leaves it empty and nothing here runs.

* ``"book"`` -- every chapter's solutions move out of the text into a section
  "Solutions to the exercises" at the end of that chapter (before its
  references), so a reader can try an exercise before seeing its answer.
* ``"handout"`` -- one chapter, for students: no solutions (sphinx-exercise's
  ``hide_solutions``, set by the build).
* ``"answers"`` -- one chapter's answer key: only its exercises, each followed
  by its solution; a reference to a figure of the chapter reads "Fig. 3 of the
  handout".

In every print edition:

* citations are numbered references, ``[1]``, with the chapter's reference list
  printed as a list at its end, instead of LaTeX footnotes (which reprinted a
  repeated citation as "Page 4, 1" and put marks after numbers like powers);
* a cell tagged ``hide-input`` (plot code, collapsed on the website) prints its
  output only; and in the handout of a chapter whose notebook metadata says
  ``"actlab": {"handout": "results"}`` (the long experiment chapters) every
  cell does, under a line saying that the code is in the notebook;
* in a one-chapter PDF, a link to another chapter prints that chapter's title
  (``print_doc_titles``) instead of failing.

The few words this extension adds to the page follow Sphinx's ``language``
(``WORDS``: English and Japanese).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

EDITIONS = ("", "book", "handout", "answers")

#: The words the print editions add, by ``language`` (English for any other).
WORDS = {
    "en": {
        "results note": "This handout shows the text, figures and results. The code that "
                        "computes them is in the notebook of the same name, where it runs "
                        "in seconds.",
        "solutions": "Solutions to the exercises",
        "answer key": "Answer key: {title}",
        "answers intro": "The exercises of the chapter \u201c{title}\u201d, each followed by "
                         "its solution. Figure numbers refer to the chapter's handout.",
        "handout figure": "Fig. {number} of the handout",
        "references": "References",
    },
    "ja": {
        "results note": "この配布資料には本文・図・結果だけを載せています。それらを計算するコードは"
                        "同じ名前のノートブックにあり、数秒で実行できます。",
        "solutions": "演習の解答",
        "answer key": "解答集: {title}",
        "answers intro": "章「{title}」の演習問題と、それぞれの解答です。図の番号は"
                         "この章の配布資料の番号です。",
        "handout figure": "配布資料の図 {number}",
        "references": "参考文献",
    },
}


def _words(app: Sphinx) -> dict[str, str]:
    return WORDS.get((app.config.language or "en")[:2], WORDS["en"])


def _edition(app: Sphinx) -> str:
    edition = app.config.print_edition
    if edition not in EDITIONS:
        raise ValueError(f"print_edition must be one of {EDITIONS}, not {edition!r}")
    return edition if app.builder.format == "latex" else ""


def _is(node: nodes.Node, *names: str) -> bool:
    return type(node).__name__ in names


def _exercise_or_solution(node: nodes.Node) -> bool:
    return _is(node, "exercise_node", "exercise_enumerable_node", "solution_node")


def _top_section(doctree: nodes.document) -> nodes.section | None:
    return next(iter(doctree.findall(nodes.section)), None)


def _references_section(top: nodes.section, title: str = "References") -> nodes.section | None:
    """The chapter's reference list: the section titled ``title`` (or "References")."""
    for child in top.children:
        if isinstance(child, nodes.section) and child[0].astext().strip() in (title, "References"):
            return child
    return None


def _drop_hidden_inputs(doctree: nodes.document, every_input: bool = False) -> None:
    for cell in list(doctree.findall(nodes.container)):
        if every_input or "tag_hide-input" in cell.get("classes", []):
            for part in list(cell.children):
                if "cell_input" in part.get("classes", []):
                    cell.remove(part)


def _add_results_note(doctree: nodes.document, words: dict[str, str]) -> None:
    """Say, under the title, that this handout shows the results and the notebook the code."""
    top = _top_section(doctree)
    if top is None:
        return
    note = nodes.paragraph()
    note += nodes.emphasis("", words["results note"])
    top.insert(1, note)


def _move_solutions_to_chapter_end(app: Sphinx, doctree: nodes.document) -> None:
    solutions = [n for n in doctree.findall(nodes.Element) if _is(n, "solution_node")]
    top = _top_section(doctree)
    if not solutions or top is None:
        return
    docname = app.env.docname
    words = _words(app)
    section = nodes.section(ids=[f"solutions-{docname.replace('/', '-')}"],
                            names=[f"solutions to the exercises ({docname})"])
    section += nodes.title("", words["solutions"])
    for solution in solutions:
        solution.parent.remove(solution)
        section += solution
    references = _references_section(top, words["references"])
    if references is not None:
        top.insert(top.index(references), section)
    else:
        top += section


def _figure_numbers(doctree: nodes.document) -> dict[str, int]:
    """Label -> number of each captioned figure, in order (a one-chapter PDF numbers from 1)."""
    numbers: dict[str, int] = {}
    for figure in doctree.findall(nodes.figure):
        if not any(isinstance(c, nodes.caption) for c in figure.children):
            continue
        n = len(set(numbers.values())) + 1
        for name in figure.get("names", []) + figure.get("ids", []):
            numbers[name] = n
    return numbers


def _keep_exercises_only(app: Sphinx, doctree: nodes.document) -> None:
    top = _top_section(doctree)
    if top is None:
        return
    figures = _figure_numbers(doctree)
    kept = [n for n in top.findall(nodes.Element) if _exercise_or_solution(n)]
    kept = [n for n in kept if not any(_exercise_or_solution(a) for a in _ancestors(n))]
    if not kept:
        return
    title = top[0].astext()
    words = _words(app)
    references = _references_section(top, words["references"])
    for child in list(top.children)[1:]:
        top.remove(child)
    top[0].children = [nodes.Text(words["answer key"].format(title=title))]
    intro = nodes.paragraph()
    intro += nodes.Text(words["answers intro"].format(title=title))
    top += intro
    for node in kept:
        node.parent.remove(node)
        top += node
    for xref in list(top.findall(addnodes.pending_xref)):
        if xref.get("reftype") == "numref" and xref.get("reftarget") in figures:
            xref.replace_self(nodes.Text(words["handout figure"].format(
                number=figures[xref["reftarget"]])))
    cited = {r.get("refid") for r in top.findall(nodes.footnote_reference)}
    if references is not None and cited:
        for footnote in list(references.findall(nodes.footnote)):
            if not set(footnote.get("ids", [])) & cited:
                footnote.parent.remove(footnote)
        top += references


def _ancestors(node: nodes.Node):
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _unwrap_box_sections(doctree: nodes.document) -> None:
    """sphinx-exercise puts a box's body in an untitled ``section``; a one-chapter PDF
    (the chapter is the LaTeX root document) would lift it out of the box."""
    for box in [n for n in doctree.findall(nodes.Element) if _exercise_or_solution(n)]:
        for child in list(box.children):
            if isinstance(child, nodes.section) and not any(
                    isinstance(c, nodes.title) for c in child.children):
                child.replace_self(nodes.container("", *child.children))


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    edition = _edition(app)
    if not edition:
        return
    _unwrap_box_sections(doctree)
    results_only = edition == "handout" and app.env.docname in app.config.print_results_only
    _drop_hidden_inputs(doctree, every_input=results_only)
    if results_only:
        _add_results_note(doctree, _words(app))
    if edition == "book":
        _move_solutions_to_chapter_end(app, doctree)
    elif edition == "answers":
        _keep_exercises_only(app, doctree)


def _scopes(doctree: nodes.document) -> list[nodes.Element]:
    """One subtree per source document: a LaTeX build inlines every chapter into one tree."""
    files = list(doctree.findall(addnodes.start_of_file))
    return [doctree, *files]


def _in_scope(node: nodes.Node, scope: nodes.Element) -> bool:
    for ancestor in _ancestors(node):
        if isinstance(ancestor, addnodes.start_of_file):
            return ancestor is scope
    return scope.parent is None  # the root document itself


def _numbered_citations(doctree: nodes.document) -> None:
    """Turn citation footnotes into "[n]" marks and a printed list of references."""
    for scope in _scopes(doctree):
        footnotes = [f for f in scope.findall(nodes.footnote) if _in_scope(f, scope)]
        refs = [r for r in scope.findall(nodes.footnote_reference) if _in_scope(r, scope)]
        # Number the references 1, 2, ... in the order the text first cites them.
        labels: dict[str, int] = {}
        for ref in refs:
            labels.setdefault(ref.get("refid"), len(labels) + 1)
        for footnote in footnotes:
            labels.setdefault(footnote["ids"][0], len(labels) + 1)
        for ref in refs:
            label = labels.get(ref.get("refid"), ref.astext())
            ref.replace_self(nodes.inline("", f"\u00a0[{label}]", ids=ref.get("ids", [])))
        if not footnotes:
            continue
        entries = []
        for footnote in footnotes:
            entry = nodes.paragraph(classes=["print-reference"], ids=footnote.get("ids", []))
            entry += nodes.Text(f"[{labels[footnote['ids'][0]]}] ")
            for child in footnote.children:
                if isinstance(child, nodes.label):
                    continue
                entry += child.children if isinstance(child, nodes.paragraph) else [child]
            entries.append((labels[footnote["ids"][0]], entry))
        # The list, in number order, where the first footnote stood.
        anchor = footnotes[0]
        for footnote in footnotes[1:]:
            footnote.parent.remove(footnote)
        anchor.replace_self([entry for _, entry in sorted(entries, key=lambda e: e[0])])


class NumberedCitations(SphinxPostTransform):
    """Runs before Sphinx's LaTeX footnote transform (priority 600) turns them into footnotes."""

    default_priority = 550
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        if _edition(self.app):
            _numbered_citations(self.document)


class CJKSolutionTitles(SphinxPostTransform):
    """"解答 練習 1": xeCJK drops a space between two CJK characters, printing "解答練習 1".

    After sphinx-exercise builds a solution's title ("Solution to" and a link
    " Exercise 1", priority 21), a Japanese PDF gets an ideographic space there.
    """

    default_priority = 30
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        if not _edition(self.app) or (self.app.config.language or "")[:2] != "ja":
            return
        for solution in [n for n in self.document.findall(nodes.Element) if _is(n, "solution_node")]:
            title = solution.children[0] if solution.children else None
            if not isinstance(title, nodes.title):
                continue
            for text in list(title.findall(nodes.Text)):
                if text.startswith(" ") and text.parent is not title:
                    text.parent.replace(text, nodes.Text("\u3000" + text[1:]))
                    break


def on_missing_reference(app: Sphinx, env: Any, node: addnodes.pending_xref,
                         contnode: nodes.Element) -> nodes.Node | None:
    """In a one-chapter PDF, a link to another chapter prints that chapter's title."""
    if not _edition(app) or node.get("reftype") != "doc":
        return None
    from sphinx.util import docname_join

    target = docname_join(node.get("refdoc", ""), node.get("reftarget", ""))
    titles = app.config.print_doc_titles
    if target not in titles:
        return None
    if node.get("refexplicit"):
        return contnode
    return nodes.emphasis("", titles[target])


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("print_edition", "", "env", types=[str])
    app.add_config_value("print_doc_titles", {}, "env", types=[dict])
    app.add_config_value("print_results_only", [], "env", types=[list])
    app.connect("doctree-read", on_doctree_read, priority=900)  # after sphinx-exercise
    app.add_post_transform(NumberedCitations)
    app.add_post_transform(CJKSolutionTitles)
    app.connect("missing-reference", on_missing_reference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
