"""Who may reach each decisions URL (read by tests/test_authorisation_matrix.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.authorisation import Row, slug


def ballot_open(world: Any, method: str = "motion", options: list[str] | None = None) -> Any:
    from parrhesia.decisions import services

    return services.ballot_open(
        user=world.users["admin"],
        organisation=world.organisation,
        title="Paint the bike shed green",
        method=method,
        options=options or [],
        closes_at=timezone.now() + timedelta(days=3),
        early_close_allowed=True,
    )


def ballot_closed(world: Any) -> Any:
    """A plurality vote A/B/C: alice chose A (the winner), bob B, carol C (the minority)."""
    from parrhesia.decisions import services

    ballot = ballot_open(world, "plurality", ["A", "B", "C"])
    for persona, key in (("admin", 0), ("steward", 1), ("member", 2)):
        services.ballot_vote(user=world.users[persona], ballot=ballot, choices=key)
    return services.ballot_close(user=world.users["admin"], ballot=ballot)


def with_report(world: Any) -> dict[str, Any]:
    from parrhesia.decisions import services

    ballot = ballot_closed(world)
    report = services.minority_report_file(
        user=world.users["steward"], ballot=ballot, title="B was better", text="Because."
    )
    return {**slug(world), "ballot_id": ballot.pk, "report_id": report.pk}


def secret_kwargs(world: Any) -> dict[str, Any]:
    from parrhesia.decisions import services

    ballot = services.ballot_open(
        user=world.users["admin"],
        organisation=world.organisation,
        title="Who keeps the keys",
        method="plurality",
        options=["A", "B"],
        secrecy="secret",
        min_anonymity=1,  # three members here: a larger minimum could never publish a count
        closes_at=timezone.now() + timedelta(days=3),
    )
    return {**slug(world), "ballot_id": ballot.pk}


def open_kwargs(world: Any) -> dict[str, Any]:
    return {**slug(world), "ballot_id": ballot_open(world).pk}


def closed_kwargs(world: Any) -> dict[str, Any]:
    return {**slug(world), "ballot_id": ballot_closed(world).pk}


def ready_item_kwargs(world: Any) -> dict[str, Any]:
    """An agenda item whose texts are final: admitted at once (1 % quorum), then time passes."""
    from parrhesia.agenda import services as agenda

    admin = world.users["admin"]
    agenda.policy_set(
        user=admin, organisation=world.organisation, item_type="general", admission_days=14,
        admission_quorum_percent=1, alternative_quorum_percent=1, discussion_days=7, frozen_days=2,
    )  # fmt: skip
    item = agenda.agenda_item_open(
        user=admin, organisation=world.organisation, title="Rent rise",
        motion_title="Strike", text="We withhold the rise.",
    )  # fmt: skip
    agenda.phases_advance_due(timezone.now() + timedelta(days=60))
    return {**slug(world), "item_id": item.pk}


def member_id(world: Any, persona: str) -> int:
    from parrhesia.orgs.models import Membership

    return Membership.objects.get(organisation=world.organisation, user=world.users[persona]).pk


def delegation_on(world: Any) -> dict[str, Any]:
    """The organisation lets members delegate (it is off by default)."""
    from parrhesia.decisions import services

    services.delegation_policy_change(
        user=world.users["admin"], organisation=world.organisation, proxies_max=2,
        delegation_enabled=True, delegation_transitive=False, delegation_cap_percent=5,
        delegation_cap_max=20, delegation_days=365,
    )  # fmt: skip
    return slug(world)


def delegation_kwargs(world: Any) -> dict[str, Any]:
    """The member's delegation to the admin."""
    from parrhesia.decisions import services
    from parrhesia.orgs.models import Membership

    delegation_on(world)
    delegation = services.delegation_give(
        user=world.users["member"],
        organisation=world.organisation,
        delegate=Membership.objects.get(pk=member_id(world, "admin")),
    )
    return {**slug(world), "delegation_id": delegation.pk}


def _graph_made(world: Any) -> dict[str, Any]:
    """A delegation in force, so that the graph page draws one (no URL argument of its own)."""
    delegation_kwargs(world)
    return {}


MEMBERS_READ = (404, 404, 404, 200, 200, 200)
POST_ONLY = (302, 405, 405, 405, 405, 405)

