"""What a worker killed mid-task leaves, ``parrhesia due`` mends: the record's checkpoint is
signed although no task was queued, and a task left RUNNING goes back in the queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from parrhesia.cli.due import due_steps
from parrhesia.record.models import Checkpoint, RecordHead
from parrhesia.record.services import record_append

pytestmark = pytest.mark.django_db

SIGN = "record checkpoints signed that a lost task left"
REQUEUE = "tasks of a stopped worker put back in the queue"


def test_due_signs_a_record_whose_signing_task_was_lost(riverside):
    for i in range(3):  # no commit hook runs in this test: as if the worker died with the task
        record_append(
            organisation=riverside, actor=None, action="test.entry",
            subject=("test", str(i)), payload={"i": i},
        )  # fmt: skip
    head = RecordHead.objects.get(organisation=riverside)
    assert head.checkpoint_queued
    assert not Checkpoint.objects.filter(organisation=riverside, size=head.size).exists()
    steps = dict(due_steps())
    assert steps[SIGN](timezone.now()) == 1
    head.refresh_from_db()
    assert not head.checkpoint_queued  # the next write queues the next signing again
    assert Checkpoint.objects.filter(organisation=riverside).order_by("-size")[0].size == head.size
    assert steps[SIGN](timezone.now()) == 0


def stalled(started_minutes_ago: int) -> DBTaskResult:
    now = timezone.now()
    return DBTaskResult.objects.create(
        task_path="parrhesia.record.tasks.checkpoint_sign_task",
        args_kwargs={"args": [1], "kwargs": {}},
        status=TaskResultStatus.RUNNING,
        run_after=get_date_max(),
        started_at=now - timedelta(minutes=started_minutes_ago),
        worker_ids=["killed"],
        queue_name="default",
        backend_name="default",
        priority=0,
    )


def test_due_requeues_a_task_whose_worker_was_killed_and_leaves_a_running_one(settings):
    settings.TASK_STALLED_MINUTES = 30
    lost, running = stalled(started_minutes_ago=45), stalled(started_minutes_ago=2)
    assert dict(due_steps())[REQUEUE](timezone.now()) == 1
    lost.refresh_from_db()
    running.refresh_from_db()
    assert (lost.status, lost.started_at) == (TaskResultStatus.READY, None)
    assert running.status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.ready().filter(pk=lost.pk).exists()
