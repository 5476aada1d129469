"""A member may say, privately, that they cannot sit on a jury (issue 13, finding 2: what the lot
still told). The lot passes over them as over a hidden reporter, the eligible list keeps them,
and ``withheld`` counts both — so a member the lot passes over is "unavailable or the reporter",
and ``tribunal redraw`` still checks every draw from the export alone (docs/tribunal.md §4)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from parrhesia.cli import main
from parrhesia.cli.tribunal import redraw_check
from parrhesia.methods.record import sealed
from parrhesia.methods.record.export import iter_entries
from parrhesia.orgs.models import Membership
from parrhesia.record.models import RecordEntry
from parrhesia.record.selectors import record_size
from parrhesia.tribunal import services
from parrhesia.tribunal.models import JuryUnavailability
from parrhesia.tribunal.tests.conftest import dry_run
from parrhesia.tribunal.tests.test_hidden_reporter_draw import (
    SameSalt,
    hidden_report,
    lot_order,
    user_of,
)
from parrhesia.tribunal.tests.test_redraw_and_report import export
from parrhesia.tribunal.tests.test_swap import sequences_reset

pytestmark = pytest.mark.django_db

SIZE = 3  # the court's juries


@pytest.fixture
def same_salts(monkeypatch):
    monkeypatch.setattr(sealed, "secrets", SameSalt)


def unavailable(court: Any, member_id: int, until: Any = None) -> None:
    services.jury_availability_set(
        user=user_of(member_id), organisation=court, unavailable=True, until=until
    )


def named_report(court: Any, reporter: Any, accused: Any) -> dict:
    """``reporter`` reports ``accused`` under their own name, the accused answers at once and the
    jury is drawn: the ``jury.drawn`` payload."""
    case = services.report_file(
        user=reporter,
        organisation=court,
        kind="member",
        object_id=Membership.objects.get(organisation=court, user=accused).pk,
        rules=[1],
        description="Insulted a neighbour.",
    )
    services.defence_file(user=accused, case=case, statement="No.", answered=True)
    return RecordEntry.objects.get(organisation=court, action="jury.drawn").payload


def passed_over(drawn: dict) -> list[int]:
    """The ids an observer sees passed over: before the last juror in the lot's order, not drawn."""
    order = lot_order(drawn)
    last = order.index(drawn["jurors"][-1])
    return [member for member in order[: last + 1] if member not in drawn["jurors"]]


def public_trace(court: Any, tmp_path: Path, name: str) -> tuple[dict, bytes]:
    """The draw's payload and the organisation's whole export, as anyone may download it; the
    draw checked from the export alone."""
    drawn = RecordEntry.objects.get(organisation=court, action="jury.drawn").payload
    folder = tmp_path / name
    folder.mkdir()
    path = export(court, folder)
    assert redraw_check(list(iter_entries(path))) == (1, None)
    return drawn, Path(path).read_bytes()


def test_an_unavailable_member_is_never_drawn_and_the_redraw_verifies(
    court, alice, carol, clock, same_salts, tmp_path, capsys
):
    rehearsal = dry_run(lambda: named_report(court, alice, carol))
    order = lot_order(rehearsal)
    unavailable(court, order[0])  # the lot's first place: unavailable, this time
    drawn = named_report(court, alice, carol)
    # Saying it wrote nothing on the record: the same root, the same list, the same order.
    assert drawn["checkpoint_root"] == rehearsal["checkpoint_root"]
    assert drawn["eligible"] == rehearsal["eligible"] and order[0] in drawn["eligible"]
    assert drawn["jurors"] == order[1 : SIZE + 1] and drawn["withheld"] == 1
    assert rehearsal["jurors"] == order[:SIZE] and rehearsal["withheld"] == 0
    assert passed_over(drawn) == [order[0]]
    path = export(court, tmp_path)
    assert main(["tribunal", "redraw", "1", "--record", path]) == 0
    assert "OK: 1 jury draw(s) reproduced" in capsys.readouterr().out


