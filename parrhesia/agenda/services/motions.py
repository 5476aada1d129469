"""Motions: filing an alternative, support (which may admit the item), revision, withdrawal."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.agenda import notices, search
from parrhesia.agenda.models import AgendaItem, Motion, MotionStatus, MotionVersion, Phase, Support
from parrhesia.agenda.services.base import (
    MOTION_TEXT_MAX,
    REASON_MAX,
    TITLE_MAX,
    AgendaError,
    PhaseClosed,
    TextInvalid,
    _follow,
    _locked,
    _require,
    _text,
)
from parrhesia.agenda.services.phases import _admit_if_quorum, _close
from parrhesia.agenda.texts import markdown_html
from parrhesia.orgs.models import Membership
from parrhesia.record.services import record_append


def _motion_create(
    *, item: AgendaItem, member: Membership, title: str, text: str, alternative: bool
) -> Motion:
    motion = Motion.objects.create(
        item=item, title=title, author=member, is_alternative=alternative
    )
    MotionVersion.objects.create(motion=motion, number=1, text=text, html=markdown_html(text))
    record_append(
        organisation=item.organisation,
        actor=member,
        action="motion.filed",
        subject=("motion", motion.pk),
        payload={"item": item.pk, "title": title, "text": text, "alternative": alternative},
    )
    search.index_put(item.organisation, "motion", motion.pk, title, text)
    # Authors support their own motion, as in LiquidFeedback.
    Support.objects.create(motion=motion, member=member)
    record_append(
        organisation=item.organisation,
        actor=member,
        action="motion.supported",
        subject=("motion", motion.pk),
        payload={"supporters": 1},
    )
    _follow(item, member)
    return motion


def motion_file_alternative(*, user: User, item: AgendaItem, title: str, text: str) -> Motion:
    title = _text(title, limit=TITLE_MAX, what=_("motion's title"))
    text = _text(text, limit=MOTION_TEXT_MAX, what=_("motion's text"))
    with transaction.atomic():
        member = _require(user, "agenda.post", item.organisation)
        item = _locked(item)
        if not item.is_open_for_text:
            raise PhaseClosed(_("Alternatives can be filed only during admission and discussion."))
        motion = _motion_create(item=item, member=member, title=title, text=text, alternative=True)
        notices.notify_followers(
            item, exclude=member, kind="alternative_filed", params={"motion": title},
            url=reverse("agenda:motion", args=[item.organisation.slug, motion.pk]),
        )  # fmt: skip
        _admit_if_quorum(item, member, timezone.now())
    return motion


def motion_support(*, user: User, motion: Motion) -> Support:
    """Support a motion; the item is admitted the moment one motion reaches the quorum."""
    with transaction.atomic():
        member = _require(user, "agenda.take_part", motion.item.organisation)
        item = _locked(motion.item)
        if not item.is_open_for_text:
            raise PhaseClosed(_("Support can be given only during admission and discussion."))
        if not motion.is_active:
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
            action="motion.supported",
            subject=("motion", motion.pk),
            payload={"supporters": count},
        )
        _follow(item, member)
        _admit_if_quorum(item, member, timezone.now())
    return support


def motion_revise(*, user: User, motion: Motion, text: str, note: str = "") -> MotionVersion:
    """The author writes a new version; every earlier version stays readable."""
    text = _text(text, limit=MOTION_TEXT_MAX, what=_("motion's text"))
    note = _text(note, limit=500, what=_("note"), required=False)
    with transaction.atomic():
        member = _require(user, "agenda.post", motion.item.organisation)
        if motion.author_id != member.pk:
            raise PermissionDenied
        _locked(motion.item)
        motion = Motion.objects.select_for_update().get(pk=motion.pk)
        return _motion_new_version(motion=motion, member=member, text=text, note=note)


def _motion_new_version(
    *, motion: Motion, member: Membership, text: str, note: str
) -> MotionVersion:
    item = motion.item
    if not item.is_open_for_text or not motion.is_active:
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
        action="motion.revised",
        subject=("motion", motion.pk),
        payload={"version": version.number, "text": text, "note": note},
    )
    search.index_put(item.organisation, "motion", motion.pk, motion.title, text)
    return version


def motion_withdraw(*, user: User, motion: Motion, reason: str = "") -> Motion:
    """The author withdraws their motion; it stays visible as withdrawn. An item whose every
    motion is withdrawn is withdrawn too."""
    reason = _text(reason, limit=REASON_MAX, what=_("reason"), required=False)
    with transaction.atomic():
        member = _require(user, "agenda.take_part", motion.item.organisation)
        if motion.author_id != member.pk:
            raise PermissionDenied
        item = _locked(motion.item)
        motion = Motion.objects.select_for_update().get(pk=motion.pk)
        if not item.is_open_for_text or not motion.is_active:
            raise PhaseClosed(_("This motion can no longer be withdrawn."))
        motion.status, motion.status_reason = MotionStatus.WITHDRAWN, reason
        motion.save(update_fields=["status", "status_reason"])
        record_append(
            organisation=item.organisation,
            actor=member,
            action="motion.withdrawn",
            subject=("motion", motion.pk),
            payload={"reason": reason},
        )
        if not item.motions.filter(status=MotionStatus.ACTIVE).exists():
            _close(item, Phase.WITHDRAWN, _("Every motion was withdrawn by its author."), member)
    return motion
