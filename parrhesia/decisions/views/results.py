"""A ballot's result on its page, or while the vote runs the running count the votes keep
(never a count made here: issue 13, finding 10), with its charts and reasons.

The running count's part of the page is the same for every reader of a version of the count:
it is rendered once per version (and language, and whether names are shown) and, when that is
worth it (below), kept in the shared cache (the database's cache table: every app server sees
it). A vote bumps the version in its transaction, so no reader is shown a count older than the
last vote they saw committed. Nothing in it is the reader's own (their vote, the CSRF token and
the forms are outside it), and ballots whose choices are hidden until the close have no running
count: nothing of them is cached (docs/voting.md, "Bounded cost")."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from parrhesia.decisions import charts, running, selectors
from parrhesia.decisions.models import MOTION_LABELS, Ballot, Reasons, RunningCount
from parrhesia.decisions.tie_breaks import tie_break_said

# A rendering is stored only if making it took longer than storing it does: a cache write is a
# write transaction (on SQLite, the database's one writer lock), and a small ballot's count (a
# few bars, rendered in well under a millisecond) that changes with every vote would pay it on
# every visit for nothing. A large one (a pairwise matrix, the rounds of an election, hundreds
# of options) is stored, and read by every visit until the next vote.
STORED_WHEN_RENDERED_IN = 0.002  # seconds


def ballot_results(ballot: Ballot, names: bool, counting: bool) -> dict[str, Any]:
    """The page's results context: ``results_html`` (the running count, rendered once per
    version) or the parts the template draws (a closed ballot's result); ``turnout`` when the
    running count gives it."""
    if not selectors.results_visible(ballot):
        return {"show_results": False}
    if ballot.result is not None:
        return results_context(ballot, names, None)
    count = selectors.running_count_of(ballot)
    if count is None or count.result is None:
        return {"show_results": False, "count_pending": True}
    key = ":".join(
        str(part)
        for part in (
            "decisions.results",
            ballot.pk,
            count.version,
            count.result_version,
            get_language(),
            int(names),
            int(counting),
        )
    )
    html = cache.get(key)
    if html is None:
        started = time.perf_counter()
        context = {**results_context(ballot, names, count), "ballot": ballot, "counting": counting}
        html = render_to_string("decisions/detail.html#results", context)
        worth = time.perf_counter() - started >= STORED_WHEN_RENDERED_IN
        if worth and settings.DECISIONS_RESULTS_CACHE_SECONDS:
            cache.set(key, str(html), settings.DECISIONS_RESULTS_CACHE_SECONDS)
    return {"show_results": True, "results_html": mark_safe(html), "turnout": count.turnout}  # noqa: S308 (rendered by our template)


def results_context(ballot: Ballot, names: bool, count: RunningCount | None) -> dict[str, Any]:
    """The result (a closed ballot's) or the running ``count``'s, shaped for the template."""
    labels = {option.key: option.label for option in ballot.options.all()}
    context: dict[str, Any] = {"show_results": True, "labels": labels}
    if count is None:
        result = ballot.result
    else:
        result = {**count.result, "live": True}
        if count.result_version < count.version:
            context["as_of"] = {"counted": count.result_version, "total": count.version}
    context["result"] = result
    if result.get("withheld"):  # too few voters on a secret ballot: no breakdown at all
        return {**context, "tally": {}}
    tally = result.get("tally") or {}
    context["tally"] = tally
    context["tie_breaks"] = [tie_break_said(note) for note in tally.get("tie_breaks") or []]
    if _may_have_reasons(ballot):
        reasons = selectors.ballot_reasons(ballot, names)
        context["reasons"] = selectors.reasons_by_choice(ballot, labels, reasons)
    if ballot.is_secret and not ballot.is_open:  # the published anonymous ballots
        context["ballot_list"] = [
            {**item, "summary": selectors.choice_summary(ballot, item["choices"], labels)}
            for item in selectors.ballot_choices(ballot)
        ]
    context.update(_charts(ballot, result, tally))
    return context


def _may_have_reasons(ballot: Ballot) -> bool:
    """Without reasons, only a motion's block carries one (the vote service drops the rest)."""
    return ballot.reasons != Reasons.OFF or ballot.method == "motion"


def _charts(ballot: Ballot, result: dict[str, Any], tally: dict[str, Any]) -> dict[str, Any]:
    context: dict[str, Any] = {}
    if ballot.method == "motion":
        counts = result.get("counts", {})
        context["bars"] = charts.bars(
            [(selectors.motion_choice_label(k), counts.get(k, 0)) for k in MOTION_LABELS]
        )
    elif tally.get("scores"):
        context["bars"] = charts.bars([(n, tally["scores"][n]) for n in tally["ranking"]])
    if ballot.method in running.MATRIX_METHODS and tally:
        if len(tally["alternatives"]) <= running.MATRIX_DRAWN_UP_TO and tally.get("pairwise"):
            context["heat"] = charts.heat_map(tally)
        else:
            context["matrix_too_large"] = len(tally["alternatives"])
    if tally.get("rounds"):
        context["rounds"] = charts.rounds(tally)
        first = tally["rounds"][0]["tallies"]
        context["bars"] = charts.bars(sorted(first.items(), key=lambda item: -item[1]))
    return context
