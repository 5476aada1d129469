"""Amendments: suggestions against a motion's version, rated by its supporters, adopted or
declined by its author, or withdrawn by theirs.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.agenda import notices
from parrhesia.agenda.actions import SUGGESTION_DECIDED, Action
from parrhesia.agenda.models import (
    Motion,
    MotionVersion,
    Rating,
    Suggestion,
    SuggestionRating,
    SuggestionStatus,
)
from parrhesia.agenda.rules import (
    is_supporter,
    motion_is_active,
    phase_allows_text,
    suggestion_is_open,
)
from parrhesia.agenda.selectors import members_insisting
from parrhesia.agenda.services._shared import (
    MOTION_TEXT_MAX,
    REASON_MAX,
    AgendaError,
    NotSupporter,
    PhaseClosed,
    SuggestionOutdated,
    TextInvalid,
    item_follow,
    item_locked,
    text_checked,
)
from parrhesia.agenda.services.motions import motion_version_add
from parrhesia.kernel.access import member_for
from parrhesia.methods.record.sealed import Sealed
from parrhesia.orgs.models import Membership
from parrhesia.record.services import record_append


def suggestion_file(*, user: User, motion: Motion, text: str, explanation: str = "") -> Suggestion:
    text = text_checked(text, limit=MOTION_TEXT_MAX, what=_("suggested text"))
    explanation = text_checked(explanation, limit=REASON_MAX, what=_("explanation"), required=False)
    with transaction.atomic():
        member = member_for(user, motion, "agenda.post")
        item = item_locked(motion.item)
        motion = Motion.objects.get(pk=motion.pk)
        if not phase_allows_text(user, item) or not motion_is_active(user, motion):
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
            action=Action.SUGGESTION_FILED,
            subject=("suggestion", suggestion.pk),
            payload={
                "motion": motion.pk,
                "version": motion.version,
                "text": Sealed(text),
                "explanation": Sealed(explanation),
            },
        )
        item_follow(item, member)
    return suggestion


def suggestion_rate(*, user: User, suggestion: Suggestion, rating: str) -> SuggestionRating:
    if rating not in Rating.values:
        raise AgendaError(_("Choose one of the ratings."))
    with transaction.atomic():
        motion = suggestion.motion
        member = member_for(user, suggestion, "agenda.take_part")
        item = item_locked(motion.item)
        if not phase_allows_text(user, item) or not suggestion_is_open(user, suggestion):
            raise PhaseClosed(_("This suggestion can no longer be rated."))
        if not is_supporter(user, motion):
            raise NotSupporter(_("Support the motion first: its supporters rate its suggestions."))
        rated, _created = SuggestionRating.objects.update_or_create(
            suggestion=suggestion,
            member=member,
            defaults={"rating": rating, "updated_at": timezone.now()},
        )
        record_append(
            organisation=item.organisation,
            actor=member,
            action=Action.SUGGESTION_RATED,
            subject=("suggestion", suggestion.pk),
            payload={"rating": rating},
        )
    return rated


def _suggestion_decidable(user: User, suggestion: Suggestion) -> tuple[Membership, Motion]:
    motion = suggestion.motion
    member = member_for(user, suggestion, "agenda.decide_suggestion")
    item = item_locked(motion.item)
    if not phase_allows_text(user, item):
        raise PhaseClosed(_("The texts are fixed: the discussion is over."))
    if Suggestion.objects.get(pk=suggestion.pk).status != SuggestionStatus.OPEN:
        raise AgendaError(_("This suggestion was already decided."))
    return member, Motion.objects.select_for_update().get(pk=motion.pk)


def suggestion_adopt(*, user: User, suggestion: Suggestion, reason: str = "") -> MotionVersion:
    """The author adopts a suggestion: its text becomes the motion's next version."""
    reason = text_checked(reason, limit=REASON_MAX, what=_("reason"), required=False)
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
        version = motion_version_add(
            user=user, motion=motion, member=member, text=suggestion.text, note=note
        )
        _suggestion_decide(suggestion, SuggestionStatus.ADOPTED, reason, member, version.number)
    return version


def suggestion_decline(*, user: User, suggestion: Suggestion, reason: str) -> Suggestion:
    """The author declines publicly, with a reason; supporters who rated it "must" are told."""
    reason = text_checked(reason, limit=REASON_MAX, what=_("reason"))
    with transaction.atomic():
        member, motion = _suggestion_decidable(user, suggestion)
        _suggestion_decide(suggestion, SuggestionStatus.DECLINED, reason, member, None)
        notices.notify_item(
            [m.user for m in members_insisting(suggestion)],
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
        action=SUGGESTION_DECIDED[SuggestionStatus(status)],
        subject=("suggestion", suggestion.pk),
        payload={"reason": Sealed(reason), "version": version},
    )


def suggestion_withdraw(*, user: User, suggestion: Suggestion) -> Suggestion:
    """Its author withdraws an open suggestion; a tombstone keeps its place and number."""
    with transaction.atomic():
        motion = suggestion.motion
        member = member_for(user, suggestion, "agenda.withdraw_suggestion")
        suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        if not suggestion_is_open(user, suggestion):
            raise AgendaError(_("Only an open suggestion can be withdrawn."))
        suggestion.status, suggestion.decided_at = SuggestionStatus.WITHDRAWN, timezone.now()
        suggestion.save(update_fields=["status", "decided_at"])
        record_append(
            organisation=motion.item.organisation,
            actor=member,
            action=Action.SUGGESTION_WITHDRAWN,
            subject=("suggestion", suggestion.pk),
            payload={"motion": motion.pk},
        )
    return suggestion
