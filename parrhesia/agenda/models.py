"""Deliberation: agenda items with competing motions, amendments, argument maps, open questions.

Nothing here is ever deleted or overwritten in place: texts keep their revisions, withdrawn
contributions leave a tombstone, and every change is on the public record (see services/).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from parrhesia.kernel.cells import web_address
from parrhesia.orgs.models import Membership, Organisation

STALE_AFTER = timedelta(days=90)


class ItemPolicy(models.Model):
    """Phase durations and quorums for one type of agenda item; each item copies them at opening."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="agenda_policies"
    )
    item_type = models.CharField(_("item type"), max_length=40)
    admission_days = models.PositiveIntegerField(_("admission (days)"), default=14)
    admission_quorum_percent = models.PositiveIntegerField(_("admission quorum (%)"), default=10)
    alternative_quorum_percent = models.PositiveIntegerField(_("alternative quorum (%)"), default=5)
    discussion_days = models.PositiveIntegerField(_("discussion (days)"), default=7)
    frozen_days = models.PositiveIntegerField(_("frozen (days)"), default=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "item_type"], name="one_policy_per_item_type"
            ),
        ]
        ordering = ["item_type"]

    def __str__(self) -> str:
        return self.item_type


class Phase(models.TextChoices):
    ADMISSION = "admission", _("Admission")
    DISCUSSION = "discussion", _("Discussion")
    FROZEN = "frozen", _("Frozen")
    READY = "ready", _("Ready for vote")
    VOTING = "voting", _("Voting")
    DECIDED = "decided", pgettext_lazy("agenda item phase", "Decided")
    # French agrees these with the item (« point », masculine), motions are feminine.
    LAPSED = "lapsed", pgettext_lazy("agenda item phase", "Lapsed")
    WITHDRAWN = "withdrawn", pgettext_lazy("agenda item phase", "Withdrawn")


TIMED_PHASES = (Phase.ADMISSION, Phase.DISCUSSION, Phase.FROZEN)
OPEN_FOR_TEXT = (Phase.ADMISSION, Phase.DISCUSSION)
CLOSED_PHASES = (Phase.DECIDED, Phase.LAPSED, Phase.WITHDRAWN)


class AgendaItem(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="agenda_items"
    )
    title = models.CharField(_("title"), max_length=200)
    item_type = models.CharField(_("item type"), max_length=40, default="general")
    opened_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    phase = models.CharField(max_length=12, choices=Phase.choices, default=Phase.ADMISSION)
    phase_started_at = models.DateTimeField(default=timezone.now)
    phase_ends_at = models.DateTimeField(null=True, blank=True)
    # The policy as it stood at opening, and the quorums counted at each phase's start.
    admission_days = models.PositiveIntegerField()
    discussion_days = models.PositiveIntegerField()
    frozen_days = models.PositiveIntegerField()
    admission_quorum_percent = models.PositiveIntegerField()
    alternative_quorum_percent = models.PositiveIntegerField()
    members_at_admission = models.PositiveIntegerField(default=0)
    admission_quorum = models.PositiveIntegerField(default=1)
    members_at_discussion = models.PositiveIntegerField(null=True, blank=True)
    alternative_quorum = models.PositiveIntegerField(null=True, blank=True)
    closing_reason = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    decision_ref = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["phase", "phase_ends_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_timed(self) -> bool:
        return self.phase in TIMED_PHASES

    @property
    def is_open_for_text(self) -> bool:
        return self.phase in OPEN_FOR_TEXT

    @property
    def is_closed(self) -> bool:
        """Decided, lapsed or withdrawn: nothing of it changes any more."""
        return self.phase in CLOSED_PHASES


class MotionStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("motion status", "Active")
    WITHDRAWN = "withdrawn", _("Withdrawn by the author")
    LAPSED = "lapsed", pgettext_lazy("motion status", "Lapsed")


class Motion(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="motions")
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    is_alternative = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=MotionStatus.choices, default=MotionStatus.ACTIVE
    )
    status_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status == MotionStatus.ACTIVE


class MotionVersion(models.Model):
    """One version of a motion's text; versions are never changed once written."""

    motion = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    html = models.TextField()
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["motion", "number"]
        constraints = [
            models.UniqueConstraint(fields=["motion", "number"], name="one_motion_version"),
        ]

    def __str__(self) -> str:
        return f"{self.motion_id} v{self.number}"


class Support(models.Model):
    motion = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="supports")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["motion", "member"], name="one_support_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} supports {self.motion_id}"


class SuggestionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("suggestion status", "Open")
    ADOPTED = "adopted", _("Adopted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn by the author")


