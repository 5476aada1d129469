"""Agenda items: the policy per item type, opening an item with its first motion, following
it, and the follow-up stewards log once it is decided.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.agenda import notices, search
from parrhesia.agenda.models import (
    AgendaItem,
    FollowUp,
    FollowUpStatus,
    ItemFollow,
    ItemPolicy,
    Phase,
)
from parrhesia.agenda.services.base import (
    MOTION_TEXT_MAX,
    REASON_MAX,
    TITLE_MAX,
    AgendaError,
    PhaseClosed,
    _active_members,
    _follow,
    _item_url,
    _locked,
    _quorum,
    _require,
    _schedule_phase_end,
    _text,
)
from parrhesia.agenda.services.motions import _motion_create
from parrhesia.agenda.services.phases import _admit_if_quorum
from parrhesia.orgs.models import Organisation
from parrhesia.record.services import record_append


def policy_for(organisation: Organisation, item_type: str) -> ItemPolicy:
    """The organisation's policy for this type of item, or the defaults (unsaved)."""
    policy = ItemPolicy.objects.filter(organisation=organisation, item_type=item_type).first()
    return policy or ItemPolicy(organisation=organisation, item_type=item_type)


def policy_set(
    *, user: User, organisation: Organisation, item_type: str, **values: int
) -> ItemPolicy:
    with transaction.atomic():
        admin = _require(user, "agenda.set_policy", organisation)
        if not 1 <= values.get("admission_quorum_percent", 10) <= 100:
            raise AgendaError(_("A quorum is a percentage between 1 and 100."))
        policy, _created = ItemPolicy.objects.update_or_create(
            organisation=organisation, item_type=item_type, defaults=values
        )
        record_append(
            organisation=organisation,
            actor=admin,
            action="agenda_policy.set",
            subject=("agenda_policy", item_type),
            payload=dict(values),
        )
    return policy


def agenda_item_open(
    *,
    user: User,
    organisation: Organisation,
    title: str,
    motion_title: str,
    text: str,
    item_type: str = "general",
) -> AgendaItem:
    """Open an item with its first motion; the admission quorum is counted now, at its start."""
    title = _text(title, limit=TITLE_MAX, what=_("title"))
    motion_title = _text(motion_title, limit=TITLE_MAX, what=_("motion's title"))
    text = _text(text, limit=MOTION_TEXT_MAX, what=_("motion's text"))
    with transaction.atomic():
        member = _require(user, "agenda.open_item", organisation)
        policy = policy_for(organisation, item_type)
        now = timezone.now()
        members = _active_members(organisation)
        item = AgendaItem.objects.create(
            organisation=organisation,
            title=title,
            item_type=item_type,
            opened_by=member,
            opened_at=now,
            phase=Phase.ADMISSION,
            phase_started_at=now,
            phase_ends_at=now + timedelta(days=policy.admission_days),
            admission_days=policy.admission_days,
            discussion_days=policy.discussion_days,
            frozen_days=policy.frozen_days,
            admission_quorum_percent=policy.admission_quorum_percent,
            alternative_quorum_percent=policy.alternative_quorum_percent,
            members_at_admission=members,
            admission_quorum=_quorum(members, policy.admission_quorum_percent),
        )
        record_append(
            organisation=organisation,
            actor=member,
            action="agenda_item.opened",
            subject=("agenda_item", item.pk),
            payload={
                "title": title,
                "item_type": item_type,
                "admission_ends_at": item.phase_ends_at.isoformat(),
                "members_at_start": members,
                "admission_quorum": item.admission_quorum,
                "policy": {
                    "admission_days": item.admission_days,
                    "discussion_days": item.discussion_days,
                    "frozen_days": item.frozen_days,
                    "admission_quorum_percent": item.admission_quorum_percent,
                    "alternative_quorum_percent": item.alternative_quorum_percent,
                },
            },
        )
        search.index_put(organisation, "item", item.pk, title, "")
        _motion_create(item=item, member=member, title=motion_title, text=text, alternative=False)
        _schedule_phase_end(item)
        _admit_if_quorum(item, member, now)
    return item


def follow_up_log(*, user: User, item: AgendaItem, status: str, text: str) -> FollowUp:
    text = _text(text, limit=REASON_MAX, what=_("update"))
    if status not in FollowUpStatus.values:
        raise AgendaError(_("Choose a status."))
    with transaction.atomic():
        steward = _require(user, "agenda.log_follow_up", item.organisation)
        item = _locked(item)
        if item.phase != Phase.DECIDED:
            raise PhaseClosed(_("Follow-up is logged once the item is decided."))
        follow_up = FollowUp.objects.create(item=item, author=steward, status=status, text=text)
        record_append(
            organisation=item.organisation,
            actor=steward,
            action="follow_up.logged",
            subject=("agenda_item", item.pk),
            payload={"status": status, "text": text},
        )
        notices.notify_followers(
            item, exclude=steward, kind="follow_up", params={"status": status}, url=_item_url(item)
        )
    return follow_up


def item_follow_set(*, user: User, item: AgendaItem, follow: bool) -> bool:
    """Follow an item (phase changes reach you) or stop; private, so not on the record."""
    with transaction.atomic():
        member = _require(user, "agenda.take_part", item.organisation)
        if follow:
            _follow(item, member)
        else:
            ItemFollow.objects.filter(item=item, member=member).delete()
    return follow
