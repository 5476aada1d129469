"""docs/privacy.md names the test that pins each guarantee; every test it names exists.

A reference is `path/from/the/root/test_file.py::test_name` (a parametrised `test_name[...]`
counts as `test_name`). Two shorter forms follow the document's habit and are checked too:
`…test_file.py::test_name` (a file named by its basename alone, under parrhesia/ or tests/)
and `…::test_name` (the file of the reference before it). No database is needed.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "privacy.md"

# One pattern, three forms: a full path, "…" and a basename, "…" alone.
REFERENCE = re.compile(
    r"(?P<full>(?<![\w/.…])(?:[\w.-]+/)+test_\w+\.py)::(?P<name1>\w+)"
    r"|…(?P<base>test_\w+\.py)::(?P<name2>\w+)"
    r"|…::(?P<name3>\w+)"
)
FILE = re.compile(r"(?<![\w/.…])((?:[\w.-]+/)+test_\w+\.py)(?!::)")


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


@cache
def _defines(path: Path, name: str) -> bool:
    text = path.read_text(encoding="utf-8")
    return re.search(rf"^\s*(?:async\s+)?def {re.escape(name)}\(", text, re.MULTILINE) is not None


@cache
def _files_named(base: str) -> tuple[Path, ...]:
    """Test files of that name under the two test trees, parrhesia/ and tests/."""
    return tuple(sorted(p for top in ("parrhesia", "tests") for p in (ROOT / top).rglob(base)))


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def test_every_test_the_privacy_doc_names_exists():
    text = _doc()
    problems: list[str] = []
    last: tuple[Path, ...] = ()
    checked = 0
    for match in REFERENCE.finditer(text):
        where = f"docs/privacy.md:{_line(text, match.start())}"
        if match["full"]:
            name = match["name1"]
            path = ROOT / match["full"]
            if not path.is_file():
                problems.append(f"{where}: no file {match['full']}")
                last = ()
                continue
            candidates: tuple[Path, ...] = (path,)
        elif match["base"]:
            name = match["name2"]
            candidates = _files_named(match["base"])
            if not candidates:
                problems.append(f"{where}: no file named {match['base']} in the repository")
                last = ()
                continue
        else:
            name = match["name3"]
            candidates = last
            if not candidates:
                problems.append(f"{where}: '…::{name}' follows no reference it could continue")
                continue
        defining = tuple(p for p in candidates if _defines(p, name))
        checked += 1
        if not defining:
            files = ", ".join(str(p.relative_to(ROOT)) for p in candidates)
            problems.append(f"{where}: {files} defines no test {name}")
            last = candidates
        else:
            last = defining
    assert checked > 50, "the pattern found too few references: has the document's form changed?"
    assert not problems, "\n".join(problems)


def test_every_test_file_the_privacy_doc_names_exists():
    text = _doc()
    missing = [
        f"docs/privacy.md:{_line(text, m.start())}: no file {m[1]}"
        for m in FILE.finditer(text)
        if not (ROOT / m[1]).is_file()
    ]
    assert not missing, "\n".join(missing)


def test_no_gap_of_issue_13_is_left_marked_open():
    text = _doc()
    open_markers = [
        f"docs/privacy.md:{_line(text, m.start())}" for m in re.finditer(r"\(open: issue #13", text)
    ]
    assert not open_markers, "still marked open: " + ", ".join(open_markers)
