"""The signing task holds no lock while it signs, and leaves no write batch unsigned."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from parrhesia.record import checkpoints, tasks
from parrhesia.record.checkpoints import checkpoint_sign
from parrhesia.record.models import Checkpoint, RecordHead
from parrhesia.record.services import record_append

pytestmark = pytest.mark.django_db


def append(organisation, n: int = 1) -> None:
    for i in range(n):
        record_append(
            organisation=organisation,
            actor=None,
            action="test.entry",
            subject=("test", str(i)),
            payload={"i": i},
        )


def test_entries_appended_while_it_signs_are_signed_too(riverside, monkeypatch):
    append(riverside, 3)
    calls = []

    def sign_while_someone_writes(organisation):
        checkpoint = checkpoint_sign(organisation)
        if not calls:  # a writer commits between the signature and the flag's clearing
            append(organisation, 2)
        calls.append(checkpoint.size)
        return checkpoint

    monkeypatch.setattr(checkpoints, "checkpoint_sign", sign_while_someone_writes)
    head = RecordHead.objects.get(organisation=riverside)
    assert head.checkpoint_queued
    size = tasks.checkpoint_sign_task.call(riverside.pk)
    head.refresh_from_db()
    assert size == head.size and calls == [head.size - 2, head.size]
    assert not head.checkpoint_queued  # the next write queues the next signing
    assert Checkpoint.objects.filter(organisation=riverside).order_by("-size")[0].size == size


def test_a_stream_of_writes_hands_over_to_a_fresh_task(riverside, monkeypatch):
    append(riverside)
    enqueued = []

    def sign_while_writes_keep_coming(organisation):
        checkpoint = checkpoint_sign(organisation)
        append(organisation)
        return checkpoint

    task = tasks.checkpoint_sign_task
    monkeypatch.setattr(checkpoints, "checkpoint_sign", sign_while_writes_keep_coming)
    monkeypatch.setattr(tasks, "checkpoint_sign_task", SimpleNamespace(enqueue=enqueued.append))
    task.call(riverside.pk)
    assert enqueued == [riverside.pk]
    assert RecordHead.objects.get(organisation=riverside).checkpoint_queued