def test_an_unavailability_ends_after_its_last_day(court, alice, carol, clock, same_salts):
    rehearsal = dry_run(lambda: named_report(court, alice, carol))
    first = lot_order(rehearsal)[0]
    unavailable(court, first, until=timezone.localdate(clock))
    JuryUnavailability.objects.update(until=timezone.localdate(clock) - timedelta(days=1))
    drawn = named_report(court, alice, carol)
    assert drawn["jurors"] == rehearsal["jurors"] and drawn["withheld"] == 0


def run_hidden(court: Any, carol: Any, reporter: int, away: int, tmp_path: Path, name: str):
    """The case reported anonymously by ``reporter`` while ``away`` is unavailable, rolled back."""
    sequences_reset()

    def steps() -> tuple[dict, bytes]:
        unavailable(court, away)
        hidden_report(court, user_of(reporter), carol)
        return public_trace(court, tmp_path, name)

    return dry_run(steps)


def test_passing_over_the_reporter_looks_like_passing_over_an_unavailable_member(
    court, carol, clock, same_salts, tmp_path
):
    someone = Membership.objects.get(organisation=court, user__username="juror1").user
    order = lot_order(dry_run(lambda: hidden_report(court, someone, carol)))
    first, last = order[0], order[-1]  # the lot reaches the first, never the last
    # The lot falls on the reporter; then, with the roles swapped, on the unavailable member.
    on_reporter, on_reporter_export = run_hidden(court, carol, first, last, tmp_path, "a")
    on_unavailable, on_unavailable_export = run_hidden(court, carol, last, first, tmp_path, "b")
    for drawn in (on_reporter, on_unavailable):
        assert drawn["withheld"] == 2 and passed_over(drawn) == [first]
        assert drawn["jurors"] == order[1 : SIZE + 1]
    # Nothing public tells the two apart: the same entry, the same export, byte for byte.
    assert on_reporter == on_unavailable
    assert on_reporter_export == on_unavailable_export


def test_withheld_does_not_say_whether_the_reporter_is_unavailable(
    court, carol, clock, same_salts, tmp_path
):
    """A hidden reporter who is also unavailable counts twice: ``withheld`` minus the hidden
    parties is the number of unavailable eligible members, whoever they are."""
    someone = Membership.objects.get(organisation=court, user__username="juror1").user
    order = lot_order(dry_run(lambda: hidden_report(court, someone, carol)))
    reporter, other = order[-1], order[-2]
    themselves = run_hidden(court, carol, reporter, reporter, tmp_path, "a")
    someone_else = run_hidden(court, carol, reporter, other, tmp_path, "b")
    assert themselves[0]["withheld"] == someone_else[0]["withheld"] == 2
    assert themselves == someone_else  # the same entry and the same export


def test_a_jury_waits_while_too_many_members_are_unavailable(court, alice, carol, clock):
    rehearsal = dry_run(lambda: named_report(court, alice, carol))
    eligible = rehearsal["eligible"]
    away = eligible[: len(eligible) - SIZE + 1]  # one too many: size + withheld > eligible
    for member in away:
        unavailable(court, member)
    services.report_file(
        user=alice, organisation=court, kind="member",
        object_id=Membership.objects.get(organisation=court, user=carol).pk,
        rules=[1], description="Insulted a neighbour.",
    )  # fmt: skip
    case = court.cases.get()
    services.defence_file(user=carol, case=case, statement="No.", answered=True)
    [waiting] = RecordEntry.objects.filter(organisation=court, action="jury.not_drawn")
    assert waiting.payload["reason"] == (
        f"{len(eligible)} eligible members for a jury of {SIZE} "
        f"({len(away)} of them possibly withheld)"
    )
    assert services.juries_draw_due(now=clock) == 0
    services.jury_availability_set(user=user_of(away[0]), organisation=court, unavailable=False)
    assert services.juries_draw_due(now=clock) == 1
    drawn = RecordEntry.objects.get(organisation=court, action="jury.drawn").payload
    assert drawn["withheld"] == len(away) - 1
    assert not set(drawn["jurors"]) & set(away[1:])


