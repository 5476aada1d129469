"""The parrhesia-record/2 export: sealed values (salted commitments) with their openings, and
erasure that leaves the record verifiable (docs/record.md §6)."""

from __future__ import annotations

import io
import itertools
import json
import os
import tempfile
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parrhesia.methods.record.canonical import entry_bytes, parse_entry
from parrhesia.methods.record.export import (
    RecordVerificationError,
    entry_line,
    iter_entries,
    write_export,
)
from parrhesia.methods.record.merkle import mth
from parrhesia.methods.record.sealed import (
    Sealed,
    check_openings,
    commitment_of,
    pointer_get,
    seal_payload,
)
from parrhesia.methods.record.verify import ExportSummary, verify_export

from .factory import ORG, ORIGIN, SIGNER, VERIFIER, export_bytes, make_entries, make_entry
from .test_export import FAST

TIME = "2026-12-06T06:00:00.000000Z"
_DIR = tempfile.TemporaryDirectory(prefix="parrhesia-record-v2-tests-")
_COUNTER = itertools.count()


def _file(data: bytes) -> str:
    path = os.path.join(_DIR.name, f"export-{next(_COUNTER)}.jsonl")
    with open(path, "wb") as fp:
        fp.write(data)
    return path


def _verify(data: bytes) -> ExportSummary:
    return verify_export(_file(data))


def sealed_entry(
    seq: int, payload: dict[str, Any], action: str = "case.opened"
) -> tuple[bytes, dict[str, Any]]:
    """An entry whose payload may hold Sealed values: (leaf bytes, openings as exported)."""
    leaf_payload, plain, salts = seal_payload(payload)
    leaf = entry_bytes(seq, TIME, 1, action, "case", seq, leaf_payload)
    document = {"payload": plain}
    openings = {}
    for pointer, salt in salts.items():
        openings[pointer] = {"salt": salt, "value": pointer_get(document, pointer)}
    return leaf, openings


def v2(entries: list[bytes | tuple[bytes, dict[str, Any]]]) -> bytes:
    out = io.BytesIO()
    write_export(
        out,
        organisation=ORG,
        origin=ORIGIN,
        verifier_key=VERIFIER,
        entries=entries,
        signer_key=SIGNER,
    )
    return out.getvalue()


def redaction(seq: int, erased: list[tuple[int, str]]) -> bytes:
    return entry_bytes(
        seq,
        TIME,
        2,
        "record.redacted",
        "case",
        1,
        {"erased": [{"seq": s, "pointer": p} for s, p in erased], "grounds": "verdict", "case": 1},
    )


def test_commitment_vector() -> None:
    """The value docs/record.md §6 gives, for independent verifiers."""
    assert commitment_of(bytes([1]) * 32, "Flat 12, block A") == (
        "7I8SlUHidCJvYlpqHCTHvKMAQxkPvRofouiPtD2LkWs="
    )


def test_a_sealed_value_is_not_in_the_leaf_but_in_its_opening() -> None:
    leaf, openings = sealed_entry(0, {"evidence": Sealed("Flat 12, block A"), "rules": [3]})
    assert b"Flat 12" not in leaf
    data = v2([(leaf, openings)])
    lines = data.splitlines()
    assert json.loads(lines[0])["format"] == "parrhesia-record/2"
    assert lines[1] == entry_line(leaf, openings)
    assert json.loads(lines[1])["openings"]["/payload/evidence"]["value"] == "Flat 12, block A"
    summary = _verify(data)
    assert summary.size == 1 and summary.root == mth([leaf])
    [entry] = iter_entries(_file(data))
    assert entry.payload == {"evidence": "Flat 12, block A", "rules": [3]}


