"""Concurrent writers never make a gap or a duplicate seq; a writer killed with SIGKILL at any
moment loses nothing it acknowledged and leaves a record that verifies (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import os
import random
import signal
import time

import pytest

from parrhesia.methods.record import merkle
from parrhesia.methods.record.verify import verify_export
from parrhesia.record.checkpoints import root_at
from parrhesia.record.exports import record_export_write
from parrhesia.record.models import RecordEntry, RecordHead
from parrhesia.record.tests.writers import append_and_acknowledge, fork, read_all, wait_ready

pytestmark = pytest.mark.django_db(transaction=True)


def assert_record_intact(organisation, tmp_path) -> list[RecordEntry]:
    entries = list(RecordEntry.objects.filter(organisation=organisation).order_by("seq"))
    assert [e.seq for e in entries] == list(range(len(entries)))
    assert RecordHead.objects.get(organisation=organisation).size == len(entries)
    leaves = [bytes(e.canonical) for e in entries]
    assert root_at(organisation, len(entries)) == merkle.mth(leaves)
    path = tmp_path / "export.jsonl"
    with open(path, "wb") as handle:
        record_export_write(organisation, handle)
    assert verify_export(str(path)).size == len(entries)
    return entries


def probes(entries: list[RecordEntry]) -> set[str]:
    return {e.subject_id for e in entries if e.action == "test.probe"}


def test_concurrent_writers_make_no_gap_and_no_duplicate(riverside, tmp_path):
    children = [fork(append_and_acknowledge(riverside.pk, f"w{n}", 40)) for n in range(4)]
    acknowledged = []
    for pid, read_fd in children:
        acknowledged += read_all(read_fd)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
    entries = assert_record_intact(riverside, tmp_path)
    assert len(acknowledged) == 160
    assert probes(entries) == set(acknowledged)


def test_killing_a_writer_at_random_moments_loses_nothing_acknowledged(riverside, tmp_path):
    rng = random.Random(20261127)
    acknowledged: list[str] = []
    for attempt in range(100):
        pid, read_fd = fork(append_and_acknowledge(riverside.pk, f"run{attempt}", None))
        already = wait_ready(read_fd)
        time.sleep(rng.uniform(0.0, 0.08))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        acknowledged += read_all(read_fd, already)
    entries = assert_record_intact(riverside, tmp_path)
    assert set(acknowledged) <= probes(entries)
    assert len(acknowledged) >= 100, "the writers hardly wrote: the test proves little"


def test_an_export_is_written_whole(riverside):
    buffer = io.BytesIO()
    size = record_export_write(riverside, buffer)
    lines = buffer.getvalue().splitlines()
    assert len(lines) == size + 2
