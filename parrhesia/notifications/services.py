"""Every write of notifications: storing notices, reading them, the digest setting, the digest.

Notices are private to their reader, so none of this goes onto the public record.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parrhesia.kernel.access import member_for
from parrhesia.kernel.deferred import mail_after_commit, task_after_commit
from parrhesia.notifications.models import Digest, Notification, NotificationSetting
from parrhesia.notifications.notices import notification_text
from parrhesia.notifications.tasks import digest_task

if TYPE_CHECKING:
    from parrhesia.orgs.models import Membership, Organisation

PERIOD = {Digest.DAILY: timedelta(days=1), Digest.WEEKLY: timedelta(days=7)}
# The shortest text that notifications_erase looks for in notices.
ERASABLE_MIN = 8


def notify(
    users: Iterable[Any],
    *,
    organisation: Organisation,
    kind: str,
    params: dict[str, Any],
    url: str,
    topic: str = "",
    emailed: bool = False,
) -> int:
    """Store a notice for each user (once each); ``topic``: the heading the digest groups it
    under; ``emailed``: already sent by e-mail, so the digest leaves it out."""
    emailed_at = timezone.now() if emailed else None
    rows = [
        Notification(
            recipient=user,
            organisation=organisation,
            topic=topic,
            kind=kind,
            params=params,
            url=url,
            emailed_at=emailed_at,
        )
        for user in {user.pk: user for user in users}.values()
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)


def notify_by_mail(
    membership: Membership | None,
    *,
    kind: str,
    params: dict[str, Any],
    url: str,
    subject: str,
) -> None:
    """A personal notice, kept with the member's notices (seen at their next visit even where
    the site sends no e-mail) and e-mailed once the transaction commits; being e-mailed at
    once, it is not repeated in their digest. The e-mail says what the app says (one wording,
    dates readable), so the two cannot drift apart."""
    if membership is None:
        return
    address = membership.user.email
    notify(
        [membership.user],
        organisation=membership.organisation,
        kind=kind,
        params=params,
        url=url,
        emailed=bool(address),
    )
    if address:
        body = notification_text(Notification(kind=kind, params=params))
        mail_after_commit(subject, body, address)


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


def digest_send(*, setting_id: int, now: datetime) -> int:
    """Send one member's digest if it is due; return how many notifications it carried.

    Idempotent: a notification once e-mailed is never sent again, and a digest is not sent
    before its period has passed since the last one.
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
                recipient=member.user, organisation=member.organisation, emailed_at__isnull=True
            ).order_by("-created_at", "-id")
        )
        setting.last_digest_at = now
        setting.save(update_fields=["last_digest_at"])
        if pending:
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
            subject = _("%(organisation)s: what happened in deliberation") % {
                "organisation": member.organisation.name
            }
            mail_after_commit(subject, digest_body(pending), member.user.email)
        task_after_commit(digest_task, setting.pk, run_after=now + period)
    return len(pending)


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
            lines.append(f"- {n.created_at:%Y-%m-%d %H:%M} {notification_text(n)} {n.url}")
        lines.append("")
    return "\n".join(lines)


def digests_send_due(now: datetime) -> int:
    """Send every due digest (the daily and weekly sweep if a worker lost a deferred task)."""
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
