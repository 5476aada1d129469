"""The permissions on a case (rules.py), pinned: for each, as the case stands and for each person,
what its service says (done, 403, or which error) — the first condition that fails, in the order
the services always checked them — and whether the case page offers it. The page never offers
what the service refuses; where the service takes what the page does not offer, it is one of the
``offered`` conditions (the advocate files through the accused's page, a dismissed case still
takes a defence, a party or a juror may still declare a conflict, a juror may change their vote
on anonymity).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from parrhesia.kernel.access import forget_memberships
from parrhesia.orgs.models import JoinRequest, Membership
from parrhesia.tribunal import rules, services
from parrhesia.tribunal.models import Case, Sanction
from parrhesia.tribunal.services import TribunalError
from parrhesia.tribunal.views.case_actions import CASE_ACTIONS
from tests.fixtures.tribunal import all_vote, case_reload, jurors_of

pytestmark = pytest.mark.django_db

OK, DENIED = "done", 403
CLOSED = "The defence period is closed."
NO_JURY_YET = "Only a report that no jury has yet can be dismissed."
NOT_DECIDED = "Only a decided case can be appealed, once."
NOT_HIDEABLE = "This kind of case cannot be hidden."
VOTED = "You have already voted."

# Each action of the case page with the values its form would send (all of them valid).
ACTIONS: dict[str, Callable[[Any, Case], Any]] = {
    "interim": lambda user, case: services.interim_measure_take(
        user=user, case=case, category="personal_data"
    ),
    "dismiss": lambda user, case: services.case_dismiss(user=user, case=case, reason="Off topic."),
    "defence": lambda user, case: services.defence_file(user=user, case=case, statement="No."),
    "extend": lambda user, case: services.defence_extend(user=user, case=case),
    "step_down": lambda user, case: services.advocate_step_down(user=user, case=case),
    "jury_request": lambda user, case: services.case_jury_request(user=user, case=case),
    "confirm": lambda user, case: services.interim_measure_confirm(
        user=user, case=case, confirm=True
    ),
    "anonymity": lambda user, case: services.anonymity_decide(
        user=user, case=case, grant=True, reason="Fear."
    ),
    "vote": lambda user, case: services.jury_vote(
        user=user,
        case=case,
        breaches={rule: True for rule in case.rules_cited},
        sanction=Sanction.WARNING,
        reasons="Proven.",
    ),
    "room": lambda user, case: services.room_post(user=user, case=case, text="Hello."),
    "recuse": lambda user, case: services.juror_recuse(user=user, case=case, reason="Busy."),
    "appeal": lambda user, case: services.appeal_file(user=user, case=case, material="New."),
    "conflict": lambda user, case: services.conflict_declare(
        user=user, case=case, reason="Neighbours."
    ),
}


class Undone(Exception):
    """Raised to roll back an action that went through: each row asks of the same case."""


def service_says(user: Any, case: Case, call: Callable[[Any, Case], Any]) -> Any:
    """What the service answers the user, the action undone: OK, DENIED or the error's text."""
    forget_memberships(user)  # as a request would find them (a verdict may have expelled them)
    try:
        with transaction.atomic():
            call(user, case_reload(case))
            raise Undone
    except Undone:
        return OK
    except PermissionDenied:
        return DENIED
    except TribunalError as error:
        return str(error)


def page_offers(client: Any, user: Any, case: Case, action: str) -> bool:
    """Whether the case page offers the action to the user (no page at all: not offered)."""
    client.force_login(user)
    response = client.get(reverse("tribunal:case", args=[case.organisation.slug, case.number]))
    return response.status_code == 200 and bool(response.context["forms"][action])


def assert_answers(client: Any, case: Case, people: dict[str, Any], table: str) -> None:
    """Each row of ``table``: who, the action, what the service says, whether the page offers it
    (``offered`` or ``-``)."""
    expected, found = {}, {}
    for line in table.strip().splitlines():
        who, action, *said, offered = line.split()
        answer = " ".join(said)
        key = (who, action)
        expected[key] = (int(answer) if answer == "403" else answer, offered == "offered")
        user = people[who]
        found[key] = (
            service_says(user, case, ACTIONS[action]),
            page_offers(client, user, case, action),
        )
    assert found == expected


@pytest.fixture
def people(court, alice, bob, carol, erin):
    """alice (admin) reports carol; bob is a steward and no party; member is a member who is no
    party (nor, once drawn, a juror); erin is no member."""
    return {"reporter": alice, "accused": carol, "steward": bob, "outsider": erin}


