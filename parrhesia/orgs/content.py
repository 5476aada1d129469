"""What the record names of an organisation, and what of it the tribunal may judge: a member's
conduct (never hidden) and a join request."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from parrhesia.kernel.content import (
    RecordValue,
    content_register,
    copy_erase,
    download_part_register,
    record_value_eraser_register,
    text_eraser,
)
from parrhesia.orgs.actions import Action
from parrhesia.orgs.exports import organisation_download_part
from parrhesia.orgs.models import (
    ConductCode,
    Invitation,
    JoinRequest,
    Membership,
    MembershipStatus,
    Organisation,
)


def _requester(join_request: JoinRequest) -> Membership | None:
    return Membership.objects.filter(
        organisation=join_request.organisation,
        user=join_request.user,
        status=MembershipStatus.ACTIVE,
    ).first()


content_register(
    "organisation",
    model=Organisation,
    organisation_of=lambda organisation: organisation,
    link=lambda organisation, _id: reverse("orgs:detail", args=[organisation.slug]),
)
content_register(
    "membership",
    link=lambda organisation, _id: reverse("orgs:members", args=[organisation.slug]),
)
content_register(
    "conduct_code",
    link=lambda organisation, version: (
        reverse("orgs:conduct", args=[organisation.slug]) + f"#code-{version}"
    ),
)
content_register(
    "member",
    model=Membership,
    organisation_of=lambda membership: membership.organisation,
    author_of=lambda membership: membership,
    summary_of=lambda membership: membership.user.public_name,
    url_of=lambda membership: reverse("orgs:members", args=[membership.organisation.slug]),
    hideable=False,
    label=pgettext_lazy("content kind", "Member's conduct"),
)
content_register(
    "join_request",
    model=JoinRequest,
    organisation_of=lambda join_request: join_request.organisation,
    author_of=_requester,
    summary_of=lambda join_request: join_request.message[:120],
    url_of=lambda join_request: reverse(
        "orgs:join_requests", args=[join_request.organisation.slug]
    ),
    label=pgettext_lazy("content kind", "Join request"),
    erase=text_eraser("message"),
)
download_part_register(organisation_download_part)


# The pages show copies of these sealed values: erasing the record's erases the page's.
def _invitation_note_erase(value: RecordValue, replacement: str) -> None:
    if value.pointer == "/payload/note":
        where = {"organisation": value.organisation, "pk": value.subject_id}
        copy_erase(Invitation, "note", value.value, replacement[:200], **where)


def _join_request_erase(value: RecordValue, replacement: str) -> None:
    """The reason a request was accepted or refused (its message goes with its erase hook)."""
    if value.pointer == "/payload/reason":
        where = {"organisation": value.organisation, "pk": value.subject_id}
        copy_erase(JoinRequest, "reason", value.value, replacement, **where)


def _conduct_reason_erase(value: RecordValue, replacement: str) -> None:
    if value.pointer == "/payload/reason":
        where = {"organisation": value.organisation, "version": value.subject_id}
        copy_erase(ConductCode, "reason", value.value, replacement, **where)


record_value_eraser_register(Action.INVITATION_CREATED, _invitation_note_erase)
for _action in (
    Action.MEMBERSHIP_JOIN_REQUEST_ACCEPTED,
    Action.MEMBERSHIP_JOIN_REQUEST_REFUSED,
):
    record_value_eraser_register(_action, _join_request_erase)
for _action in (Action.CONDUCT_CODE_ADOPTED, Action.CONDUCT_CODE_AMENDED):
    record_value_eraser_register(_action, _conduct_reason_erase)
