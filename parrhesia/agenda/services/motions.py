"""Motions: filing an alternative, support (which may admit the item), revision, withdrawal."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.agenda import notices, search
from parrhesia.agenda.actions import Action, supporters_facts
from parrhesia.agenda.models import AgendaItem, Motion, MotionStatus, MotionVersion, Phase, Support
from parrhesia.agenda.rules import motion_is_active, phase_allows_text
from parrhesia.agenda.services._shared import (
    MOTION_TEXT_MAX,
    REASON_MAX,
    TITLE_MAX,
    AgendaError,
    PhaseClosed,
    TextInvalid,
    item_follow,
    item_locked,
    text_checked,
)
from parrhesia.agenda.services.phases import item_admit_if_quorum, item_close
from parrhesia.agenda.texts import markdown_html
from parrhesia.kernel.access import member_for
from parrhesia.methods.record.sealed import Sealed
from parrhesia.orgs.models import Membership
from parrhesia.record.services import record_append


def motion_create(
    *, item: AgendaItem, member: Membership, title: str, text: str, alternative: bool
) -> Motion:
    """File a motion with its first version and its author's own support, on the record; in the
    caller's transaction, after the caller checked who may and when."""
    motion = Motion.objects.create(
        item=item, title=title, author=member, is_alternative=alternative
    )
    MotionVersion.objects.create(motion=motion, number=1, text=text, html=markdown_html(text))
    record_append(
        organisation=item.organisation,
        actor=member,
        action=Action.MOTION_FILED,
        subject=("motion", motion.pk),
        payload={
            "item": item.pk,
            "title": title,
            "text": Sealed(text),
            "alternative": alternative,
        },
    )
    search.index_put(item.organisation, "motion", motion.pk, title, text)
    # Authors support their own motion, as in LiquidFeedback.
    Support.objects.create(motion=motion, member=member)
    record_append(
        organisation=item.organisation,
        actor=member,
        action=Action.MOTION_SUPPORTED,
        subject=("motion", motion.pk),
        payload=supporters_facts(1),
    )
    item_follow(item, member)
    return motion


def motion_file_alternative(*, user: User, item: AgendaItem, title: str, text: str) -> Motion:
    title = text_checked(title, limit=TITLE_MAX, what=_("motion's title"))
    text = text_checked(text, limit=MOTION_TEXT_MAX, what=_("motion's text"))
    with transaction.atomic():
        member = member_for(user, item, "agenda.post")
        item = item_locked(item)
        if not phase_allows_text(user, item):
            raise PhaseClosed(_("Alternatives can be filed only during admission and discussion."))
        motion = motion_create(item=item, member=member, title=title, text=text, alternative=True)
        notices.notify_followers(
            item, exclude=member, kind="alternative_filed", params={"motion": title},
            url=reverse("agenda:motion", args=[item.organisation.slug, motion.pk]),
        )  # fmt: skip
        item_admit_if_quorum(item, member, timezone.now())
    return motion


def motion_support(*, user: User, motion: Motion) -> Support:
    """Support a motion; the item is admitted the moment one motion reaches the quorum."""
    with transaction.atomic():
        member = member_for(user, motion, "agenda.take_part")
        item = item_locked(motion.item)
        if not phase_allows_text(user, item):
            raise PhaseClosed(_("Support can be given only during admission and discussion."))
        if not motion_is_active(user, motion):
            raise PhaseClosed(_("This motion is no longer before the organisation."))
        try:
            with transaction.atomic():
                support = Support.objects.create(motion=motion, member=member)
        except IntegrityError:
            raise AgendaError(_("You already support this motion.")) from None
        count = Support.objects.filter(motion=motion).count()
        record_append(
            organisation=item.organisation,
            actor=member,
            action=Action.MOTION_SUPPORTED,
            subject=("motion", motion.pk),
            payload=supporters_facts(count),
        )
        item_follow(item, member)
        item_admit_if_quorum(item, member, timezone.now())
    return support


def motion_revise(*, user: User, motion: Motion, text: str, note: str = "") -> MotionVersion:
    """The author writes a new version; every earlier version stays readable."""
    text = text_checked(text, limit=MOTION_TEXT_MAX, what=_("motion's text"))
    note = text_checked(note, limit=500, what=_("note"), required=False)
    with transaction.atomic():
        member = member_for(user, motion, "agenda.revise_motion")
        item = item_locked(motion.item)
        motion = Motion.objects.select_for_update().get(pk=motion.pk)
        motion.item = item
        return motion_version_add(user=user, motion=motion, member=member, text=text, note=note)


def motion_version_add(
    *, user: User, motion: Motion, member: Membership, text: str, note: str
) -> MotionVersion:
    """The motion's next version, on the record; in the caller's transaction, on the caller's
    locked motion, after the caller checked who may. Refused once the texts are fixed."""
    item = motion.item
    if not phase_allows_text(user, item) or not motion_is_active(user, motion):
        raise PhaseClosed(_("The texts are fixed: the discussion is over."))
    current = motion.versions.get(number=motion.version)
    if current.text == text:
        raise TextInvalid(_("The new text is the same as the current one."))
    motion.version += 1
    motion.save(update_fields=["version"])
    version = MotionVersion.objects.create(
        motion=motion, number=motion.version, text=text, html=markdown_html(text), note=note
    )
    record_append(
        organisation=item.organisation,
        actor=member,
        action=Action.MOTION_REVISED,
        subject=("motion", motion.pk),
        payload={"version": version.number, "text": Sealed(text), "note": Sealed(note)},
    )
    search.index_put(item.organisation, "motion", motion.pk, motion.title, text)
    return version


def motion_withdraw(*, user: User, motion: Motion, reason: str = "") -> Motion:
    """The author withdraws their motion; it stays visible as withdrawn. An item whose every
    motion is withdrawn is withdrawn too."""
    reason = text_checked(reason, limit=REASON_MAX, what=_("reason"), required=False)
    with transaction.atomic():
        member = member_for(user, motion, "agenda.withdraw_motion")
        item = item_locked(motion.item)
        motion = Motion.objects.select_for_update().get(pk=motion.pk)
        if not phase_allows_text(user, item) or not motion_is_active(user, motion):
            raise PhaseClosed(_("This motion can no longer be withdrawn."))
        motion.status, motion.status_reason = MotionStatus.WITHDRAWN, reason
        motion.save(update_fields=["status", "status_reason"])
        record_append(
            organisation=item.organisation,
            actor=member,
            action=Action.MOTION_WITHDRAWN,
            subject=("motion", motion.pk),
            payload={"reason": Sealed(reason)},
        )
        if not item.motions.filter(status=MotionStatus.ACTIVE).exists():
            closing = _("Every motion was withdrawn by its author.")
            item_close(item, Phase.WITHDRAWN, closing, member)
    return motion
