"""The transparency report: as a page, as JSON and as CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET

from parrhesia.kernel.cells import guarded_row
from parrhesia.kernel.pages import org_page, page_context
from parrhesia.tribunal import selectors
from parrhesia.tribunal.models import Sanction
from parrhesia.tribunal.transparency import SANCTIONS, report_rows

# The report's keys are codes (they are the CSV's and the JSON's); the page says them in words.
INTERIM_LABELS = {
    "taken": gettext_lazy("Interim measures taken"),
    "confirmed": gettext_lazy("Interim measures confirmed by the jury"),
    "lifted": gettext_lazy("Interim measures lifted"),
    "lapsed": gettext_lazy("Interim measures lapsed"),
}
INITIATOR_LABELS = {
    "member": pgettext_lazy("case initiated by", "a member"),
    "steward": pgettext_lazy("case initiated by", "a steward"),
    "anonymous": pgettext_lazy("case initiated by", "a member who asked for anonymity"),
}


def _bars(section: dict[str, int], labels: dict[str, str]) -> list[dict[str, Any]]:
    top = max(section.values(), default=0) or 1
    return [
        {
            "label": labels.get(key, key),
            "value": value,
            "width": round(300 * value / top),
            "y": i * 28,
        }
        for i, (key, value) in enumerate(section.items())
    ]


@require_GET
def transparency(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug, "tribunal.view_docket", hidden=True)
    report = selectors.transparency_of(organisation)
    labels = {value: str(label) for value, label in Sanction.choices}
    return render(
        request,
        "tribunal/transparency.html",
        page_context(
            request,
            organisation,
            report=report,
            outcome_bars=_bars(report["outcomes"], labels),
            interim_rows=[
                (str(INTERIM_LABELS.get(how, how)), count)
                for how, count in report["interim_measures"].items()
            ],
            initiator_rows=[
                (str(INITIATOR_LABELS.get(initiator, initiator)), count)
                for initiator, count in report["cases_by_initiator"].items()
            ],
            chart_height=28 * len(SANCTIONS),
            labels=labels,
        ),
    )


@require_GET
def transparency_json(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug, "tribunal.view_docket", hidden=True)
    return JsonResponse(selectors.transparency_of(organisation))


@require_GET
def transparency_csv(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = org_page(request, slug, "tribunal.view_docket", hidden=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["section", "item", "value"])
    rows = report_rows(selectors.transparency_of(organisation))
    writer.writerows(guarded_row(row) for row in rows)  # no formulas (kernel.cells)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-transparency.csv"'
    return response
