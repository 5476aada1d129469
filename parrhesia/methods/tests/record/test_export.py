"""The parrhesia-record/1 export (still verified, as every /1 file in the wild must be): clean
exports verify, every tampering is detected. The /2 additions: test_export_v2.py."""

from __future__ import annotations

import base64
import io
import json
import os
import tempfile
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from parrhesia.methods.record.canonical import canonical_json
from parrhesia.methods.record.checkpoint import sign_checkpoint
from parrhesia.methods.record.export import (
    RecordVerificationError,
    checkpoint_line,
    header_line,
    iter_entries,
    write_export,
)
from parrhesia.methods.record.merkle import MerkleTree, mth
from parrhesia.methods.record.verify import ExportSummary, verify_export

from .factory import (
    ORG,
    ORIGIN,
    OTHER_SIGNER,
    OTHER_VERIFIER,
    SIGNER,
    THIRD_SIGNER,
    THIRD_VERIFIER,
    VERIFIER,
    export_bytes,
    make_entries,
    make_entry,
    rotation_entry,
)

_DIR = tempfile.TemporaryDirectory(prefix="parrhesia-record-tests-")
_COUNTER = iter(range(10**9))

FAST = settings(
    max_examples=int(os.environ.get("RECORD_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _file(data: bytes) -> str:
    path = os.path.join(_DIR.name, f"export-{next(_COUNTER)}.jsonl")
    with open(path, "wb") as fp:
        fp.write(data)
    return path


def _verify(
    data: bytes, previous: bytes | None = None, trusted: str | None = None
) -> ExportSummary:
    old = None if previous is None else _file(previous)
    return verify_export(_file(data), previous=old, trusted_key=trusted)


def _rejected(data: bytes, previous: bytes | None = None, trusted: str | None = None) -> bool:
    try:
        _verify(data, previous, trusted)
    except RecordVerificationError:
        return True
    return False


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


payloads = st.dictionaries(
    st.text(max_size=6),
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=10),
    ),
    max_size=4,
)
logs = st.lists(payloads, min_size=1, max_size=7).map(
    lambda ps: [make_entry(i, p) for i, p in enumerate(ps)]
)


# --- clean exports -----------------------------------------------------------------------------


@FAST
@given(st.lists(payloads, max_size=9))
def test_clean_exports_verify(ps: list[dict[str, object]]) -> None:
    entries = [make_entry(i, p) for i, p in enumerate(ps)]
    summary = _verify(export_bytes(entries))
    assert summary.size == len(entries)
    assert summary.root == mth(entries)
    assert summary.organisation == ORG and summary.origin == ORIGIN
    assert summary.key_name == "parrhesia.example"
    assert summary.describe().startswith(f"OK: demo, {len(entries)} entries, root ")


def test_format_layout() -> None:
    entries = make_entries(3)
    data = export_bytes(entries)
    lines = _lines(data)
    assert len(lines) == 5 and all(line.endswith(b"\n") for line in lines)
    header = json.loads(lines[0])
    assert header == {
        "format": "parrhesia-record/1",
        "organisation": ORG,
        "origin": ORIGIN,
        "verifier_key": VERIFIER,
    }
    assert lines[0] == header_line(ORG, ORIGIN, VERIFIER, version=1)
    assert [line[:-1] for line in lines[1:4]] == entries
    note = json.loads(lines[4])["checkpoint"]
    root64 = base64.b64encode(mth(entries)).decode()
    assert note.startswith(f"{ORIGIN}\n3\n{root64}\n\n\u2014 parrhesia.example ")
    assert lines[4] == checkpoint_line(note)
    assert [e.seq for e in iter_entries(_file(data))] == [0, 1, 2]


def test_writer_accepts_a_presigned_checkpoint_and_rejects_a_mismatch() -> None:
    entries = make_entries(4)
    good = sign_checkpoint(ORIGIN, 4, mth(entries), SIGNER)
    out = io.BytesIO()
    assert write_export(
        out,
        organisation=ORG,
        origin=ORIGIN,
        verifier_key=VERIFIER,
        entries=entries,
        checkpoint=good,
        version=1,
    ) == (4, mth(entries))
    assert out.getvalue() == export_bytes(entries)
    stale = sign_checkpoint(ORIGIN, 3, mth(entries[:3]), SIGNER)
    with pytest.raises(ValueError, match="does not match"):
        write_export(
            io.BytesIO(),
            organisation=ORG,
            origin=ORIGIN,
            verifier_key=VERIFIER,
            entries=entries,
            checkpoint=stale,
        )
    with pytest.raises(ValueError, match="seq"):
        export_bytes([entries[1]])
    with pytest.raises(ValueError, match="signer key does not match"):
        export_bytes(entries, signer=OTHER_SIGNER)
    with pytest.raises(ValueError, match="origin"):
        export_bytes(entries, origin="parrhesia.example/other")


def test_writer_streams_a_generator() -> None:
    def generate() -> Iterator[bytes]:
        for i in range(1000):
            yield make_entry(i)

    out = io.BytesIO()
    size, root = write_export(
        out,
        organisation=ORG,
        origin=ORIGIN,
        verifier_key=VERIFIER,
        entries=generate(),
        signer_key=SIGNER,
    )
    assert size == 1000 and root == MerkleTree(make_entry(i) for i in range(1000)).root()
    assert _verify(out.getvalue()).size == 1000


# --- tampering ---------------------------------------------------------------------------------


@FAST
@given(logs, st.data())
def test_changed_byte_is_detected(entries: list[bytes], data: st.DataObject) -> None:
    clean = export_bytes(entries)
    position = data.draw(st.integers(min_value=0, max_value=len(clean) - 1))
    value = data.draw(
        st.integers(min_value=0, max_value=255).filter(lambda b: b != clean[position])
    )
    tampered = clean[:position] + bytes([value]) + clean[position + 1 :]
    assert _rejected(tampered)


@FAST
@given(logs, st.data())
def test_deleted_duplicated_inserted_reordered_entries_are_detected(
    entries: list[bytes], data: st.DataObject
) -> None:
    lines = _lines(export_bytes(entries))
    body = list(range(1, len(lines) - 1))  # entry line indexes
    i = data.draw(st.sampled_from(body))
    deleted = lines[:i] + lines[i + 1 :]
    duplicated = lines[: i + 1] + [lines[i]] + lines[i + 1 :]
    forged = (
        make_entry(
            data.draw(st.integers(min_value=0, max_value=len(entries) + 1)), {"forged": True}
        )
        + b"\n"
    )
    j = data.draw(st.integers(min_value=1, max_value=len(lines) - 1))
    inserted = lines[:j] + [forged] + lines[j:]
    for mutated in (deleted, duplicated, inserted):
        assert _rejected(b"".join(mutated))
    if len(body) > 1:
        k = data.draw(st.sampled_from([b for b in body if b != i]))
        swapped = list(lines)
        swapped[i], swapped[k] = swapped[k], swapped[i]
        assert _rejected(b"".join(swapped))


@FAST
@given(logs, st.data())
def test_truncated_file_is_detected(entries: list[bytes], data: st.DataObject) -> None:
    clean = export_bytes(entries)
    cut = data.draw(st.integers(min_value=0, max_value=len(clean) - 1))
    assert _rejected(clean[:cut])


@FAST
@given(logs, st.data())
def test_changed_checkpoint_is_detected(entries: list[bytes], data: st.DataObject) -> None:
    lines = _lines(export_bytes(entries))
    n = len(entries)
    size = data.draw(st.integers(min_value=0, max_value=n + 3).filter(lambda s: s != n))
    # a correctly signed checkpoint for another size, or for this size but another root
    wrong_size = sign_checkpoint(ORIGIN, size, mth(entries[:size]), SIGNER)
    wrong_root = sign_checkpoint(ORIGIN, n, mth([b"x", *entries[1:]]), SIGNER)
    wrong_origin = sign_checkpoint("parrhesia.example/other", n, mth(entries), SIGNER)
    for note in (wrong_size, wrong_root, wrong_origin):
        assert _rejected(b"".join(lines[:-1]) + checkpoint_line(note))
    # re-signed with another key, header unchanged
    other = sign_checkpoint(ORIGIN, n, mth(entries), OTHER_SIGNER)
    assert _rejected(b"".join(lines[:-1]) + checkpoint_line(other))
    # no checkpoint at all, or a checkpoint in the middle
    assert _rejected(b"".join(lines[:-1]))
    assert _rejected(b"".join([lines[0], lines[-1], *lines[1:]]))


@FAST
@given(logs, st.data())
def test_rewritten_suffix_resigned_with_another_key(
    entries: list[bytes], data: st.DataObject
) -> None:
    """An attacker rewrites entries from ``i`` on, recomputes every hash and signs with their
    own key. Keeping the header key fails; replacing the header key is caught by a pinned key
    or by an older export."""
    i = data.draw(st.integers(min_value=0, max_value=len(entries) - 1))
    rewritten = entries[:i] + [make_entry(s, {"rewritten": s}) for s in range(i, len(entries))]
    older = export_bytes(entries[: i + 1] if data.draw(st.booleans()) else entries[:i])
    # the attacker's file, with their key in the header: self-consistent on its own
    forged = export_bytes(rewritten, signer=OTHER_SIGNER, verifier=OTHER_VERIFIER)
    assert _verify(forged).size == len(entries)
    assert _rejected(forged, trusted=VERIFIER)
    assert _rejected(forged, previous=older)
    # with the original header key kept, it fails on its own
    kept_header = _lines(export_bytes(entries))[0]
    assert _rejected(kept_header + b"".join(_lines(forged)[1:]))


@FAST
@given(logs, st.data())
def test_rewritten_history_with_the_right_key_is_caught_by_previous(
    entries: list[bytes], data: st.DataObject
) -> None:
    old_size = data.draw(st.integers(min_value=1, max_value=len(entries)))
    older = export_bytes(entries[:old_size])
    assert _verify(export_bytes(entries), previous=older).previous_size == old_size
    i = data.draw(st.integers(min_value=0, max_value=old_size - 1))
    history = list(entries)
    history[i] = make_entry(i, {"history": "rewritten"})
    assume(history[i] != entries[i])
    newer = export_bytes(history + make_entries(2)[:0])
    assert _verify(newer).size == len(entries)  # valid on its own: signed with the right key
    with pytest.raises(RecordVerificationError, match="history was rewritten") as error:
        _verify(newer, previous=older)
    assert error.value.line == i + 2
    # a newer export shorter than the older one
    if old_size > 1:
        assert _rejected(export_bytes(entries[: old_size - 1]), previous=older)


def test_previous_export_is_checked_too() -> None:
    entries = make_entries(5)
    older = bytearray(export_bytes(entries[:3]))
    older[len(older) // 2] ^= 1
    with pytest.raises(RecordVerificationError) as error:
        _verify(export_bytes(entries), previous=bytes(older))
    assert "export-" in str(error.value.path)


def test_previous_of_another_origin_is_rejected() -> None:
    entries = make_entries(3)
    other = export_bytes(entries, organisation="other", origin="parrhesia.example/other")
    with pytest.raises(RecordVerificationError, match="origin"):
        _verify(export_bytes(entries), previous=other)


def test_consistency_proof_captured_between_checkpoints() -> None:
    entries = make_entries(37)
    summary = _verify(export_bytes(entries), previous=export_bytes(entries[:13]))
    assert summary.previous_size == 13 and summary.captured
    assert summary.describe().endswith("(13 entries) consistently")


# --- key rotation ------------------------------------------------------------------------------


def _rotated_log() -> list[bytes]:
    entries = make_entries(3)
    entries.append(rotation_entry(3, SIGNER, THIRD_VERIFIER))
    entries.append(make_entry(4))
    return entries


def test_key_rotation_is_accepted_when_endorsed() -> None:
    entries = _rotated_log()
    older = export_bytes(entries[:3])
    newer = export_bytes(entries, signer=THIRD_SIGNER, verifier=THIRD_VERIFIER)
    summary = _verify(newer, previous=older, trusted=VERIFIER)
    assert summary.rotations == 1 and summary.key_name == "rotated.example"
    assert _verify(newer, trusted=THIRD_VERIFIER).size == 5


def test_key_rotation_rules() -> None:
    entries = _rotated_log()
    # after a rotation, the header must carry the new key
    with pytest.raises(RecordVerificationError, match="not the key announced"):
        _verify(export_bytes(entries))
    # a rotation not endorsed by the previous key (the attacker signs it with their own key)
    forged = make_entries(3) + [rotation_entry(3, OTHER_SIGNER, THIRD_VERIFIER), make_entry(4)]
    with pytest.raises(RecordVerificationError, match="previous export"):
        _verify(
            export_bytes(forged, signer=THIRD_SIGNER, verifier=THIRD_VERIFIER),
            previous=export_bytes(make_entries(3)),
        )
    # a broken chain
    broken = entries + [rotation_entry(5, OTHER_SIGNER, VERIFIER)]
    with pytest.raises(RecordVerificationError, match="previous key is not"):
        _verify(export_bytes(broken))
    # a tampered endorsement
    payload_line = rotation_entry(3, SIGNER, THIRD_VERIFIER)
    value = json.loads(payload_line)
    value["payload"]["endorsement"] = base64.b64encode(b"\x00" * 64).decode()
    bad = [*make_entries(3), canonical_json(value)]
    with pytest.raises(RecordVerificationError, match="not endorsed"):
        _verify(export_bytes(bad, signer=THIRD_SIGNER, verifier=THIRD_VERIFIER))
    # an export signed with a new key but no rotation entry after the older export
    with pytest.raises(RecordVerificationError, match="another key"):
        _verify(
            export_bytes(make_entries(4), signer=THIRD_SIGNER, verifier=THIRD_VERIFIER),
            previous=export_bytes(make_entries(3)),
        )


# --- malformed files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (b"", None, "empty file"),
        (b"not json\n", 1, "not JSON"),
        (b"\xff\xfe\n", 1, "not UTF-8"),
        (b'{"a": 1}\n', 1, "not canonical"),
        (b'{"format":"parrhesia-record/3"}\n', 1, "unsupported format"),
        (b'{"format":"parrhesia-record/1"}\n', 1, "exactly the keys"),
        (b"[]\n", 1, "no format"),
    ],
)
def test_malformed_files(content: bytes, line: int | None, message: str) -> None:
    with pytest.raises(RecordVerificationError, match=message) as error:
        _verify(content)
    assert error.value.line == line


