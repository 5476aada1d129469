"""What decisions put on the record. A minority report is content like any other: it can be
reported and, by a case only, hidden behind a tombstone that keeps its place beside the
result."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from parrhesia.decisions.actions import Action
from parrhesia.decisions.exports import decisions_download_part
from parrhesia.decisions.models import Ballot, MinorityReport, Vote
from parrhesia.decisions.services import running_count_touch
from parrhesia.kernel.content import (
    RecordValue,
    content_register,
    copy_erase,
    download_part_register,
    record_value_eraser_register,
    text_eraser,
)
from parrhesia.orgs.models import Organisation


def _report_link(organisation: Organisation, report_id: str) -> str | None:
    ballot_id = MinorityReport.objects.filter(pk=report_id).values_list("ballot_id", flat=True)
    if not ballot_id:
        return None
    return reverse("decisions:detail", args=[organisation.slug, ballot_id[0]]) + (
        f"#report-{report_id}"
    )


content_register(
    "ballot",
    model=Ballot,
    organisation_of=lambda ballot: ballot.organisation,
    link=lambda organisation, pk: reverse("decisions:detail", args=[organisation.slug, int(pk)]),
)
content_register(
    "minority_report",
    model=MinorityReport,
    organisation_of=lambda report: report.ballot.organisation,
    link=_report_link,
    author_of=lambda report: report.author,
    summary_of=lambda report: report.title,
    url_of=lambda report: (
        reverse("decisions:detail", args=[report.ballot.organisation.slug, report.ballot_id])
        + f"#report-{report.pk}"
    ),
    hideable=True,
    label=pgettext_lazy("content kind", "Minority report"),
    erase=text_eraser("title", "text"),
)
download_part_register(decisions_download_part)


def _vote_reason_erase(value: RecordValue, replacement: str) -> None:
    """ballot.voted's reason (the voter's), or one of ballot.closed's votes (results hidden)."""
    member = value.actor_id
    parts = value.pointer.split("/")  # /payload/votes/N/reason
    if value.action == Action.BALLOT_CLOSED:
        if parts[2:3] != ["votes"] or parts[-1] != "reason":
            return
        member = value.payload["votes"][int(parts[3])].get("member")
    elif value.pointer != "/payload/reason":
        return
    copy_erase(
        Vote, "reason", value.value, replacement, ballot_id=value.subject_id, member_id=member
    )
    running_count_touch(ballot_id=int(value.subject_id))  # pages cached per version


def _ballot_text_erase(field: str, pointer: str) -> Callable[[RecordValue, str], None]:
    def erase(value: RecordValue, replacement: str) -> None:
        if value.pointer == pointer:
            copy_erase(Ballot, field, value.value, replacement, pk=value.subject_id)

    return erase


# The pages show copies of these sealed values: a steward's erasure erases them too. (A minority
# report's own text goes with its erase hook, when the steward says so.)
record_value_eraser_register(Action.BALLOT_VOTED, _vote_reason_erase)
record_value_eraser_register(Action.BALLOT_CLOSED, _vote_reason_erase)
record_value_eraser_register(
    Action.BALLOT_OPENED, _ballot_text_erase("description", "/payload/description")
)
record_value_eraser_register(
    Action.BALLOT_BLOCK_ANSWERED, _ballot_text_erase("block_answer", "/payload/text")
)
