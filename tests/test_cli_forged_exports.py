"""The tribunal's commands read a verified record export: one that verifies because it is signed
by its own key can still hold entries that are no draw or no case. They say so in one line
naming the file, with exit status 1 — never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from parrhesia.cli import main


def forged_export(tmp_path: Path, draw: dict[str, object]) -> Path:
    """An export that verifies (signed by its own key) but whose jury draw is no draw."""
    from parrhesia.methods.record.canonical import entry_bytes
    from parrhesia.methods.tests.record.factory import export_bytes

    entries = [
        entry_bytes(0, "2026-11-27T04:37:00.000000Z", None, "case.opened", "case", 1, {"x": 1}),
        entry_bytes(1, "2026-11-27T04:37:01.000000Z", None, "jury.drawn", "case", 1,
                    {"case": 1, "draw": "jury", "checkpoint_root": "", "eligible": [1, 2, 3],
                     "size": 2, "jurors": [1, 2], **draw}),
    ]
    path = tmp_path / "forged.jsonl"
    path.write_bytes(export_bytes(entries))
    return path


@pytest.mark.parametrize("size", ["1", None, [1]])
@pytest.mark.parametrize("command", ["redraw", "report"])
def test_tribunal_commands_refuse_a_forged_draw_in_one_line(tmp_path, capsys, command, size):
    path = forged_export(tmp_path, {"checkpoint_size": size})
    argv = ["tribunal", command, "--record", str(path)] + (["--all"] if command == "redraw"
                                                           else [])
    assert main(argv) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"parrhesia: error: {path}: ") and "malformed" in error
    assert error.count("\n") == 1
