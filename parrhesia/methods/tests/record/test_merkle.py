"""RFC 9162 §2.1 Merkle tree: public vectors, negative probes, storage interface, oracle."""

from __future__ import annotations

import base64
import hashlib
import json
import random
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parrhesia.methods.record.merkle import (
    EMPTY_ROOT,
    CompactRange,
    MerkleTree,
    MissingNodeError,
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    mth,
    needed_for_append,
    needed_for_consistency,
    needed_for_inclusion,
    needed_for_root,
    node_hash,
    nodes_to_store_on_append,
    root_from_nodes,
    verify_consistency,
    verify_inclusion,
)

DATA = Path(__file__).parent / "data"
VECTORS: dict[str, Any] = json.loads((DATA / "transparency_dev_merkle_vectors.json").read_text())
LEAVES = [bytes.fromhex(h) for h in VECTORS["leaves_hex"]]
ROOTS = [bytes.fromhex(h) for h in VECTORS["roots_hex"]]
SOME_HASH = bytes.fromhex(VECTORS["some_hash_hex"])
EMPTY_HASH = bytes.fromhex(VECTORS["empty_root_hex"])


def _fails(check: Callable[[], None]) -> bool:
    try:
        check()
    except (ProofError, ValueError):
        return True
    return False


# --- known answers -----------------------------------------------------------------------------


def test_empty_and_single_leaf_hashes() -> None:
    assert EMPTY_ROOT == EMPTY_HASH == hashlib.sha256(b"").digest()
    assert leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()
    assert root_from_nodes(0, {}) == EMPTY_ROOT
    assert mth([]) == EMPTY_ROOT


@pytest.mark.parametrize("size", range(1, 9))
def test_roots_of_reference_tree(size: int) -> None:
    tree = MerkleTree(LEAVES)
    assert mth(LEAVES[:size]) == ROOTS[size - 1]
    assert tree.root(size) == ROOTS[size - 1]
    stream = CompactRange()
    for leaf in LEAVES[:size]:
        stream.append(leaf_hash(leaf))
    assert stream.root() == ROOTS[size - 1]


