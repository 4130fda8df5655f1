"""Check the Japanese catalogs: complete, not fuzzy, markup carried over unchanged.

Usage: ``python tools/check_po.py [locales/ja/LC_MESSAGES/...po ...]``
(default: every catalog under ``locales/``). Prints one line per problem and
exits with status 1 if there is any.

For every message, the *markup tokens* of the English text must appear in the
translation exactly as often as in the English, in any order, because the
translated text is parsed as MyST again and the computed values come from them:

* roles: ``{glue:text}`key:fmt```, ``{footcite:t}`key```, ``{eq}`label```...
  compared whole; a role with an explicit title, ``{doc}`title <target>```, is
  compared by role name and target only, so that its title can be translated;
* math spans ``$...$`` and ``$$...$$``, compared whole;
* inline code spans, compared whole;
* link targets ``[text](target)``, compared by target.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "locales"

_ROLE = re.compile(r"\{([\w:.-]+)\}`([^`]*)`")
_TITLED = re.compile(r"^(?s:.*?)<([^<>]+)>$")
_MATH = re.compile(r"\$\$.+?\$\$|\$[^$]+\$", re.S)
_CODE = re.compile(r"``[^`]+``|`[^`]+`")
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def tokens(text: str) -> Counter:
    """The markup tokens of one message, as a multiset (see the module docstring)."""
    found: Counter = Counter()

    def role(match: re.Match) -> str:
        name, content = match.groups()
        titled = _TITLED.match(content)
        found[f"{{{name}}}<{titled.group(1)}>" if titled else match.group(0)] += 1
        return " "

    text = _ROLE.sub(role, text)

    def math(match: re.Match) -> str:
        found[match.group(0)] += 1
        return " "

    text = _CODE.sub(math, text)       # code first: a `$` inside code is not math
    text = _MATH.sub(math, text)
    for target in _LINK.findall(text):
        found[f"link:{target}"] += 1
    return found


def check(path: Path) -> list[str]:
    """Every problem of one catalog, one line each."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    problems = []
    for message in catalog:
        if not message.id:
            continue
        short = message.id[:60].replace("\n", " ")
        if message.fuzzy:
            problems.append(f"{where}: fuzzy: {short!r}")
        if not message.string:
            problems.append(f"{where}: untranslated: {short!r}")
            continue
        wanted, got = tokens(message.id), tokens(message.string)
        if wanted != got:
            missing = sorted((wanted - got).elements())
            extra = sorted((got - wanted).elements())
            problems.append(f"{where}: markup differs in {short!r}: "
                            f"missing {missing}, unexpected {extra}")
    return problems


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or sorted(LOCALES.rglob("*.po"))
    problems = [line for path in paths for line in check(path)]
    for line in problems:
        print(line)
    print(f"{len(paths)} catalogs, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
