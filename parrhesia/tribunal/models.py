"""Cases, juries, verdicts, and the measures they take on content and members.

Content is never destroyed: hiding it is a row here (:class:`ContentMeasure`) that always points
at the case that decided or ordered it.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from parrhesia.kernel.content import UnknownContent, reportable_of
from parrhesia.orgs.models import Membership, MembershipStatus, Organisation

DEFAULT_URGENT_CATEGORIES = [
    "personal_data",
    "threats_of_violence",
    "unlawful_content",
]
# An interim measure in these categories never lapses: it holds until the case is decided (a
# dismissal, the verdict, or the jury lifting it), since re-exposing personal data is what the
# measure is there to prevent.
HELD_UNTIL_DECIDED = frozenset({"personal_data"})
URGENT_LABELS = {
    "personal_data": _("publishing someone's personal data"),
    "threats_of_violence": _("threats of violence"),
    "unlawful_content": _("unlawful content"),
}
EXPELLED = MembershipStatus.EXPELLED  # a Membership.status written only by a verdict
# The recusal reason of a juror replaced by the clock, as the record states it (in English).
LAPSED_REASON = "did not vote by the deadline"


def _default_urgent() -> list[str]:
    return list(DEFAULT_URGENT_CATEGORIES)


class TribunalSettings(models.Model):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="tribunal_settings"
    )
    jury_size = models.PositiveSmallIntegerField(default=5)
    defence_days = models.PositiveSmallIntegerField(default=5)
    min_membership_days = models.PositiveSmallIntegerField(default=30)
    interim_hours = models.PositiveSmallIntegerField(default=72)
    appeal_days = models.PositiveSmallIntegerField(default=183)
    # days a jury has to decide once it may vote (the defence closed); replacements get half
    jury_days = models.PositiveSmallIntegerField(default=14)
    urgent_categories = models.JSONField(default=_default_urgent)

    def __str__(self) -> str:
        return f"tribunal settings of {self.organisation_id}"

    @property
    def appeal_jury_size(self) -> int:
        return 2 * self.jury_size + 1

    @property
    def replacement_days(self) -> int:
        """The fresh deadline of a jury whose silent jurors were replaced: half, at least 2."""
        return max(2, -(-self.jury_days // 2))


class Phase(models.TextChoices):
    DEFENCE = "defence", _("Notice and defence")
    DISMISSED = "dismissed", _("Dismissed by a steward")
    DELIBERATION = "deliberation", _("Jury deliberating")
    DECIDED = "decided", _("Decided (open to appeal)")
    APPEAL = "appeal", _("On appeal")
    FINAL = "final", _("Final")


class Sanction(models.TextChoices):
    NONE = "none", _("No breach: no sanction")
    WARNING = "warning", _("Warning")
    HIDE = "hide", _("Hide the content (click to view)")
    SUSPENSION = "suspension", _("Posting suspension")
    EXPULSION = "expulsion", _("Expulsion")


SEVERITY = [Sanction.NONE, Sanction.WARNING, Sanction.HIDE, Sanction.SUSPENSION, Sanction.EXPULSION]


class Case(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    summary = models.CharField(max_length=200)
    accused = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reporter = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    # The accused's public pseudonym when the content is published under one (a participant
    # number of a pseudonymous conversation): the public sees that, never the member.
    accused_pseudonym = models.CharField(max_length=40, blank=True, default="")
    anonymity_requested = models.BooleanField(default=False)
    anonymity_granted = models.BooleanField(null=True)  # None: not (yet) decided
    anonymity_reason = models.TextField(blank=True)
    rules_cited = models.JSONField(default=list)
    code_version = models.PositiveIntegerField()
    description = models.TextField(max_length=5000)
    evidence = models.TextField(blank=True, max_length=5000)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.DEFENCE)
    opened_at = models.DateTimeField(default=timezone.now)
    defence_deadline = models.DateTimeField()
    defence_extended = models.BooleanField(default=False)
    defence_closed_at = models.DateTimeField(null=True, blank=True)
    # stewards who acted on the case (dismissal, interim measure): never its jurors
    acting_stewards = models.JSONField(default=list)
    dismissal_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="one_case_number"),
        ]

    def __str__(self) -> str:
        return f"case {self.number}"

    @property
    def kind_label(self) -> str:
        """What is at issue, in the reader's language."""
        try:
            return str(reportable_of(self.kind).label)
        except UnknownContent:
            return self.kind

    @property
    def reporter_hidden(self) -> bool:
        """The reporter's identity stays hidden while anonymity is asked for or granted."""
        return self.anonymity_requested and self.anonymity_granted is not False

    @property
    def accused_hidden(self) -> bool:
        """The accused is known in public only by the pseudonym of the content reported."""
        return bool(self.accused_pseudonym) and self.accused_id is not None

    @property
    def party_ids(self) -> set[int]:
        """The reporter, the accused and their advocate (who may not act as a steward or sit
        as a juror in the case)."""
        return self.party_ids_with(getattr(self, "defence", None))

    def party_ids_with(self, defence: Defence | None) -> set[int]:
        """:attr:`party_ids`, the advocate as named in ``defence`` (the case's, as it stands)."""
        parties = {self.reporter_id}
        if self.accused_id:
            parties.add(self.accused_id)
        if defence is not None and defence.advocate_id:
            parties.add(defence.advocate_id)
        return parties


class Defence(models.Model):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="defence")
    statement = models.TextField(max_length=10000)
    evidence = models.TextField(blank=True, max_length=5000)
    advocate = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"defence in case {self.case_id}"


class ConflictDeclaration(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="conflicts")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=2000)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "member"], name="one_conflict_per_member"),
        ]

    def __str__(self) -> str:
        return f"conflict of {self.member_id} in case {self.case_id}"


