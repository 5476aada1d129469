"""C2SP signed notes and tlog-checkpoints, against golang.org/x/mod/sumdb/note vectors."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from parrhesia.methods.record.checkpoint import (
    CheckpointError,
    Signer,
    Verifier,
    checkpoint_body,
    generate_signer,
    key_hash,
    open_checkpoint,
    open_note,
    parse_checkpoint_body,
    sign_checkpoint,
    sign_note,
    verifier_from_signer,
)

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "go_sumdb_note_vectors.json").read_text()
)
SKEY: str = VECTORS["signer_key"]
VKEY: str = VECTORS["verifier_key"]
TEXT: str = VECTORS["text"]
SIGNED: str = VECTORS["signed"]
PETER_SIG = SIGNED[len(TEXT) + 1 :]
ENOCH_KEY: str = VECTORS["other_verifier_key"]
ENOCH_SIG: str = VECTORS["other_signature_line"]


def test_go_keys_parse_and_match() -> None:
    verifier = Verifier.parse(VKEY)
    assert verifier.name == "PeterNeumann" and verifier.hash == 0xC74F20A3
    assert verifier.text() == VKEY
    signer = Signer.parse(SKEY)
    assert signer.text() == SKEY
    assert verifier_from_signer(SKEY) == VKEY
    assert key_hash("PeterNeumann", b"\x01" + verifier.public_key) == 0xC74F20A3
    assert Verifier.parse(ENOCH_KEY).name == "EnochRoot"


def test_go_sign_vector() -> None:
    assert sign_note(TEXT, SKEY) == SIGNED
    assert open_note(SIGNED, VKEY).text == TEXT


def test_go_verifier_key_manglings_rejected() -> None:
    """TestNewVerifier: every proper substring and every single-byte increment fails."""
    raw = VKEY.encode()
    rejected = 0
    for i in range(len(raw) + 1):
        for j in range(i + 1, len(raw) + 1):
            if (i, j) != (0, len(raw)):
                with pytest.raises(CheckpointError):
                    Verifier.parse(raw[i:j].decode())
                rejected += 1
    for i in range(len(raw)):
        mangled = raw[:i] + bytes([raw[i] + 1]) + raw[i + 1 :]
        with pytest.raises(CheckpointError):
            Verifier.parse(mangled.decode())
    for bad in VECTORS["bad_verifier_keys"]:
        with pytest.raises(CheckpointError):
            Verifier.parse(bad)
    assert rejected > 1000


def test_go_signer_key_manglings_rejected() -> None:
    raw = SKEY.encode()
    for i in range(len(raw) + 1):
        for j in range(i + 1, len(raw) + 1, 7):
            if (i, j) != (0, len(raw)):
                with pytest.raises(CheckpointError):
                    Signer.parse(raw[i:j].decode())
    for i in range(len(raw)):
        mangled = raw[:i] + bytes([raw[i] + 1]) + raw[i + 1 :]
        with pytest.raises(CheckpointError):
            Signer.parse(mangled.decode())


def test_go_open_vectors() -> None:
    """TestOpen: unknown signatures are skipped; a bad signature by the key is an error."""
    opened = open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, VKEY)
    assert opened.text == TEXT and opened.key_name == "PeterNeumann"
    assert open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, ENOCH_KEY).key_name == "EnochRoot"
    with pytest.raises(CheckpointError, match="no signature by key"):
        open_note(TEXT + "\n" + ENOCH_SIG, VKEY)
    with pytest.raises(CheckpointError, match="too many"):
        open_note(TEXT + "\n" + PETER_SIG * 101, VKEY)
    with pytest.raises(CheckpointError, match="invalid signature for key PeterNeumann"):
        open_note(TEXT + "\n" + PETER_SIG[:60] + "ABCD" + PETER_SIG[60:], VKEY)
    bad_messages = [
        TEXT,
        TEXT + "\n",
        TEXT + "\n" + PETER_SIG[:-1],
        "\x01" + TEXT + "\n" + PETER_SIG,
        TEXT + "\n" + "\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2p"
        "ZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
        TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
    ]
    for message in bad_messages:
        with pytest.raises(CheckpointError):
            open_note(message, VKEY)
    # a different text under Peter's signature
    with pytest.raises(CheckpointError, match="invalid signature"):
        open_note(TEXT.replace("answer", "question") + "\n" + PETER_SIG, VKEY)


def test_generate_sign_open_checkpoint_round_trip() -> None:
    skey, vkey = generate_signer("parrhesia.example/demo")
    assert verifier_from_signer(skey) == vkey
    root = bytes(range(32))
    note = sign_checkpoint("parrhesia.example/record/demo", 42, root, skey)
    body = "parrhesia.example/record/demo\n42\n" + base64.b64encode(root).decode() + "\n"
    assert note.startswith(body + "\n\u2014 parrhesia.example/demo ")
    checkpoint = open_checkpoint(note, vkey)
    assert (checkpoint.origin, checkpoint.size, checkpoint.root) == (
        "parrhesia.example/record/demo",
        42,
        root,
    )
    assert checkpoint.key_name == "parrhesia.example/demo"
    _, other = generate_signer("parrhesia.example/demo")
    with pytest.raises(CheckpointError):
        open_checkpoint(note, other)  # same name, other key: hash differs, no signature


def test_checkpoint_body_parsing() -> None:
    root = b"\x07" * 32
    assert parse_checkpoint_body(checkpoint_body("o", 0, root)) == ("o", 0, root)
    assert parse_checkpoint_body(checkpoint_body("o", 5, root) + "extension\n") == ("o", 5, root)
    r64 = base64.b64encode(root).decode()
    for bad in [
        "o\n5\n",
        f"\n5\n{r64}\n",
        f"o\n05\n{r64}\n",
        f"o\n-1\n{r64}\n",
        f"o\n5\n{r64}",
        "o\n5\nAAAA\n",
        f"o\n5\n{r64[:-1]}\n",
        f"o\n5 \n{r64}\n",
    ]:
        with pytest.raises(CheckpointError):
            parse_checkpoint_body(bad)
    with pytest.raises(CheckpointError):
        checkpoint_body("two\nlines", 1, root)
    with pytest.raises(CheckpointError):
        generate_signer("bad name")
    with pytest.raises(CheckpointError):
        generate_signer("a+b")


def test_checkpoint_signed_by_wrong_key_is_rejected() -> None:
    skey, vkey = generate_signer("a")
    other_skey, _ = generate_signer("a")
    note = sign_checkpoint("o", 1, b"\x00" * 32, other_skey)
    with pytest.raises(CheckpointError, match="no signature"):
        open_checkpoint(note, vkey)
    good = sign_checkpoint("o", 1, b"\x00" * 32, skey)
    tampered = good.replace("\n1\n", "\n2\n", 1)
    with pytest.raises(CheckpointError, match="invalid signature"):
        open_checkpoint(tampered, vkey)
