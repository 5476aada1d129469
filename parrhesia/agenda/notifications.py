"""In-app notifications and the e-mail digest.

A notification is stored as a kind and its parameters and worded when shown, in the reader's
language. The digest (off / daily / weekly per member) sends, newest first and grouped by agenda
item, only notifications never e-mailed before; its task re-enqueues itself for the next period.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parrhesia.agenda.models import Digest, ItemFollow, Notification, NotificationSetting

if TYPE_CHECKING:
    from parrhesia.agenda.models import AgendaItem
    from parrhesia.orgs.models import Membership, Organisation

PERIOD = {Digest.DAILY: timedelta(days=1), Digest.WEEKLY: timedelta(days=7)}
_WORDING = {
    "phase": gettext_lazy("The item entered the phase “%(phase)s”."),
    "phase_adjusted": gettext_lazy("A steward moved the end of the phase “%(phase)s”."),
    "alternative_filed": gettext_lazy("An alternative motion was filed: “%(motion)s”."),
    "reply": gettext_lazy("Someone replied to your argument (%(stance)s)."),
    "challenge": gettext_lazy("Your argument was challenged (%(kind)s)."),
    "challenge_answered": gettext_lazy("Your challenge was answered."),
    "suggestion_declined": gettext_lazy(
        "A suggestion you rated “must” on “%(motion)s” was declined: %(reason)s"
    ),
    "follow_up": gettext_lazy("A follow-up was logged (%(status)s)."),
    "ballot_closed": gettext_lazy("The vote “%(ballot)s” has closed: see the result."),
    "minority_report": gettext_lazy(
        "A minority report was filed on the vote “%(ballot)s”: “%(title)s”."
    ),
    # The tribunal's personal notices (each also e-mailed at once).
    "case_reported": gettext_lazy(
        "Case %(number)s: you have been reported. You may defend yourself until %(deadline)s."
    ),
    "case_dismissed": gettext_lazy(
        "Case %(number)s: your report was dismissed; you may ask for a jury anyway."
    ),
    "interim_measure": gettext_lazy(
        "Case %(number)s: your content is hidden by an interim measure, which lapses unless a "
        "jury confirms it."
    ),
    "juror_drawn": gettext_lazy(
        "Case %(number)s: you are drawn as a juror. Read the case and deliberate in the jury room."
    ),
    "verdict": gettext_lazy(
        "Case %(number)s: the jury's verdict and its reasons are on the docket."
    ),
    "jury_reminder": gettext_lazy(
        "Case %(number)s: you have not voted yet. Jurors who have not voted by %(deadline)s are "
        "replaced by lot."
    ),
    "juror_lapsed": gettext_lazy(
        "Case %(number)s: you did not vote by the jury's deadline; another member was drawn in "
        "your place."
    ),
    "jury_stuck": gettext_lazy(
        "Case %(number)s: jurors did not vote by the deadline and too few eligible members are "
        "left to replace them; the case waits."
    ),
}


def notification_text(notification: Notification) -> str:
    from parrhesia.agenda.models import ChallengeKind, FollowUpStatus, Phase, Stance

    params = dict(notification.params)
    for key, choices in (
        ("phase", Phase), ("kind", ChallengeKind), ("stance", Stance), ("status", FollowUpStatus)
    ):  # fmt: skip
        if key in params and params[key] in choices.values:
            params[key] = str(choices(params[key]).label)
    if isinstance(params.get("deadline"), str):
        params["deadline"] = _when(params["deadline"])
    try:
        return str(_WORDING[notification.kind]) % params
    except (KeyError, TypeError, ValueError):
        return notification.kind


def _when(iso: str) -> str:
    from django.utils.formats import date_format

    try:
        return f"{date_format(datetime.fromisoformat(iso), 'DATETIME_FORMAT')} UTC"
    except ValueError:
        return iso


def notify(
    users: Iterable[Any],
    *,
    organisation: Organisation,
    item: AgendaItem | None,
    kind: str,
    params: dict[str, Any],
    url: str,
    emailed: bool = False,
) -> int:
    """Store a notification for each user; ``emailed``: already sent by e-mail, so the digest
    leaves it out."""
    emailed_at = timezone.now() if emailed else None
    rows = [
        Notification(
            recipient=user,
            organisation=organisation,
            item=item,
            kind=kind,
            params=params,
            url=url,
            emailed_at=emailed_at,
        )
        for user in {user.pk: user for user in users}.values()
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)


def notify_followers(
    item: AgendaItem, *, exclude: Membership | None, kind: str, params: dict[str, Any], url: str
) -> int:
    follows = ItemFollow.objects.filter(item=item).select_related("member__user")
    if exclude is not None:
        follows = follows.exclude(member=exclude)
    users = [f.member.user for f in follows if f.member.is_active]
    return notify(
        users, organisation=item.organisation, item=item, kind=kind, params=params, url=url
    )


def notifications_mark_read(*, user: Any, organisation: Organisation) -> int:
    """Private to the reader, so not on the record."""
    return Notification.objects.filter(
        recipient=user, organisation=organisation, read_at__isnull=True
    ).update(read_at=timezone.now())


def notification_setting_set(*, user: Any, organisation: Organisation, digest: str) -> Any:
    from parrhesia.orgs.rules import active_membership

    member = active_membership(user, organisation)
    if member is None or not user.has_perm("agenda.receive_notifications", organisation):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    if digest not in Digest.values:
        raise ValueError(digest)
    with transaction.atomic():
        setting, _created = NotificationSetting.objects.update_or_create(
            member=member, defaults={"digest": digest}
        )
        if digest != Digest.OFF:
            _schedule(setting.pk, timezone.now() + PERIOD[Digest(digest)])
    return setting


def _schedule(setting_id: int, when: datetime) -> None:
    from parrhesia.agenda.tasks import digest_task
    from parrhesia.web.scheduling import task_enqueue_at

    transaction.on_commit(lambda: task_enqueue_at(digest_task, when, setting_id))


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
            )
            .select_related("item")
            .order_by("-created_at", "-id")
        )
        setting.last_digest_at = now
        setting.save(update_fields=["last_digest_at"])
        if pending:
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
            body = digest_body(pending)
            subject = _("%(organisation)s: what happened in deliberation") % {
                "organisation": member.organisation.name
            }
            address = member.user.email
            transaction.on_commit(lambda: send_mail(subject, body, None, [address]))
        _schedule(setting.pk, now + period)
    return len(pending)


def digest_body(pending: list[Notification]) -> str:
    """Grouped by agenda item (the item with the newest news first), newest first within."""
    groups: dict[Any, list[Notification]] = {}
    for notification in pending:
        groups.setdefault(notification.item_id, []).append(notification)
    lines: list[str] = []
    for notes in groups.values():
        item = notes[0].item
        lines.append(item.title if item else _("Other"))
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
