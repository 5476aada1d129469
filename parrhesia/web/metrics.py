"""``/metrics``: what an operator's Prometheus scrapes (text exposition format 0.0.4).

Several gunicorn processes, on several servers, serve the site: a number kept in one process's
memory would be one process's. So everything that the database knows is counted from the
database when scraped (votes cast, open ballots, the task queue, the record's checkpoint lag);
only request latency is measured in the processes, by ``prometheus_client`` in its
multiprocess mode: ``parrhesia serve`` gives its workers one folder of shared files (see
``server.metrics_folder``), and each server is scraped on its own address.

No personal data: views are named by their URL name, never by path; organisations by number.
Only ``PARRHESIA_METRICS_ALLOW`` addresses get an answer; any other gets the site's 404.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max
from prometheus_client import CollectorRegistry, Histogram, generate_latest, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

from parrhesia.accounts.client_ip import client_ip, is_trusted
from parrhesia.decisions.models import Ballot, Participation, Status, Vote
from parrhesia.record.models import Checkpoint, RecordEntry, RecordHead

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
REQUEST_SECONDS = Histogram(
    "parrhesia_http_request_duration_seconds",
    "Time to answer a request, by view (URL name), method and status class.",
    ["view", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def view_label(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or "unnamed"
    if request.path.startswith(settings.STATIC_URL):
        return "static"
    return "unmatched"  # a 404 for an unknown path, or an answer before URL resolution


class RequestMetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in METHODS else "other"
        status = f"{response.status_code // 100}xx"
        REQUEST_SECONDS.labels(view_label(request), method, status).observe(
            time.perf_counter() - started
        )
        return response


def _age(now: datetime, then: datetime | None) -> float:
    return max(0.0, (now - then).total_seconds()) if then else 0.0


class DatabaseCollector:
    """What the database says at scrape time: the same on every server."""

    def collect(self) -> Iterator[Metric]:
        now = timezone.now()
        yield from self._votes()
        yield from self._tasks(now)
        yield from self._record(now)

    def _votes(self) -> Iterator[Metric]:
        votes = CounterMetricFamily(
            "parrhesia_votes_cast", "Votes cast (a member's first vote on a ballot).",
            labels=["ballot"],
        )
        votes.add_metric(["open"], Vote.objects.count())
        votes.add_metric(["secret"], Participation.objects.count())
        yield votes
        yield GaugeMetricFamily(
            "parrhesia_ballots_open", "Ballots open now.",
            value=Ballot.objects.filter(status=Status.OPEN).count(),
        )

    def _tasks(self, now: datetime) -> Iterator[Metric]:
        by_status = dict(
            DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by()
        )
        tasks = GaugeMetricFamily(
            "parrhesia_tasks", "Background tasks in the queue table, by status.",
            labels=["status"],
        )
        for status in TaskResultStatus:
            tasks.add_metric([status.value.lower()], by_status.get(status.value, 0))
        yield tasks
        ready = DBTaskResult.objects.ready()  # type: ignore[attr-defined]
        depth = ready.count()
        oldest = ready.aggregate(
            enqueued=Min("enqueued_at", filter=Q(run_after=get_date_max())),
            due=Min("run_after", filter=~Q(run_after=get_date_max())),
        )
        since = min((t for t in oldest.values() if t is not None), default=None)
        yield GaugeMetricFamily(
            "parrhesia_task_queue_depth", "Tasks ready to run now (waiting for a worker).",
            value=depth,
        )
        yield GaugeMetricFamily(
            "parrhesia_task_queue_oldest_age_seconds",
            "How long the oldest ready task has waited for a worker (0: none waits).",
            value=_age(now, since),
        )

    def _record(self, now: datetime) -> Iterator[Metric]:
        newest = Checkpoint.objects.filter(organisation=OuterRef("organisation")).order_by("-size")
        heads = list(
            RecordHead.objects.annotate(
                signed=Coalesce(Subquery(newest.values("size")[:1]), 0)
            ).values_list("organisation_id", "size", "signed")
        )
        entries = GaugeMetricFamily(
            "parrhesia_record_entries", "Entries on each organisation's record.",
            labels=["organisation"],
        )
        unsigned = GaugeMetricFamily(
            "parrhesia_record_unsigned_entries",
            "Record entries no signed checkpoint covers yet (checkpoint lag).",
            labels=["organisation"],
        )
        lagging: dict[int, int] = {}
        for organisation, size, signed in heads:
            entries.add_metric([str(organisation)], size)
            unsigned.add_metric([str(organisation)], size - signed)
            if size > signed:
                lagging[organisation] = signed
        ages = GaugeMetricFamily(
            "parrhesia_record_unsigned_age_seconds",
            "Age of the oldest record entry that no signed checkpoint covers (0: none).",
            labels=["organisation"],
        )
        first_unsigned = Q(pk__in=[])
        for organisation, signed in lagging.items():
            first_unsigned |= Q(organisation_id=organisation, seq=signed)
        times = dict(
            RecordEntry.objects.filter(first_unsigned)
            .values_list("organisation_id")
            .annotate(time=Max("time"))
            .order_by()
        ) if lagging else {}
        for organisation, _size, _signed in heads:
            ages.add_metric([str(organisation)], _age(now, times.get(organisation)))
        yield entries
        yield unsigned
        yield ages


def metrics_allowed(request: HttpRequest) -> bool:
    return is_trusted(client_ip(request), settings.PARRHESIA_METRICS_ALLOW)


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        raise Http404
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(REQUEST_SECONDS)
    registry.register(DatabaseCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_PLAIN_0_0_4)
