"""Casting and changing a vote: open ballots keep each member's latest choices (every change on
the record); secret ballots keep who took part apart from what was chosen, and give the voter a
tracker and a receipt code (docs/voting.md, "Secrecy")."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from parrhesia.accounts.models import User
from parrhesia.decisions import counting
from parrhesia.decisions.actions import Action
from parrhesia.decisions.models import Ballot, Participation, Reasons, SecretBallot, Vote
from parrhesia.decisions.notices import delegate_voted_notify
from parrhesia.decisions.selectors import ballot_facts, ballot_takes_votes, in_electorate
from parrhesia.decisions.services._shared import BallotError, ballot_locked
from parrhesia.decisions.services.proxies import proxy_cancel_by_own_vote, proxy_for_vote
from parrhesia.decisions.services.running import running_count_touch, running_count_vote
from parrhesia.kernel.access import member_for
from parrhesia.methods.record.canonical import canonical_json
from parrhesia.methods.record.sealed import Sealed
from parrhesia.notifications.services import notify
from parrhesia.orgs.models import Membership
from parrhesia.record.services import record_append

# The messages of counting.ChoiceError (a module without Django), for translation.
CHOICE_MESSAGES = (
    gettext_noop("Choose for, against, abstain or block."),
    gettext_noop("Choose one option."),
    gettext_noop("Approve only options of this ballot."),
    gettext_noop("Approve each option at most once."),
    gettext_noop("A ranking is a list of tiers of options."),
    gettext_noop("Rank at least one option."),
    gettext_noop("Rank only options of this ballot."),
    gettext_noop("Rank each option only once."),
    gettext_noop("Give each candidate a different number: ties are not counted in an election."),
)


@dataclass(frozen=True)
class VoteOutcome:
    """What happened to a submission. ``receipt_code`` and ``tracker``: secret ballots only."""

    state: str  # "recorded" | "changed" | "unchanged" | "repeated"
    tracker: str | None = None
    receipt_code: str | None = None


def ballot_vote(
    *,
    user: User,
    ballot: Ballot,
    choices: Any,
    reason: str = "",
    idempotency_key: str = "",
    receipt_code: str = "",
    now: datetime | None = None,
    for_member: Membership | None = None,
) -> VoteOutcome:
    """Cast or change a vote. A retry with the same ``idempotency_key`` changes nothing.

    Secret ballots: the first vote returns a tracker and a receipt code, shown once; the code
    (which only the voter keeps) is needed to change the vote.

    ``for_member``: the member whose proxy the user holds, to vote for them (services.proxies);
    a member's own vote cancels the proxy they gave, if their proxy has not voted yet.
    """
    now = now or timezone.now()
    reason = reason.strip()
    with transaction.atomic():
        member = member_for(user, ballot, "decisions.vote")
        ballot = ballot_locked(ballot)
        if not ballot_takes_votes(ballot, now):
            raise BallotError(_("This vote has closed; no more ballots are accepted."))
        if not in_electorate(ballot, member):
            raise BallotError(
                _("You joined after this vote opened; only members at its opening vote.")
            )
        opened = ballot_facts(ballot)
        try:
            choices = counting.choices_check(opened, choices)
        except counting.ChoiceError as error:
            raise BallotError(_(str(error))) from None
        _check_reason(ballot, choices, reason)
        cast = Cast(member, for_member or member)
        if for_member is None:
            proxy_cancel_by_own_vote(ballot, member)
        else:
            proxy_for_vote(ballot, member, for_member, now)
        if ballot.is_secret:
            return _secret_vote(ballot, cast, choices, idempotency_key, receipt_code, user)
        return _open_vote(ballot, opened, cast, choices, reason, idempotency_key, now)


@dataclass(frozen=True)
class Cast:
    """Who casts a ballot (``by``, the actor on the record) for whom (``voter``, counted):
    the same member, or a proxy holder and the member who gave them their vote."""

    by: Membership
    voter: Membership

    @property
    def payload(self) -> dict[str, int]:
        """What a proxy vote's entry adds: the member it was cast for."""
        return {} if self.by.pk == self.voter.pk else {"for": self.voter.pk}

    @property
    def cast_by(self) -> Membership | None:
        return None if self.by.pk == self.voter.pk else self.by


def _check_reason(ballot: Ballot, choices: Any, reason: str) -> None:
    if ballot.is_secret:
        if reason:
            raise BallotError(
                _("A secret vote takes no reason: words of your own could give your ballot away.")
            )
        return  # its blocks are answered after the close, without reasons
    if choices == "block" and not reason:
        raise BallotError(_("A block needs a reason: say what the authors must answer."))
    if ballot.reasons == Reasons.REQUIRED and not reason:
        raise BallotError(_("This vote asks every voter for a reason."))


