"""The transparency report (Santa Clara Principles' "numbers"), computed from record entries.

Pure: no Django. The web page feeds it the organisation's entries from the database, and
``parrhesia tribunal report --record EXPORT`` feeds it an export's entries, so both give the same
numbers by construction — and the tests check that they do.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from parrhesia.tribunal.actions import FIRST_ROUND, Action

SANCTIONS = ["none", "warning", "hide", "suspension", "expulsion"]
# What becomes of interim measures, as the report counts them.
INTERIM = {
    Action.INTERIM_MEASURE_TAKEN: "taken",
    Action.INTERIM_MEASURE_CONFIRMED: "confirmed",
    Action.INTERIM_MEASURE_LIFTED: "lifted",
    Action.INTERIM_MEASURE_LAPSED: "lapsed",
}
ACTIONS = (
    Action.CASE_OPENED,
    Action.CASE_DISMISSED,
    Action.CASE_JURY_REQUESTED,
    *INTERIM,
    Action.JURY_REMINDED,
    Action.JUROR_LAPSED,
    Action.JURY_STUCK,
    Action.VERDICT_PUBLISHED,
    Action.APPEAL_FILED,
)


def _time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")


def transparency_report(entries: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The report's numbers from entries as exported (``{"time", "action", "subject", …}``)."""
    opened: dict[Any, datetime] = {}
    by_rule: Counter[str] = Counter()
    by_initiator: Counter[str] = Counter()
    outcomes: Counter[str] = Counter({s: 0 for s in SANCTIONS})
    appeal_outcomes: Counter[str] = Counter({s: 0 for s in SANCTIONS})
    interim: Counter[str] = Counter({how: 0 for how in INTERIM.values()})
    first_sanction: dict[Any, str] = {}
    days_to_verdict: list[float] = []
    dismissed = jury_requested = appeals = appeals_decided = reversed_ = 0
    reminded = lapsed = 0
    stuck: set[tuple[Any, str]] = set()  # (case, round): a jury stuck twice counts once
    for entry in entries:
        action = entry["action"]
        if action not in ACTIONS:
            continue
        case, payload = entry["subject"]["id"], entry["payload"]
        if action == Action.CASE_OPENED:
            opened[case] = _time(entry["time"])
            by_rule.update(str(rule) for rule in payload["rules"])
            by_initiator[payload["initiator"]] += 1
        elif action == Action.CASE_DISMISSED:
            dismissed += 1
        elif action == Action.CASE_JURY_REQUESTED:
            jury_requested += 1
        elif action in INTERIM:
            interim[INTERIM[action]] += 1
        elif action == Action.APPEAL_FILED:
            appeals += 1
        elif action == Action.JURY_REMINDED:
            reminded += len(payload["members"])
        elif action == Action.JUROR_LAPSED:
            lapsed += 1
        elif action == Action.JURY_STUCK:
            stuck.add((case, payload["round"]))
        elif action == Action.VERDICT_PUBLISHED and payload["round"] == FIRST_ROUND:
            outcomes[payload["sanction"]] += 1
            first_sanction[case] = payload["sanction"]
            if case in opened:
                seconds = (_time(entry["time"]) - opened[case]).total_seconds()
                days_to_verdict.append(seconds / 86400)
        elif action == Action.VERDICT_PUBLISHED:
            appeal_outcomes[payload["sanction"]] += 1
            appeals_decided += 1
            reversed_ += payload["sanction"] != first_sanction.get(case)
    return {
        "reports": len(opened),
        "cases_by_rule": dict(sorted(by_rule.items(), key=lambda item: int(item[0]))),
        "cases_by_initiator": dict(sorted(by_initiator.items())),
        "dismissed": dismissed,
        "jury_requested_after_dismissal": jury_requested,
        "outcomes": {s: outcomes[s] for s in SANCTIONS},
        "interim_measures": dict(interim),
        "jurors_reminded": reminded,
        "jurors_lapsed": lapsed,
        "juries_stuck": len(stuck),
        "appeals": appeals,
        "appeals_decided": appeals_decided,
        "appeal_outcomes": {s: appeal_outcomes[s] for s in SANCTIONS},
        "appeals_reversed": reversed_,
        "reversal_rate": round(reversed_ / appeals_decided, 4) if appeals_decided else None,
        "median_days_to_verdict": (
            round(statistics.median(days_to_verdict), 2) if days_to_verdict else None
        ),
    }


def report_rows(report: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
    """The report flattened as ``(section, item, value)`` rows: the CSV and the page's tables."""
    rows: list[tuple[str, str, Any]] = [("reports", "", report["reports"])]
    for section in ("cases_by_rule", "cases_by_initiator", "outcomes", "interim_measures"):
        rows += [(section, str(key), value) for key, value in report[section].items()]
    rows += [
        ("dismissed", "", report["dismissed"]),
        ("jury_requested_after_dismissal", "", report["jury_requested_after_dismissal"]),
        ("jurors_reminded", "", report["jurors_reminded"]),
        ("jurors_lapsed", "", report["jurors_lapsed"]),
        ("juries_stuck", "", report["juries_stuck"]),
        ("appeals", "", report["appeals"]),
        ("appeals_decided", "", report["appeals_decided"]),
    ]
    rows += [("appeal_outcomes", key, value) for key, value in report["appeal_outcomes"].items()]
    rows += [
        ("appeals_reversed", "", report["appeals_reversed"]),
        ("reversal_rate", "", report["reversal_rate"]),
        ("median_days_to_verdict", "", report["median_days_to_verdict"]),
    ]
    return rows
