"""The lot keeps a hidden reporter off the jury without naming them (issue 13, finding 2): the
eligible list on the record includes them, the draw passes over them, and the entry says only
how many ids may be passed over — so ``tribunal redraw`` still checks every draw from the export
alone, and the list has no gap that only the reporter explains."""

from __future__ import annotations

import base64

import pytest

from parrhesia.cli import main
from parrhesia.cli.tribunal import redraw_check
from parrhesia.methods.jury import draw_order, jury_seed
from parrhesia.methods.record import sealed
from parrhesia.methods.record.export import iter_entries
from parrhesia.orgs.models import Membership
from parrhesia.record.models import RecordEntry
from parrhesia.tribunal import services
from parrhesia.tribunal.tests.conftest import dry_run
from parrhesia.tribunal.tests.test_redraw_and_report import export

pytestmark = pytest.mark.django_db


def hidden_report(court, reporter, accused) -> dict:
    """``reporter`` reports ``accused`` asking for anonymity; the accused answers at once and
    the jury is drawn: the ``jury.drawn`` payload."""
    case = services.report_file(
        user=reporter,
        organisation=court,
        kind="member",
        object_id=Membership.objects.get(organisation=court, user=accused).pk,
        rules=[1],
        description="Insulted a neighbour.",
        anonymous=True,
    )
    services.defence_file(user=accused, case=case, statement="No.", answered=True)
    return RecordEntry.objects.get(organisation=court, action="jury.drawn").payload


def lot_order(drawn: dict) -> list[int]:
    root = base64.b64decode(drawn["checkpoint_root"])
    return draw_order(jury_seed(root, drawn["case"], drawn["draw"]), drawn["eligible"])


def without_withheld(entry):
    payload = {key: value for key, value in entry.payload.items() if key != "withheld"}
    return type(entry)(**{**entry.__dict__, "payload": payload})


def user_of(member_id: int):
    return Membership.objects.select_related("user").get(pk=member_id).user


def test_the_eligible_list_includes_the_hidden_reporter(court, carol, member_of, tmp_path):
    reporter = Membership.objects.get(organisation=court, user__username="juror4")
    drawn = hidden_report(court, reporter.user, carol)
    assert reporter.pk in drawn["eligible"]  # no gap for an observer to find
    assert drawn["withheld"] == 1 and reporter.pk not in drawn["jurors"]
    assert member_of(carol).pk not in drawn["eligible"]  # the accused: a public reason
    checked, failure = redraw_check(list(iter_entries(export(court, tmp_path))))
    assert (checked, failure) == (1, None)


class SameSalt:
    """The record's salts, random in real life (and independent of who reported), fixed here so
    that a rehearsal and the run seal the same text into the same leaves."""

    @staticmethod
    def token_bytes(size: int) -> bytes:
        return bytes(size)


def test_when_the_lot_falls_on_the_hidden_reporter_they_are_passed_over(
    court, carol, clock, tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr(sealed, "secrets", SameSalt)
    someone = Membership.objects.get(organisation=court, user__username="juror1").user
    rehearsal = dry_run(lambda: hidden_report(court, someone, carol))
    order = lot_order(rehearsal)
    reporter = order[0]  # the lot's first place: the reporter, this time
    drawn = hidden_report(court, user_of(reporter), carol)
    # The record before the draw does not depend on who reported: the same root, the same order.
    assert drawn["checkpoint_root"] == rehearsal["checkpoint_root"]
    assert drawn["eligible"] == rehearsal["eligible"] and lot_order(drawn) == order
    assert drawn["jurors"] == order[1:4] and drawn["withheld"] == 1
    path = export(court, tmp_path)
    assert main(["tribunal", "redraw", "1", "--record", path]) == 0
    assert "OK: 1 jury draw(s) reproduced" in capsys.readouterr().out
    # Read by the rule of entries without the field (none withheld), the same draw fails.
    entries = list(iter_entries(path))
    old = [without_withheld(e) if e.action == "jury.drawn" else e for e in entries]
    checked, failure = redraw_check(old)
    assert checked == 0 and "passed over" in failure


def test_an_entry_without_the_field_is_checked_by_the_first_rule(court, alice, carol, tmp_path):
    # Entries written before 'withheld' existed (v1 exports in the wild) still redraw.
    services.report_file(
        user=alice, organisation=court, kind="member",
        object_id=Membership.objects.get(organisation=court, user=carol).pk,
        rules=[1], description="Insults.",
    )  # fmt: skip
    case = court.cases.get()
    services.defence_file(user=carol, case=case, statement="No.", answered=True)
    entries = list(iter_entries(export(court, tmp_path)))
    drawn = next(e for e in entries if e.action == "jury.drawn")
    assert drawn.payload["withheld"] == 0
    old = dict(drawn.payload)
    del old["withheld"]
    entries[drawn.seq] = type(drawn)(**{**drawn.__dict__, "payload": old})
    assert redraw_check(entries) == (1, None)
    old["jurors"] = lot_order(old)[1:4]  # one passed over: the first rule allows none
    checked, failure = redraw_check(entries)
    assert checked == 0 and "passed over" in failure


def test_a_jury_needs_one_member_more_whoever_the_hidden_reporter_is(court, carol, member_of):
    """Whether the jury can be drawn depends on public facts alone: with a hidden reporter the
    lot needs ``size + 1`` eligible members, even when the reporter is not among them."""
    from parrhesia.tribunal.models import ConflictDeclaration

    reporter = Membership.objects.get(organisation=court, user__username="juror1")
    case = services.report_file(
        user=reporter.user, organisation=court, kind="member", object_id=member_of(carol).pk,
        rules=[1], description="Insulted a neighbour.", anonymous=True,
    )  # fmt: skip
    # The reporter declares a conflict (a public reason): three others are left, a jury of three.
    keep = {reporter.pk, *Membership.objects.filter(
        organisation=court, user__username__in=["juror2", "juror3", "juror4"]
    ).values_list("pk", flat=True)}  # fmt: skip
    for member in Membership.objects.filter(organisation=court).exclude(pk__in=keep):
        if member.pk != member_of(carol).pk:
            ConflictDeclaration.objects.create(case=case, member=member, reason="Friends.")
    ConflictDeclaration.objects.create(case=case, member=reporter, reason="I know her.")
    services.defence_file(user=carol, case=case, statement="No.", answered=True)
    assert not RecordEntry.objects.filter(organisation=court, action="jury.drawn").exists()
    [waiting] = RecordEntry.objects.filter(organisation=court, action="jury.not_drawn")
    assert waiting.payload["reason"] == (
        "3 eligible members for a jury of 3 (1 of them possibly withheld)"
    )