def member_case(court, people, member_of, **extra) -> Case:
    return services.report_file(
        user=people["reporter"],
        organisation=court,
        kind="member",
        object_id=member_of(people["accused"]).pk,
        rules=[1],
        description="Insulted a neighbour.",
        **extra,
    )


def content_case(court, people) -> Case:
    request = JoinRequest.objects.create(
        organisation=court, user=people["accused"], message="Call Dan on 06", status="accepted"
    )
    return services.report_file(
        user=people["reporter"],
        organisation=court,
        kind="join_request",
        object_id=request.pk,
        rules=[2],
        description="Publishes Dan's phone number.",
    )


def seat(case: Case, people: dict[str, Any]) -> dict[str, Any]:
    """``people`` with ``juror``, sitting on the case's jury, and ``member``, on none of it."""
    seated = jurors_of(case_reload(case), case.juries.order_by("-drawn_at", "-id")[0].round)
    others = Membership.objects.filter(
        organisation=case.organisation, user__username__startswith="juror"
    )
    member = next(m.user for m in others.order_by("pk") if m.user not in seated)
    return {**people, "juror": seated[0], "member": member}


def test_every_case_permission_is_a_page_action_and_pinned_here():
    assert sorted(rules.CASE_CONDITIONS) == sorted(a.permission for a in CASE_ACTIONS.values())
    assert sorted(CASE_ACTIONS) == sorted(ACTIONS)


def test_while_the_defence_runs(client, court, people, member_of):
    case = member_case(court, people, member_of)
    people = {
        **people,
        "member": Membership.objects.get(organisation=court, user__username="juror1").user,
    }
    assert_answers(
        client,
        case,
        people,
        f"""
        steward interim {NOT_HIDEABLE} -
        accused interim 403 -
        steward dismiss {OK} offered
        reporter dismiss A party cannot dismiss their own case. -
        accused dismiss 403 -
        member dismiss 403 -
        accused defence {OK} offered
        reporter defence 403 -
        steward defence 403 -
        accused extend {OK} offered
        member extend 403 -
        reporter jury_request Only a dismissed report can be sent to a jury anyway. -
        accused jury_request 403 -
        member conflict {OK} offered
        accused conflict {OK} -
        outsider conflict 403 -
        member recuse 403 -
        member room 403 -
        member confirm 403 -
        member anonymity 403 -
        member vote 403 -
        accused appeal {NOT_DECIDED} -
        member appeal 403 -
        """,
    )


def test_once_extended_and_once_the_defence_closed(client, court, people, member_of):
    case = member_case(court, people, member_of)
    services.defence_extend(user=people["accused"], case=case)
    assert_answers(
        client,
        case,
        people,
        """
        accused extend The defence period has already been extended once. -
        reporter extend 403 -
        accused defence done offered
        """,
    )
    services.defence_file(user=people["accused"], case=case, statement="No.", answered=True)
    assert_answers(
        client,
        case,
        people,
        f"""
        accused extend {CLOSED} -
        reporter extend 403 -
        """,
    )


def test_a_dismissed_case(client, court, people, member_of):
    case = member_case(court, people, member_of)
    services.case_dismiss(user=people["steward"], case=case, reason="Off topic.")
    people = {
        **people,
        "member": Membership.objects.get(organisation=court, user__username="juror1").user,
    }
    assert_answers(
        client,
        case,
        people,
        f"""
        reporter jury_request {OK} offered
        member jury_request 403 -
        accused defence {OK} -
        accused extend {CLOSED} -
        steward dismiss {NO_JURY_YET} -
        member conflict {OK} -
        """,
    )


def test_before_the_jury_the_advocate_files_but_is_offered_nothing(
    client, court, people, member_of
):
    case = member_case(court, people, member_of)
    advocate = Membership.objects.get(organisation=court, user__username="juror1")
    services.defence_file(user=people["accused"], case=case, statement="No.", advocate=advocate)
    people = {**people, "advocate": advocate.user}
    assert_answers(
        client,
        case,
        people,
        """
        advocate defence done -
        advocate extend 403 -
        advocate conflict done -
        accused defence done offered
        """,
    )


