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
from parrhesia.agenda.actions import Action
from parrhesia.agenda.models import (
    AgendaItem,
    FollowUp,
    FollowUpStatus,
    ItemFollow,
    ItemPolicy,
    Phase,
)
from parrhesia.agenda.rules import phase_is_decided
from parrhesia.agenda.selectors import policy_for
from parrhesia.agenda.services._shared import (
    MOTION_TEXT_MAX,
    REASON_MAX,
    TITLE_MAX,
    AgendaError,
    PhaseClosed,
    item_follow,
    item_locked,
    item_url,
    phase_end_schedule,
    quorum,
    text_checked,
)
from parrhesia.agenda.services.motions import motion_create
from parrhesia.agenda.services.phases import item_admit_if_quorum
from parrhesia.kernel.access import member_for
from parrhesia.methods.record.sealed import Sealed
from parrhesia.orgs.models import Organisation
from parrhesia.orgs.selectors import members_active
from parrhesia.record.services import record_append


def policy_set(
    *, user: User, organisation: Organisation, item_type: str, **values: int
) -> ItemPolicy:
    with transaction.atomic():
        admin = member_for(user, organisation, "agenda.set_policy")
        if not 1 <= values.get("admission_quorum_percent", 10) <= 100:
            raise AgendaError(_("A quorum is a percentage between 1 and 100."))
        policy, _created = ItemPolicy.objects.update_or_create(
            organisation=organisation, item_type=item_type, defaults=values
        )
        record_append(
            organisation=organisation,
            actor=admin,
            action=Action.AGENDA_POLICY_SET,
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
    title = text_checked(title, limit=TITLE_MAX, what=_("title"))
    motion_title = text_checked(motion_title, limit=TITLE_MAX, what=_("motion's title"))
    text = text_checked(text, limit=MOTION_TEXT_MAX, what=_("motion's text"))
    with transaction.atomic():
        member = member_for(user, organisation, "agenda.open_item")
        policy = policy_for(organisation, item_type)
        now = timezone.now()
        members = members_active(organisation).count()
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
            admission_quorum=quorum(members, policy.admission_quorum_percent),
        )
        record_append(
            organisation=organisation,
            actor=member,
            action=Action.AGENDA_ITEM_OPENED,
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
        motion_create(item=item, member=member, title=motion_title, text=text, alternative=False)
        phase_end_schedule(item)
        item_admit_if_quorum(item, member, now)
    return item


def follow_up_log(*, user: User, item: AgendaItem, status: str, text: str) -> FollowUp:
    text = text_checked(text, limit=REASON_MAX, what=_("update"))
    if status not in FollowUpStatus.values:
        raise AgendaError(_("Choose a status."))
    with transaction.atomic():
        steward = member_for(user, item, "agenda.log_follow_up")
        item = item_locked(item)
        if not phase_is_decided(user, item):
            raise PhaseClosed(_("Follow-up is logged once the item is decided."))
        follow_up = FollowUp.objects.create(item=item, author=steward, status=status, text=text)
        record_append(
            organisation=item.organisation,
            actor=steward,
            action=Action.FOLLOW_UP_LOGGED,
            subject=("agenda_item", item.pk),
            payload={"status": status, "text": Sealed(text)},
        )
        notices.notify_followers(
            item, exclude=steward, kind="follow_up", params={"status": status}, url=item_url(item)
        )
    return follow_up


def item_follow_set(*, user: User, item: AgendaItem, follow: bool) -> bool:
    """Follow an item (phase changes reach you) or stop; private, so not on the record."""
    with transaction.atomic():
        member = member_for(user, item, "agenda.take_part")
        if follow:
            item_follow(item, member)
        else:
            ItemFollow.objects.filter(item=item, member=member).delete()
    return follow
