"""`/metrics`: Prometheus text for the allowed addresses only, counted from the database (the same
on every app server) except request latency, and naming no one."""

from __future__ import annotations

import ipaddress
import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from parrhesia.record.checkpoints import checkpoint_sign
from parrhesia.record.models import Checkpoint, RecordEntry
from parrhesia.record.services import record_append

pytestmark = pytest.mark.django_db

SAMPLE = re.compile(r"^([a-z_]+)(\{[^}]*\})? (\S+)$")


def scrape(client: Client, **extra) -> dict[str, float]:
    response = client.get("/metrics", **extra)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    samples = {}
    for line in response.content.decode().splitlines():
        if line.startswith("#") or not line:
            continue
        match = SAMPLE.match(line)
        assert match, f"not exposition format: {line!r}"
        samples[match[1] + (match[2] or "")] = float(match[3])
    return samples


def test_this_machine_reads_the_metrics(client):
    samples = scrape(client)
    assert "parrhesia_task_queue_depth" in samples
    assert 'parrhesia_votes_cast_total{ballot="open"}' in samples


def test_an_address_not_allowed_gets_404(client):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 404
    assert b"parrhesia_" not in response.content


def test_allowed_networks_are_configured(client, settings):
    settings.PARRHESIA_METRICS_ALLOW = [ipaddress.ip_network("10.1.0.0/16")]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


def test_behind_a_trusted_proxy_the_client_address_decides_as_for_log_ins(client, settings):
    settings.PARRHESIA_TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.1")]
    settings.PARRHESIA_METRICS_ALLOW = [ipaddress.ip_network("192.0.2.0/24")]
    # The proxy passes on an outside visitor: refused, though the proxy itself is local.
    outside = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert client.get("/metrics", **outside).status_code == 404
    inside = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "192.0.2.7"}
    assert client.get("/metrics", **inside).status_code == 200
    # A visitor cannot claim to be inside by sending the header straight to the server.
    forged = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "192.0.2.7"}
    assert client.get("/metrics", **forged).status_code == 404


def test_request_latency_is_by_view_name_not_path(client, riverside):
    client.get(f"/o/{riverside.slug}/")
    client.get("/no/such/page/for-anyone")
    samples = scrape(client)
    names = " ".join(samples)
    count = "parrhesia_http_request_duration_seconds_count"
    # A members-only organisation answers 404 to a visitor: its view is named all the same.
    assert samples[f'{count}{{method="GET",status="4xx",view="orgs:detail"}}'] >= 1
    assert samples[f'{count}{{method="GET",status="4xx",view="unmatched"}}'] >= 1
    assert "riverside" not in names and "for-anyone" not in names


def test_votes_are_counted_from_the_database(client, riverside, carol):
    from parrhesia.decisions.models import Vote

    before = scrape(client)['parrhesia_votes_cast_total{ballot="open"}']
    assert before == Vote.objects.count()


def test_task_queue_depth_and_the_age_of_the_oldest_ready_task(client):
    now = timezone.now()
    common = {"args_kwargs": {"args": [], "kwargs": {}}, "task_path": "x.y",
              "backend_name": "default", "queue_name": "default"}
    DBTaskResult.objects.create(**common, status="READY", run_after=now - timedelta(minutes=5))
    DBTaskResult.objects.create(**common, status="READY", run_after=now + timedelta(hours=1))
    DBTaskResult.objects.create(**common, status="FAILED", run_after=now)
    samples = scrape(client)
    assert samples["parrhesia_task_queue_depth"] == 1  # the other is not due yet
    assert 295 <= samples["parrhesia_task_queue_oldest_age_seconds"] <= 400
    assert samples['parrhesia_tasks{status="failed"}'] == 1
    assert samples['parrhesia_tasks{status="ready"}'] == 2


def test_checkpoint_lag_counts_the_entries_no_signed_checkpoint_covers(client, riverside):
    checkpoint_sign(riverside)
    label = f'{{organisation="{riverside.pk}"}}'
    samples = scrape(client)
    assert samples[f"parrhesia_record_unsigned_entries{label}"] == 0
    assert samples[f"parrhesia_record_unsigned_age_seconds{label}"] == 0
    signed = Checkpoint.objects.filter(organisation=riverside).order_by("-size").first().size
    with transaction.atomic():
        for k in range(3):
            record_append(organisation=riverside, actor=None, action="test.probe",
                          subject=("probe", str(k)), payload={})
    Checkpoint.objects.filter(organisation=riverside, size__gt=signed).delete()  # not signed yet
    RecordEntry.objects.filter(organisation=riverside, seq=signed).update(
        time=timezone.now() - timedelta(seconds=90)
    )
    samples = scrape(client)
    assert samples[f"parrhesia_record_entries{label}"] == signed + 3
    assert samples[f"parrhesia_record_unsigned_entries{label}"] == 3
    assert 90 <= samples[f"parrhesia_record_unsigned_age_seconds{label}"] < 200


def test_the_metrics_name_no_one(client, personas):
    text = client.get("/metrics").content.decode()
    for person in personas.values():
        assert person.username not in text and person.email not in text
    assert "riverside" not in text and "harbour" not in text