class Suggestion(models.Model):
    """A proposed new text for a motion, written against one version of it."""

    motion = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="suggestions")
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    base_version = models.PositiveIntegerField()
    text = models.TextField()
    explanation = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN
    )
    decided_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["motion", "id"]

    def __str__(self) -> str:
        return f"suggestion {self.pk}"


class Rating(models.TextChoices):
    MUST = "must", _("Must")
    SHOULD = "should", _("Should")
    NEUTRAL = "neutral", _("Neutral")
    SHOULD_NOT = "should_not", _("Should not")
    MUST_NOT = "must_not", _("Must not")


class SuggestionRating(models.Model):
    suggestion = models.ForeignKey(Suggestion, on_delete=models.PROTECT, related_name="ratings")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=10, choices=Rating.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "member"], name="one_rating_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} rates {self.suggestion_id} {self.rating}"


class Stance(models.TextChoices):
    PRO = "pro", _("For")
    CON = "con", _("Against")
    REBUTTAL = "rebuttal", _("Rebuttal")
    SUPPORT = "support", _("Support")


TOP_STANCES = (Stance.PRO, Stance.CON)
REPLY_STANCES = (Stance.REBUTTAL, Stance.SUPPORT)


class Argument(models.Model):
    motion = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="arguments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    stance = models.CharField(max_length=10, choices=Stance.choices)
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    html = models.TextField()
    revision = models.PositiveIntegerField(default=1)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["motion", "id"]

    def __str__(self) -> str:
        return f"argument {self.pk}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class ArgumentRevision(models.Model):
    """Every text an argument has had, the first included."""

    argument = models.ForeignKey(Argument, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["argument", "number"]
        constraints = [
            models.UniqueConstraint(fields=["argument", "number"], name="one_argument_revision"),
        ]

    def __str__(self) -> str:
        return f"{self.argument_id} r{self.number}"


class Endorsement(models.Model):
    argument = models.ForeignKey(Argument, on_delete=models.PROTECT, related_name="endorsements")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["argument", "member"], name="one_endorsement_per_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} endorses {self.argument_id}"


class ChallengeKind(models.TextChoices):
    SOURCE = "source", _("Source?")
    MISQUOTED = "misquoted", _("Not what was said")
    NON_SEQUITUR = "non_sequitur", _("Does not follow")
    OTHER = "other", _("Other")


class Challenge(models.Model):
    """A question put to an argument; it stays attached, answered or not."""

    argument = models.ForeignKey(Argument, on_delete=models.PROTECT, related_name="challenges")
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=ChallengeKind.choices)
    text = models.TextField(blank=True)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["argument", "id"]

    def __str__(self) -> str:
        return f"challenge {self.pk}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class QuestionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("question status", "Open")
    STUDYING = "studying", _("Being studied")
    ANSWERED = "answered", _("Answered")
    SET_ASIDE = "set_aside", _("Set aside")


class Question(models.Model):
    """An entry in the register of things the organisation has no answer for yet."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="open_questions"
    )
    title = models.CharField(_("question"), max_length=300)
    text = models.TextField(_("details"), blank=True)
    html = models.TextField(blank=True)
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.OPEN
    )
    studied_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer_link = models.CharField(max_length=500, blank=True)
    status_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    touched_at = models.DateTimeField(default=timezone.now)
    # The author may withdraw it; a "withdrawn by the author" tombstone keeps its place.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-touched_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def answer_url(self) -> str:
        """The answer's link when it may be a link (http/https), else "": shown as text."""
        return self.answer_link if web_address(self.answer_link) else ""

    def is_stale(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.status in (QuestionStatus.OPEN, QuestionStatus.STUDYING) and (
            now - self.touched_at >= STALE_AFTER
        )


class LinkKind(models.TextChoices):
    ITEM = "item", _("Agenda item")
    MOTION = "motion", _("Motion")
    ARGUMENT = "argument", _("Argument")
    DECISION = "decision", _("Decision")


class QuestionLink(models.Model):
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="links")
    kind = models.CharField(max_length=10, choices=LinkKind.choices)
    target_id = models.PositiveBigIntegerField()
    # The agenda item the target belongs to, so an item lists the questions it leaves open.
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="question_links"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question", "kind", "target_id"], name="one_link_per_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} → {self.kind} {self.target_id}"


class FollowUpStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    ABANDONED = "abandoned", _("Abandoned")


class FollowUp(models.Model):
    """One dated update of what became of a decision."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="follow_ups")
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=FollowUpStatus.choices)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"follow-up {self.pk}"


class ItemFollow(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="follows")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="one_follow_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} follows {self.item_id}"