class JuryUnavailability(models.Model):
    """A member's private word that they cannot sit on a jury now (docs/tribunal.md §4): the lot
    passes over them as over a hidden reporter, and a draw's ``withheld`` counts them without
    naming them, so a member passed over is "unavailable or a hidden party". Nobody else sees it
    and it is not on the record. It holds through ``until`` (a date in the organisation's time,
    inclusive), or until they take it back."""

    member = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="jury_unavailability"
    )
    until = models.DateField(null=True, blank=True)
    set_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"member {self.member_id} unavailable for juries"

    def holds_on(self, day: Any) -> bool:
        return self.until is None or self.until >= day


class Round(models.TextChoices):
    FIRST = "jury", _("Jury")
    APPEAL = "appeal", _("Appeal jury")


class Jury(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="juries")
    round = models.CharField(max_length=10, choices=Round.choices)
    size = models.PositiveSmallIntegerField()
    drawn_at = models.DateTimeField(default=timezone.now)
    room_private = models.BooleanField(default=False)
    room_private_reason = models.TextField(blank=True)
    appeal_material = models.TextField(blank=True, max_length=10000)
    appellant = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set once the jury may vote (the defence closed): jurors who have not voted by then are
    # replaced by lot; they are reminded at ``reminder_at`` (cleared once reminded).
    deliberation_deadline = models.DateTimeField(null=True, blank=True)
    reminder_at = models.DateTimeField(null=True, blank=True)
    # the deadline passed and too few eligible members were left to replace the silent jurors
    stuck_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # the verdict, once decided: {rule number (str): breached}, sanction, days, vote counts
    breaches = models.JSONField(default=dict)
    sanction = models.CharField(max_length=12, choices=Sanction.choices, blank=True)
    suspension_days = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["case", "drawn_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="one_jury_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.round} of case {self.case_id}"


class Juror(models.Model):
    jury = models.ForeignKey(Jury, on_delete=models.PROTECT, related_name="jurors")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    draw = models.CharField(max_length=20)  # the draw's round label: "jury", "replacement-1"…
    recused_at = models.DateTimeField(null=True, blank=True)
    recusal_reason = models.TextField(blank=True)
    # the juror's vote: {rule number (str): breached}, sanction, reasons (mandatory), dissent
    voted_at = models.DateTimeField(null=True, blank=True)
    breaches = models.JSONField(default=dict)
    sanction = models.CharField(max_length=12, choices=Sanction.choices, blank=True)
    suspension_days = models.PositiveSmallIntegerField(default=0)
    reasons = models.TextField(blank=True, max_length=10000)
    keep_room_private = models.BooleanField(default=False)
    privacy_reason = models.TextField(blank=True, max_length=2000)
    # the juror finds that the content publishes someone's personal data: a majority, with a
    # breach, erases its text everywhere (services/erasure.py)
    personal_data = models.BooleanField(default=False)
    confirms_interim = models.BooleanField(null=True)
    grants_anonymity = models.BooleanField(null=True)
    anonymity_reason = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["jury", "id"]
        constraints = [
            models.UniqueConstraint(fields=["jury", "member"], name="one_seat_per_member"),
        ]

    def __str__(self) -> str:
        return f"juror {self.member_id} of {self.jury_id}"

    @property
    def sitting(self) -> bool:
        return self.recused_at is None

    @property
    def lapsed(self) -> bool:
        """Replaced by the clock (no vote by the jury's deadline) rather than recused."""
        return self.recused_at is not None and self.recusal_reason == LAPSED_REASON


class RoomMessage(models.Model):
    jury = models.ForeignKey(Jury, on_delete=models.PROTECT, related_name="messages")
    juror = models.ForeignKey(Juror, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=5000)
    posted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["posted_at", "id"]

    def __str__(self) -> str:
        return f"message {self.pk} in {self.jury_id}"


class MeasureSource(models.TextChoices):
    INTERIM = "interim", _("Interim measure")
    VERDICT = "verdict", _("Verdict")


# Why a measure ended (ContentMeasure.end); a measure is feminine in French.
MEASURE_ENDS = {
    "lapsed": pgettext_lazy("content measure end", "lapsed"),
    "lifted": pgettext_lazy("content measure end", "lifted"),
    "superseded": pgettext_lazy("content measure end", "superseded by the verdict"),
    "reversed": pgettext_lazy("content measure end", "reversed on appeal"),
}


class ContentMeasure(models.Model):
    """Content hidden by a case: an interim measure or a verdict. Ended rows stay as history."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="content_measures"
    )
    kind = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="measures")
    source = models.CharField(max_length=10, choices=MeasureSource.choices)
    category = models.CharField(max_length=40, blank=True)
    taken_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    taken_at = models.DateTimeField(default=timezone.now)
    lapses_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end = models.CharField(max_length=20, blank=True)  # a key of MEASURE_ENDS

    class Meta:
        ordering = ["-taken_at", "-id"]
        indexes = [models.Index(fields=["kind", "object_id"], name="measure_content")]

    def __str__(self) -> str:
        return f"{self.source} on {self.kind} {self.object_id}"

    def is_active(self, now: Any = None) -> bool:
        return self.ended_at is None

    @property
    def end_label(self) -> str:
        return str(MEASURE_ENDS.get(self.end, self.end))

    @property
    def held_until_decided(self) -> bool:
        """An interim measure that never lapses (personal data): only the case's outcome ends it."""
        return self.source == MeasureSource.INTERIM and self.category in HELD_UNTIL_DECIDED


class Suspension(models.Model):
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="suspensions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["member", "ends_at"], name="suspension_member")]

    def __str__(self) -> str:
        return f"suspension of {self.member_id} until {self.ends_at}"
