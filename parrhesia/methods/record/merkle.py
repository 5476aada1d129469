"""The Merkle tree of RFC 9162 §2.1 (Certificate Transparency 2.0), with SHA-256.

* leaf hash ``SHA-256(0x00 ‖ entry)`` and node hash ``SHA-256(0x01 ‖ left ‖ right)`` (§2.1.1);
* the tree hash ``MTH`` of ``n`` leaves splits at the largest power of two smaller than ``n``;
* inclusion proofs (§2.1.3.1 generation, §2.1.3.2 verification);
* consistency proofs (§2.1.4.1 generation, §2.1.4.2 verification).

Storage interface
-----------------
The database stores every *perfect* subtree: node ``(level, index)`` is the MTH of leaves
``[index·2**level, (index+1)·2**level)``; level 0 holds the leaf hashes. A node is stored once
all its leaves exist and never changes afterwards. Any subtree of the RFC 9162 tree — perfect or
on the right edge — is the fold of at most ``log2 n`` perfect nodes (the binary decomposition of
its width), so a root or a proof needs O(log n) stored nodes, never a rebuild:

* ``needed_for_append(size)`` → keys, then ``nodes_to_store_on_append(size, leaf_hash, nodes)``
  → the new ``(level, index, hash)`` rows (the leaf and each perfect node it completes);
* ``needed_for_root(size)`` → keys, then ``root_from_nodes(size, nodes)``;
* ``needed_for_inclusion(index, size)`` → keys, then ``inclusion_proof(index, size, nodes)``;
* ``needed_for_consistency(old, new)`` → keys, then ``consistency_proof(old, new, nodes)``.

``nodes`` is a mapping from ``(level, index)`` to the 32-byte hash, or a callable taking the key.
Every function here is pure.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Final

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "CompactRange",
    "MerkleTree",
    "MissingNodeError",
    "NodeKey",
    "ProofError",
    "consistency_proof",
    "inclusion_proof",
    "leaf_hash",
    "mth",
    "needed_for_append",
    "needed_for_consistency",
    "needed_for_inclusion",
    "needed_for_root",
    "node_hash",
    "nodes_to_store_on_append",
    "root_from_inclusion_proof",
    "root_from_nodes",
    "verify_consistency",
    "verify_inclusion",
]

HASH_SIZE: Final = 32
#: MTH({}) = SHA-256() — RFC 9162 §2.1.1.
EMPTY_ROOT: Final = hashlib.sha256(b"").digest()

NodeKey = tuple[int, int]
"""``(level, index)`` of a perfect subtree: leaves ``[index·2**level, (index+1)·2**level)``."""
Nodes = Mapping[NodeKey, bytes] | Callable[[NodeKey], bytes]


class ProofError(ValueError):
    """A proof does not verify, or a proof was asked for impossible sizes."""


class MissingNodeError(KeyError):
    """A node needed from storage was not supplied."""


def leaf_hash(entry: bytes) -> bytes:
    """``MTH({d}) = SHA-256(0x00 ‖ d)`` — RFC 9162 §2.1.1."""
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 ‖ left ‖ right)`` — RFC 9162 §2.1.1."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (``n > 1``) — RFC 9162 §2.1.1."""
    return 1 << ((n - 1).bit_length() - 1)


def mth(entries: Sequence[bytes]) -> bytes:
    """Reference (recursive) MTH of a list of entries, straight from RFC 9162 §2.1.1."""
    n = len(entries)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaf_hash(entries[0])
    k = _split(n)
    return node_hash(mth(entries[:k]), mth(entries[k:]))


# --- decomposition into perfect subtrees -------------------------------------------------------


def _range_keys(start: int, end: int) -> list[NodeKey]:
    """Perfect nodes covering ``[start, end)``, left to right, largest first.

    ``start`` must be aligned to the subtree: a multiple of the smallest power of two that is
    ``>= end - start``, which holds for every subtree of the RFC 9162 tree.
    """
    keys: list[NodeKey] = []
    offset = start
    width = end - start
    for level in range(width.bit_length() - 1, -1, -1):
        if width >> level & 1:
            keys.append((level, offset >> level))
            offset += 1 << level
    return keys


def _getter(nodes: Nodes) -> Callable[[NodeKey], bytes]:
    if callable(nodes):
        return nodes
    mapping = nodes

    def get(key: NodeKey) -> bytes:
        try:
            return mapping[key]
        except KeyError:
            raise MissingNodeError(key) from None

    return get


def _fold(keys: Sequence[NodeKey], get: Callable[[NodeKey], bytes]) -> bytes:
    """MTH of a subtree from its perfect decomposition: ``H(P0, H(P1, … Pk))``."""
    result = get(keys[-1])
    for key in reversed(keys[:-1]):
        result = node_hash(get(key), result)
    return result


