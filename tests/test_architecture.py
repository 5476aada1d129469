"""The house's shape is part of the suite: the layers (import-linter's contracts in
pyproject.toml) and the rules import-linter cannot see (tools/house_rules.py). See
docs/architecture.md."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
import house_rules  # noqa: E402


def test_no_module_breaks_the_house_rules():
    breaches = [str(breach) for breach in house_rules.check(REPO)]
    assert breaches == []


def test_the_house_rules_catch_what_they_promise(tmp_path):
    package = tmp_path / "parrhesia" / "things"
    package.mkdir(parents=True)
    (package / "services.py").write_text(
        "from parrhesia.other.services import _helper\n\n\n"
        "def thing_make():\n    from parrhesia.other import models\n\n    return models\n"
        + "\n".join(f"x{n} = {n}" for n in range(500))
        + "\n"
    )
    (package / "tasks.py").write_text(
        "def thing_task():\n    from parrhesia.things.services import thing_make\n\n"
        "    return thing_make()\n"
    )
    (package / "views.py").write_text("\n".join(f"y{n} = {n}" for n in range(401)) + "\n")
    messages = [breach.message for breach in house_rules.check(tmp_path)]
    assert any("module has" in message for message in messages)
    assert "views.py has 401 lines: make it a package views/" in messages
    assert "imports the private name _helper from parrhesia.other.services" in messages
    assert "in-function import of parrhesia.other" in messages
    assert not any("parrhesia.things.services" in message for message in messages)  # a task


def test_every_app_imports_only_the_layers_below_it():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-4000:]
