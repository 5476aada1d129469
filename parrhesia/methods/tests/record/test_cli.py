"""``parrhesia record verify`` through ``parrhesia.cli.main``."""

from __future__ import annotations

from pathlib import Path

import pytest

from parrhesia.cli import main

from .factory import (
    OTHER_VERIFIER,
    THIRD_SIGNER,
    THIRD_VERIFIER,
    VERIFIER,
    export_bytes,
    make_entries,
    rotation_entry,
)
from .factory import SIGNER as _SIGNER


def _write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _one_line(text: str) -> str:
    lines = text.splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def test_verify_ok(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "demo.jsonl", export_bytes(make_entries(123)))
    assert main(["record", "verify", path]) == 0
    out, err = capsys.readouterr()
    line = _one_line(out)
    assert line.startswith("OK: demo, 123 entries, root ")
    assert line.endswith(", checkpoint signed by parrhesia.example")
    assert err == ""


def test_verify_with_previous_and_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entries = make_entries(20)
    old = _write(tmp_path, "old.jsonl", export_bytes(entries[:7]))
    new = _write(tmp_path, "new.jsonl", export_bytes(entries))
    assert main(["record", "verify", new, "--previous", old, "--key", VERIFIER]) == 0
    line = _one_line(capsys.readouterr().out)
    assert line.startswith("OK: demo, 20 entries") and f"extends {old} (7 entries)" in line


def test_verify_rotated_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entries = [*make_entries(3), rotation_entry(3, _SIGNER, THIRD_VERIFIER)]
    old = _write(tmp_path, "old.jsonl", export_bytes(entries[:3]))
    new = _write(tmp_path, "new.jsonl", export_bytes(entries, THIRD_SIGNER, THIRD_VERIFIER))
    assert main(["record", "verify", new, "--previous", old]) == 0
    assert "1 key rotation" in capsys.readouterr().out


def test_tampered_entry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = export_bytes(make_entries(5)).replace(b'"n":2', b'"n":9', 1)
    path = _write(tmp_path, "bad.jsonl", data)
    assert main(["record", "verify", path]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert _one_line(err) == (
        f"{path}:7: checkpoint root hash does not match the entries (an entry was altered)"
    )


def test_deleted_entry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = export_bytes(make_entries(5)).splitlines(keepends=True)
    path = _write(tmp_path, "bad.jsonl", b"".join(lines[:3] + lines[4:]))
    assert main(["record", "verify", path]) == 1
    assert _one_line(capsys.readouterr().err).startswith(f"{path}:4: seq 3 where 2 was expected")


def test_rewritten_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = _write(tmp_path, "old.jsonl", export_bytes(make_entries(5)))
    new = _write(tmp_path, "new.jsonl", export_bytes(make_entries(8, salt="x")))
    assert main(["record", "verify", new]) == 0
    capsys.readouterr()
    assert main(["record", "verify", new, "--previous", old]) == 1
    assert _one_line(capsys.readouterr().err) == (
        f"{new}:2: entry seq 0 differs from the previous export: history was rewritten"
    )


def test_wrong_trusted_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "demo.jsonl", export_bytes(make_entries(2)))
    assert main(["record", "verify", path, "--key", OTHER_VERIFIER]) == 1
    assert "trusted key" in _one_line(capsys.readouterr().err)
    assert main(["record", "verify", path, "--key", "garbage"]) == 1
    assert _one_line(capsys.readouterr().err).startswith(f"{path}: trusted key: ")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, ": no such file"),
        (b"", ": empty file, not a parrhesia-record export"),
        (b"hello\n", ":1: not a parrhesia-record export header: not JSON"),
        (b"\x00\x01\x02", ":1: truncated file: the last line has no newline"),
    ],
)
def test_unreadable_inputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, expected: str
) -> None:
    path = str(tmp_path / "x.jsonl") if content is None else _write(tmp_path, "x.jsonl", content)
    assert main(["record", "verify", path]) == 1
    out, err = capsys.readouterr()
    assert out == "" and _one_line(err) == path + expected


def test_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["record", "verify", str(tmp_path)]) == 1
    assert _one_line(capsys.readouterr().err).startswith(f"{tmp_path}: ")


def test_missing_previous(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "demo.jsonl", export_bytes(make_entries(2)))
    missing = str(tmp_path / "old.jsonl")
    assert main(["record", "verify", path, "--previous", missing]) == 1
    assert _one_line(capsys.readouterr().err) == f"{missing}: no such file"


def test_usage_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["record", "verify"])
    assert exit_.value.code == 2
    assert "error:" in _one_line(capsys.readouterr().err)
    with pytest.raises(SystemExit):
        main(["record"])
    assert "error:" in _one_line(capsys.readouterr().err)
