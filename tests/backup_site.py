"""A site's side of the backup tests, run in its own process as a server would be:
``python tests/backup_site.py OPERATION [ARGUMENTS]`` with the site's ``PARRHESIA_DATA_DIR`` /
``DATABASE_URL``; prints one JSON object.

* ``found SLUG`` — an account and an organisation founded through the services;
* ``append SLUG N [DELAY]`` — N record entries, one transaction each (DELAY seconds apart);
* ``checkpoint SLUG`` — sign a checkpoint now: its size, root and note, and the verifier key;
* ``consistency SLUG OLD NEW`` — the site's consistency proof between two sizes.
"""

from __future__ import annotations

import json
import sys
import time

from parrhesia.cli import django_setup


def main(operation: str, slug: str, *rest: str) -> dict[str, object]:
    django_setup()
    from django.db import transaction

    from parrhesia.accounts.models import User
    from parrhesia.orgs import services as orgs
    from parrhesia.orgs.models import Organisation
    from parrhesia.record import selectors
    from parrhesia.record.checkpoints import checkpoint_sign, signer_load
    from parrhesia.record.services import record_append

    if operation == "found":
        user = User.objects.create_user(username=f"{slug}-founder", password="x" * 12)
        organisation = orgs.organisation_create(user=user, name=slug.title(), slug=slug)
        return {"id": organisation.pk}
    organisation = Organisation.objects.get(slug=slug)
    if operation == "append":
        count, delay = int(rest[0]), float(rest[1]) if len(rest) > 1 else 0.0
        for k in range(count):
            with transaction.atomic():
                record_append(organisation=organisation, actor=None, action="test.probe",
                              subject=("probe", str(k)), payload={"k": k})
            time.sleep(delay)
        return {"appended": count}
    if operation == "checkpoint":
        checkpoint = checkpoint_sign(organisation)
        assert checkpoint is not None
        import base64

        return {"size": checkpoint.size, "root": base64.b64encode(checkpoint.root_hash).decode(),
                "note": checkpoint.note, "verifier": signer_load(organisation).verifier_key}
    if operation == "consistency":
        return selectors.consistency(organisation, int(rest[0]), int(rest[1]))
    raise SystemExit(f"unknown operation {operation}")


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])))