def test_an_erased_value_leaves_the_record_verifiable_with_the_same_root() -> None:
    leaf, openings = sealed_entry(1, {"description": Sealed("her address is 3 rue X"), "n": 1})
    entries = [make_entry(0), leaf, redaction(2, [(1, "/payload/description")])]
    disclosed = v2([entries[0], (leaf, openings), entries[2]])
    erased = v2([entries[0], (leaf, {"/payload/description": {"redacted": {"by": 2}}}), entries[2]])
    assert b"3 rue X" not in erased
    # an entry that says it erased a value, in an export still disclosing it, is caught
    with pytest.raises(RecordVerificationError, match="still discloses"):
        _verify(disclosed)
    summary = _verify(erased)
    assert summary.root == mth(entries)
    # the erasure changes no leaf: same root, same signed checkpoint
    assert erased.splitlines()[-1] == disclosed.splitlines()[-1]
    payload = list(iter_entries(_file(erased)))[1].payload
    assert payload == {"description": {"$redacted": 2}, "n": 1}


def test_an_erasure_must_be_on_the_record() -> None:
    leaf, _ = sealed_entry(1, {"text": Sealed("secret")})
    unexplained: list[bytes | tuple[bytes, dict[str, Any]]] = [
        make_entry(0),
        (leaf, {"/payload/text": {"redacted": {"by": 2}}}),
        make_entry(2),
    ]
    with pytest.raises(RecordVerificationError, match="not the record.redacted entry"):
        _verify(v2(unexplained))
    boolean: list[bytes | tuple[bytes, dict[str, Any]]] = [
        make_entry(0),
        (leaf, {"/payload/text": {"redacted": {"by": True}}}),
    ]
    with pytest.raises(ValueError, match="later entry"):  # true is no seq
        v2(boolean)
    with pytest.raises(ValueError, match="later entry"):  # the writer checks openings too
        v2([make_entry(0), (leaf, {"/payload/text": {"redacted": {"by": 0}}})])


@pytest.mark.parametrize(
    "tamper, message",
    [
        (lambda o: {"/payload/text": {**o["/payload/text"], "value": "other"}}, "does not match"),
        (
            lambda o: {"/payload/text": {**o["/payload/text"], "salt": "A" * 43 + "="}},
            "does not match",
        ),
        (lambda o: {}, "missing"),
        (lambda o: {**o, "/payload/n": {"salt": o["/payload/text"]["salt"], "value": 1}}, "extra"),
        (lambda o: {"/payload/text": {"value": "x"}}, "an opening is"),
        (lambda o: {"/payload/text": {"salt": "short", "value": "x"}}, "salt"),
    ],
)
def test_a_tampered_opening_is_caught(tamper: Any, message: str) -> None:
    leaf, openings = sealed_entry(0, {"text": Sealed("what was said"), "n": 1})
    good = v2([(leaf, openings)]).splitlines(keepends=True)
    bad = entry_line(leaf, tamper(openings)) + b"\n"
    with pytest.raises(RecordVerificationError, match=message) as error:
        _verify(good[0] + bad + good[2])
    assert error.value.line == 2


def test_a_v2_export_extends_a_v1_export_and_an_erasure_extends_a_disclosure(tmp_path: Any) -> None:
    plain = make_entries(4)
    old_v1 = _file(export_bytes(plain, version=1))
    assert verify_export(_file(v2(list(plain))), previous=old_v1).size == 4
    leaf, openings = sealed_entry(4, {"text": Sealed("name and phone")})
    disclosed = v2([*plain, (leaf, openings)])
    erased = v2(
        [
            *plain,
            (leaf, {"/payload/text": {"redacted": {"by": 5}}}),
            redaction(5, [(4, "/payload/text")]),
        ]
    )
    summary = verify_export(_file(erased), previous=_file(disclosed))
    assert summary.size == 6 and summary.previous_size == 5
    # a v1 previous file still anchors a v2 file that erased a value
    assert verify_export(_file(erased), previous=old_v1).size == 6


def test_a_v1_export_cannot_carry_sealed_values() -> None:
    leaf, openings = sealed_entry(0, {"text": Sealed("x")})
    with pytest.raises(ValueError, match="sealed values"):
        export_bytes([leaf], version=1)


