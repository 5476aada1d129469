from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DecisionsConfig(AppConfig):
    """Decisions: ballots, counts anyone can redo, minority reports."""

    name = "parrhesia.decisions"
    label = "decisions"
    verbose_name = _("Decisions")

    def ready(self) -> None:
        from django.urls import reverse

        from parrhesia.decisions.exports import decisions_part
        from parrhesia.record.exports import DOWNLOAD_PARTS
        from parrhesia.record.links import subject_link_register

        subject_link_register(
            "ballot", lambda org, id: reverse("decisions:detail", args=[org.slug, int(id)])
        )
        subject_link_register("minority_report", _report_link)
        _register_reportables()
        if decisions_part not in DOWNLOAD_PARTS:
            DOWNLOAD_PARTS.append(decisions_part)


def _report_link(organisation, report_id):  # type: ignore[no-untyped-def]
    from django.urls import reverse

    from parrhesia.decisions.models import MinorityReport

    ballot_id = MinorityReport.objects.filter(pk=report_id).values_list("ballot_id", flat=True)
    if not ballot_id:
        return None
    return reverse("decisions:detail", args=[organisation.slug, ballot_id[0]]) + (
        f"#report-{report_id}"
    )


def _register_reportables() -> None:
    """A minority report is content like any other: it can be reported and, by a case only,
    hidden behind a tombstone that keeps its place beside the result."""
    from django.urls import reverse

    from parrhesia.decisions.models import MinorityReport
    from parrhesia.tribunal.reportables import reportable_register

    reportable_register(
        "minority_report",
        model=MinorityReport,
        organisation_of=lambda report: report.ballot.organisation,
        author_of=lambda report: report.author,
        summary_of=lambda report: report.title,
        url_of=lambda report: reverse(
            "decisions:detail", args=[report.ballot.organisation.slug, report.ballot_id]
        )
        + f"#report-{report.pk}",
        hideable=True,
        label=pgettext_lazy("content kind", "Minority report"),
    )