ROWS: dict[str, Row] = {
    "decisions:agenda_item": Row(
        get=(302, 404, 404, 403, 200, 200),
        post=(302, 404, 404, 403, 302, 302),
        kwargs=ready_item_kwargs,
        post_data=lambda w: {
            "method": "schulze",
            "secrecy": "open",
            "closes_at": (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    ),
    "decisions:index": Row(get=MEMBERS_READ, kwargs=slug),
    # Stewards get every setting; members the quick form (the default policy lets them).
    "decisions:new": Row(
        get=(302, 404, 404, 200, 200, 200),
        post=(302, 404, 404, 302, 302, 302),
        kwargs=slug,
        post_data=lambda w: {
            "title": "Repaint the hall",
            "method": "motion",
            "secrecy": "open",
            "seats": "1",
            "reasons": "optional",
            "threshold": "simple",
            "quorum_percent": "0",
            "closes_at": (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    ),
    "decisions:quick": Row(
        get=(302, 404, 404, 200, 200, 200),
        post=(302, 404, 404, 302, 302, 302),
        kwargs=slug,
        post_data=lambda w: {
            "title": "Repaint the hall?",
            "method": "approval",
            "options": "Blue\nGreen",
            "closes_in": "24",
            "secrecy": "open",
        },
    ),
    "decisions:policy": Row(
        get=(302, 404, 404, 403, 403, 200),
        post=(302, 404, 404, 403, 403, 302),
        kwargs=slug,
        post_data=lambda w: {
            "threshold": "two_thirds",
            "reasons": "required",
            "quorum_percent": "20",
            "minority_window_days": "7",
            "min_anonymity": "5",
        },
    ),
    "decisions:detail": Row(get=MEMBERS_READ, kwargs=open_kwargs),
    "decisions:vote": Row(
        get=POST_ONLY,
        post=(302, 404, 404, 302, 302, 302),
        kwargs=open_kwargs,
        post_data=lambda w: {"choice": "for", "idempotency_key": "k1"},
    ),
    "decisions:close": Row(get=POST_ONLY, post=(302, 404, 404, 403, 302, 302), kwargs=open_kwargs),
    # Only the motion's authors answer blocks; alice opened it, so she is its author.
    "decisions:answer": Row(
        get=(302, 404, 404, 403, 403, 200),
        post=(302, 404, 404, 403, 403, 302),
        kwargs=open_kwargs,
        post_data=lambda w: {"text": "We will paint it twice."},
    ),
    # The voter's receipt sent back as a file: members of a secret ballot's organisation.
    "decisions:receipt": Row(
        get=POST_ONLY,
        post=(302, 404, 404, 200, 200, 200),
        kwargs=secret_kwargs,
        post_data=lambda w: {"tracker": "a" * 64, "receipt_code": "abc-DEF_123"},
    ),
    # A tracker search reads only: whoever may see the ballot (a POST keeps trackers out of logs).
    "decisions:tracker": Row(
        get=(405, 405, 405, 405, 405, 405),
        post=(404, 404, 404, 200, 200, 200),
        kwargs=closed_kwargs,
        post_data=lambda w: {"tracker": "a" * 64},
    ),
    "decisions:ballots_csv": Row(get=MEMBERS_READ, kwargs=closed_kwargs),
    "decisions:ballots_preflib": Row(get=MEMBERS_READ, kwargs=closed_kwargs),
    "decisions:json": Row(get=MEMBERS_READ, kwargs=closed_kwargs),
    # Bob and Carol voted for losers and may file; Alice voted for the winner (400: form error).
    "decisions:minority": Row(
        get=(302, 404, 404, 200, 200, 200),
        post=(302, 404, 404, 302, 302, 400),
        kwargs=closed_kwargs,
        post_data=lambda w: {"title": "We disagree", "text": "Here is why."},
    ),
    "decisions:cosign": Row(get=POST_ONLY, post=(302, 404, 404, 302, 302, 302), kwargs=with_report),
    # Proxies: every member of the electorate gives theirs (the admin, to themselves, is told
    # no by a message on the ballot's page) and revokes it (a message if there is none).
    "decisions:proxy": Row(
        get=(302, 404, 404, 200, 200, 200),
        post=(302, 404, 404, 302, 302, 302),
        kwargs=open_kwargs,
        post_data=lambda w: {"holder": str(member_id(w, "admin"))},
    ),
    "decisions:proxy_revoke": Row(
        get=POST_ONLY, post=(302, 404, 404, 302, 302, 302), kwargs=open_kwargs
    ),
    # A member's delegations: the admin may not delegate to themselves (400, a form error).
    "decisions:delegations": Row(
        get=(302, 404, 404, 200, 200, 200),
        post=(302, 404, 404, 302, 302, 400),
        kwargs=delegation_on,
        post_data=lambda w: {"delegate": str(member_id(w, "admin")), "area": ""},
    ),
    # Only the member who delegated revokes or renews it; to the others it does not exist.
    "decisions:delegation_revoke": Row(
        get=POST_ONLY, post=(302, 404, 404, 302, 404, 404), kwargs=delegation_kwargs
    ),
    "decisions:delegation_renew": Row(
        get=POST_ONLY, post=(302, 404, 404, 302, 404, 404), kwargs=delegation_kwargs
    ),
    "decisions:delegation_graph": Row(
        get=MEMBERS_READ, kwargs=lambda w: {**slug(w), **_graph_made(w)}
    ),
    "decisions:delegations_settings": Row(
        get=(302, 404, 404, 403, 403, 200),
        post=(302, 404, 404, 403, 403, 302),
        kwargs=slug,
        post_data=lambda w: {
            "proxies_max": "3",
            "delegation_enabled": "on",
            "delegation_cap_percent": "5",
            "delegation_cap_max": "20",
            "delegation_days": "365",
        },
    ),
    "decisions:mandates": Row(
        get=(302, 404, 404, 403, 403, 200),
        post=(302, 404, 404, 403, 403, 302),
        kwargs=slug,
        post_data=lambda w: {
            "member": str(member_id(w, "member")),
            "weight": "3",
            "reason": "Delegate of the Northside section (3 members)",
        },
    ),
}