def _inclusion_probes(
    index: int, size: int, proof: list[bytes], root: bytes, leaf: bytes
) -> list[tuple[str, int, int, list[bytes], bytes, bytes]]:
    """corruptInclusionProof of transparency-dev/merkle proof/verify_test.go."""
    probes = [
        ("index - 1", index - 1, size, proof, root, leaf),
        ("index + 1", index + 1, size, proof, root, leaf),
        ("index ^ 2", index ^ 2, size, proof, root, leaf),
        ("size * 2", index, size * 2, proof, root, leaf),
        ("size / 2", index, size // 2, proof, root, leaf),
        ("wrong leaf", index, size, proof, root, b"WrongLeaf"),
        ("empty root", index, size, proof, EMPTY_HASH, leaf),
        ("random root", index, size, proof, SOME_HASH, leaf),
        ("trailing garbage", index, size, [*proof, b""], root, leaf),
        ("trailing root", index, size, [*proof, root], root, leaf),
        ("preceding garbage", index, size, [b"", *proof], root, leaf),
        ("preceding root", index, size, [root, *proof], root, leaf),
    ]
    for i in range(len(proof)):
        wrong = list(proof)
        wrong[i] = bytes([wrong[i][0] ^ 8]) + wrong[i][1:]
        probes.append((f"modified proof[{i}] bit 3", index, size, wrong, root, leaf))
    if proof:
        probes.append(("removed component", index, size, proof[:-1], root, leaf))
    if len(proof) > 1:
        probes.append(
            ("inserted component", index, size, [proof[0], SOME_HASH, *proof[1:]], root, leaf)
        )
    return probes


@pytest.mark.parametrize("vector", VECTORS["inclusion"], ids=lambda v: f"{v['leaf']}-{v['size']}")
def test_inclusion_vectors(vector: dict[str, Any]) -> None:
    index, size = vector["leaf"] - 1, vector["size"]
    proof = [bytes.fromhex(h) for h in vector["proof_hex"]]
    root, leaf = ROOTS[size - 1], leaf_hash(LEAVES[index])
    tree = MerkleTree(LEAVES)
    assert tree.inclusion_proof(index, size) == proof
    verify_inclusion(leaf, index, size, proof, root)
    wrongly_accepted = [
        desc
        for desc, i, n, p, r, lh in _inclusion_probes(index, size, proof, root, leaf)
        if not _fails(partial(verify_inclusion, lh, i, n, p, r))
    ]
    assert wrongly_accepted == []


def test_inclusion_single_entry_and_bad_positions() -> None:
    h = leaf_hash(b"data")
    verify_inclusion(h, 0, 1, [], h)
    assert _fails(lambda: verify_inclusion(b"", 0, 1, [], h))
    assert _fails(lambda: verify_inclusion(h, 0, 1, [], b""))
    for index, size in [(0, 0), (1, 0), (2, 1)]:
        assert _fails(partial(verify_inclusion, SOME_HASH, index, size, [], EMPTY_HASH))
    with pytest.raises(ProofError):
        needed_for_inclusion(3, 3)


def _consistency_probes(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: list[bytes]
) -> list[tuple[str, int, int, bytes, bytes, list[bytes]]]:
    """corruptConsistencyProof of transparency-dev/merkle proof/verify_test.go."""
    probes = [
        ("size1 - 1", size1 - 1, size2, root1, root2, proof),
        ("size1 + 1", size1 + 1, size2, root1, root2, proof),
        ("size1 ^ 2", size1 ^ 2, size2, root1, root2, proof),
        ("size2 * 2", size1, size2 * 2, root1, root2, proof),
        ("size2 / 2", size1, size2 // 2, root1, root2, proof),
        ("wrong root1", size1, size2, b"WrongRoot", root2, proof),
        ("wrong root2", size1, size2, root1, b"WrongRoot", proof),
        ("swapped roots", size1, size2, root2, root1, proof),
        ("empty proof", size1, size2, root1, root2, []),
        ("trailing garbage", size1, size2, root1, root2, [*proof, b""]),
        ("trailing root1", size1, size2, root1, root2, [*proof, root1]),
        ("trailing root2", size1, size2, root1, root2, [*proof, root2]),
        ("preceding garbage", size1, size2, root1, root2, [b"", *proof]),
        ("preceding root1", size1, size2, root1, root2, [root1, *proof]),
        ("preceding root2", size1, size2, root1, root2, [root2, *proof]),
        ("preceding proof[0]", size1, size2, root1, root2, [proof[0], *proof]),
        ("truncated proof", size1, size2, root1, root2, proof[:-1]),
    ]
    for i in range(len(proof)):
        wrong = list(proof)
        wrong[i] = bytes([wrong[i][0] ^ 16]) + wrong[i][1:]
        probes.append((f"modified proof[{i}] bit 4", size1, size2, root1, root2, wrong))
    return probes


@pytest.mark.parametrize(
    "vector", VECTORS["consistency"], ids=lambda v: f"{v['size1']}-{v['size2']}"
)
def test_consistency_vectors(vector: dict[str, Any]) -> None:
    size1, size2 = vector["size1"], vector["size2"]
    proof = [bytes.fromhex(h) for h in vector["proof_hex"]]
    root1, root2 = ROOTS[size1 - 1], ROOTS[size2 - 1]
    assert MerkleTree(LEAVES).consistency_proof(size1, size2) == proof
    verify_consistency(size1, size2, root1, root2, proof)
    if not proof:
        return
    wrongly_accepted = [
        desc
        for desc, m, n, r1, r2, p in _consistency_probes(size1, size2, root1, root2, proof)
        if not _fails(partial(verify_consistency, m, n, r1, r2, p))
    ]
    assert wrongly_accepted == []


@pytest.mark.parametrize(
    ("size1", "size2", "root1", "root2", "proof", "ok"),
    [
        (0, 0, b"don't care 1", b"don't care 2", [], False),
        (1, 1, b"don't care 1", b"don't care 2", [], False),
        (0, 0, b"don't care 1", b"don't care 1", [], True),
        (0, 1, b"don't care 1", b"don't care 2", [], True),
        (1, 1, b"don't care 2", b"don't care 2", [], True),
        (1, 0, b"don't care 1", b"don't care 2", [], False),
        (2, 1, b"don't care 1", b"don't care 2", [], False),
        (1, 2, b"don't care 1", b"don't care 2", [], False),
        (0, 0, EMPTY_HASH, b"don't care 2", [], False),
        (1, 1, EMPTY_HASH, b"don't care 2", [], False),
        (0, 0, EMPTY_HASH, EMPTY_HASH, [EMPTY_HASH], False),
        (0, 1, EMPTY_HASH, EMPTY_HASH, [EMPTY_HASH], False),
        (1, 1, EMPTY_HASH, EMPTY_HASH, [EMPTY_HASH], False),
    ],
)
def test_consistency_edge_cases(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: list[bytes], ok: bool
) -> None:
    """TestVerifyConsistency of transparency-dev/merkle proof/verify_test.go."""
    assert _fails(lambda: verify_consistency(size1, size2, root1, root2, proof)) is not ok


@pytest.mark.parametrize("case", VECTORS["testdata_files"], ids=lambda c: c["path"])
def test_transparency_dev_testdata_files(case: dict[str, Any]) -> None:
    data = case["json"]
    b = base64.b64decode
    proof = [b(p) for p in data["proof"]]
    if "leafIdx" in data:
        check: Callable[[], None] = lambda: verify_inclusion(  # noqa: E731
            b(data["leafHash"]), data["leafIdx"], data["treeSize"], proof, b(data["root"])
        )
    else:
        check = lambda: verify_consistency(  # noqa: E731
            data["size1"], data["size2"], b(data["root1"]), b(data["root2"]), proof
        )
    assert _fails(check) is data["wantErr"]


# --- storage interface vs. in-memory/recursive reference ---------------------------------------


def _entries(n: int, salt: int = 0) -> list[bytes]:
    return [f"entry {salt}:{i}".encode() for i in range(n)]


def _reference_path(m: int, data: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) written literally from RFC 9162 §2.1.3.1."""
    n = len(data)
    if n == 1:
        return []
    k = 1 << ((n - 1).bit_length() - 1)
    if m < k:
        return [*_reference_path(m, data[:k]), mth(data[k:])]
    return [*_reference_path(m - k, data[k:]), mth(data[:k])]


def _reference_subproof(m: int, data: list[bytes], b: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b) written literally from RFC 9162 §2.1.4.1."""
    n = len(data)
    if m == n:
        return [] if b else [mth(data)]
    k = 1 << ((n - 1).bit_length() - 1)
    if m <= k:
        return [*_reference_subproof(m, data[:k], b), mth(data[k:])]
    return [*_reference_subproof(m - k, data[k:], False), mth(data[:k])]


class _Recording(dict[tuple[int, int], bytes]):
    """A node store that records which keys were read."""

    def __init__(self, nodes: dict[tuple[int, int], bytes]) -> None:
        super().__init__(nodes)
        self.read: set[tuple[int, int]] = set()

    def __getitem__(self, key: tuple[int, int]) -> bytes:
        self.read.add(key)
        return super().__getitem__(key)


def _log2_bound(n: int) -> int:
    return 2 * max(1, n.bit_length()) + 2


def test_storage_interface_agrees_for_every_size_up_to_300() -> None:
    data = _entries(300)
    tree = MerkleTree(data)
    # every perfect node the appends stored is the MTH of its leaf range
    for (level, index), value in tree.nodes.items():
        assert value == mth(data[index << level : (index + 1) << level])
    assert len(tree.nodes) == 2 * 300 - bin(300).count("1")
    roots = [mth(data[:n]) for n in range(301)]
    for n in range(301):
        store = _Recording(tree.nodes)
        keys = needed_for_root(n)
        assert len(keys) <= n.bit_length()
        assert root_from_nodes(n, store) == roots[n]
        assert store.read == set(keys)
        assert len(needed_for_append(n)) <= n.bit_length()
    rng = random.Random(9162)
    for n in range(1, 301):
        indexes = range(n) if n <= 64 else rng.sample(range(n), 8)
        for m in indexes:
            store = _Recording(tree.nodes)
            proof = inclusion_proof(m, n, store)
            assert store.read == set(needed_for_inclusion(m, n))
            assert len(store.read) <= 2 * n.bit_length()
            if n <= 64:
                assert proof == _reference_path(m, data[:n])
            verify_inclusion(tree.nodes[(0, m)], m, n, proof, roots[n])
        olds = range(n + 1) if n <= 64 else [*rng.sample(range(n + 1), 8), 0, n]
        for m in olds:
            store = _Recording(tree.nodes)
            proof = consistency_proof(m, n, store)
            assert store.read == set(needed_for_consistency(m, n))
            assert len(store.read) <= _log2_bound(n) * 2
            if 0 < m < n and n <= 64:
                assert proof == _reference_subproof(m, data[:n], True)
            verify_consistency(m, n, roots[m], roots[n], proof)


def test_append_only_reads_needed_nodes() -> None:
    nodes: dict[tuple[int, int], bytes] = {}
    stream = CompactRange()
    for n, entry in enumerate(_entries(130)):
        store = _Recording(nodes)
        rows = nodes_to_store_on_append(n, leaf_hash(entry), store)
        assert store.read == set(needed_for_append(n))
        assert rows == stream.append(leaf_hash(entry))
        for level, index, value in rows:
            assert (level, index) not in nodes  # stored once, never rewritten
            nodes[(level, index)] = value
    with pytest.raises(MissingNodeError):
        nodes_to_store_on_append(3, leaf_hash(b"x"), {})
    with pytest.raises(ValueError):
        nodes_to_store_on_append(3, b"short", nodes)


def test_node_source_may_be_a_callable() -> None:
    tree = MerkleTree(_entries(21))
    assert root_from_nodes(21, tree.nodes.__getitem__) == tree.root()


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=301, max_value=5000), st.data())
def test_storage_interface_random_large_sizes(n: int, data: st.DataObject) -> None:
    entries = _entries(n, salt=n)
    tree = MerkleTree(entries)
    stream = CompactRange()
    for e in entries:
        stream.append(leaf_hash(e))
    assert stream.root() == tree.root() == mth(entries)
    m = data.draw(st.integers(min_value=0, max_value=n - 1))
    old = data.draw(st.integers(min_value=0, max_value=n))
    assert len(needed_for_inclusion(m, n)) <= 2 * n.bit_length()
    assert len(needed_for_consistency(old, n)) <= 4 * n.bit_length()
    verify_inclusion(leaf_hash(entries[m]), m, n, tree.inclusion_proof(m), tree.root())
    verify_consistency(old, n, mth(entries[:old]), tree.root(), tree.consistency_proof(old))


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=200), st.data())
def test_proofs_fail_for_wrong_positions(n: int, data: st.DataObject) -> None:
    tree = MerkleTree(_entries(n))
    m = data.draw(st.integers(min_value=0, max_value=n - 1))
    other = data.draw(st.integers(min_value=0, max_value=n - 1).filter(lambda x: x != m))
    if n > 1:
        proof = tree.inclusion_proof(m)
        assert _fails(lambda: verify_inclusion(tree.nodes[(0, other)], m, n, proof, tree.root()))
        assert _fails(lambda: verify_inclusion(tree.nodes[(0, m)], other, n, proof, tree.root()))
    old = data.draw(st.integers(min_value=1, max_value=n))
    if old < n:
        proof = tree.consistency_proof(old)
        forged = mth([b"forged", *_entries(n)[1:old]])
        assert _fails(lambda: verify_consistency(old, n, forged, tree.root(), proof))


