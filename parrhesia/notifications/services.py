"""Every write of notifications: storing notices, e-mailing them (at once or in the digest),
reading them, a member's settings, unsubscribing.

Notices are private to their reader, so none of this goes onto the public record. A notice is
e-mailed by the task worker, never in the request that caused it (``notifications_mail_task``,
a batch of notices a task, retried; ``parrhesia due`` sends what a lost task left).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from parrhesia.kernel.access import member_for
from parrhesia.kernel.deferred import task_after_commit
from parrhesia.kernel.errors import DomainError
from parrhesia.notifications.mail import (
    DIGEST,
    notice_email,
    site_url,
    unsubscribe_target,
)
from parrhesia.notifications.models import (
    Delivery,
    Digest,
    Notification,
    NotificationPreference,
    NotificationSetting,
)
from parrhesia.notifications.notices import (
    notice_delivery,
    notice_discreet,
    notice_kinds,
    notification_text,
)
from parrhesia.notifications.tasks import MAIL_BATCH, digest_task, notifications_mail_task
from parrhesia.orgs.models import Membership, MembershipStatus, Organisation

PERIOD = {Digest.DAILY: timedelta(days=1), Digest.WEEKLY: timedelta(days=7)}
# The shortest text that notifications_erase looks for in notices.
ERASABLE_MIN = 8
# An immediate e-mail still unsent this long after its notice is sent by ``parrhesia due``
# (the task worker lost it, or gave up retrying); one older than a week is left unsent.
MAIL_GRACE = timedelta(minutes=10)
MAIL_STALE = timedelta(days=7)


class NotificationError(DomainError):
    """A setting this site does not offer."""


def deliveries_of(
    users: Iterable[Any], organisation: Organisation, kind: str, default: str | None = None
) -> dict[int, str]:
    """How each user receives ``kind`` here: their choice, else ``default`` or the kind's."""
    default = default or notice_delivery(kind)
    ids = [user.pk for user in users]
    chosen = dict(
        NotificationPreference.objects.filter(
            user_id__in=ids, organisation=organisation, kind=kind
        ).values_list("user_id", "delivery")
    )
    return {pk: chosen.get(pk, default) for pk in ids}


def notify(
    users: Iterable[Any],
    *,
    organisation: Organisation,
    kind: str,
    params: dict[str, Any],
    url: str,
    topic: str = "",
    key: str = "",
    subject: str = "",
    default: str | None = None,
) -> int:
    """Store a notice for each user (once each) and e-mail it to those who receive this kind
    at once, after the transaction commits; ``topic``: the heading the digest groups it under;
    ``key``: once-only (a user who already has a notice of this kind and key gets none);
    ``subject``: the e-mail's (the notice's wording otherwise); ``default``: the delivery of
    those who chose none for this kind (the kind's own otherwise)."""
    unique = {user.pk: user for user in users}
    if key:
        done = Notification.objects.filter(
            organisation=organisation, kind=kind, key=key, recipient_id__in=list(unique)
        ).values_list("recipient_id", flat=True)
        for pk in set(done):
            unique.pop(pk, None)
    delivery = deliveries_of(unique.values(), organisation, kind, default)
    rows = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            organisation=organisation,
            topic=topic[:300],
            kind=kind,
            params=params,
            url=url,
            delivery=delivery[user.pk],
            key=key,
            subject=subject[:200],
        )
        for user in unique.values()
    )
    mailed = [row.pk for row in rows if row.delivery == Delivery.EMAIL and row.recipient.email]
    for start in range(0, len(mailed), MAIL_BATCH):
        task_after_commit(notifications_mail_task, mailed[start : start + MAIL_BATCH])
    return len(rows)


def notify_by_mail(
    membership: Membership | None,
    *,
    kind: str,
    params: dict[str, Any],
    url: str,
    subject: str,
) -> None:
    """A personal notice, e-mailed at once unless the member chose otherwise for its kind
    (kept with their notices too: seen at their next visit even where no e-mail is sent). The
    e-mail says what the app says (one wording, dates readable), so the two cannot drift."""
    if membership is None:
        return
    notify(
        [membership.user],
        organisation=membership.organisation,
        kind=kind,
        params=params,
        url=url,
        subject=subject,
        default=Delivery.EMAIL,
    )