def test_the_advocate_may_step_down_while_the_defence_runs(client, court, people, member_of):
    case = member_case(court, people, member_of)
    advocate = Membership.objects.get(organisation=court, user__username="juror1")
    services.defence_file(user=people["accused"], case=case, statement="No.", advocate=advocate)
    people = {**people, "advocate": advocate.user}
    assert_answers(
        client,
        case,
        people,
        f"""
        advocate step_down {OK} offered
        accused step_down 403 -
        reporter step_down 403 -
        steward step_down 403 -
        outsider step_down 403 -
        """,
    )
    services.defence_file(user=people["accused"], case=case, statement="No.", answered=True)
    assert_answers(client, case, people, f"advocate step_down {CLOSED} -")


def test_while_the_jury_deliberates(client, court, people, member_of):
    case = member_case(court, people, member_of)
    services.defence_file(user=people["accused"], case=case, statement="No.", answered=True)
    people = seat(case, people)
    assert_answers(
        client,
        case,
        people,
        f"""
        juror vote {OK} offered
        member vote 403 -
        accused vote 403 -
        juror recuse {OK} offered
        member recuse 403 -
        juror room {OK} offered
        member room 403 -
        juror confirm There is no interim measure awaiting the jury. -
        juror anonymity There is no request for anonymity to decide. -
        accused defence {CLOSED} -
        reporter defence 403 -
        accused extend {CLOSED} -
        steward dismiss {NO_JURY_YET} -
        reporter dismiss {NO_JURY_YET} -
        member dismiss 403 -
        steward interim {NOT_HIDEABLE} -
        member conflict {OK} offered
        juror conflict {OK} -
        accused appeal {NOT_DECIDED} -
        juror appeal 403 -
        """,
    )
    services.jury_vote(
        user=people["juror"], case=case, breaches={1: True}, sanction="warning", reasons="Yes."
    )
    assert_answers(
        client,
        case,
        people,
        f"""
        juror vote {VOTED} -
        juror recuse {VOTED} -
        juror room {OK} offered
        """,
    )


def test_while_the_jury_decides_on_anonymity(client, court, people, member_of):
    case = member_case(court, people, member_of, anonymous=True)
    services.defence_file(user=people["accused"], case=case, statement="No.", answered=True)
    people = seat(case, people)
    assert_answers(
        client,
        case,
        people,
        """
        juror anonymity done offered
        member anonymity 403 -
        juror vote Decide first on the reporter's request for anonymity. -
        """,
    )
    services.anonymity_decide(user=people["juror"], case=case, grant=True, reason="Fear.")
    assert_answers(client, case, people, "juror anonymity done -")


def test_content_before_and_under_an_interim_measure(client, court, people):
    case = content_case(court, people)
    assert_answers(
        client,
        case,
        people,
        """
        steward interim done offered
        reporter interim A party cannot take an interim measure in their own case. -
        accused interim 403 -
        """,
    )
    services.interim_measure_take(user=people["steward"], case=case, category="personal_data")
    people = seat(case, people)
    assert_answers(
        client,
        case,
        people,
        f"""
        juror confirm {OK} offered
        member confirm 403 -
        juror vote The jury votes only once the defence period has closed. -
        juror recuse {OK} offered
        steward interim This content is already hidden. -
        steward dismiss {NO_JURY_YET} -
        """,
    )


def test_a_decided_case_until_the_appeal(client, court, people, member_of):
    case = member_case(court, people, member_of)
    services.defence_file(user=people["accused"], case=case, statement="No.", answered=True)
    people = seat(case, people)
    all_vote(case_reload(case), [Sanction.WARNING] * 3)
    assert_answers(
        client,
        case,
        people,
        f"""
        accused appeal {OK} offered
        reporter appeal {OK} offered
        member appeal 403 -
        juror appeal 403 -
        juror vote 403 -
        juror room 403 -
        member conflict {OK} offered
        accused defence {CLOSED} -
        """,
    )
    decided = case_reload(case).decided_at
    Case.objects.filter(pk=case.pk).update(decided_at=decided - timedelta(days=184))
    assert_answers(
        client,
        case,
        people,
        """
        accused appeal The time to appeal has passed. -
        member appeal 403 -
        """,
    )
    Case.objects.filter(pk=case.pk).update(decided_at=decided)
    services.appeal_file(user=people["accused"], case=case)
    assert_answers(client, case, people, f"reporter appeal {NOT_DECIDED} -")


def test_an_expelled_member_may_still_appeal(client, court, people, member_of):
    case = member_case(court, people, member_of)
    services.defence_file(user=people["accused"], case=case, statement="No.", answered=True)
    all_vote(case_reload(case), [Sanction.EXPULSION] * 3)
    assert_answers(
        client,
        case,
        people,
        """
        accused appeal done offered
        accused defence 403 -
        accused conflict 403 -
        """,
    )


