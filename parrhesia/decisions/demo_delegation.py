"""Demo content of issue 17 (called by ``decisions.demo.seed``): a closed vote weighted by a
section delegate's mandates, then topic delegation switched on, a closed open vote where
delegates carry their delegators' weight (one of them beyond the cap, one delegator overriding),
and a closed secret vote where one member voted by proxy. Each step is idempotent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from parrhesia.decisions import services
from parrhesia.decisions.models import Ballot, Delegation, Mandate
from parrhesia.kernel.access import active_membership

WEIGHTED_TITLE = "Which repairs should the union press for first?"
WEIGHTED_OPTIONS = ["Lifts in blocks A and B", "Damp in the basement flats", "Entry-phones"]
WEIGHTED_VOTES = {"alice": [0], "bob": [0, 2], "carol": [1], "grace": [1, 2], "heidi": [0, 1]}
DELEGATED_TITLE = "Sign the city-wide petition for a rent freeze?"
# frank and dave delegate to heidi (the cap, 1 in an electorate of eight, returns dave's, the
# later one), erin to alice but votes herself; carol keeps her own vote for visitors to try.
DELEGATIONS = [("frank", "heidi"), ("dave", "heidi"), ("erin", "alice")]
DELEGATED_VOTES = {
    "heidi": "for",
    "alice": "against",
    "bob": "for",
    "erin": "for",
    "grace": "abstain",
}
PROXIED_TITLE = "Choose the caretaker's new working hours (secret ballot)"
PROXIED_OPTIONS = ["7 am to 3 pm", "9 am to 5 pm", "11 am to 7 pm"]
PROXIED_VOTES = {"alice": 1, "bob": 0, "dave": 1, "frank": 2, "grace": 1}


def seed_delegation(organisation: Any, people: dict[str, Any]) -> None:
    """The three ballots of proxies, delegation and mandates, in the order they need."""
    if not Mandate.objects.filter(membership__organisation=organisation).exists():
        services.mandate_set(
            user=people["alice"],
            membership=active_membership(people["grace"], organisation),
            weight=3,
            reason="Delegate of the block C tenants' section (three households).",
        )
    if not Ballot.objects.filter(organisation=organisation, title=WEIGHTED_TITLE).exists():
        _closed(organisation, people, WEIGHTED_TITLE, "approval", WEIGHTED_OPTIONS, WEIGHTED_VOTES)
    if not Delegation.objects.filter(organisation=organisation).exists():
        services.delegation_policy_change(
            user=people["alice"], organisation=organisation, proxies_max=2,
            delegation_enabled=True, delegation_transitive=False, delegation_cap_percent=5,
            delegation_cap_max=20, delegation_days=365,
        )  # fmt: skip
        for giver, delegate in DELEGATIONS:
            services.delegation_give(
                user=people[giver],
                organisation=organisation,
                delegate=active_membership(people[delegate], organisation),
            )
    if not Ballot.objects.filter(organisation=organisation, title=DELEGATED_TITLE).exists():
        _closed(organisation, people, DELEGATED_TITLE, "motion", [], DELEGATED_VOTES)
    if not Ballot.objects.filter(organisation=organisation, title=PROXIED_TITLE).exists():
        _proxied(organisation, people)


def _closed(
    organisation: Any,
    people: dict[str, Any],
    title: str,
    method: str,
    options: list[str],
    votes: dict[str, Any],
) -> Ballot:
    ballot = services.ballot_open(
        user=people["bob"],
        organisation=organisation,
        title=title,
        method=method,
        options=options,
        closes_at=timezone.now() + timedelta(days=2),
        early_close_allowed=True,
    )
    for name, choices in votes.items():
        services.ballot_vote(user=people[name], ballot=ballot, choices=choices)
    return services.ballot_close(user=people["bob"], ballot=ballot)


def _proxied(organisation: Any, people: dict[str, Any]) -> None:
    """Heidi cannot come: she gives her vote to Bob, who casts her secret ballot and his own."""
    ballot = services.ballot_open(
        user=people["bob"],
        organisation=organisation,
        title=PROXIED_TITLE,
        method="plurality",
        options=PROXIED_OPTIONS,
        secrecy="secret",
        closes_at=timezone.now() + timedelta(days=2),
        early_close_allowed=True,
    )
    heidi = active_membership(people["heidi"], organisation)
    services.proxy_give(
        user=people["heidi"], ballot=ballot, holder=active_membership(people["bob"], organisation)
    )
    for name, choice in PROXIED_VOTES.items():
        services.ballot_vote(user=people[name], ballot=ballot, choices=choice)
    services.ballot_vote(user=people["bob"], ballot=ballot, choices=1, for_member=heidi)
    services.ballot_close(user=people["bob"], ballot=ballot)