def test_a_member_says_it_on_a_page_only_they_see_and_nothing_is_recorded(
    client, court, bob, carol, member_of
):
    url = reverse("tribunal:availability", args=[court.slug])
    client.force_login(carol)
    before = record_size(court)
    until = timezone.localdate() + timedelta(days=30)
    response = client.post(url, {"unavailable": "on", "until": until.isoformat()})
    assert response.status_code == 302
    assert JuryUnavailability.objects.get(member=member_of(carol)).until == until
    assert record_size(court) == before  # not on the record
    assert "You said you cannot sit on a jury until" in client.get(url).content.decode()
    client.force_login(bob)  # nobody else sees it: bob's page is about bob
    assert "You said you cannot sit" not in client.get(url).content.decode()
    client.force_login(carol)
    assert client.post(url, {}).status_code == 302  # taken back
    assert not JuryUnavailability.objects.exists()
    assert record_size(court) == before


def test_a_past_day_is_refused_with_a_clear_error(client, court, carol):
    client.force_login(carol)
    url = reverse("tribunal:availability", args=[court.slug])
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(url, {"unavailable": "on", "until": yesterday.isoformat()})
    assert response.status_code == 400
    assert "That day is past" in response.content.decode()
    assert not JuryUnavailability.objects.exists()


def test_a_hidden_reporter_is_passed_over_in_other_cases_while_their_own_runs(
    court, alice, bob, carol, clock, same_salts, tmp_path
):
    """Drawn in case 2 while passed over in case 1, a hidden reporter would stand out as the one
    passed over for another reason than being unavailable: every draw passes over them."""
    someone = Membership.objects.get(organisation=court, user__username="juror1").user
    carol_id = Membership.objects.get(organisation=court, user=carol).pk

    def both(reporter: Any) -> dict:
        services.report_file(
            user=reporter, organisation=court, kind="member", object_id=carol_id,
            rules=[1], description="Insulted a neighbour.", anonymous=True,
        )  # fmt: skip
        return named_report(court, alice, bob)  # case 2, drawn while case 1 runs

    # Case 1 writes the same record whoever reported: case 2's lot is the same.
    order = lot_order(dry_run(lambda: both(someone)))
    reporter = next(member for member in order if member != carol_id)
    drawn = both(user_of(reporter))
    assert drawn["case"] == 2 and lot_order(drawn) == order
    assert reporter in drawn["eligible"] and reporter not in drawn["jurors"]
    assert drawn["jurors"] == [m for m in order if m != reporter][:SIZE]
    assert drawn["withheld"] == 1 and passed_over(drawn) == [reporter]
    assert redraw_check(list(iter_entries(export(court, tmp_path)))) == (1, None)


def test_the_report_form_says_what_the_lot_can_still_reveal(client, court, carol):
    client.force_login(carol)
    page = client.get(
        reverse("tribunal:report", args=[court.slug]), {"kind": "member", "id": ""}
    ).content.decode()
    assert "keep my name from the accused" in page
    assert "a reporter is passed over by it" in page


def test_making_a_suspect_ineligible_does_not_test_whether_they_reported(court, alice, carol):
    """withheld counts the members passed over in every draw across the organisation, not among
    one draw's eligible list: a named report that makes a suspect ineligible in its own case (as
    the accused) gives the same withheld whether or not the suspect is the hidden reporter of
    another case running at the same time."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    carol_id = Membership.objects.get(organisation=court, user=carol).pk

    def withheld_when(reporter: str, suspect: str) -> int:
        def steps() -> int:
            services.report_file(
                user=users.get(username=reporter),
                organisation=court,
                kind="member",
                object_id=carol_id,
                rules=[1],
                description="Insulted a neighbour.",
                anonymous=True,
            )
            target = Membership.objects.get(organisation=court, user__username=suspect)
            case = services.report_file(
                user=alice,
                organisation=court,
                kind="member",
                object_id=target.pk,
                rules=[1],
                description="Shouted at a meeting.",
            )
            services.defence_file(user=target.user, case=case, statement="No.", answered=True)
            return RecordEntry.objects.get(organisation=court, action="jury.drawn").payload[
                "withheld"
            ]

        return dry_run(steps)

    assert withheld_when("juror1", "juror1") == withheld_when("juror1", "juror2")
