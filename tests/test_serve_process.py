"""How `parrhesia serve` and `parrhesia worker` set up their processes for steady latency."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest

from parrhesia.cli import server

PRIORITY_PROBE = """
import os, sys
from parrhesia.cli.server import worker_priority_lower
worker_priority_lower(int(sys.argv[1]), sys.argv[2] == "idle")
print(os.sched_getscheduler(0), os.nice(0))
"""


def _lowered(nice: int, idle: bool) -> tuple[int, int]:
    done = subprocess.run(
        [sys.executable, "-c", PRIORITY_PROBE, str(nice), "idle" if idle else "normal"],
        capture_output=True, text=True, check=True, timeout=60,
    )
    policy, niceness = done.stdout.split()
    return int(policy), int(niceness)


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="SCHED_IDLE is Linux's")
def test_the_task_worker_runs_only_when_web_requests_leave_the_cpu():
    start = os.nice(0)
    lowered = min(start + 10, 19)  # niceness stops at 19
    assert _lowered(10, idle=True) == (os.SCHED_IDLE, lowered)
    assert _lowered(10, idle=False) == (os.SCHED_OTHER, lowered)
    assert _lowered(0, idle=False) == (os.SCHED_OTHER, start)


def test_a_warm_web_worker_keeps_what_it_built_out_of_garbage_collections():
    gc.unfreeze()
    try:
        for served in (1, server.WARM_REQUESTS - 1):
            server._freeze_when_warm(SimpleNamespace(nr=served), None, None, None)
            assert gc.get_freeze_count() == 0
        server._freeze_when_warm(SimpleNamespace(nr=server.WARM_REQUESTS), None, None, None)
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # this process's modules, classes, functions…
        server._freeze_when_warm(SimpleNamespace(nr=server.WARM_REQUESTS + 1), None, None, None)
        assert gc.get_freeze_count() == frozen  # once only
    finally:
        gc.unfreeze()
