"""The opinion map of a conversation: built from its votes by the engine, cached and versioned.

Analysis runs as a background task per batch of new votes, at most one queued or running per
conversation (``Conversation.analysis_queued``, set by the vote that finds it clear). The task
repeats while votes arrived during its run, then clears the flag by one UPDATE conditional on
``votes_cast`` being the count it started from; a vote holds the conversation's row lock while
it bumps ``votes_cast``, so no vote is ever left unanalysed.

Each run is a *warm* update from the stored ``ModelState`` (components, clusters and Polis's
k smoother carry over), so groups do not jump and k changes only after winning 4 runs in a row.

While votes keep arriving, runs of one conversation are spaced by at least
``settings.OPINION_ANALYSIS_INTERVAL`` seconds: the task re-queues itself to run that long after
its last start (the flag stays set), so a steady stream of votes costs one analysis per interval
rather than back-to-back runs that keep a CPU and the database's writer busy.
"""

from __future__ import annotations

import json
import time
import zlib
from datetime import timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from parrhesia.kernel.deferred import task_enqueue
from parrhesia.methods.opinion import ModelState, VoteMatrix, analyze
from parrhesia.methods.opinion.pipeline import vote_counts_by_group
from parrhesia.opinion.models import (
    Analysis,
    AnalysisState,
    Conversation,
    Mark,
    Participant,
    Statement,
    Vote,
)
from parrhesia.opinion.tasks import conversation_analyse_task

GROUP_LABELS = "ABCDEFGH"


def analysis_loop(conversation_id: int) -> int:
    """Analyse until no vote arrived meanwhile, then clear the in-flight flag; the version.

    When votes did arrive and the task backend can defer, the next run is queued for the end of
    the interval instead (the flag stays set, so votes still enqueue nothing)."""
    version = 0
    try:
        while True:
            started = time.monotonic()
            seen = Conversation.objects.values_list("votes_cast", flat=True).get(pk=conversation_id)
            version = analysis_run(conversation_id, seen).version
            # One conditional UPDATE: it waits for a vote holding the row and then sees its
            # count, and this low-priority worker holds no lock between statements.
            unchanged = Conversation.objects.filter(pk=conversation_id, votes_cast=seen)
            if unchanged.update(analysis_queued=False):
                return version
            if _queue_next_run(conversation_id, started):
                return version
    except BaseException:
        Conversation.objects.filter(pk=conversation_id).update(analysis_queued=False)
        raise


def _queue_next_run(conversation_id: int, started: float) -> bool:
    """Queue the next run for ``OPINION_ANALYSIS_INTERVAL`` seconds after this one started;
    False when there is no interval or the backend runs tasks at once (then loop now)."""
    wait = settings.OPINION_ANALYSIS_INTERVAL - (time.monotonic() - started)
    if wait <= 0 or not conversation_analyse_task.get_backend().supports_defer:
        return False
    later = timezone.now() + timedelta(seconds=wait)
    task_enqueue(conversation_analyse_task, conversation_id, run_after=later)
    return True


def vote_matrix(conversation_id: int) -> tuple[VoteMatrix, list[str]]:
    """The conversation's current votes (rows: participant numbers, columns: statement numbers)
    and the statements the analysis leaves out (marked off-topic or meta, as Polis leaves out
    moderated-out and meta statements)."""
    statements = dict(
        Statement.objects.filter(conversation_id=conversation_id).values_list("pk", "number")
    )
    marked = Statement.objects.filter(conversation_id=conversation_id).exclude(mark=Mark.NONE)
    participants = dict(
        Participant.objects.filter(conversation_id=conversation_id).values_list("pk", "number")
    )
    votes = np.array(
        list(
            Vote.objects.filter(participant__conversation_id=conversation_id).values_list(
                "participant_id", "statement_id", "value"
            )
        ),
        dtype=np.int64,
    ).reshape(-1, 3)
    voters = sorted({participants[p] for p in votes[:, 0].tolist()})
    row_of = {number: i for i, number in enumerate(voters)}
    numbers = sorted(statements.values())
    col_of = {number: j for j, number in enumerate(numbers)}
    rows = np.fromiter((row_of[participants[p]] for p in votes[:, 0].tolist()), np.int64)
    cols = np.fromiter((col_of[statements[s]] for s in votes[:, 1].tolist()), np.int64)
    matrix, _ = VoteMatrix.from_votes(
        rows,
        cols,
        votes[:, 2].astype(np.float64),
        [str(p) for p in voters],
        [str(s) for s in numbers],
    )
    return matrix, [str(n) for n in marked.values_list("number", flat=True)]


