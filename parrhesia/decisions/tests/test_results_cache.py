"""The running count's part of an open ballot's page is rendered once per version of the count
and kept in the shared cache (issue 15): a vote makes a new version at once, a reason changed
alone or erased too; nothing of a ballot whose choices are hidden is cached; and what is the
reader's own (their vote, their CSRF token, the proxy form) is never part of what is shared."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.urls import reverse

from parrhesia.decisions import services
from parrhesia.decisions.models import RunningCount
from parrhesia.decisions.views import proxies, results

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def every_rendering_stored(monkeypatch):
    """These small ballots render faster than a cache write: store them anyway, to test it."""
    monkeypatch.setattr(results, "STORED_WHEN_RENDERED_IN", 0)


def page(client, user, ballot) -> str:
    client.force_login(user)
    response = client.get(reverse("decisions:detail", args=["riverside", ballot.pk]))
    assert response.status_code == 200
    return response.content.decode()


def cached_keys() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM parrhesia_cache")
        return [key for (key,) in cursor.fetchall() if "decisions.results" in key]


def turnout(html: str) -> str:
    return re.search(r"Turnout: (\d+) of", html).group(1)


def test_the_count_is_rendered_once_per_version_and_a_vote_makes_a_new_one(
    client, open_ballot, voters
):
    ballot = open_ballot("plurality", ["A", "B", "C"])
    services.ballot_vote(user=voters["alice"], ballot=ballot, choices=0)
    assert turnout(page(client, voters["bob"], ballot)) == "1"
    [first] = cached_keys()
    assert turnout(page(client, voters["carol"], ballot)) == "1"
    assert cached_keys() == [first]  # the second reader read the first one's rendering
    services.ballot_vote(user=voters["erin"], ballot=ballot, choices=1)
    html = page(client, voters["bob"], ballot)
    assert turnout(html) == "2"
    assert "2 voted so far" in html
    assert len(cached_keys()) == 2


def test_a_reason_changed_alone_is_shown_on_the_next_visit(client, open_ballot, voters):
    ballot = open_ballot("plurality", ["A", "B"], reasons="optional")
    services.ballot_vote(user=voters["alice"], ballot=ballot, choices=0, reason="First thought")
    assert "First thought" in page(client, voters["bob"], ballot)
    services.ballot_vote(user=voters["alice"], ballot=ballot, choices=0, reason="Second thought")
    html = page(client, voters["bob"], ballot)
    assert "Second thought" in html
    assert "First thought" not in html
    assert "still being counted" not in html  # the result stayed current


def test_a_touch_keeps_a_current_result_current_and_a_late_one_late(open_ballot):
    ballot = open_ballot("plurality", ["A", "B"])
    services.running_count_touch(ballot_id=ballot.pk)
    count = RunningCount.objects.get(ballot=ballot)
    assert (count.version, count.result_version) == (1, 1)
    RunningCount.objects.filter(ballot=ballot).update(version=3)  # the worker is behind
    services.running_count_touch(ballot_id=ballot.pk)
    count = RunningCount.objects.get(ballot=ballot)
    assert (count.version, count.result_version) == (4, 1)


@pytest.mark.parametrize("settings_", [{"secrecy": "secret"}, {"results_hidden": True}])
def test_nothing_of_a_ballot_whose_choices_are_hidden_is_cached(
    client, open_ballot, voters, settings_
):
    ballot = open_ballot("plurality", ["Apples", "Pears"], **settings_)
    for name in ("alice", "carol"):
        services.ballot_vote(user=voters[name], ballot=ballot, choices=1)
    html = page(client, voters["bob"], ballot)
    assert "The results are hidden until the close." in html
    assert "Turnout:" not in html
    assert cached_keys() == []


def test_the_readers_own_parts_are_not_shared(client, open_ballot, voters):
    ballot = open_ballot("plurality", ["A", "B"])
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices=1)
    carols = page(client, voters["carol"], ballot)
    bobs = page(client, voters["bob"], ballot)
    assert len(cached_keys()) == 1  # both read the one rendering of the count
    assert 'id="current-vote"' in carols
    assert 'id="current-vote"' not in bobs

    def token(html: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    assert token(carols) != token(bobs)
    results = re.search(r'<section aria-labelledby="result-heading".*?</section>', bobs, re.S)
    assert "csrfmiddlewaretoken" not in results.group(0)


def test_a_rendering_cheaper_than_a_cache_write_is_not_stored(
    client, open_ballot, voters, monkeypatch
):
    monkeypatch.setattr(results, "STORED_WHEN_RENDERED_IN", 60)
    ballot = open_ballot("plurality", ["A", "B"])
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices=1)
    assert turnout(page(client, voters["bob"], ballot)) == "1"
    assert cached_keys() == []


def test_the_cache_can_be_turned_off(client, open_ballot, voters, settings):
    settings.DECISIONS_RESULTS_CACHE_SECONDS = 0
    ballot = open_ballot("plurality", ["A", "B"])
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices=1)
    assert turnout(page(client, voters["bob"], ballot)) == "1"
    assert cached_keys() == []


def test_a_large_electorate_gets_a_link_to_the_proxy_form_not_the_list(
    client, open_ballot, voters, monkeypatch
):
    """The proxy form lists the whole electorate: on the page only while it is small."""
    ballot = open_ballot("plurality", ["A", "B"])
    assert 'name="holder"' in page(client, voters["carol"], ballot)
    monkeypatch.setattr(proxies, "PROXY_FORM_ON_PAGE_UP_TO", 1)
    html = page(client, voters["carol"], ballot)
    assert 'name="holder"' not in html
    url = reverse("decisions:proxy", args=["riverside", ballot.pk])
    assert f'href="{url}"' in html
    form = client.get(url).content.decode()
    assert 'name="holder"' in form
