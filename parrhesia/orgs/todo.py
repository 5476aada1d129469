"""The organisations' part of a member's to-do (kernel.todo): for stewards, the requests to join
that wait for an answer (one row per organisation, naming no one)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import ngettext

from parrhesia.kernel.todo import Todo, todo_register
from parrhesia.orgs.models import JoinRequest, JoinRequestStatus, Membership
from parrhesia.orgs.rules import holds_steward_powers


def join_requests_waiting(memberships: Sequence[Membership], now: datetime) -> Iterable[Todo]:
    """One query (none for a member who is no steward): pending requests, per organisation."""
    steward_of = {
        membership.organisation_id: membership.organisation
        for membership in memberships
        if holds_steward_powers(membership.user, membership)
    }
    if not steward_of:
        return []
    waiting = (
        JoinRequest.objects.filter(organisation_id__in=steward_of, status=JoinRequestStatus.PENDING)
        .values("organisation_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    rows = []
    for group in waiting:
        organisation = steward_of[group["organisation_id"]]
        count = group["count"]
        rows.append(
            Todo(
                uid=f"join-requests-{organisation.pk}",
                organisation=organisation,
                kind="join_requests",
                title=ngettext("%(count)s request to join", "%(count)s requests to join", count)
                % {"count": count},
                action=ngettext("It waits for an answer", "They wait for an answer", count),
                url=reverse("orgs:join_requests", args=[organisation.slug]),
            )
        )
    return rows


todo_register(join_requests_waiting)