# --- what the services check before who the person is and where the case stands ----------------


def vote_says(user: Any, case: Case, **values: Any) -> Any:
    arguments = {"breaches": {1: True}, "sanction": "warning", "reasons": "Proven.", **values}
    return service_says(user, case, lambda u, c: services.jury_vote(user=u, case=c, **arguments))


def test_a_juror_who_voted_is_told_first_what_is_wrong_with_the_vote(court, people, member_of):
    case = member_case(court, people, member_of)
    services.defence_file(user=people["accused"], case=case, statement="No.", answered=True)
    juror = seat(case, people)["juror"]
    services.jury_vote(user=juror, case=case, breaches={1: True}, sanction="warning", reasons="Y.")
    said = [
        vote_says(juror, case, reasons=" "),
        vote_says(juror, case, sanction="banishment"),
        vote_says(juror, case, keep_room_private=True),
        vote_says(juror, case, breaches={1: False}),
        vote_says(juror, case, sanction="hide"),
        vote_says(juror, case, sanction="suspension", suspension_days=0),
        vote_says(juror, case),
    ]
    assert said == [
        "Written reasons are mandatory.",
        "Unknown sanction.",
        "Keeping the jury room private needs a reason.",
        "Without a breach there is no sanction.",
        NOT_HIDEABLE,
        "A suspension lasts 1 to 365 days.",
        VOTED,
    ]


def test_a_vote_is_refused_for_who_and_where_before_its_values(court, people, member_of):
    case = member_case(court, people, member_of, anonymous=True)
    people = {
        **people,
        "member": Membership.objects.get(organisation=court, user__username="juror1").user,
    }
    # without a jury: who the person is, before the sanction that needs a breach
    assert vote_says(people["member"], case, breaches={1: False}) == DENIED
    assert vote_says(people["outsider"], case, reasons="") == "Written reasons are mandatory."
    services.defence_file(user=people["accused"], case=case, statement="No.", answered=True)
    juror = seat(case, people)["juror"]
    assert vote_says(juror, case, breaches={1: False}) == (
        "Decide first on the reporter's request for anonymity."
    )


def test_a_vote_before_the_defence_closed_says_so_whatever_its_values(court, people):
    case = content_case(court, people)
    services.interim_measure_take(user=people["steward"], case=case, category="personal_data")
    juror = seat(case, people)["juror"]
    assert vote_says(juror, case, breaches={2: False}) == (
        "The jury votes only once the defence period has closed."
    )


def test_an_interim_measure_checks_the_steward_then_the_category_then_the_case(
    court, people, member_of
):
    member = member_case(court, people, member_of)
    content = content_case(court, people)

    def take(user: Any, case: Case, category: str) -> Any:
        return service_says(
            user,
            case,
            lambda u, c: services.interim_measure_take(user=u, case=c, category=category),
        )

    urgent_only = "Interim measures are only for the urgent categories listed."
    assert take(people["accused"], member, "rudeness") == DENIED
    assert take(people["steward"], member, "rudeness") == urgent_only
    assert take(people["steward"], member, "personal_data") == NOT_HIDEABLE
    assert take(people["reporter"], content, "rudeness") == urgent_only
    assert take(people["reporter"], content, "personal_data") == (
        "A party cannot take an interim measure in their own case."
    )
    services.interim_measure_take(user=people["steward"], case=content, category="personal_data")
    assert take(people["steward"], content, "rudeness") == urgent_only
    assert take(people["steward"], content, "personal_data") == "This content is already hidden."


def test_the_notice_speaks_to_the_accused_as_a_declared_permission_says(
    client, court, people, member_of
):
    case = member_case(court, people, member_of)
    assert [
        people[who].has_perm("tribunal.is_accused", case) for who in ("accused", "reporter")
    ] == [True, False]
    pages = {}
    for who in ("accused", "reporter"):
        client.force_login(people[who])
        url = reverse("tribunal:case", args=[court.slug, case.number])
        pages[who] = client.get(url).content.decode()
    assert "Notice to you" in pages["accused"] and "Notice to you" not in pages["reporter"]


def test_the_tribunals_views_ask_permissions_not_predicates():
    views = Path(rules.__file__).parent / "views"
    calls = [p.name for p in views.glob("*.py") if re.search(r"\.test\(", p.read_text())]
    assert calls == []
