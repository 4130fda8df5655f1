"""Every number in the book's prose is computed, not typed.

A number a reader sees in a sentence must come from executed code through
``{glue:text}`` (so it is re-checked on every build). This test strips from
each page what is not prose -- code, math, roles such as ``{glue:text}`` and
``{footcite:t}``, directive options, link targets -- and fails on any numeral
left that is not in the short allowlist below: values the text itself *sets*
(a parameter, a seed count, a layer count), never results.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())


def pages() -> list[str]:
    names = [TOC["root"]]
    for part in TOC.get("parts", []):
        names += [c["file"] for c in part.get("chapters", [])]
    return names


#: Exact small constants, not results: "between 0 and 1", "rounds to exactly 1.0",
#: "divides by 2". Allowed on every page.
EVERYWHERE = {"0": "exact constant", "1": "exact constant", "2": "exact constant",
              "1.0": "the float one, exactly", "0.0": "the float zero, exactly"}

#: numeral -> why the text may type it. Per page; keys are the page's file stem.
ALLOWED: dict[str, dict[str, str]] = {
    "intro": {},
    "notation": {},
    "teachers": {n: "minutes of a plan"
                 for n in ["3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "14", "15",
                           "25", "45", "90"]},
    "01_sigmoid": {},
    "02_tanh": {},
    "03_relu": {},
    "04_leaky_relu": {"2.8": "the PyTorch version whose documentation was checked",
                      "3": "the Keras version whose documentation was checked",
                      "2.14": "the TensorFlow version whose documentation was checked"},
    "05_dying_relu": {},
    "06_vanishing_gradients": {"5": "the 5 % threshold the code sets",
                               "10": "seeds per setting",
                               "20": "seeds and runs per setting",
                               "60": "the 'at chance' criterion, 60 % accuracy",
                               "200": "the size of the training set"},
    "07_smooth_rectifiers": {"2.8": "the PyTorch version whose documentation was checked",
                             "3": "the Keras version whose documentation was checked"},
    "09_selu": {"2.8": "the PyTorch version whose documentation was checked",
                "3": "the Keras version whose documentation was checked"},
    "reference_card": {"2.8": "the PyTorch version whose documentation was checked",
                       "3": "the Keras version whose documentation was checked",
                       # library defaults, as their documentation states them
                       "0.01": "PyTorch's default Leaky ReLU slope",
                       "0.3": "Keras's LeakyReLU layer default slope",
                       "0.2": "Keras's leaky_relu function default slope",
                       "0.25": "PyTorch's PReLU starting slope",
                       "1.0": "ELU's alpha in both libraries"},
    "11_normalisation_and_residuals": {
        "1.8": "a PyTorch version whose documentation was checked",
        "2.13": "a PyTorch version whose documentation was checked"},
    "12_choosing_an_activation": {
        "1.9": "the scikit-learn version whose documentation was checked"},
}

#: A numeral that names a thing, not a quantity: "Experiment 2", "Exercise 3",
#: "layer 5" (an index), "section 8.1" (of a cited book), "Python 3.11",
#: "IEEE 754", "AVX-512", "(1)" in a list.
LABEL = re.compile(r"\b(?:Experiments?|Exercises?|[Ss]ections?|§|Fig\.|Figures?|Tables?|[Ll]ayers?|"
                   r"[Cc]hapters?|Python|IEEE|AVX|float|int|bfloat)[ -]?\d+(?:\.\d+)?(?:(?:,| and| or) \d+)*"
                   r"|^\s*\(\d\)|(?<=\s)\(\d\)(?=\s)", re.M)
NUMERAL = re.compile(r"(?<![\w.\\])\d+(?:[.,]\d+)*(?:[eE][-−+]?\d+)?")


def markdown_of(page: str) -> str:
    path = ROOT / page
    if path.with_suffix(".ipynb").is_file():
        nb = json.loads(path.with_suffix(".ipynb").read_text())
        return "\n\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return path.with_suffix(".md").read_text()


FENCE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})\s*(.*?)\s*$")
TITLED = {"admonition", "note", "tip", "warning", "important", "caution", "hint", "seealso",
          "attention", "danger", "error", "exercise"}
CODE_DIRECTIVE = re.compile(r"^\{(?:code-cell|code-block|code|math|raw)\}")


def strip_fences(markdown: str) -> str:
    """Drop fenced code; keep the prose inside directives (admonitions, exercises...).

    Fences are tracked on a stack: a fence with an info string opens a block; a
    bare fence at least as long as the innermost open one closes it (a shorter
    bare fence opens a nested code block, as in CommonMark).
    """
    out, stack = [], []  # stack of (fence, is_code)
    for line in markdown.splitlines():
        m = FENCE.match(line)
        if m:
            fence, info = m.groups()
            top = stack[-1][0] if stack else None
            if (top and not info and fence[0] == top[0] and len(fence) >= len(top)):
                stack.pop()
                continue
            directive = info.startswith("{")
            is_code = not directive or bool(CODE_DIRECTIVE.match(info))
            stack.append((fence, is_code))
            name, _, argument = info.partition("}")
            if directive and not is_code and name[1:] in TITLED:
                out.append(argument)  # an admonition's title is prose (a solution's is a label)
            continue
        if not any(is_code for _, is_code in stack):
            out.append(line)
    return "\n".join(out)


def prose(markdown: str) -> str:
    """The text a reader reads as sentences, with code, math and markup removed."""
    text = re.sub(r"<!--.*?-->", " ", markdown, flags=re.S)
    text = strip_fences(text)
    text = re.sub(r"^\s*:[\w-]+:.*$", " ", text, flags=re.M)          # directive options
    text = re.sub(r"\{[\w:-]+\}`[^`]*`", " ", text)                   # roles: {glue:text}`x`
    text = re.sub(r"`[^`\n]*`", " ", text)                            # inline code
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)              # display math
    text = re.sub(r"\\begin\{(\w+\*?)\}.*?\\end\{\1\}", " ", text, flags=re.S)
    text = re.sub(r"(?<!\\)\$[^$]+?(?<!\\)\$", " ", text)               # inline math
    text = LABEL.sub(" ", text)                                       # "Experiment 2", ...
    text = re.sub(r"\]\([^)]*\)", "]", text)                          # link targets
    text = re.sub(r"^\(\S+\)=\s*$", " ", text, flags=re.M)            # (label)= targets
    return text


def numerals(page: str) -> list[tuple[str, str]]:
    """(numeral, its line) for every numeral in the page's prose."""
    found = []
    for line in prose(markdown_of(page)).splitlines():
        found += [(m.group(), line.strip()) for m in NUMERAL.finditer(line)]
    return found