def test_header_only_and_entry_errors() -> None:
    data = export_bytes(make_entries(2))
    lines = _lines(data)
    with pytest.raises(RecordVerificationError, match="no checkpoint line") as error:
        _verify(lines[0])
    assert error.value.line == 1
    with pytest.raises(RecordVerificationError, match="truncated") as error:
        _verify(data[:-1])
    with pytest.raises(RecordVerificationError, match="last line is an entry"):
        _verify(b"".join(lines[:-1]))
    spaced = lines[1].replace(b'"seq":', b'"seq": ')
    with pytest.raises(RecordVerificationError, match="not canonical") as error:
        _verify(b"".join([lines[0], spaced, *lines[2:]]))
    assert error.value.line == 2
    with pytest.raises(RecordVerificationError, match="seq 1 where 0") as error:
        _verify(b"".join([lines[0], lines[2], lines[1], lines[3]]))
    assert error.value.line == 2


def test_missing_and_directory_paths() -> None:
    with pytest.raises(RecordVerificationError, match="no such file"):
        verify_export(os.path.join(_DIR.name, "missing.jsonl"))
    with pytest.raises(RecordVerificationError, match="directory"):
        verify_export(_DIR.name)


def test_golden_example_from_docs() -> None:
    """docs/record.md's example file, signed with the public Go sumdb/note test key."""
    path = os.path.join(os.path.dirname(__file__), "data", "example.jsonl")
    summary = verify_export(
        path, trusted_key="PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    )
    assert summary.size == 2
    assert summary.root.hex() == "db42b118a4e8f235c10263be23f4dba10227ce89ac9cd8090f8e9256fa8d6281"
