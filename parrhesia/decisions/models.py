"""Ballots, the votes on them, and the minority reports that stay beside their results.

Secret ballots are stored so that the link between a member and their ballot never exists:
:class:`Participation` says *who* voted and :class:`SecretBallot` *what* was voted, and the two
share no column, no timestamp and no sequential id (docs/voting.md, "Secrecy").
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from parrhesia.agenda.models import AgendaItem
from parrhesia.orgs.models import Membership, Organisation


class Method(models.TextChoices):
    MOTION = "motion", _("Motion vote: for, against, abstain or block")
    SCHULZE = "schulze", _("Competing motions, Schulze method")
    RANKED_PAIRS = "ranked-pairs", _("Competing motions, ranked pairs")
    APPROVAL = "approval", _("Approval: pick any number")
    PLURALITY = "plurality", _("Plurality: pick one")
    IRV = "irv", _("Election of one person: instant-runoff voting")
    STV = "stv", _("Election of several people: single transferable vote (Scottish rules)")


class Secrecy(models.TextChoices):
    OPEN = "open", _("Open: every ballot is on the public record")
    SECRET = "secret", _("Secret: who voted is recorded, not how")


class Reasons(models.TextChoices):
    OFF = "off", _("No reasons")
    OPTIONAL = "optional", _("Reasons optional")
    REQUIRED = "required", _("Reasons required")


class Threshold(models.TextChoices):
    SIMPLE = "simple", _("Simple majority (more for than against)")
    TWO_THIRDS = "two_thirds", _("Two thirds of those voting for or against")
    THREE_QUARTERS = "three_quarters", _("Three quarters of those voting for or against")
    CONSENSUS_MINUS_ONE = "consensus_minus_one", _("Consensus minus one (at most one against)")


# A motion ballot's choices; the votes store the keys.
MOTION_LABELS = {
    "for": _("For"),
    "against": _("Against"),
    "abstain": _("Abstain"),
    "block": _("Block (I object; the authors must answer in writing)"),
}


class Status(models.TextChoices):
    OPEN = "open", pgettext_lazy("ballot status", "Open")
    CLOSED = "closed", pgettext_lazy("ballot status", "Closed")


# The minimum anonymity set of a secret ballot, by default (docs/voting.md, "Secrecy").
MIN_ANONYMITY = 5


class QuickStarters(models.TextChoices):
    """Who may start a quick proposal or poll (docs/voting.md, "Quick proposals and polls")."""

    MEMBERS = "members", _("Every member")
    STEWARDS = "stewards", _("Stewards only")


class DecisionPolicy(models.Model):
    """An organisation's defaults for new ballots; each ballot may set its own."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="decision_policy"
    )
    threshold = models.CharField(max_length=30, choices=Threshold.choices, default="simple")
    reasons = models.CharField(max_length=10, choices=Reasons.choices, default="optional")
    quorum_percent = models.PositiveSmallIntegerField(default=0)
    minority_window_days = models.PositiveSmallIntegerField(default=7)
    # Secret ballots: below this many voters, no early close and no breakdown published.
    min_anonymity = models.PositiveSmallIntegerField(default=MIN_ANONYMITY)
    quick_starters = models.CharField(
        max_length=10, choices=QuickStarters.choices, default=QuickStarters.MEMBERS
    )
    # Proxies, topic delegation (docs/voting.md, "Proxies, delegation and mandates").
    proxies_max = models.PositiveSmallIntegerField(default=2)
    delegation_enabled = models.BooleanField(default=False)
    delegation_transitive = models.BooleanField(default=False)
    delegation_cap_percent = models.PositiveSmallIntegerField(default=5)
    delegation_cap_max = models.PositiveSmallIntegerField(default=20)
    delegation_days = models.PositiveSmallIntegerField(default=365)

    def __str__(self) -> str:
        return f"decision policy of {self.organisation_id}"


