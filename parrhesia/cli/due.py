"""`parrhesia due`: run every piece of work whose time has come, once.

Deadlines are normally met by deferred django-tasks that the worker runs when due. This command is
the safety net for a task that was lost (a worker down for days, a restored backup): run it from
cron or a systemd timer, e.g. every five minutes. Every step is idempotent, so running it often,
or on several machines at once, does no harm.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from typing import Any

from parrhesia.cli import add_command, django_setup


def register(subparsers: Any) -> None:
    add_command(
        subparsers,
        "due",
        due_command,
        help="run all work whose time has come (phase ends, vote closes, lapses, digests)",
        description=__doc__.split("\n\n")[1].replace("\n", " "),
    )


def due_steps() -> list[tuple[str, Callable[[datetime], int]]]:
    from parrhesia.agenda.services import phases_advance_due
    from parrhesia.decisions.notices import ballot_reminders_due
    from parrhesia.decisions.services import (
        ballots_close_due,
        delegations_expired_reweigh,
        delegations_remind,
        running_counts_refresh_due,
    )
    from parrhesia.kernel.deferred import tasks_stalled_requeue
    from parrhesia.notifications.services import digests_send_due, notices_mail_due
    from parrhesia.record.tasks import checkpoints_sign_waiting
    from parrhesia.tribunal import services as tribunal
    from parrhesia.webhooks.services import webhooks_deliver_due

    return [
        ("tasks of a stopped worker put back in the queue", tasks_stalled_requeue),
        ("record checkpoints signed that a lost task left", checkpoints_sign_waiting),
        ("agenda phases advanced", phases_advance_due),
        ("ballots closed", lambda now: ballots_close_due(now=now)),
        ("voters reminded of a vote closing", lambda now: ballot_reminders_due(now=now)),
        ("running counts brought up to date", lambda now: running_counts_refresh_due(now=now)),
        ("delegators reminded to renew", lambda now: delegations_remind(now=now)),
        (
            "expired delegations taken out of the running counts",
            lambda now: delegations_expired_reweigh(now=now),
        ),
        ("defence periods closed", lambda now: tribunal.defence_close_due(now=now)),
        ("interim measures lapsed", lambda now: tribunal.interim_measures_lapse_due(now=now)),
        (
            "juries drawn for cases that waited for members",
            lambda now: tribunal.juries_draw_due(now=now),
        ),
        ("jury deadlines kept", lambda now: tribunal.jury_deadlines_due(now=now)),
        ("digests sent", digests_send_due),
        ("notices e-mailed", notices_mail_due),
        ("webhook deliveries attempted", webhooks_deliver_due),
    ]


def due_command(args: argparse.Namespace) -> int:
    django_setup()
    from django.utils import timezone

    now = timezone.now()
    done = [f"{count} {what}" for what, step in due_steps() if (count := step(now))]
    print("Due work: " + (", ".join(done) if done else "nothing was due") + ".")
    return 0
