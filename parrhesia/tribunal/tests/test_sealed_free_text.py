"""The tribunal's free text enters the record sealed (issue 13, finding 7): what a report quotes
and what people write about one another in a case — its summary, description and evidence, a
dismissal's reason, a conflict's reason, a defence, an appeal's material, the anonymity decision's
and the jurors' reasons — is a salted commitment in the leaf, the text kept beside it, so that it
can be erased and the record still verify. Action strings, keys, ids and choices stay plain: the
transparency report and ``tribunal redraw`` read them from the leaf or the export."""

from __future__ import annotations

import json

import pytest
from django.db import transaction

from parrhesia.cli.tribunal import redraw_check
from parrhesia.methods.record.export import iter_entries
from parrhesia.methods.record.verify import verify_export
from parrhesia.record.models import RecordEntry
from parrhesia.record.services import record_redact, sealed_values
from parrhesia.tribunal import selectors, services
from parrhesia.tribunal.models import Sanction
from parrhesia.tribunal.tests.test_redraw_and_report import export
from tests.fixtures.tribunal import all_vote, case_reload, jurors_of

pytestmark = pytest.mark.django_db

SECRET = "12 Rose Lane, flat 3"

# Every free-text field of the tribunal's entries, by action: sealed.
SEALED = {
    "case.opened": {"/payload/summary", "/payload/description", "/payload/evidence"},
    "jury.conflict_declared": {"/payload/reason"},
    "defence.filed": {"/payload/statement", "/payload/evidence"},
    "jury.juror_recused": {"/payload/reason"},
    "case.anonymity_granted": {"/payload/reason"},
    "verdict.published": {"/payload/room_private_reason"}
    | {f"/payload/votes/{n}/reasons" for n in range(3)},
    "appeal.filed": {"/payload/material"},
    "case.dismissed": {"/payload/reason"},
}


def a_whole_case(court, alice, carol, member_of) -> int:
    """A report of Carol (anonymity asked), every step that writes free text, to an appeal."""
    case = services.report_file(
        user=alice,
        organisation=court,
        kind="member",
        object_id=member_of(carol).pk,
        rules=[1],
        description=f"She told everyone I live at {SECRET}.",
        evidence=f"Screenshot: '{SECRET}'",
        anonymous=True,
    )
    outsider = member_of(court.memberships.get(user__username="juror12").user)
    services.conflict_declare(user=outsider.user, case=case, reason=f"I live at {SECRET} too.")
    services.defence_file(user=carol, case=case, statement=f"{SECRET} is public.", answered=True)
    first = jurors_of(case_reload(case))[0]
    services.juror_recuse(user=first, case=case_reload(case), reason=f"My aunt, of {SECRET}.")
    case = case_reload(case)
    for juror in jurors_of(case)[:2]:
        services.anonymity_decide(user=juror, case=case, grant=True, reason=f"{SECRET}: fear.")
    all_vote(case_reload(case), [Sanction.WARNING] * 3)
    services.appeal_file(user=carol, case=case_reload(case), material=f"About {SECRET}.")
    other = services.report_file(
        user=carol, organisation=court, kind="member", object_id=member_of(alice).pk,
        rules=[1], description="She shouted.",
    )  # fmt: skip
    services.case_dismiss(user=bob_of(court), case=other, reason=f"Not about {SECRET}.")
    return case.number


def bob_of(court):
    return court.memberships.get(user__username="bob").user


def test_the_tribunals_free_text_is_sealed_in_the_leaf_and_plain_on_the_pages(
    court, alice, carol, member_of, client
):
    number = a_whole_case(court, alice, carol, member_of)
    rows: dict[str, RecordEntry] = {}
    for row in RecordEntry.objects.filter(organisation=court, action__in=SEALED).order_by("seq"):
        rows.setdefault(row.action, row)  # the first of each: the anonymous report's case
    assert rows.keys() == SEALED.keys()
    for action, pointers in SEALED.items():
        row = rows[action]
        assert pointers <= set(row.openings), action
        leaf = json.loads(bytes(row.canonical))
        for pointer in pointers:
            parts = pointer.split("/")[2:]
            value = leaf["payload"]
            for part in parts:
                value = value[int(part)] if isinstance(value, list) else value[part]
            assert set(value) == {"$commitment"}, (action, pointer)
    for action in ("case.opened", "defence.filed", "jury.conflict_declared", "case.dismissed"):
        assert SECRET.encode() not in bytes(rows[action].canonical), action
        assert SECRET in json.dumps(rows[action].payload), action  # the pages read the text
    # What the record's readers count stays in the leaf: ids, rules, the initiator, sanctions.
    opened = json.loads(bytes(rows["case.opened"].canonical))["payload"]
    assert opened["rules"] == [1] and opened["initiator"] == "anonymous"
    verdict = json.loads(bytes(rows["verdict.published"].canonical))["payload"]
    assert verdict["sanction"] == "warning" and verdict["votes"][0]["sanction"] == "warning"
    report = selectors.transparency_of(court)
    assert report["reports"] == 2 and report["cases_by_rule"] == {"1": 2}
    assert report["cases_by_initiator"] == {"anonymous": 1, "member": 1}
    assert report["outcomes"]["warning"] == 1 and report["appeals"] == 1
    assert report["dismissed"] == 1
    client.force_login(alice)
    page = client.get(f"/o/{court.slug}/tribunal/{number}/").content.decode()
    assert SECRET in page


def test_erasing_a_cases_text_keeps_the_record_verifiable_and_redrawable(
    court, alice, carol, member_of, tmp_path
):
    number = a_whole_case(court, alice, carol, member_of)
    (tmp_path / "before").mkdir()
    (tmp_path / "after").mkdir()
    before = export(court, tmp_path / "before")
    with transaction.atomic():
        erased = sealed_values(court, subjects=[("case", number), ("case", number + 1)])
        record_redact(organisation=court, actor=None, erased=erased, grounds="verdict", case=number)
    after = export(court, tmp_path / "after")
    assert SECRET.encode() not in open(after, "rb").read()
    verify_export(after, previous=before)
    # The lot is still checked from the export alone: the leaves hash as recorded.
    checked, failure = redraw_check(list(iter_entries(after)))
    assert failure is None and checked >= 3  # the jury, the recusal's replacement, the appeal
