"""What decisions put on the record. A minority report is content like any other: it can be
reported and, by a case only, hidden behind a tombstone that keeps its place beside the
result."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from parrhesia.decisions.exports import decisions_download_part
from parrhesia.decisions.models import Ballot, MinorityReport
from parrhesia.kernel.content import content_register, download_part_register, text_eraser
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
