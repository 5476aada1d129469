"""The organisation's own files in a member's download: its settings, its members, its codes
of conduct."""

from __future__ import annotations

import zipfile
from typing import Any

from parrhesia.orgs import selectors
from parrhesia.orgs.models import Organisation
from parrhesia.record.exports import archive_csv, archive_json


def organisation_download_part(
    user: Any, organisation: Organisation, archive: zipfile.ZipFile
) -> None:
    """organisation.json, members.csv (only for whoever may see the member list,
    orgs.view_members: a visitor of a public organisation gets the count) and the codes."""
    members = selectors.members_active(organisation)
    archive_json(
        archive,
        "organisation.json",
        {
            "name": organisation.name,
            "slug": organisation.slug,
            "description": organisation.description,
            "visibility": organisation.visibility,
            "created_at": organisation.created_at.isoformat(),
            "member_count": members.count(),
        },
    )
    if user.has_perm("orgs.view_members", organisation):
        archive_csv(
            archive,
            "members.csv",
            ["member_id", "display_name", "role", "joined_at"],
            [[m.pk, m.user.public_name, m.role, m.joined_at.isoformat()] for m in members],
        )
    _conduct_codes(organisation, archive)


def _conduct_codes(organisation: Organisation, archive: zipfile.ZipFile) -> None:
    codes = organisation.conduct_codes.order_by("version")
    archive_json(
        archive,
        "conduct_codes.json",
        [
            {
                "version": c.version,
                "rules": c.rules,
                "reason": c.reason,
                "adopted_at": c.created_at.isoformat(),
            }
            for c in codes
        ],
    )
