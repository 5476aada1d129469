"""The tribunal's rows of the authorisation table (tests/authorisation.py).

The world's case: carol (member) reports alice (admin); bob (steward) is neither party.
Juror-only actions answer 403 to everyone here: the world has too few members for a jury.
"""

from __future__ import annotations

from typing import Any

from tests.authorisation import Row, slug

ANON_OUT = (302, 404, 404)
POST_ONLY_GET = (302, 405, 405, 405, 405, 405)


def world_case(world: Any) -> Any:
    if getattr(world, "tribunal_case", None) is None:
        from parrhesia.orgs.models import Membership
        from parrhesia.tribunal import services

        alice = Membership.objects.get(organisation=world.organisation, role="admin")
        world.tribunal_case = services.report_file(
            user=world.users["member"],
            organisation=world.organisation,
            kind="member",
            object_id=alice.pk,
            rules=[1],
            description="Shouted at a neighbour.",
        )
    return world.tribunal_case


def case_kwargs(world: Any) -> dict[str, Any]:
    return {**slug(world), "number": world_case(world).number}


def action(post: tuple[int, int, int], data: dict[str, str] | None = None) -> Row:
    return Row(
        get=POST_ONLY_GET,
        post=ANON_OUT + post,
        kwargs=case_kwargs,
        post_data=lambda world: dict(data or {}),
    )


def report_data(world: Any) -> dict[str, Any]:
    from parrhesia.orgs.models import Membership

    bob = Membership.objects.get(organisation=world.organisation, role="steward")
    return {"kind": "member", "member": bob.pk, "rules": ["1"], "description": "Rude."}


READ = Row(get=(404, 404, 404, 200, 200, 200), kwargs=slug)

ROWS: dict[str, Row] = {
    "tribunal:docket": READ,
    "tribunal:transparency": READ,
    "tribunal:transparency_json": READ,
    "tribunal:transparency_csv": READ,
    "tribunal:report": Row(
        get=(302, 404, 404, 200, 200, 200),
        post=(302, 404, 404, 302, 200, 302),  # bob cannot report himself
        kwargs=slug,
        post_data=report_data,
    ),
    "tribunal:availability": Row(
        get=(302, 404, 404, 200, 200, 200),
        post=(302, 404, 404, 302, 302, 302),
        kwargs=slug,
        post_data=lambda world: {"unavailable": "on", "until": ""},
    ),
    "tribunal:settings": Row(
        get=(302, 404, 404, 403, 403, 200),
        post=(302, 404, 404, 403, 403, 302),
        kwargs=slug,
        post_data=lambda world: {
            "jury_size": "3",
            "defence_days": "7",
            "jury_days": "14",
            "min_membership_days": "30",
            "urgent_categories": ["personal_data"],
            "other_categories": "doxxing of children",
            "reason": "Smaller juries",
        },
    ),
    "tribunal:case": Row(get=(404, 404, 404, 200, 200, 200), kwargs=case_kwargs),
    # alice, the accused, cannot dismiss her own case (form error, 200)
    "tribunal:dismiss": action((403, 302, 200), {"dismiss-reason": "Outside the rules"}),
    # carol may ask for a jury only after a dismissal: an error message, back to the case
    "tribunal:jury_request": action((302, 403, 403)),
    # a member's conduct cannot be hidden: a form error for stewards
    "tribunal:interim": action(
        (403, 200, 200), {"interim-category": "personal_data", "interim-confirm": "on"}
    ),
    "tribunal:defence": action((403, 403, 302), {"defence-statement": "I did not."}),
    "tribunal:extend": action((403, 403, 302)),
    # nobody is named advocate in the world's case
    "tribunal:step_down": action((403, 403, 403)),
    "tribunal:conflict": action((302, 302, 302), {"conflict-reason": "Neighbours"}),
    "tribunal:recuse": action((403, 403, 403), {"recuse-reason": "Busy"}),
    "tribunal:room": action((403, 403, 403), {"room-text": "Hello"}),
    "tribunal:confirm": action((403, 403, 403), {"confirm-confirm": "1"}),
    "tribunal:anonymity": action(
        (403, 403, 403), {"anonymity-grant": "1", "anonymity-reason": "Fear"}
    ),
    "tribunal:vote": action(
        (403, 403, 403),
        {
            "vote-rule_1": "1",
            "vote-sanction": "warning",
            "vote-suspension_days": "0",
            "vote-reasons": "Proven.",
        },
    ),
    # the parties may appeal only once decided: a form error (200); others are refused
    "tribunal:appeal": action((200, 403, 200), {"appeal-material": ""}),
}
