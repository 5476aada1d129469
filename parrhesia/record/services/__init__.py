"""Every write on the public record: appending entries (``append``), in the caller's
transaction, and rotating an organisation's signing key (``keys``).

Callers use this package: ``from parrhesia.record.services import record_append``. Reads
(timelines, proofs) are in ``record.selectors``; keys and checkpoints in ``record.checkpoints``.
"""

from parrhesia.record.services.append import Appendable, record_append, record_append_many
from parrhesia.record.services.keys import signing_key_rotate

__all__ = ["Appendable", "record_append", "record_append_many", "signing_key_rotate"]
