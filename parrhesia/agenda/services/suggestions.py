"""Amendments: suggestions against a motion's version, rated by its supporters, adopted or
declined by its author, or withdrawn by theirs.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.agenda import notices
from parrhesia.agenda.models import (
    Motion,
    MotionVersion,
    Rating,
    Suggestion,
    SuggestionRating,
    SuggestionStatus,
    Support,
)
from parrhesia.agenda.services.base import (
    MOTION_TEXT_MAX,
    REASON_MAX,
    AgendaError,
    NotSupporter,
    PhaseClosed,
    SuggestionOutdated,
    TextInvalid,
    _follow,
    _locked,
    _require,
    _text,
)
from parrhesia.agenda.services.motions import _motion_new_version
from parrhesia.orgs.models import Membership
from parrhesia.record.services import record_append


def suggestion_file(*, user: User, motion: Motion, text: str, explanation: str = "") -> Suggestion:
    text = _text(text, limit=MOTION_TEXT_MAX, what=_("suggested text"))
    explanation = _text(explanation, limit=REASON_MAX, what=_("explanation"), required=False)
    with transaction.atomic():
        member = _require(user, "agenda.post", motion.item.organisation)
        item = _locked(motion.item)
        motion = Motion.objects.get(pk=motion.pk)
        if not item.is_open_for_text or not motion.is_active:
            raise PhaseClosed(_("Suggestions can be made only while the texts are open."))
        if motion.versions.get(number=motion.version).text == text.strip():
            raise TextInvalid(_("The suggested text is the same as the motion's."))
        suggestion = Suggestion.objects.create(
            motion=motion,
            author=member,
            base_version=motion.version,
            text=text,
            explanation=explanation,
        )
        record_append(
            organisation=item.organisation,
            actor=member,
            action="suggestion.filed",
            subject=("suggestion", suggestion.pk),
            payload={
                "motion": motion.pk,
                "version": motion.version,
                "text": text,
                "explanation": explanation,
            },
        )
        _follow(item, member)
    return suggestion


def suggestion_rate(*, user: User, suggestion: Suggestion, rating: str) -> SuggestionRating:
    if rating not in Rating.values:
        raise AgendaError(_("Choose one of the ratings."))
    with transaction.atomic():
        motion = suggestion.motion
        member = _require(user, "agenda.take_part", motion.item.organisation)
        item = _locked(motion.item)
        if not item.is_open_for_text or suggestion.status != SuggestionStatus.OPEN:
            raise PhaseClosed(_("This suggestion can no longer be rated."))
        if not Support.objects.filter(motion=motion, member=member).exists():
            raise NotSupporter(_("Support the motion first: its supporters rate its suggestions."))
        rated, _created = SuggestionRating.objects.update_or_create(
            suggestion=suggestion,
            member=member,
            defaults={"rating": rating, "updated_at": timezone.now()},
        )
        record_append(
            organisation=item.organisation,
            actor=member,
            action="suggestion.rated",
            subject=("suggestion", suggestion.pk),
            payload={"rating": rating},
        )
    return rated


def _suggestion_decidable(user: User, suggestion: Suggestion) -> tuple[Membership, Motion]:
    motion = suggestion.motion
    member = _require(user, "agenda.take_part", motion.item.organisation)
    if motion.author_id != member.pk:
        raise PermissionDenied
    item = _locked(motion.item)
    if not item.is_open_for_text:
        raise PhaseClosed(_("The texts are fixed: the discussion is over."))
    if Suggestion.objects.get(pk=suggestion.pk).status != SuggestionStatus.OPEN:
        raise AgendaError(_("This suggestion was already decided."))
    return member, Motion.objects.select_for_update().get(pk=motion.pk)


def suggestion_adopt(*, user: User, suggestion: Suggestion, reason: str = "") -> MotionVersion:
    """The author adopts a suggestion: its text becomes the motion's next version."""
    reason = _text(reason, limit=REASON_MAX, what=_("reason"), required=False)
    with transaction.atomic():
        member, motion = _suggestion_decidable(user, suggestion)
        if suggestion.base_version != motion.version:
            raise SuggestionOutdated(
                _(
                    "This suggestion was written against version %(base)s; the motion is now at "
                    "version %(current)s. Its author can file it again against the new text."
                )
                % {"base": suggestion.base_version, "current": motion.version}
            )
        note = _("Adopted suggestion #%(number)s.") % {"number": suggestion.pk}
        version = _motion_new_version(motion=motion, member=member, text=suggestion.text, note=note)
        _suggestion_decide(suggestion, SuggestionStatus.ADOPTED, reason, member, version.number)
    return version


def suggestion_decline(*, user: User, suggestion: Suggestion, reason: str) -> Suggestion:
    """The author declines publicly, with a reason; supporters who rated it "must" are told."""
    reason = _text(reason, limit=REASON_MAX, what=_("reason"))
    with transaction.atomic():
        member, motion = _suggestion_decidable(user, suggestion)
        _suggestion_decide(suggestion, SuggestionStatus.DECLINED, reason, member, None)
        insisting = Membership.objects.filter(
            pk__in=suggestion.ratings.filter(rating=Rating.MUST).values("member")
        ).select_related("user")
        notices.notify_item(
            [m.user for m in insisting],
            organisation=motion.item.organisation,
            item=motion.item,
            kind="suggestion_declined",
            params={"motion": motion.title, "reason": reason},
            url=reverse("agenda:motion", args=[motion.item.organisation.slug, motion.pk]),
        )
    return suggestion


def _suggestion_decide(
    suggestion: Suggestion, status: str, reason: str, member: Membership, version: int | None
) -> None:
    suggestion.status, suggestion.decided_reason = status, reason
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "decided_reason", "decided_at"])
    record_append(
        organisation=suggestion.motion.item.organisation,
        actor=member,
        action=f"suggestion.{status}",
        subject=("suggestion", suggestion.pk),
        payload={"reason": reason, "version": version},
    )


def suggestion_withdraw(*, user: User, suggestion: Suggestion) -> Suggestion:
    """Its author withdraws an open suggestion; a tombstone keeps its place and number."""
    with transaction.atomic():
        motion = suggestion.motion
        member = _require(user, "agenda.take_part", motion.item.organisation)
        suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        if suggestion.author_id != member.pk:
            raise PermissionDenied
        if suggestion.status != SuggestionStatus.OPEN:
            raise AgendaError(_("Only an open suggestion can be withdrawn."))
        suggestion.status, suggestion.decided_at = SuggestionStatus.WITHDRAWN, timezone.now()
        suggestion.save(update_fields=["status", "decided_at"])
        record_append(
            organisation=motion.item.organisation,
            actor=member,
            action="suggestion.withdrawn",
            subject=("suggestion", suggestion.pk),
            payload={"motion": motion.pk},
        )
    return suggestion
