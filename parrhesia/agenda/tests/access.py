"""Authorisation rows for every deliberation URL (collected by tests/authorisation.py).

Riverside is members-only: outsiders and members of other organisations get 404 everywhere.
The objects are made by the services as alice (admin) would; an item opened in Riverside (three
members, 10 % quorum) is admitted at once by its author's own support.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.authorisation import Row, slug

NOBODY = (404, 404, 404, 200, 200, 200)  # readers: members only
POST_ONLY = (302, 405, 405, 405, 405, 405)
MEMBERS_WRITE = (302, 404, 404, 302, 302, 302)
STEWARDS_GET = (302, 404, 404, 403, 200, 200)
STEWARDS_POST = (302, 404, 404, 403, 302, 302)
AUTHOR_GET = (302, 404, 404, 403, 403, 200)  # alice wrote it
AUTHOR_POST = (302, 404, 404, 403, 403, 302)
SIGNED_IN_GET = (302, 404, 404, 200, 200, 200)


def _item(w: Any) -> Any:
    from parrhesia.agenda import services

    return services.agenda_item_open(
        user=w.users["admin"], organisation=w.organisation, title="The 9 % rent rise",
        motion_title="Rent strike", text="We **withhold** the rise.",
    )  # fmt: skip


def _motion(w: Any) -> Any:
    return _item(w).motions.get()


def _argument(w: Any) -> Any:
    from parrhesia.agenda import services

    return services.argument_add(
        user=w.users["admin"], motion=_motion(w), stance="pro", text="It worked in 2019."
    )


def _suggestion(w: Any) -> Any:
    from parrhesia.agenda import services

    return services.suggestion_file(
        user=w.users["steward"], motion=_motion(w), text="We withhold the whole rise."
    )


def _challenge(w: Any) -> Any:
    from parrhesia.agenda import services

    return services.argument_challenge(
        user=w.users["steward"], argument=_argument(w), kind="source"
    )


def _question(w: Any) -> Any:
    from parrhesia.agenda import services

    return services.question_file(
        user=w.users["admin"], organisation=w.organisation, title="Is the rise lawful?"
    )


def item(w: Any) -> dict[str, Any]:
    return {**slug(w), "item_id": _item(w).pk}


def motion(w: Any) -> dict[str, Any]:
    return {**slug(w), "motion_id": _motion(w).pk}


def argument(w: Any) -> dict[str, Any]:
    return {**slug(w), "argument_id": _argument(w).pk}


def question(w: Any) -> dict[str, Any]:
    return {**slug(w), "question_id": _question(w).pk}


def _future(w: Any) -> dict[str, Any]:
    ends = timezone.now() + timedelta(days=10)
    return {"ends_at": ends.strftime("%Y-%m-%dT%H:%M"), "reason": "The landlord's answer is late."}


ROWS: dict[str, Row] = {
    "agenda:index": Row(get=NOBODY, kwargs=slug),
    "agenda:item_open": Row(
        get=SIGNED_IN_GET,
        post=MEMBERS_WRITE,
        kwargs=slug,
        post_data=lambda w: {
            "title": "Repairs",
            "motion_title": "Fix the lifts",
            "text": "The landlord fixes the lifts.",
        },
    ),  # fmt: skip
    "agenda:search": Row(get=NOBODY, kwargs=slug, query={"q": "rent"}),
    "agenda:policy": Row(
        get=(302, 404, 404, 403, 403, 200),
        post=(302, 404, 404, 403, 403, 302),
        kwargs=slug,
        post_data=lambda w: {
            "item_type": "general",
            "admission_days": 14,
            "admission_quorum_percent": 10,
            "alternative_quorum_percent": 5,
            "discussion_days": 7,
            "frozen_days": 2,
        },
    ),  # fmt: skip
    "agenda:item": Row(get=NOBODY, kwargs=item),
    "agenda:item_alternative": Row(
        get=SIGNED_IN_GET,
        post=MEMBERS_WRITE,
        kwargs=item,
        post_data=lambda w: {"title": "Negotiate", "text": "We ask for a meeting."},
    ),  # fmt: skip
    "agenda:item_phase": Row(get=STEWARDS_GET, post=STEWARDS_POST, kwargs=item, post_data=_future),
    "agenda:item_follow_up": Row(
        get=POST_ONLY,
        post=STEWARDS_POST,
        kwargs=item,
        post_data=lambda w: {"status": "planned", "text": "Letter drafted."},
    ),  # fmt: skip
    "agenda:item_follow": Row(get=POST_ONLY, post=MEMBERS_WRITE, kwargs=item),
    "agenda:motion": Row(get=NOBODY, kwargs=motion),
    "agenda:motion_support": Row(get=POST_ONLY, post=MEMBERS_WRITE, kwargs=motion),
    "agenda:motion_revise": Row(
        get=AUTHOR_GET,
        post=AUTHOR_POST,
        kwargs=motion,
        post_data=lambda w: {"text": "We withhold the rise from May.", "note": "a date"},
    ),  # fmt: skip
    "agenda:motion_withdraw": Row(get=POST_ONLY, post=AUTHOR_POST, kwargs=motion),
    "agenda:motion_diff": Row(get=NOBODY, kwargs=motion),
    "agenda:suggestion_new": Row(
        get=SIGNED_IN_GET,
        post=MEMBERS_WRITE,
        kwargs=motion,
        post_data=lambda w: {"text": "We withhold half the rise.", "explanation": "Safer."},
    ),  # fmt: skip
    "agenda:arguments": Row(
        get=NOBODY,
        post=(404, 404, 404, 302, 302, 302),
        kwargs=motion,
        post_data=lambda w: {"stance": "con", "text": "Strikes risk evictions."},
    ),  # fmt: skip
    "agenda:suggestion_rate": Row(
        get=POST_ONLY,
        post=MEMBERS_WRITE,
        kwargs=lambda w: {**slug(w), "suggestion_id": _suggestion(w).pk},
        post_data=lambda w: {"rating": "must"},
    ),  # fmt: skip
    # Only the author withdraws (the steward filed the suggestion, the admin the question).
    "agenda:suggestion_withdraw": Row(
        get=POST_ONLY,
        post=(302, 404, 404, 403, 302, 403),
        kwargs=lambda w: {**slug(w), "suggestion_id": _suggestion(w).pk},
    ),
    "agenda:question_withdraw": Row(
        get=POST_ONLY, post=(302, 404, 404, 403, 403, 302), kwargs=question
    ),
    "agenda:suggestion_decide": Row(
        get=AUTHOR_GET,
        post=AUTHOR_POST,
        kwargs=lambda w: {**slug(w), "suggestion_id": _suggestion(w).pk},
        post_data=lambda w: {"decision": "decline", "reason": "Half is not enough."},
    ),  # fmt: skip
    "agenda:argument": Row(get=NOBODY, kwargs=argument),
    "agenda:argument_reply": Row(
        get=POST_ONLY,
        post=MEMBERS_WRITE,
        kwargs=argument,
        post_data=lambda w: {"stance": "rebuttal", "text": "2019 was another landlord."},
    ),  # fmt: skip
    "agenda:argument_challenge": Row(
        get=POST_ONLY, post=MEMBERS_WRITE, kwargs=argument, post_data=lambda w: {"kind": "source"}
    ),
    "agenda:argument_revise": Row(
        get=AUTHOR_GET,
        post=AUTHOR_POST,
        kwargs=argument,
        post_data=lambda w: {"text": "It worked in 2019, in block C."},
    ),  # fmt: skip
    "agenda:argument_withdraw": Row(get=POST_ONLY, post=AUTHOR_POST, kwargs=argument),
    "agenda:argument_endorse": Row(get=POST_ONLY, post=MEMBERS_WRITE, kwargs=argument),
    "agenda:challenge_answer": Row(
        get=POST_ONLY,
        post=AUTHOR_POST,
        kwargs=lambda w: {**slug(w), "challenge_id": _challenge(w).pk},
        post_data=lambda w: {"answer": "The 2019 minutes, page 3."},
    ),  # fmt: skip
    "agenda:questions": Row(get=NOBODY, kwargs=slug),
    "agenda:question_new": Row(
        get=SIGNED_IN_GET,
        post=MEMBERS_WRITE,
        kwargs=slug,
        post_data=lambda w: {"title": "Who owns block D?", "text": ""},
    ),  # fmt: skip
    "agenda:question": Row(get=NOBODY, kwargs=question),
    "agenda:question_status": Row(
        get=POST_ONLY,
        post=MEMBERS_WRITE,
        kwargs=question,
        post_data=lambda w: {"status": "studying"},
    ),  # fmt: skip
    "agenda:question_link": Row(
        get=POST_ONLY,
        post=MEMBERS_WRITE,
        kwargs=question,
        post_data=lambda w: {"kind": "item", "target_id": _item(w).pk},
    ),  # fmt: skip
}
