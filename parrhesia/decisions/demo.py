"""Demo content: a closed open Schulze vote with a minority report, a closed secret STV election,
a motion vote still open (with a block its author has yet to answer) for visitors to try, a
quick proposal a member started inside the agenda item on the rent rise, and the closed votes of
proxies, delegation and mandates (``demo_delegation``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from parrhesia.agenda.demo import TITLE as AGENDA_TITLE
from parrhesia.agenda.models import AgendaItem
from parrhesia.decisions import services
from parrhesia.decisions.agenda_seam import agenda_item_takes_quick_ballots
from parrhesia.decisions.demo_delegation import seed_delegation
from parrhesia.decisions.models import Ballot
from parrhesia.kernel.access import active_membership

SCHULZE_TITLE = "Heating: what should we ask the landlord for?"
STV_TITLE = "Elect three delegates to the city-wide tenants' council"
MOTIONS = [
    "Motion A: a rent strike until the boilers are replaced",
    "Motion B: a joint repair plan with a deadline, then escalate",
    "Motion C: report the landlord to the housing inspectorate now",
]
# Rankings over A=0, B=1, C=2 and the status quo=3.
RANKINGS = {
    "alice": [[1], [2], [0], [3]],
    "bob": [[1], [3], [2], [0]],
    "carol": [[0], [2], [1], [3]],
    "dave": [[2], [1], [0], [3]],
    "erin": [[0], [1], [2], [3]],
    "frank": [[1], [2], [3], [0]],
    "grace": [[2], [0], [1], [3]],
    "heidi": [[3], [1], [2], [0]],
}
REASONS = {
    "carol": "Only a strike has ever moved this landlord.",
    "heidi": "I would rather wait for the court case.",
    "alice": "A deadline gives us a clear next step if they stall.",
}
CANDIDATES = ["Amira Benali", "Tom Becker", "Lucía Romero", "Jonas Weber", "Mei Chen"]
MOTION_TITLE = "Raise the monthly dues from €5 to €6 to fund a legal defence pot"
MOTION_VOTES = {
    "alice": ("for", "Three members faced eviction this year; a lawyer costs more than we have."),
    "bob": ("for", ""),
    "dave": ("against", "Some of us can barely pay €5."),
    "erin": ("block", "No rise without a hardship exemption: answer that before we vote."),
}
QUICK_TITLE = "Hold a tenants' assembly on the rent rise next Thursday at 7 pm?"
QUICK_VOTES = {"alice": "for", "dave": "for", "frank": "abstain"}
STV_RANKINGS = {
    "alice": [[0], [2], [4]],
    "bob": [[0], [1]],
    "carol": [[2], [0], [3]],
    "dave": [[1], [3]],
    "erin": [[4], [2], [0]],
    "frank": [[0], [4]],
    "grace": [[3], [1], [2]],
    "heidi": [[2], [4]],
}


def seed(organisation: Any, people: dict[str, Any]) -> None:
    if not Ballot.objects.filter(organisation=organisation, title=SCHULZE_TITLE).exists():
        _schulze(organisation, people)
    if not Ballot.objects.filter(organisation=organisation, title=STV_TITLE).exists():
        _stv(organisation, people)
    if not Ballot.objects.filter(organisation=organisation, title=MOTION_TITLE).exists():
        _open_motion(organisation, people)
    if not Ballot.objects.filter(organisation=organisation, title=QUICK_TITLE).exists():
        _quick_proposal(organisation, people)
    seed_delegation(organisation, people)  # proxies, delegation and mandates (issue 17)


def _quick_proposal(organisation: Any, people: dict[str, Any]) -> None:
    """Carol, a member, asks in two days whether to meet; it is shown on the item's page."""
    item = AgendaItem.objects.filter(organisation=organisation, title=AGENDA_TITLE).first()
    if item is not None and not agenda_item_takes_quick_ballots(organisation, item):
        item = None
    ballot = services.ballot_open_quick(
        user=people["carol"],
        organisation=organisation,
        title=QUICK_TITLE,
        description="The community room is free; we would vote on the motions there together.",
        method="motion",
        closes_at=timezone.now() + timedelta(days=2),
        agenda_item=item,
    )
    for name, choice in QUICK_VOTES.items():
        services.ballot_vote(user=people[name], ballot=ballot, choices=choice)


def _open_motion(organisation: Any, people: dict[str, Any]) -> None:
    ballot = services.ballot_open(
        user=people["bob"],
        organisation=organisation,
        title=MOTION_TITLE,
        description=(
            "Proposed by Alice at the October meeting. The extra euro goes into a fund that pays "
            "a tenants' lawyer when a member faces eviction."
        ),
        method="motion",
        options=[],
        closes_at=timezone.now() + timedelta(days=7),
        reasons="optional",
        quorum_percent=50,
        authors=[active_membership(people["alice"], organisation)],
    )
    for name, (choice, reason) in MOTION_VOTES.items():
        services.ballot_vote(user=people[name], ballot=ballot, choices=choice, reason=reason)


def _schulze(organisation: Any, people: dict[str, Any]) -> None:
    ballot = services.ballot_open_for_motions(
        user=people["bob"],
        organisation=organisation,
        title=SCHULZE_TITLE,
        description="Three motions from the general meeting, ranked against doing nothing new.",
        options=[(label, "", "") for label in MOTIONS],
        status_quo_label="Status quo: keep writing to the landlord",
        closes_at=timezone.now() + timedelta(days=1),
        early_close_allowed=True,
        reasons="optional",
    )
    for name, ranking in RANKINGS.items():
        services.ballot_vote(
            user=people[name], ballot=ballot, choices=ranking, reason=REASONS.get(name, "")
        )
    ballot = services.ballot_close(user=people["bob"], ballot=ballot)
    report = services.minority_report_file(
        user=people["carol"],
        ballot=ballot,
        title="Another plan is another year of cold flats",
        text=(
            "We have asked for repairs for three winters. A plan with a deadline lets the "
            "landlord run the clock again. We ask the union to set the strike date now, so that "
            "the deadline means something."
        ),
    )
    services.minority_report_cosign(user=people["erin"], report=report)


def _stv(organisation: Any, people: dict[str, Any]) -> None:
    ballot = services.ballot_open(
        user=people["bob"],
        organisation=organisation,
        title=STV_TITLE,
        description="Three seats; rank as many candidates as you like.",
        method="stv",
        seats=3,
        secrecy="secret",
        options=CANDIDATES,
        closes_at=timezone.now() + timedelta(days=1),
        early_close_allowed=True,
        reasons="off",
    )
    for name, ranking in STV_RANKINGS.items():
        services.ballot_vote(user=people[name], ballot=ballot, choices=ranking)
    services.ballot_close(user=people["bob"], ballot=ballot)