@pytest.mark.parametrize("page", pages())
def test_no_typed_numbers_in_prose(page):
    allowed = {**EVERYWHERE, **ALLOWED.get(Path(page).name, {})}
    typed = [(n, line) for n, line in numerals(page) if n not in allowed]
    assert not typed, ("numbers typed in prose; glue them from code, or add a value the "
                       "text sets to ALLOWED with a reason:\n" +
                       "\n".join(f"  {n!r} in: {line[:100]}" for n, line in typed))


def test_the_stripper_keeps_prose_and_drops_code_math_and_roles():
    md = ("The value is 42 here, $x = 3$, `f(7)`, {glue:text}`a:.2f`, "
          "[link](chapters/05_x.md).\n```python\nx = 9\n```\n:label: ex-8\n$$y = 5$$\n"
          "````{solution} ex-1\n:class: dropdown\nIt takes 17 steps.\n```python\nz = 4\n```\n"
          "and 18 more.\n````\nAfter the box: 19.\n```{admonition} Pitfall: 20 ways\nbox 21\n```")
    assert [m.group() for m in NUMERAL.finditer(prose(md))] == ["42", "17", "18", "19", "20", "21"]


def test_every_allowlisted_number_is_still_used():
    for page in pages():
        name = Path(page).name
        used = {n for n, _ in numerals(page)}
        stale = set(ALLOWED.get(name, {})) - used
        assert not stale, f"{name}: allowlisted but no longer in the prose: {sorted(stale)}"