def _open_vote(
    ballot: Ballot,
    opened: dict[str, Any],
    cast: Cast,
    choices: Any,
    reason: str,
    key: str,
    now: datetime,
) -> VoteOutcome:
    if ballot.reasons == Reasons.OFF and choices != "block":
        reason = ""
    member = cast.voter
    vote = Vote.objects.filter(ballot=ballot, member=member).first()
    if vote is not None and key and vote.idempotency_key == key:
        return VoteOutcome("repeated")
    if vote is not None and vote.choices == choices and vote.reason == reason:
        return VoteOutcome("unchanged")
    state = "recorded" if vote is None else "changed"
    # The ballot's row lock orders the votes: the vote read above is still the member's (one
    # insert or one update, not update_or_create's read and savepoints again).
    fields = {
        "choices": choices,
        "reason": reason,
        "idempotency_key": key,
        "updated_at": now,
        "cast_by": cast.cast_by,
    }
    if vote is None:
        Vote.objects.create(ballot=ballot, member=member, **fields)
    else:
        Vote.objects.filter(pk=vote.pk).update(**fields)
    if vote is None or vote.choices != choices:
        running_count_vote(
            ballot=ballot,
            opened=opened,
            before=None if vote is None else vote.choices,
            after=choices,
            voter=member.pk,
        )
    else:  # the reason alone changed: the page's reasons are of the next version
        running_count_touch(ballot_id=ballot.pk)
    # With results hidden, the choices go on the record at the close, all at once.
    payload = (
        {"hidden": True}
        if ballot.results_hidden
        else {"choices": choices, "reason": Sealed(reason)}
    )
    record_append(
        organisation=ballot.organisation,
        actor=cast.by,
        action=Action.BALLOT_VOTED,
        subject=("ballot", ballot.pk),
        payload={**payload, **cast.payload},
    )
    if "delegation" in opened and cast.cast_by is None and state == "recorded":
        delegate_voted_notify(ballot, opened["delegation"]["area"], member, now)
    return VoteOutcome(state)


def tracker_of(ballot_id: int, choices: Any, code: str) -> str:
    """SHA-256 of the ballot id, the canonical choices and the voter's random code."""
    data = b"%d|" % ballot_id + canonical_json(choices) + b"|" + code.encode()
    return hashlib.sha256(data).hexdigest()


def _code_hash(code: str) -> str:
    return hashlib.sha256(b"parrhesia-receipt|" + code.strip().encode()).hexdigest()


def _secret_vote(
    ballot: Ballot, cast: Cast, choices: Any, key: str, code: str, user: User
) -> VoteOutcome:
    member = cast.voter
    participation = Participation.objects.filter(ballot=ballot, member=member).first()
    if participation is not None:
        if key and participation.idempotency_key == key:
            return VoteOutcome("repeated")
        if not code.strip():
            raise BallotError(
                _("You have voted. To change a secret vote, give the receipt code you were shown.")
            )
        secret = SecretBallot.objects.filter(ballot=ballot, change_hash=_code_hash(code)).first()
        if secret is None:
            raise BallotError(_("This receipt code is not one of this vote's."))
        code = code.strip()
        secret.choices, secret.tracker = choices, tracker_of(ballot.pk, choices, code)
        secret.save(update_fields=["choices", "tracker"])
        return VoteOutcome("changed", secret.tracker, code)
    code = secrets.token_urlsafe(16)
    tracker = tracker_of(ballot.pk, choices, code)
    SecretBallot.objects.create(
        ballot=ballot,
        choices=choices,
        tracker=tracker,
        change_hash=_code_hash(code),
        weight=int((ballot.weights or {}).get(str(member.pk), 1)),
    )
    Participation.objects.create(
        ballot=ballot, member=member, idempotency_key=key, cast_by=cast.cast_by
    )
    record_append(
        organisation=ballot.organisation,
        actor=cast.by,
        action=Action.BALLOT_PARTICIPATED,
        subject=("ballot", ballot.pk),
        payload=cast.payload,
    )
    # The voter's own notice: no tracker, no code (it would tie them to their ballot); a
    # proxy's giver is told that their proxy voted for them.
    notify(
        [user] if cast.cast_by is None else [member.user],
        organisation=ballot.organisation,
        kind="ballot_participated" if cast.cast_by is None else "proxy_used",
        params={"ballot": ballot.title},
        url=reverse(
            "decisions:detail", kwargs={"slug": ballot.organisation.slug, "ballot_id": ballot.pk}
        ),
    )
    return VoteOutcome("recorded", tracker, code)