def test_reserved_member_names_are_refused() -> None:
    with pytest.raises(ValueError, match="reserved"):
        seal_payload({"$commitment": "x"})


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**53) + 1, 2**53 - 1), st.text(max_size=8)),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3)
    ),
    max_leaves=6,
)


@FAST
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=5).filter(lambda k: not k.startswith("$")),
        st.tuples(st.booleans(), json_values),
        max_size=4,
    )
)
def test_any_payload_seals_and_opens_to_itself(fields: dict[str, tuple[bool, Any]]) -> None:
    payload = {key: Sealed(value) if sealed else value for key, (sealed, value) in fields.items()}
    leaf, openings = sealed_entry(0, payload)
    entry = parse_entry(leaf).to_json()
    assert check_openings(0, entry, openings) == {}
    data = v2([(leaf, openings)])
    [opened] = iter_entries(_file(data))
    assert opened.payload == {key: value for key, (_, value) in fields.items()}


def test_a_redaction_entry_lists_only_earlier_entries() -> None:
    with pytest.raises(RecordVerificationError, match="not an earlier entry") as error:
        _verify(v2([make_entry(0), redaction(1, [(1, "/payload/erased")])]))
    assert error.value.line == 3
    with pytest.raises(RecordVerificationError, match="must list"):
        _verify(v2([make_entry(0), redaction(1, [])]))


def test_the_command_verifies_a_redacted_v2_export_against_the_disclosed_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from parrhesia.cli import main

    leaf, openings = sealed_entry(1, {"text": Sealed("Flat 12, block A")})
    disclosed = _file(v2([make_entry(0), (leaf, openings)]))
    redacted = _file(
        v2(
            [
                make_entry(0),
                (leaf, {"/payload/text": {"redacted": {"by": 2}}}),
                redaction(2, [(1, "/payload/text")]),
            ]
        )
    )
    assert main(["record", "verify", redacted, "--previous", disclosed, "--key", VERIFIER]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: demo, 3 entries") and "extends" in out
    forged = open(disclosed, "rb").read().replace(b"Flat 12", b"Flat 21")
    assert main(["record", "verify", _file(forged)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "does not match its commitment" in err


def test_reserved_names_cannot_pass_for_an_erasure_or_a_commitment() -> None:
    plain = entry_bytes(0, TIME, 1, "motion.adopted", "motion", 1, {"text": {"$redacted": 1}})
    with pytest.raises(ValueError, match="reserved"):
        v2([plain])  # the writer refuses it, and so does the verifier:
    line = entry_line(plain, {}) + b"\n"
    good = v2([make_entry(0)]).splitlines(keepends=True)
    with pytest.raises(RecordVerificationError, match="reserved"):
        _verify(good[0] + line + good[2])
    leaf, openings = sealed_entry(0, {"text": Sealed("x")})
    with pytest.raises(ValueError, match="reserved"):
        sealed_entry(0, {"text": Sealed({"$redacted": 1})})
    salt = openings["/payload/text"]["salt"]
    assert check_openings(0, parse_entry(leaf).to_json(), openings) == {}
    with pytest.raises(ValueError, match="reserved"):
        check_openings(
            0,
            parse_entry(leaf).to_json(),
            {"/payload/text": {"salt": salt, "value": {"$redacted": 1}}},
        )


def test_the_published_v2_example_verifies_and_opens() -> None:
    """docs/record.md §6's example: a disclosed statement, an erased case description."""
    path = os.path.join(os.path.dirname(__file__), "data", "example-v2.jsonl")
    summary = verify_export(
        path, trusted_key="PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    )
    assert summary.size == 4
    payloads = [entry.payload for entry in iter_entries(path)]
    assert payloads[1]["text"] == "Lifts are broken again"
    assert payloads[2]["description"] == {"$redacted": 3}
    with open(path, "rb") as handle:
        assert b"Flat 12" not in handle.read()
