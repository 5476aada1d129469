"""What the tribunal puts on the record: its cases and its settings."""

from __future__ import annotations

from django.urls import reverse

from parrhesia.kernel.content import (
    RecordValue,
    content_register,
    copy_erase,
    download_part_register,
    erasure_guard_register,
    record_value_eraser_register,
    text_eraser,
)
from parrhesia.tribunal.actions import Action
from parrhesia.tribunal.exports import tribunal_download_part
from parrhesia.tribunal.models import Case, ConflictDeclaration, Defence, Juror, Jury
from parrhesia.tribunal.selectors import erasure_refusal

content_register(
    "case",
    model=Case,
    organisation_of=lambda case: case.organisation,
    link=lambda organisation, number: reverse("tribunal:case", args=[organisation.slug, number]),
    # the record names a case by its number; a lawful erasure request may erase the case's
    # copies of what was reported (a verdict on personal data does it itself)
    lookup=lambda organisation, number: Case.objects.get(
        organisation=organisation, number=int(number)
    ),
    erase=text_eraser("summary", "description", "evidence"),
)
content_register(
    "tribunal",
    link=lambda organisation, _id: reverse("tribunal:docket", args=[organisation.slug]),
)
download_part_register(tribunal_download_part)
erasure_guard_register(erasure_refusal)


# The case page shows copies of these sealed values: erasing the record's erases the page's.
def _of_case(value: RecordValue) -> dict[str, object]:
    return {"organisation": value.organisation, "number": value.subject_id}


def _field(value: RecordValue) -> str:
    return value.pointer.removeprefix("/payload/")


_CASE_FIELDS = {  # the case's copy of each sealed value, by action (its report's texts go
    # with the case's erase hook, when the steward says so)
    Action.CASE_DISMISSED: {"reason": "dismissal_reason"},
    Action.ANONYMITY_GRANTED: {"reason": "anonymity_reason"},
    Action.REPORTER_REVEALED: {"reason": "anonymity_reason"},
}


def _case_text_erase(value: RecordValue, replacement: str) -> None:
    field = _CASE_FIELDS.get(value.action, {}).get(_field(value))
    if field:
        copy_erase(Case, field, value.value, replacement, **_of_case(value))


def _defence_erase(value: RecordValue, replacement: str) -> None:
    if _field(value) in ("statement", "evidence"):
        where = {f"case__{key}": fact for key, fact in _of_case(value).items()}
        copy_erase(Defence, _field(value), value.value, replacement, **where)


def _juror_text_erase(value: RecordValue, replacement: str) -> None:
    """A juror's reasons in verdict.published, the room-privacy reason, a recusal's reason."""
    where = {f"jury__case__{key}": fact for key, fact in _of_case(value).items()}
    parts = value.pointer.split("/")  # /payload/votes/N/reasons
    if value.action == Action.JUROR_RECUSED and _field(value) == "reason":
        member = value.payload.get("member")
        copy_erase(Juror, "recusal_reason", value.value, replacement, member_id=member, **where)
    elif value.action == Action.VERDICT_PUBLISHED and parts[2:3] == ["votes"]:
        member = value.payload["votes"][int(parts[3])].get("member")
        where["jury__round"] = value.payload.get("round")
        copy_erase(Juror, "reasons", value.value, replacement, member_id=member, **where)
    elif value.action == Action.VERDICT_PUBLISHED and _field(value) == "room_private_reason":
        where = {f"case__{key}": fact for key, fact in _of_case(value).items()}
        copy_erase(Jury, "room_private_reason", value.value, replacement, **where)


def _appeal_erase(value: RecordValue, replacement: str) -> None:
    if _field(value) == "material":
        where = {f"case__{key}": fact for key, fact in _of_case(value).items()}
        copy_erase(Jury, "appeal_material", value.value, replacement, **where)


def _conflict_erase(value: RecordValue, replacement: str) -> None:
    if _field(value) == "reason":
        where = {f"case__{key}": fact for key, fact in _of_case(value).items()}
        member = value.payload.get("member")
        copy_erase(
            ConflictDeclaration, "reason", value.value, replacement, member_id=member, **where
        )


for _action in _CASE_FIELDS:
    record_value_eraser_register(_action, _case_text_erase)
record_value_eraser_register(Action.DEFENCE_FILED, _defence_erase)
record_value_eraser_register(Action.VERDICT_PUBLISHED, _juror_text_erase)
record_value_eraser_register(Action.JUROR_RECUSED, _juror_text_erase)
record_value_eraser_register(Action.APPEAL_FILED, _appeal_erase)
record_value_eraser_register(Action.CONFLICT_DECLARED, _conflict_erase)