# --- pymerkle as a differential oracle ---------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(st.lists(st.binary(max_size=40), min_size=1, max_size=90), st.data())
def test_against_pymerkle(entries: list[bytes], data: st.DataObject) -> None:
    pymerkle = pytest.importorskip("pymerkle")
    # pymerkle's defaults are RFC 9162 hashing: SHA-256, 0x00 leaf and 0x01 node prefixes
    # ("security" on, i.e. disable_security=False).
    oracle = pymerkle.InmemoryTree(algorithm="sha256", disable_security=False)
    assert oracle.security and oracle.leaf_prefix == b"\x00" and oracle.node_prefix == b"\x01"
    for entry in entries:
        oracle.append_entry(entry)
    tree = MerkleTree(entries)
    n = len(entries)
    size = data.draw(st.integers(min_value=1, max_value=n))
    assert oracle.get_root(size) == tree.root(size)
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    assert oracle.get_leaf(index + 1) == tree.nodes[(0, index)]
    theirs = oracle.prove_inclusion(index + 1, size)
    ours = tree.inclusion_proof(index, size)
    assert theirs.path[1:] == ours  # pymerkle prefixes the path with the leaf hash
    pymerkle.verify_inclusion(tree.nodes[(0, index)], tree.root(size), theirs)
    old = data.draw(st.integers(min_value=1, max_value=size))
    their_consistency = oracle.prove_consistency(old, size)
    pymerkle.verify_consistency(tree.root(old), tree.root(size), their_consistency)
    verify_consistency(
        old, size, oracle.get_root(old), oracle.get_root(size), tree.consistency_proof(old, size)
    )
