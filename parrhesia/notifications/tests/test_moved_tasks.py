"""Digests queued before notifications left the agenda still run after the move."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from parrhesia.notifications.tasks import digest_task

pytestmark = pytest.mark.django_db

moved = importlib.import_module("parrhesia.notifications.migrations.0004_digest_task_path")


def queued(path: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        task_path=path, args_kwargs={"args": [1], "kwargs": {}}, backend_name="default",
        run_after=timezone.now(),
    )  # fmt: skip


def test_a_digest_queued_under_the_old_path_points_at_the_new_task():
    waiting, other = queued(moved.OLD), queued("parrhesia.agenda.tasks.phase_end_task")
    moved.forward(apps, None)
    waiting.refresh_from_db()
    other.refresh_from_db()
    assert import_string(waiting.task_path) is digest_task
    assert other.task_path == "parrhesia.agenda.tasks.phase_end_task"
    moved.backward(apps, None)
    waiting.refresh_from_db()
    assert waiting.task_path == moved.OLD
