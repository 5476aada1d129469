"""Writer processes for the concurrency and crash tests: forked children that append to the
record as app servers do, each entry in its own transaction, acknowledging after commit."""

from __future__ import annotations

import os
from collections.abc import Callable

from django.db import connections, transaction

from parrhesia.orgs.models import Organisation
from parrhesia.record.services import record_append


def fork(work: Callable[[int], None]) -> tuple[int, int]:
    """Run ``work(write_fd)`` in a child process; return (pid, read_fd)."""
    connections.close_all()  # the child must open its own connections
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        status = 0
        try:
            work(write_fd)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write_fd)
    return pid, read_fd


def append_and_acknowledge(
    organisation_id: int, label: str, count: int | None
) -> Callable[[int], None]:
    """Append `count` entries (or until killed); write 'label:k' to the pipe after each commit."""

    def work(write_fd: int) -> None:
        organisation = Organisation.objects.get(pk=organisation_id)
        os.write(write_fd, READY)
        k = 0
        while count is None or k < count:
            with transaction.atomic():
                record_append(
                    organisation=organisation,
                    actor=None,
                    action="test.probe",
                    subject=("probe", f"{label}:{k}"),
                    payload={"writer": label, "k": k},
                )
            os.write(write_fd, f"{label}:{k}\n".encode())
            k += 1

    return work


READY = b"ready\n"


def wait_ready(read_fd: int) -> bytes:
    """Block until the child is connected and about to write; return what it wrote so far."""
    seen = b""
    while READY not in seen:
        chunk = os.read(read_fd, 65536)
        if not chunk:
            break
        seen += chunk
    return seen


def read_all(read_fd: int, already: bytes = b"") -> list[str]:
    chunks = [already]
    while chunk := os.read(read_fd, 65536):
        chunks.append(chunk)
    os.close(read_fd)
    lines = b"".join(chunks).decode().splitlines()
    return [line for line in lines if line and line != READY.decode().strip()]
