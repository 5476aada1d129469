"""The organisation page lists its latest record entries in words, not as action codes such as
`interim_measure.lapsed` (issue 14); every action of every app has its words."""

from __future__ import annotations

import importlib

import pytest
from django.urls import reverse

from parrhesia.record.action_labels import LABELS

pytestmark = pytest.mark.django_db

APPS = ["orgs", "record", "agenda", "opinion", "decisions", "tribunal", "discussions", "webhooks"]


def actions_of_every_app() -> set[str]:
    found = set()
    for app in APPS:
        try:
            module = importlib.import_module(f"parrhesia.{app}.actions")
        except ModuleNotFoundError:
            continue
        found |= {str(action) for action in module.Action}
    return found


def test_every_record_action_has_words_for_readers():
    assert actions_of_every_app() - set(LABELS) == set()


def test_the_organisation_page_says_what_happened_in_words(client, riverside, carol):
    client.force_login(carol)
    page = client.get(reverse("orgs:detail", args=["riverside"])).content.decode()
    assert "Member joined" in page and "Role changed" in page  # the fixture's latest entries
    assert "<code>membership.joined</code>" not in page
    assert "<code>membership.role_changed</code>" not in page
