"""Conversations: statements, participants, votes, and the cached opinion map.

A *participant* is whoever votes in one conversation: a member of the organisation or, in a
conversation imported from Polis, an *external participant* known only by their Polis id (they
have no account and can do nothing here). Votes belong to participants, so the vote matrix has
one row per participant whichever kind they are.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parrhesia.orgs.models import Membership, Organisation

STATEMENT_MAX = 280


class Conversation(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="conversations"
    )
    topic = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    # What the conversation is attached to, e.g. ("agenda_item", "12"); both blank when nothing.
    # A plain reference rather than a foreign key so that this app depends on no other domain.
    attached_kind = models.CharField(max_length=40, blank=True)
    attached_id = models.CharField(max_length=40, blank=True)
    opened_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_reason = models.TextField(blank=True, max_length=2000)
    imported_from = models.CharField(max_length=40, blank=True)  # "polis" for an import
    # Pseudonymous by default: the record and the Polis export name a voter (and a statement's
    # author) by their participant number in this conversation, never by member id or name.
    # An admin may open a conversation with named votes; it is fixed once opened (docs/opinion.md).
    named_votes = models.BooleanField(_("named votes"), default=False)
    # Every vote bumps votes_cast (taking this row's lock), so the analysis task can tell
    # whether votes arrived while it ran; analysis_queued is true while a task is queued or
    # running (at most one per conversation).
    votes_cast = models.PositiveBigIntegerField(default=0)
    analysis_queued = models.BooleanField(default=False)

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return self.topic

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Participant(models.Model):
    """One voter in one conversation: a member, or an external participant of an import."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.PROTECT, related_name="participants"
    )
    number = models.PositiveIntegerField()  # the Polis participant id of exports
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    external_id = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["conversation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "number"], name="one_participant_per_number"
            ),
            models.UniqueConstraint(
                fields=["conversation", "membership"],
                condition=Q(membership__isnull=False),
                name="one_participant_per_member",
            ),
            models.CheckConstraint(
                condition=Q(membership__isnull=False, external_id="")
                | Q(membership__isnull=True) & ~Q(external_id=""),
                name="participant_member_or_external",
            ),
        ]

    def __str__(self) -> str:
        return f"participant {self.number} of {self.conversation_id}"


class Mark(models.TextChoices):
    NONE = "", _("None")
    OFF_TOPIC = "off_topic", _("Off-topic")
    META = "meta", _("Meta")


class Statement(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.PROTECT, related_name="statements"
    )
    number = models.PositiveIntegerField()  # the Polis comment id of exports
    # Members write at most STATEMENT_MAX characters (checked by the service); statements
    # imported from Polis keep their full text.
    text = models.TextField(_("statement"))
    author = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.PROTECT, related_name="statements"
    )
    is_seed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # A steward's mark, always with its reason; marked statements stay listed in their section.
    mark = models.CharField(max_length=10, choices=Mark.choices, blank=True, default=Mark.NONE)
    mark_reason = models.TextField(blank=True, max_length=2000)
    marked_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(null=True, blank=True)
    # Current votes, kept by the vote service and the import (the same transaction as the votes):
    # pages and the next-statement card read them instead of counting a conversation's votes.
    n_agree = models.PositiveIntegerField(default=0)
    n_disagree = models.PositiveIntegerField(default=0)
    n_pass = models.PositiveIntegerField(default=0)
    n_changed = models.PositiveIntegerField(default=0)  # votes changed at least once

    class Meta:
        ordering = ["conversation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "number"], name="one_statement_per_number"
            ),
            models.CheckConstraint(
                condition=Q(mark="") | ~Q(mark_reason=""), name="statement_mark_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class VoteValue(models.IntegerChoices):
    AGREE = 1, _("Agree")
    DISAGREE = -1, _("Disagree")
    PASS = 0, _("Pass / unsure")


VOTE_NAMES = {VoteValue.AGREE: "agree", VoteValue.DISAGREE: "disagree", VoteValue.PASS: "pass"}


class Vote(models.Model):
    """A participant's current vote on a statement; every cast is also kept in VoteCast."""

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="votes")
    value = models.SmallIntegerField(choices=VoteValue.choices)
    changes = models.PositiveIntegerField(default=0)  # times the value was changed
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "statement"], name="one_vote_per_participant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} on {self.statement_id}: {self.value}"


class VoteCast(models.Model):
    """The history of votes: one row per cast, never changed (Polis's votes.csv)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="+")
    value = models.SmallIntegerField(choices=VoteValue.choices)
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["conversation", "id"]

    def __str__(self) -> str:
        return f"{self.participant_id} on {self.statement_id}: {self.value}"


class Analysis(models.Model):
    """The newest opinion map of a conversation and its version (the engine's warm state is
    kept apart, in :class:`AnalysisState`)."""

    conversation = models.OneToOneField(
        Conversation, on_delete=models.PROTECT, related_name="analysis"
    )
    version = models.PositiveIntegerField(default=0)
    votes_cast = models.PositiveBigIntegerField(default=0)  # the conversation's count it saw
    computed_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict)  # what the pages show (see analysis.py)

    class Meta:
        verbose_name_plural = "analyses"

    def __str__(self) -> str:
        return f"analysis v{self.version} of {self.conversation_id}"


class AnalysisState(models.Model):
    """The engine's warm state for a conversation's next analysis (``ModelState.to_json()`` as
    zlib-compressed JSON). Its own table, which no page reads; only a warm start, so it may be
    one run newer than the stored result without harm."""

    conversation = models.OneToOneField(
        Conversation, on_delete=models.PROTECT, primary_key=True, related_name="+"
    )
    packed = models.BinaryField()

    def __str__(self) -> str:
        return f"analysis state of {self.conversation_id}"
