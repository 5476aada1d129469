"""A member's to-do: the ballots they have not voted in leave the list once they vote; the home
page, the organisation page and the to-do page show it; the menu counts it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parrhesia.decisions import services as decisions
from parrhesia.kernel.todo import todo_for
from tests.fixtures.decisions import soon

pytestmark = pytest.mark.django_db


def ballot(riverside, bob, title="Rent strike in March?", days=3, **settings):
    return decisions.ballot_open(
        user=bob,
        organisation=riverside,
        title=title,
        method="plurality",
        options=["Yes", "No"],
        closes_at=soon(days),
        **settings,
    )


def test_a_member_sees_the_ballot_they_have_not_voted_in_until_they_vote(
    client, riverside, bob, carol
):
    vote = ballot(riverside, bob)
    client.force_login(carol)
    for url in (reverse("home"), reverse("orgs:detail", args=["riverside"]), reverse("todo")):
        page = client.get(url).content.decode()
        assert "Rent strike in March?" in page, url
        assert reverse("decisions:detail", args=["riverside", vote.pk]) in page
    decisions.ballot_vote(user=carol, ballot=vote, choices=1)
    assert [row.uid for row in todo_for(carol)] == []
    assert "Rent strike in March?" not in client.get(reverse("todo")).content.decode()


def test_a_secret_ballot_leaves_the_list_once_the_member_took_part(riverside, bob, carol):
    vote = ballot(riverside, bob, secrecy="secret", min_anonymity=1)
    assert [row.kind for row in todo_for(carol)] == ["ballot"]
    decisions.ballot_vote(user=carol, ballot=vote, choices=1)
    assert todo_for(carol) == []


def test_only_the_electorate_is_asked_and_the_soonest_deadline_comes_first(
    riverside, alice, bob, carol, erin, harbour, dave
):
    later = ballot(riverside, bob, title="Later", days=5)
    sooner = ballot(riverside, bob, title="Sooner", days=1)
    from parrhesia.orgs import services as orgs

    invitation = orgs.invitation_create(user=alice, organisation=riverside)
    orgs.invitation_accept(user=erin, token=invitation.token)  # joined after both opened
    assert [row.uid for row in todo_for(carol)] == [f"ballot-{sooner.pk}", f"ballot-{later.pk}"]
    assert todo_for(erin) == [] and todo_for(dave) == []


def test_the_menu_counts_the_to_do_where_the_page_knows_it_and_fetches_it_elsewhere(
    client, riverside, bob, carol
):
    ballot(riverside, bob)
    client.force_login(carol)
    assert "To do<span> (1)</span>" in client.get(reverse("todo")).content.decode()
    elsewhere = client.get(reverse("profile")).content.decode()
    assert f'hx-get="{reverse("todo_count")}"' in elsewhere
    assert client.get(reverse("todo_count")).content.decode().strip() == "<span> (1)</span>"


def test_the_to_do_costs_the_same_queries_however_many_ballots_and_organisations(
    riverside, harbour, alice, bob, carol, dave, django_assert_num_queries
):
    from parrhesia.orgs import services as orgs

    ballot(riverside, bob)
    todo_for(carol)  # warm: the content registry, the translations
    with django_assert_num_queries(9) as one:  # memberships, then 8 (none per row)
        assert len(todo_for(carol)) == 1
    invitation = orgs.invitation_create(user=dave, organisation=harbour)
    orgs.invitation_accept(user=carol, token=invitation.token)
    for number in range(3):
        ballot(riverside, bob, title=f"Ballot {number}")
        decisions.ballot_open(
            user=dave, organisation=harbour, title=f"Harbour {number}", method="plurality",
            options=["Yes", "No"], closes_at=soon(),
        )  # fmt: skip
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(todo_for(carol)) == 7


def test_the_organisation_page_shows_that_organisations_rows_and_the_home_page_all(
    client, riverside, harbour, bob, carol, dave
):
    from parrhesia.orgs import services as orgs

    invitation = orgs.invitation_create(user=dave, organisation=harbour)
    orgs.invitation_accept(user=carol, token=invitation.token)
    ballot(riverside, bob, title="Riverside's vote")
    ballot(harbour, dave, title="Harbour's vote")
    client.force_login(carol)
    home = client.get(reverse("home")).content.decode()
    assert "Riverside&#x27;s vote" in home and "Harbour&#x27;s vote" in home
    page = client.get(reverse("orgs:detail", args=["riverside"])).content.decode()
    assert "Riverside&#x27;s vote" in page and "Harbour&#x27;s vote" not in page
    assert "To do<span> (2)</span>" in page  # the menu counts every organisation's