def notification_mail_send(*, notification_id: int, now: datetime | None = None) -> bool:
    """E-mail one notice meant to be e-mailed at once, if it has not been; idempotent. An
    error sending (SMTP down) rolls back, leaving it unsent, and rises to the task, which
    retries."""
    with transaction.atomic():
        notice = (
            Notification.objects.select_for_update()
            .select_related("recipient", "organisation")
            .filter(pk=notification_id, delivery=Delivery.EMAIL, emailed_at__isnull=True)
            .first()
        )
        if notice is None or not notice.recipient.email:
            return False
        text = notification_text(notice)
        discreet = notice_discreet(notice.kind)
        notice_email(
            subject=(
                notice.subject or (text if discreet else f"{notice.organisation.name}: {text}")
            )[:200],
            address=notice.recipient.email,
            user_id=notice.recipient_id,
            organisation=notice.organisation,
            kind=notice.kind,
            items=[{"text": text, "url": site_url(notice.url), "topic": notice.topic}],
            discreet=discreet,
        ).send()
        notice.emailed_at = now or timezone.now()
        notice.save(update_fields=["emailed_at"])
    return True


def notices_mail_due(now: datetime) -> int:
    """Send the immediate e-mails a lost task left unsent (the sweep of ``parrhesia due``)."""
    pending = Notification.objects.filter(
        delivery=Delivery.EMAIL,
        emailed_at__isnull=True,
        created_at__lte=now - MAIL_GRACE,
        created_at__gte=now - MAIL_STALE,
        recipient__email__gt="",
    ).values_list("pk", flat=True)
    return sum(notification_mail_send(notification_id=pk, now=now) for pk in list(pending))


def notifications_mark_read(*, user: Any, organisation: Organisation) -> int:
    """Private to the reader, so not on the record."""
    return Notification.objects.filter(
        recipient=user, organisation=organisation, read_at__isnull=True
    ).update(read_at=timezone.now())


def notification_setting_set(*, user: Any, organisation: Organisation, digest: str) -> Any:
    member = member_for(user, organisation, "notifications.receive")
    if digest not in Digest.values:
        raise ValueError(digest)
    with transaction.atomic():
        setting, _created = NotificationSetting.objects.update_or_create(
            member=member, defaults={"digest": digest}
        )
        if digest != Digest.OFF:
            task_after_commit(
                digest_task, setting.pk, run_after=timezone.now() + PERIOD[Digest(digest)]
            )
    return setting


def notification_preferences_set(
    *, user: Any, organisation: Organisation, digest: str, deliveries: dict[str, str]
) -> NotificationSetting:
    """A member's settings here: the digest's period and, per kind of notice, how it reaches
    them (kinds left out keep their current delivery)."""
    member = member_for(user, organisation, "notifications.receive")
    kinds = notice_kinds()
    unknown = [kind for kind in deliveries if kind not in kinds] + [
        how for how in deliveries.values() if how not in Delivery.values
    ]
    if unknown or digest not in Digest.values:
        wrong = ", ".join(unknown or [digest])
        raise NotificationError(_("Unknown notice or delivery: %s") % wrong)
    with transaction.atomic():
        setting = notification_setting_set(user=user, organisation=organisation, digest=digest)
        for kind, how in deliveries.items():
            NotificationPreference.objects.update_or_create(
                user=member.user, organisation=organisation, kind=kind,
                defaults={"delivery": how},
            )  # fmt: skip
    return setting


def notifications_unsubscribe(*, token: str) -> tuple[Organisation, str]:
    """Stop e-mails of the kind a signed link names (the digest: no more digests; another
    kind: in the app only), without logging in. Returns the organisation and the kind;
    ``mail.UnsubscribeError`` for a link this site did not sign."""
    user_id, organisation, kind = unsubscribe_target(token)
    with transaction.atomic():
        if kind == DIGEST:
            member = Membership.objects.filter(organisation=organisation, user_id=user_id).first()
            if member is not None:
                NotificationSetting.objects.update_or_create(
                    member=member, defaults={"digest": Digest.OFF}
                )
        else:
            NotificationPreference.objects.update_or_create(
                user_id=user_id, organisation=organisation, kind=kind,
                defaults={"delivery": Delivery.APP},
            )  # fmt: skip
    return organisation, kind


