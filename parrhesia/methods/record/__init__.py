"""The public record: a tamper-evident, append-only log of what an organisation did.

* :mod:`.canonical` — the entry structure and its RFC 8785 (JCS) canonical bytes;
* :mod:`.merkle` — the RFC 9162 §2.1 Merkle tree, proofs, and the perfect-subtree storage
  interface used by the database;
* :mod:`.checkpoint` — C2SP ``tlog-checkpoint`` bodies in C2SP ``signed-note`` envelopes,
  signed with Ed25519;
* :mod:`.export` — the ``parrhesia-record/1`` export file, its streaming writer and its offline
  verifier.

The format is specified in ``docs/record.md``. Nothing here imports Django.
"""
