"""The decisions part of a member's download: every ballot with its result and minority reports,
and who carries whose vote (delegations, proxies, voting weights), as the record has it."""

from __future__ import annotations

import zipfile
from typing import TYPE_CHECKING, Any

from parrhesia.decisions import selectors
from parrhesia.decisions.models import Delegation, Mandate, Proxy
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
    archive_json(archive, "decisions/delegations.json", delegations_document(organisation, names))
    for ballot in ballots:
        if not ballot.is_open:
            archive.writestr(f"decisions/ballot-{ballot.pk}.csv", selectors.ballots_csv(ballot))
            if ballot.method != "motion":
                archive.writestr(
                    f"decisions/ballot-{ballot.pk}.toi", selectors.ballots_preflib(ballot)
                )


def delegations_document(organisation: Organisation, names: bool) -> dict[str, Any]:
    """Every delegation (ended ones too), every proxy still standing and every voting weight
    other than 1: what ``delegation.*``, ``proxy.*`` and ``mandate.changed`` put on the record,
    by member number, with names only for a reader who may see the member list. A mandate's
    reason is left out (sealed on the record, erasable)."""

    def member(membership: Any) -> dict[str, Any]:
        return {"member": membership.pk, **({"name": membership.user.public_name} if names else {})}

    delegations = Delegation.objects.filter(organisation=organisation).select_related(
        "delegator__user", "delegate__user"
    )
    proxies = Proxy.objects.filter(ballot__organisation=organisation).select_related(
        "giver__user", "holder__user"
    )
    mandates = (
        Mandate.objects.filter(membership__organisation=organisation)
        .exclude(weight=1)
        .select_related("membership__user")
        .order_by("membership_id")
    )
    return {
        "delegations": [
            {
                "delegator": member(d.delegator),
                "delegate": member(d.delegate),
                "area": d.area,
                "given_at": d.given_at.isoformat(),
                "expires_at": d.expires_at.isoformat(),
                "ended_at": d.ended_at.isoformat() if d.ended_at else None,
            }
            for d in delegations.order_by("given_at", "pk")
        ],
        "proxies": [
            {
                "ballot": p.ballot_id,
                "giver": member(p.giver),
                "holder": member(p.holder),
                "given_at": p.given_at.isoformat(),
                "used_at": p.used_at.isoformat() if p.used_at else None,
            }
            for p in proxies.order_by("ballot_id", "given_at", "pk")
        ],
        "weights": [
            {**member(m.membership), "weight": m.weight, "changed_at": m.changed_at.isoformat()}
            for m in mandates
        ],
    }
