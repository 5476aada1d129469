"""The site's frame: health, error pages, security headers, languages."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.db.utils import OperationalError
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_health_reports_ok_with_the_database(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == connection.vendor


def test_health_reports_503_when_the_database_is_unreachable(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "unreachable",
        "detail": "OperationalError",
    }


def test_an_unknown_page_gets_the_sites_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert b"Not found" in response.content and b"Parrhesia" in response.content


@override_settings(DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_a_crash_gets_the_sites_500_without_a_traceback(client, monkeypatch):
    from parrhesia.web import views

    monkeypatch.setattr(
        views.selectors, "organisations_public", mock.Mock(side_effect=RuntimeError("boom"))
    )
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b"boom" not in response.content and b"Traceback" not in response.content


def test_pages_carry_a_strict_content_security_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_a_form_without_its_csrf_token_is_refused_clearly(alice):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post("/new/", {"name": "X", "slug": "x", "visibility": "members"})
    assert response.status_code == 403
    assert b"The form had expired" in response.content


def test_the_interface_speaks_french(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.headers["Content-Language"] == "fr"
    assert 'lang="fr"' in response.content.decode()
    assert "Organisations publiques" in response.content.decode()


def test_the_language_can_be_chosen(client):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"}, follow=True)
    assert 'lang="fr"' in response.content.decode()


def test_the_database_runs_as_documented():
    if connection.vendor == "postgresql":  # DATABASE_URL: health-checked persistent connections
        assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
        return
    # The embedded SQLite: WAL, synchronous=FULL, immediate transactions.
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
