"""Rotating an organisation's signing key, on the record."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from django.db import transaction

from parrhesia.methods.record import checkpoint as notes
from parrhesia.record.actions import Action, key_rotation_payload
from parrhesia.record.checkpoints import checkpoint_sign, key_path, signer_load
from parrhesia.record.services.append import record_append

if TYPE_CHECKING:
    from parrhesia.orgs.models import Organisation


def signing_key_rotate(organisation: Organisation) -> str:
    """Replace the organisation's signing key; the old key endorses the new one on the record.

    The old key file is kept beside the new one (``<slug>.key.<n>``) so that nothing is lost.
    Returns the new verifier key.
    """
    old = signer_load(organisation)
    new_signer_key, new_verifier_key = notes.generate_signer(old.origin)
    path = key_path(organisation)
    with transaction.atomic():
        record_append(
            organisation=organisation,
            actor=None,
            action=Action.KEY_ROTATED,
            subject=("record", None),
            payload=key_rotation_payload(old.origin, old.signer_key, new_verifier_key),
        )
    # The checkpoint that includes the rotation is signed with the old key; then keys switch and
    # the next read re-signs the newest checkpoint with the new one.
    checkpoint_sign(organisation)
    number = 1
    while path.with_name(f"{path.name}.{number}").exists():
        number += 1
    path.rename(path.with_name(f"{path.name}.{number}"))
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(new_signer_key + "\n")
    return new_verifier_key
