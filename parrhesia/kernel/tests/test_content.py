"""The registry of content kinds, filled from every app's content.py at start-up."""

from __future__ import annotations

import pytest

from parrhesia.kernel import content

pytestmark = pytest.mark.django_db


def test_every_app_registered_its_kinds():
    kinds = set(content.reportables())
    assert {"member", "join_request", "motion", "argument", "statement", "minority_report"} <= kinds


def test_an_unknown_kind_is_a_domain_error_users_can_be_told_of():
    with pytest.raises(content.UnknownContent):
        content.reportable_of("no-such-kind")
    with pytest.raises(content.UnknownContent):
        content.reportable_of("case")  # a kind, but nothing the tribunal can judge


def test_a_kind_without_a_link_is_shown_without_one(riverside):
    assert content.subject_url(riverside, "no-such-kind", "1") is None
    assert content.subject_url(riverside, "organisation", "1") == "/o/riverside/"


def test_the_download_starts_with_the_record_then_the_organisation():
    names = [part.__name__ for part in content.download_parts()]
    assert names[:2] == ["record_download_part", "organisation_download_part"]
    assert len(names) == len(set(names)) >= 6
