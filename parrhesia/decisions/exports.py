"""The decisions part of a member's download: every ballot with its result and minority reports."""

from __future__ import annotations

import zipfile
from typing import TYPE_CHECKING, Any

from parrhesia.decisions import selectors
from parrhesia.record.exports import archive_json

if TYPE_CHECKING:
    from parrhesia.orgs.models import Organisation


def decisions_download_part(
    user: Any, organisation: Organisation, archive: zipfile.ZipFile
) -> None:
    ballots = list(selectors.ballots_of(organisation).order_by("pk"))
    names = user.has_perm("orgs.view_members", organisation)  # voters' names: docs/privacy.md
    archive_json(
        archive,
        "decisions/ballots.json",
        [selectors.ballot_document(ballot, names) for ballot in ballots],
    )
    for ballot in ballots:
        if not ballot.is_open:
            archive.writestr(f"decisions/ballot-{ballot.pk}.csv", selectors.ballots_csv(ballot))
            if ballot.method != "motion":
                archive.writestr(
                    f"decisions/ballot-{ballot.pk}.toi", selectors.ballots_preflib(ballot)
                )