def _subtree_hash(start: int, end: int, get: Callable[[NodeKey], bytes]) -> bytes:
    return _fold(_range_keys(start, end), get)


def _check_size(size: int) -> None:
    if size < 0:
        raise ValueError(f"tree size must not be negative: {size}")


# --- append ------------------------------------------------------------------------------------


def needed_for_append(size_before: int) -> list[NodeKey]:
    """Stored nodes needed to append leaf number ``size_before`` (0-based index).

    These are the left siblings of the perfect nodes the new leaf completes: one per trailing
    one-bit of ``size_before``, so at most ``log2 n``. For a batch append, fetch
    ``needed_for_root(size_before)`` instead (it includes these) and pass the rows returned so
    far along with them.
    """
    _check_size(size_before)
    keys: list[NodeKey] = []
    level = 0
    while size_before >> level & 1:
        keys.append((level, (size_before >> level) - 1))
        level += 1
    return keys


def nodes_to_store_on_append(
    size_before: int, new_leaf_hash: bytes, nodes: Nodes
) -> list[tuple[int, int, bytes]]:
    """Rows ``(level, index, hash)`` to store when leaf ``size_before`` is appended.

    The first row is the leaf itself ``(0, size_before, new_leaf_hash)``; each following row is the
    perfect node just completed one level up. ``nodes`` must hold ``needed_for_append``.
    """
    _check_size(size_before)
    if len(new_leaf_hash) != HASH_SIZE:
        raise ValueError("a leaf hash is 32 bytes")
    get = _getter(nodes)
    rows = [(0, size_before, new_leaf_hash)]
    current = new_leaf_hash
    for level, index in needed_for_append(size_before):
        current = node_hash(get((level, index)), current)
        rows.append((level + 1, (index + 1) // 2, current))
    return rows


# --- root --------------------------------------------------------------------------------------


def needed_for_root(size: int) -> list[NodeKey]:
    """Stored nodes whose fold is the root of a tree of ``size`` leaves (the compact range)."""
    _check_size(size)
    return _range_keys(0, size)


def root_from_nodes(size: int, nodes: Nodes) -> bytes:
    """RFC 9162 §2.1.1 MTH of the first ``size`` leaves, from ``needed_for_root(size)``."""
    _check_size(size)
    if size == 0:
        return EMPTY_ROOT
    return _subtree_hash(0, size, _getter(nodes))


# --- inclusion ---------------------------------------------------------------------------------


def _inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """Leaf ranges of the PATH(m, D[n]) elements of RFC 9162 §2.1.3.1, bottom-up."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is not in a tree of size {size}")
    ranges: list[tuple[int, int]] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    ranges.reverse()
    return ranges


def needed_for_inclusion(index: int, size: int) -> list[NodeKey]:
    """Stored nodes needed for the inclusion proof of leaf ``index`` in a tree of ``size``."""
    return [key for s, e in _inclusion_ranges(index, size) for key in _range_keys(s, e)]


def inclusion_proof(index: int, size: int, nodes: Nodes) -> list[bytes]:
    """PATH(index, D[size]) of RFC 9162 §2.1.3.1: sibling hashes, bottom-up."""
    get = _getter(nodes)
    return [_subtree_hash(s, e, get) for s, e in _inclusion_ranges(index, size)]


def root_from_inclusion_proof(leaf: bytes, index: int, size: int, proof: Sequence[bytes]) -> bytes:
    """The root implied by an inclusion proof — RFC 9162 §2.1.3.2, steps 1–5.

    Raises :class:`ProofError` when the proof cannot be a proof for these positions.
    """
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is not in a tree of size {size}")
    if len(leaf) != HASH_SIZE or any(len(p) != HASH_SIZE for p in proof):
        raise ProofError("hashes are 32 bytes")
    fn, sn = index, size - 1
    r = leaf
    for p in proof:
        if sn == 0:
            raise ProofError("inclusion proof too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("inclusion proof too short")
    return r


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Verify an inclusion proof (RFC 9162 §2.1.3.2); raise :class:`ProofError` if it fails."""
    if root_from_inclusion_proof(leaf, index, size, proof) != root:
        raise ProofError("inclusion proof does not lead to the root")


# --- consistency -------------------------------------------------------------------------------


def _consistency_ranges(old_size: int, new_size: int) -> list[tuple[int, int]]:
    """Leaf ranges of the PROOF(m, D[n]) elements of RFC 9162 §2.1.4.1, bottom-up."""
    if not 0 <= old_size <= new_size:
        raise ProofError(f"no consistency proof from size {old_size} to size {new_size}")
    if old_size == 0 or old_size == new_size:
        return []
    ranges: list[tuple[int, int]] = []
    m, start, end, complete = old_size, 0, new_size, True
    while True:
        width = end - start
        if m == width:
            if not complete:
                ranges.append((start, end))
            break
        k = _split(width)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
            m -= k
            complete = False
    ranges.reverse()
    return ranges


def needed_for_consistency(old_size: int, new_size: int) -> list[NodeKey]:
    """Stored nodes needed for the consistency proof between two tree sizes."""
    return [key for s, e in _consistency_ranges(old_size, new_size) for key in _range_keys(s, e)]


def consistency_proof(old_size: int, new_size: int, nodes: Nodes) -> list[bytes]:
    """PROOF(old_size, D[new_size]) of RFC 9162 §2.1.4.1."""
    get = _getter(nodes)
    return [_subtree_hash(s, e, get) for s, e in _consistency_ranges(old_size, new_size)]


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Verify a consistency proof (RFC 9162 §2.1.4.2); raise :class:`ProofError` if it fails.

    Beyond the RFC (which assumes ``0 < old_size < new_size``): equal sizes need an empty proof
    and equal roots; an empty old tree is consistent with anything and needs an empty proof.
    """
    if not 0 <= old_size <= new_size:
        raise ProofError(f"tree size went backwards: {old_size} > {new_size}")
    if old_size == new_size:
        if proof:
            raise ProofError("consistency proof between equal sizes must be empty")
        if old_root != new_root:
            raise ProofError("same tree size but different roots")
        return
    if old_size == 0:
        if proof:
            raise ProofError("consistency proof from the empty tree must be empty")
        return
    if not proof:
        raise ProofError("consistency proof is empty")
    if any(len(p) != HASH_SIZE for p in proof):
        raise ProofError("hashes are 32 bytes")
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("consistency proof too long")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("consistency proof too short")
    if fr != old_root:
        raise ProofError("consistency proof does not lead to the old root")
    if sr != new_root:
        raise ProofError("consistency proof does not lead to the new root")


# --- in-memory and streaming trees -------------------------------------------------------------


class CompactRange:
    """Streaming Merkle tree: the perfect subtrees of ``[0, size)``, O(log n) memory.

    ``append`` takes a leaf hash and returns the perfect nodes it completed, as rows
    ``(level, index, hash)`` exactly like :func:`nodes_to_store_on_append`; ``root`` folds the
    stack. Pass ``capture`` to keep chosen perfect nodes as they are completed (used to build a
    consistency proof while streaming an export).
    """

    def __init__(self, capture: Iterable[NodeKey] = ()) -> None:
        self.size = 0
        self._stack: list[tuple[int, bytes]] = []
        self._capture = set(capture)
        self.captured: dict[NodeKey, bytes] = {}

    def append(self, new_leaf_hash: bytes) -> list[tuple[int, int, bytes]]:
        index = self.size
        rows = [(0, index, new_leaf_hash)]
        level, current = 0, new_leaf_hash
        while self._stack and self._stack[-1][0] == level:
            _, left = self._stack.pop()
            current = node_hash(left, current)
            level += 1
            rows.append((level, index >> level, current))
        self._stack.append((level, current))
        self.size += 1
        if self._capture:
            for lvl, idx, h in rows:
                if (lvl, idx) in self._capture:
                    self.captured[(lvl, idx)] = h
        return rows

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        result = self._stack[-1][1]
        for _, h in reversed(self._stack[:-1]):
            result = node_hash(h, result)
        return result


class MerkleTree:
    """An in-memory tree holding every perfect node — for tests and small logs."""

    def __init__(self, entries: Iterable[bytes] = ()) -> None:
        self.nodes: dict[NodeKey, bytes] = {}
        self.size = 0
        for entry in entries:
            self.append(entry)

    def append(self, entry: bytes) -> bytes:
        """Append one entry's bytes; return its leaf hash."""
        h = leaf_hash(entry)
        self.append_hash(h)
        return h

    def append_hash(self, new_leaf_hash: bytes) -> None:
        for level, index, value in nodes_to_store_on_append(self.size, new_leaf_hash, self.nodes):
            self.nodes[(level, index)] = value
        self.size += 1

    def root(self, size: int | None = None) -> bytes:
        return root_from_nodes(self.size if size is None else self._bounded(size), self.nodes)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        return inclusion_proof(
            index, self.size if size is None else self._bounded(size), self.nodes
        )

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        new = self.size if new_size is None else self._bounded(new_size)
        return consistency_proof(old_size, new, self.nodes)

    def _bounded(self, size: int) -> int:
        if not 0 <= size <= self.size:
            raise ValueError(f"size {size} out of range 0..{self.size}")
        return size
