"""Every write on the public record: appending entries (``append``), in the caller's
transaction, erasing sealed values (``redact``), and rotating an organisation's signing key
(``keys``).

Callers use this package: ``from parrhesia.record.services import record_append``. Reads
(timelines, proofs) are in ``record.selectors``; keys and checkpoints in ``record.checkpoints``.
"""

from parrhesia.record.services.append import Appendable, record_append, record_append_many
from parrhesia.record.services.keys import signing_key_rotate
from parrhesia.record.services.redact import GROUNDS, record_redact, sealed_values

__all__ = [
    "GROUNDS",
    "Appendable",
    "record_append",
    "record_append_many",
    "record_redact",
    "sealed_values",
    "signing_key_rotate",
]