class Ballot(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=10000)
    method = models.CharField(max_length=20, choices=Method.choices)
    seats = models.PositiveSmallIntegerField(default=1)
    secrecy = models.CharField(max_length=10, choices=Secrecy.choices, default=Secrecy.OPEN)
    results_hidden = models.BooleanField(default=False)
    reasons = models.CharField(max_length=10, choices=Reasons.choices, default=Reasons.OPTIONAL)
    threshold = models.CharField(max_length=30, choices=Threshold.choices, default="simple")
    quorum_percent = models.PositiveSmallIntegerField(default=0)
    minority_window_days = models.PositiveSmallIntegerField(default=7)
    early_close_allowed = models.BooleanField(default=False)
    min_anonymity = models.PositiveSmallIntegerField(default=MIN_ANONYMITY)
    # Frozen at opening: the ids of the memberships active then.
    electorate = models.JSONField(default=list)
    # Motion votes: the memberships who must answer blocks in writing.
    authors = models.JSONField(default=list)
    opened_by = models.ForeignKey(Membership, null=True, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result = models.JSONField(null=True, blank=True)
    # The anonymous ballots of a secret ballot, as published at close (sorted by tracker).
    published_ballots = models.JSONField(null=True, blank=True)
    block_answer = models.TextField(blank=True, max_length=10000)
    block_answered_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A quick proposal or poll, which any member may start where the policy allows; it may be
    # held inside an agenda item (shown on its page) without deciding it.
    quick = models.BooleanField(default=False)
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Fixed at opening: the area of the agenda its delegations are for (an item type, or "" for
    # the whole organisation), the mandates {member id: weight ≠ 1} and the delegation's rules
    # ({"transitive", "cap"}; None where delegation does not apply).
    area = models.CharField(max_length=40, blank=True)
    weights = models.JSONField(default=dict, blank=True)
    delegation = models.JSONField(null=True, blank=True)
    # Fixed at close: the weight each delegate carried and from whom, as the count used it.
    carried = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    @property
    def is_secret(self) -> bool:
        return self.secrecy == Secrecy.SECRET

    @property
    def is_ranked(self) -> bool:
        return self.method in ("schulze", "ranked-pairs", "irv", "stv")

    @property
    def hides_results(self) -> bool:
        """Secret ballots always hide their results until close."""
        return self.results_hidden or self.is_secret

    @property
    def minority_window_ends(self) -> Any:
        if self.closed_at is None:
            return None
        return self.closed_at + timedelta(days=self.minority_window_days)


class Option(models.Model):
    """A motion, a candidate, or the status quo; ``key`` is its number on the ballot."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="options")
    key = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200)
    is_status_quo = models.BooleanField(default=False)
    # Where the option comes from (e.g. an agenda motion), for the app that proposed it.
    source_kind = models.CharField(max_length=40, blank=True)
    source_id = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "key"], name="one_option_per_key"),
            models.UniqueConstraint(fields=["ballot", "label"], name="one_option_per_label"),
        ]

    def __str__(self) -> str:
        return self.label


class Vote(models.Model):
    """An open ballot's vote: the latest choices of one member (earlier ones are on the record)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="votes")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    choices = models.JSONField()
    reason = models.TextField(blank=True, max_length=5000)
    idempotency_key = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    # The proxy holder who cast it for ``member`` (None: the member themselves).
    cast_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "member"], name="one_vote_per_member"),
        ]

    def __str__(self) -> str:
        return f"vote of {self.member_id} on {self.ballot_id}"


class RunningCount(models.Model):
    """The running count of an open ballot whose results are shown while it runs.

    Each vote updates it in its own transaction (``decisions.running``), so that the ballot's
    page reads it instead of counting. A cache, never the source: the close counts the ballots.
    Ballots whose results are hidden (secret ones included) have none: nothing about their
    choices is kept, or shown, before the close.
    """

    ballot = models.OneToOneField(
        Ballot, primary_key=True, on_delete=models.CASCADE, related_name="running_count"
    )
    # Votes and changes of vote counted so far.
    version = models.PositiveIntegerField(default=0)
    turnout = models.PositiveIntegerField(default=0)
    # Weighted ballots (mandates, delegation): the weight of the ballots counted so far.
    represented = models.PositiveIntegerField(default=0)
    scores = models.JSONField(default=list)
    valid = models.PositiveIntegerField(default=0)
    # Competing motions: the pairwise matrix, little-endian int32, options × options.
    pairwise = models.BinaryField(null=True)
    # The result if the vote closed now, as of vote ``result_version``.
    result = models.JSONField(null=True)
    result_version = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"running count of {self.ballot_id}"


