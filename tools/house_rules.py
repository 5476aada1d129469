"""The house rules that import-linter cannot see, checked on the source (``make lint``).

- no module (tests and migrations aside) over 500 lines, and no ``views.py`` over 400 (past
  that, views become a package ``views/``);
- no function over 80 lines outside tests;
- no private name (``_x``) imported from another module of the project;
- no in-function import of a project module, except where a task imports its service
  (``tasks.py``), the command line loads lazily (``cli/``), or an app's ``ready()`` starts it up.

Run it as ``python tools/house_rules.py [ROOT]``; it prints one line per breach and exits 1 if
there is any. ``TYPE_CHECKING`` blocks count as module level.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "parrhesia"
MODULE_LINES_MAX = 500
VIEWS_LINES_MAX = 400
FUNCTION_LINES_MAX = 80


@dataclass(frozen=True)
class Breach:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def _is_test(path: Path) -> bool:
    parts = path.parts
    return "tests" in parts or path.name.startswith("test_") or path.name == "conftest.py"


def _is_migration(path: Path) -> bool:
    return "migrations" in path.parts


def _module_name(path: Path, root: Path) -> str:
    relative = path.relative_to(root).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(module: str | None, level: int, importer: str, is_package: bool) -> str:
    if level == 0:
        return module or ""
    base = importer.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def _lazy_import_allowed(path: Path, function: ast.AST) -> bool:
    if path.name == "tasks.py" or "cli" in path.parts:
        return True
    return path.name == "apps.py" and getattr(function, "name", "") == "ready"


class _Checker(ast.NodeVisitor):
    def __init__(self, path: Path, module: str, is_package: bool, test: bool) -> None:
        self.path, self.module, self.is_package, self.test = path, module, is_package, test
        self.breaches: list[Breach] = []
        self.functions: list[ast.AST] = []

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        length = (node.end_lineno or node.lineno) - node.lineno + 1
        if not self.test and length > FUNCTION_LINES_MAX:
            self.breaches.append(
                Breach(self.path, node.lineno, f"function {node.name} has {length} lines "
                       f"(at most {FUNCTION_LINES_MAX})")
            )
        self.functions.append(node)
        self.generic_visit(node)
        self.functions.pop()

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def _project(self, name: str) -> bool:
        return name == PACKAGE or name.startswith(PACKAGE + ".")

    def visit_Import(self, node: ast.Import) -> None:
        if self.functions and not self.test:
            for alias in node.names:
                if self._project(alias.name) and not _lazy_import_allowed(
                    self.path, self.functions[0]
                ):
                    self.breaches.append(
                        Breach(self.path, node.lineno, f"in-function import of {alias.name}")
                    )

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        source = _absolute(node.module, node.level, self.module, self.is_package)
        if not self._project(source):
            return
        if self.functions and not self.test and not _lazy_import_allowed(
            self.path, self.functions[0]
        ):
            self.breaches.append(Breach(self.path, node.lineno, f"in-function import of {source}"))
        for alias in node.names:
            private = alias.name.startswith("_") and not alias.name.startswith("__")
            if private and source != self.module:
                self.breaches.append(
                    Breach(self.path, node.lineno, f"imports the private name {alias.name} "
                           f"from {source}")
                )


def check_file(path: Path, root: Path) -> Iterator[Breach]:
    text = path.read_text(encoding="utf-8")
    test, migration = _is_test(path), _is_migration(path)
    lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    if not test and not migration and lines > MODULE_LINES_MAX:
        yield Breach(path, 1, f"module has {lines} lines (at most {MODULE_LINES_MAX})")
    elif not test and path.name == "views.py" and lines > VIEWS_LINES_MAX:
        yield Breach(path, 1, f"views.py has {lines} lines: make it a package views/")
    if migration:
        return
    checker = _Checker(path, _module_name(path, root), path.name == "__init__.py", test)
    checker.visit(ast.parse(text, filename=str(path)))
    yield from checker.breaches


def check(root: Path) -> list[Breach]:
    breaches: list[Breach] = []
    for path in sorted((root / PACKAGE).rglob("*.py")):
        breaches.extend(check_file(path, root))
    return breaches


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    breaches = check(root)
    for breach in breaches:
        print(breach)
    if breaches:
        print(f"{len(breaches)} breach(es) of the house rules (docs/architecture.md)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