def analysis_run(conversation_id: int, votes_cast: int) -> Analysis:
    """Compute the map (warm from the stored state) and store it as the next version.

    Each store is one statement outside any transaction (the state's UPDATE or INSERT, then the
    result's), its JSON encoded before the statement runs, so SQLite's single writer lock is
    held only while a row is written, never while this (low-priority) worker computes or
    encodes. Versions stay consecutive: one run per conversation is in flight, and the UPDATE
    increments in SQL. The state is compressed (kilobytes, where its JSON is ~30 bytes per
    participant) and kept apart from the result, which pages read.
    """
    started = time.perf_counter()
    matrix, left_out = vote_matrix(conversation_id)
    previous = state_of(conversation_id)
    result, state = _analyse(matrix, left_out, previous)
    if state:
        packed = zlib.compress(json.dumps(state, separators=(",", ":")).encode())
        states = AnalysisState.objects.filter(conversation_id=conversation_id)
        if not states.update(packed=packed):
            AnalysisState.objects.create(conversation_id=conversation_id, packed=packed)
    fields = {
        "votes_cast": votes_cast,
        "computed_at": timezone.now(),
        "duration_ms": int((time.perf_counter() - started) * 1000),
        "result": result,
    }
    rows = Analysis.objects.filter(conversation_id=conversation_id)
    if not rows.update(version=F("version") + 1, **fields):
        Analysis.objects.create(conversation_id=conversation_id, version=1, **fields)
    return rows.defer("result").get()


def state_of(conversation_id: int) -> ModelState | None:
    """The engine's warm state after the conversation's latest analysis, if any."""
    packed = (
        AnalysisState.objects.filter(conversation_id=conversation_id)
        .values_list("packed", flat=True)
        .first()
    )
    return ModelState.from_json(json.loads(zlib.decompress(bytes(packed)))) if packed else None


def _analyse(
    matrix: VoteMatrix, left_out: list[str], previous: ModelState | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    live = len(set(matrix.statement_ids) - set(left_out))
    if matrix.shape[0] < 2 or live < 2 or matrix.n_votes < 4:
        return {"enough": False, "participants": matrix.shape[0]}, {}
    opinion = analyze(matrix, left_out, previous=previous)
    document = opinion.to_json()
    group_of = opinion.group_of
    n_groups = len(opinion.groups)
    na, nd, ns = vote_counts_by_group(matrix, group_of, n_groups)
    points = opinion.projections
    participants = {
        pid: {"group": int(g) if g >= 0 else None, "x": _r(x), "y": _r(y)}
        for pid, g, (x, y) in zip(
            opinion.participant_ids, group_of.tolist(), points.tolist(), strict=True
        )
    }
    groups = []
    for g, summary in enumerate(document["groups"]):
        members = points[group_of == g]
        groups.append(
            {
                "label": GROUP_LABELS[g] if g < len(GROUP_LABELS) else str(g + 1),
                "size": summary["size"],
                "hull": [[_r(x), _r(y)] for x, y in convex_hull(members.tolist())],
                "centre": [_r(v) for v in members.mean(axis=0).tolist()],
                "representative": summary["representative"],
            }
        )
    result = {
        "enough": True,
        "participants": participants,
        "groups": groups,
        "consensus": document["consensus"],
        "bridging": document["bridging"],
        "extremity": document["extremity"],
        "group_votes": {
            sid: [[int(na[g, j]), int(nd[g, j]), int(ns[g, j])] for g in range(n_groups)]
            for j, sid in enumerate(opinion.statement_ids)
        },
        "k_silhouettes": document["k_silhouettes"],
    }
    return result, opinion.state.to_json()


def _r(value: float) -> float:
    return round(float(value), 4)


def convex_hull(points: list[list[float]]) -> list[tuple[float, float]]:
    """Andrew's monotone chain; fewer than three distinct points come back as they are."""
    unique = sorted({(float(x), float(y)) for x, y in points})
    if len(unique) < 3:
        return unique

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    upper: list[tuple[float, float]] = []
    for point in unique:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], point) <= 0:
            lower.pop()
        lower.append(point)
    for point in reversed(unique):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], point) <= 0:
            upper.pop()
        upper.append(point)
    return lower[:-1] + upper[:-1]