class Participation(models.Model):
    """Who took part in a secret ballot — and nothing about how."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="participations")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=100, blank=True)
    # The proxy holder who cast it for ``member`` (None: the member themselves).
    cast_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "member"], name="one_participation_per_member"
            ),
        ]

    def __str__(self) -> str:
        return f"participation of {self.member_id} in {self.ballot_id}"


def _random_id() -> str:
    return secrets.token_hex(16)


class SecretBallot(models.Model):
    """One anonymous ballot: no member, no time, a random id (insertion order is not kept).

    ``change_hash`` is the SHA-256 of the voter's receipt code, which only the voter holds;
    with it they can replace these choices before the close.
    """

    id = models.CharField(primary_key=True, max_length=32, default=_random_id, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="secret_ballots")
    choices = models.JSONField()
    reason = models.TextField(blank=True, max_length=5000)
    tracker = models.CharField(max_length=64)
    change_hash = models.CharField(max_length=64, unique=True)
    # The mandates of the member it was cast for (published beside it when not 1).
    weight = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["tracker"]

    def __str__(self) -> str:
        return f"secret ballot {self.tracker[:8]}"


class MinorityReport(models.Model):
    """Dissent filed after the close; frozen once filed (no service edits it)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="minority_reports")
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    text = models.TextField(max_length=20000)
    filed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["filed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "author"], name="one_report_per_author"),
        ]

    def __str__(self) -> str:
        return self.title


class CoSignature(models.Model):
    report = models.ForeignKey(MinorityReport, on_delete=models.PROTECT, related_name="cosigners")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "member"], name="one_cosignature_each"),
        ]

    def __str__(self) -> str:
        return f"co-signature of {self.member_id}"


class Proxy(models.Model):
    """A member's vote in one ballot, given to another member of its electorate.

    Deleted when the giver revokes it or votes themselves first (both on the record);
    ``used_at`` is set once the holder has voted for the giver, and it can no longer be revoked.
    """

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="proxies")
    giver = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["given_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "giver"], name="one_proxy_per_giver"),
            models.CheckConstraint(
                condition=~models.Q(giver=models.F("holder")), name="proxy_not_to_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"proxy of {self.giver_id} to {self.holder_id} on {self.ballot_id}"


class Delegation(models.Model):
    """A member's standing delegation, for the whole organisation (``area`` "") or one area of
    the agenda (an item type), to another member; in force until it ends or expires."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    delegator = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    delegate = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    area = models.CharField(max_length=40, blank=True)
    given_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # Revoked, or replaced by a new delegation for the same area.
    ended_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # When ``parrhesia due`` saw it expire and made the running counts again without it (a
    # renewal clears it): bookkeeping, not a change of the delegation, so not on the record.
    expiry_counted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["area", "given_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["delegator", "area"],
                condition=models.Q(ended_at__isnull=True),
                name="one_delegation_per_area",
            ),
            models.CheckConstraint(
                condition=~models.Q(delegator=models.F("delegate")),
                name="delegation_not_to_oneself",
            ),
        ]

    def __str__(self) -> str:
        return f"delegation of {self.delegator_id} to {self.delegate_id} ({self.area or '*'})"


class Mandate(models.Model):
    """A membership's voting weight (a section's delegate carrying its members' mandates)."""

    membership = models.OneToOneField(Membership, on_delete=models.PROTECT, related_name="+")
    weight = models.PositiveSmallIntegerField(default=1)
    reason = models.TextField(blank=True, max_length=2000)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"mandates of {self.membership_id}: {self.weight}"