def digest_send(*, setting_id: int, now: datetime) -> int:
    """Send one member's digest if it is due; return how many notifications it carried.

    Idempotent: a notification once e-mailed is never sent again, and a digest is not sent
    before its period has passed since the last one. It carries the notices its reader
    receives in the digest, none of those e-mailed at once or kept to the app.
    """
    with transaction.atomic():
        setting = (
            NotificationSetting.objects.select_for_update()
            .select_related("member__user", "member__organisation")
            .get(pk=setting_id)
        )
        if setting.digest == Digest.OFF or not setting.member.is_active:
            return 0
        period = PERIOD[Digest(setting.digest)]
        if setting.last_digest_at and now - setting.last_digest_at < period - timedelta(minutes=5):
            return 0
        member = setting.member
        pending = list(
            Notification.objects.filter(
                recipient=member.user,
                organisation=member.organisation,
                delivery=Delivery.DIGEST,
                emailed_at__isnull=True,
            ).order_by("-created_at", "-id")
        )
        setting.last_digest_at = now
        setting.save(update_fields=["last_digest_at"])
        if pending and member.user.email:
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
            subject = _("%(organisation)s: what happened in deliberation") % {
                "organisation": member.organisation.name
            }
            notice_email(
                subject=subject,
                address=member.user.email,
                user_id=member.user_id,
                organisation=member.organisation,
                kind=DIGEST,
                items=digest_items(pending),
                body=digest_body(pending),
            ).send()
        task_after_commit(digest_task, setting.pk, run_after=now + period)
    return len(pending)


def digest_items(pending: list[Notification]) -> list[dict[str, Any]]:
    """The digest's HTML part: grouped as ``digest_body`` groups them."""
    groups: dict[str, list[Notification]] = {}
    for notification in pending:
        groups.setdefault(notification.topic, []).append(notification)
    return [
        {
            "topic": topic or _("Other"),
            "when": date_format(n.created_at, "SHORT_DATETIME_FORMAT"),
            "text": notification_text(n),
            "url": site_url(n.url),
        }
        for topic, notes in groups.items()
        for n in notes
    ]


def digest_body(pending: list[Notification]) -> str:
    """Grouped by topic (the topic with the newest news first), newest first within."""
    groups: dict[str, list[Notification]] = {}
    for notification in pending:
        groups.setdefault(notification.topic, []).append(notification)
    lines: list[str] = []
    for topic, notes in groups.items():
        lines.append(topic or _("Other"))
        lines.append("=" * min(len(lines[-1]), 70))
        for n in notes:
            lines.append(
                f"- {n.created_at:%Y-%m-%d %H:%M} {notification_text(n)} {site_url(n.url)}"
            )
        lines.append("")
    return "\n".join(lines)


def digests_start(now: datetime) -> int:
    """Give a daily digest to each member with notices for it and no setting yet (daily is
    the default; their first digest goes at once, the task then keeps the day)."""
    waiting = (
        Notification.objects.filter(delivery=Delivery.DIGEST, emailed_at__isnull=True)
        .values_list("recipient_id", "organisation_id")
        .distinct()
    )
    by_org: dict[int, set[int]] = {}
    for user_id, organisation_id in waiting:
        by_org.setdefault(organisation_id, set()).add(user_id)
    started = 0
    for organisation_id, user_ids in by_org.items():
        members = Membership.objects.filter(
            organisation_id=organisation_id,
            user_id__in=user_ids,
            status=MembershipStatus.ACTIVE,
            notification_setting__isnull=True,
        )
        created = NotificationSetting.objects.bulk_create(
            NotificationSetting(member=member) for member in members
        )
        started += len(created)
    return started


def digests_send_due(now: datetime) -> int:
    """Send every due digest (the daily and weekly sweep if a worker lost a deferred task),
    members who have never chosen included."""
    digests_start(now)
    return sum(
        digest_send(setting_id=pk, now=now)
        for pk in NotificationSetting.objects.exclude(digest=Digest.OFF).values_list(
            "pk", flat=True
        )
    )


def notifications_erase(
    *, organisation: Organisation, texts: Iterable[str], replacement: str
) -> int:
    """Take erased texts out of the organisation's notices, in the caller's transaction (a
    verdict on personal data, a lawful erasure request): a notice quoting one (in its topic or a
    parameter) quotes ``replacement`` instead, so neither the list nor a digest not yet sent
    repeats it. Texts shorter than ``ERASABLE_MIN`` are left alone: too short to be anyone's
    personal data, and they would match unrelated words. Returns how many notices changed."""
    wanted = sorted({t for t in texts if len(t.strip()) >= ERASABLE_MIN}, key=len, reverse=True)
    if not wanted:
        return 0

    def scrub(value: Any) -> Any:
        if isinstance(value, str):
            for text in wanted:
                value = value.replace(text, replacement)
            return value
        if isinstance(value, dict):
            return {key: scrub(item) for key, item in value.items()}
        if isinstance(value, list):
            return [scrub(item) for item in value]
        return value

    changed = []
    for notice in Notification.objects.filter(organisation=organisation).only("topic", "params"):
        topic, params = scrub(notice.topic), scrub(notice.params)
        if (topic, params) != (notice.topic, notice.params):
            notice.topic, notice.params = topic[:300], params
            changed.append(notice)
    Notification.objects.bulk_update(changed, ["topic", "params"])
    return len(changed)
