"""The pages of proxies, delegation and mandates: a member's delegations (give, revoke, renew)
and who delegates to them; the graph of an area, drawn and tabled; the admins' rules and
mandates; on a ballot, voting for oneself or for a giver, and what delegates carry."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parrhesia.decisions import services
from parrhesia.decisions.models import Delegation, Mandate, Vote
from parrhesia.record.models import RecordEntry
from tests.fixtures.decisions import member_of

pytestmark = pytest.mark.django_db


def url(name, riverside, *args):
    return reverse(f"decisions:{name}", args=[riverside.slug, *args])


@pytest.fixture
def delegation_on(riverside, voters):
    return services.delegation_policy_change(
        user=voters["alice"], organisation=riverside, proxies_max=2, delegation_enabled=True,
        delegation_transitive=False, delegation_cap_percent=100, delegation_cap_max=20,
        delegation_days=365,
    )  # fmt: skip


def test_a_member_delegates_from_their_page_and_the_delegate_sees_it(
    client, riverside, voters, delegation_on
):
    bob = member_of(voters["bob"], riverside)
    client.force_login(voters["carol"])
    response = client.post(url("delegations", riverside), {"delegate": str(bob.pk), "area": ""})
    assert response.status_code == 302
    delegation = Delegation.objects.get(delegator__user=voters["carol"])
    assert delegation.delegate == bob
    page = client.get(url("delegations", riverside)).content.decode()
    assert "Bob Steward" in page and "Revoke" in page and "Renew" in page
    client.force_login(voters["bob"])
    page = client.get(url("delegations", riverside)).content.decode()
    assert "Who delegates to me" in page and "Carol Member" in page


def test_revoking_and_renewing_from_the_page(client, riverside, voters, delegation_on):
    delegation = services.delegation_give(
        user=voters["carol"], organisation=riverside, delegate=member_of(voters["bob"], riverside)
    )
    client.force_login(voters["carol"])
    before = delegation.expires_at
    client.post(url("delegation_renew", riverside, delegation.pk))
    delegation.refresh_from_db()
    assert delegation.expires_at > before
    client.post(url("delegation_revoke", riverside, delegation.pk))
    delegation.refresh_from_db()
    assert delegation.ended_at is not None


def test_a_member_cannot_delegate_while_delegation_is_off(client, riverside, voters):
    client.force_login(voters["carol"])
    page = client.get(url("delegations", riverside)).content.decode()
    assert "switched off" in page and 'name="delegate"' not in page
    bob = member_of(voters["bob"], riverside)
    response = client.post(url("delegations", riverside), {"delegate": str(bob.pk)})
    assert response.status_code == 403  # the page, saying why
    assert "Delegation is switched off in this organisation." in response.content.decode()
    assert not Delegation.objects.exists()


def test_the_graph_is_an_image_with_its_table(client, riverside, voters, delegation_on):
    for name in ("carol", "erin"):
        services.delegation_give(
            user=voters[name], organisation=riverside, delegate=member_of(voters["bob"], riverside)
        )
    client.force_login(voters["carol"])
    page = client.get(url("delegation_graph", riverside)).content.decode()
    assert 'role="img"' in page and "aria-label" in page
    assert page.count('class="graph-edge"') == 2
    assert "<table>" in page and "Carol Member, Erin Outsider" in page
    assert client.get(url("delegation_graph", riverside), {"area": "nonsense"}).status_code == 404


def test_the_admins_rules_page_goes_on_the_record(client, riverside, voters):
    client.force_login(voters["alice"])
    response = client.post(
        url("delegations_settings", riverside),
        {
            "proxies_max": "1",
            "delegation_enabled": "on",
            "delegation_transitive": "on",
            "delegation_cap_percent": "10",
            "delegation_cap_max": "5",
            "delegation_days": "90",
        },
    )
    assert response.status_code == 302
    entry = RecordEntry.objects.get(organisation=riverside, action="delegation_policy.changed")
    assert entry.payload["proxies_max"] == 1 and entry.payload["delegation_transitive"] is True
    bad = client.post(url("delegations_settings", riverside), {"proxies_max": "-1"})
    assert bad.status_code == 400


def test_an_admin_gives_mandates_on_their_page(client, riverside, voters):
    carol = member_of(voters["carol"], riverside)
    client.force_login(voters["alice"])
    response = client.post(
        url("mandates", riverside),
        {"member": str(carol.pk), "weight": "4", "reason": "Northside section"},
    )
    assert response.status_code == 302
    assert Mandate.objects.get(membership=carol).weight == 4
    page = client.get(url("mandates", riverside)).content.decode()
    assert "Northside section" in page and "Carol Member" in page
    missing_reason = client.post(
        url("mandates", riverside), {"member": str(carol.pk), "weight": "2"}
    )
    assert missing_reason.status_code == 400


def test_a_holder_votes_for_themselves_or_for_the_giver(client, riverside, open_ballot, voters):
    ballot = open_ballot()
    carol = member_of(voters["carol"], riverside)
    services.proxy_give(
        user=voters["carol"], ballot=ballot, holder=member_of(voters["bob"], riverside)
    )
    client.force_login(voters["bob"])
    page = client.get(url("detail", riverside, ballot.pk)).content.decode()
    assert 'name="for"' in page and "Carol Member (proxy)" in page
    client.post(url("vote", riverside, ballot.pk), {"choice": "for", "idempotency_key": "a"})
    client.post(
        url("vote", riverside, ballot.pk),
        {"choice": "against", "idempotency_key": "b", "for": str(carol.pk)},
    )
    votes = dict(
        Vote.objects.filter(ballot=ballot).values_list("member__user__username", "choices")
    )
    assert votes == {"bob": "for", "carol": "against"}
    # someone whose proxy they do not hold: refused
    erin = member_of(voters["erin"], riverside)
    response = client.post(
        url("vote", riverside, ballot.pk),
        {"choice": "for", "idempotency_key": "c", "for": str(erin.pk)},
    )
    assert response.status_code == 403


def test_the_giver_revokes_from_the_ballot_page(client, riverside, open_ballot, voters):
    ballot = open_ballot()
    services.proxy_give(
        user=voters["carol"], ballot=ballot, holder=member_of(voters["bob"], riverside)
    )
    client.force_login(voters["carol"])
    page = client.get(url("detail", riverside, ballot.pk)).content.decode()
    assert "You gave your vote to Bob Steward" in page
    client.post(url("proxy_revoke", riverside, ballot.pk))
    assert not ballot.proxies.exists()


def test_a_ballot_page_shows_what_each_delegate_carries_and_from_whom(
    client, riverside, open_ballot, voters, delegation_on
):
    services.delegation_give(
        user=voters["carol"], organisation=riverside, delegate=member_of(voters["bob"], riverside)
    )
    ballot = open_ballot()
    services.ballot_vote(user=voters["bob"], ballot=ballot, choices="for")
    client.force_login(voters["erin"])
    page = client.get(url("detail", riverside, ballot.pk)).content.decode()
    assert "Weight delegates carry if the vote closed now" in page
    assert "<td>Bob Steward</td><td>1</td><td>Carol Member</td>" in page
    services.ballot_close(user=voters["bob"], ballot=ballot)
    page = client.get(url("detail", riverside, ballot.pk)).content.decode()
    assert "Weight delegates carried" in page and "<td>Carol Member</td>" in page
    assert "Weight represented (mandates and delegations): 2 of 4 votes" in page
    assert "a delegate carries at most 4 besides their own" in page


@pytest.mark.parametrize("chosen", ["²", "abc", "-1"])
def test_voting_for_something_that_is_not_a_member_number_is_a_form_error(
    client, riverside, open_ballot, voters, chosen
):
    """A "²" passes isdigit() but not int(): a form error, never a server error, and no
    vote is cast, not even the holder's own."""
    ballot = open_ballot()
    services.proxy_give(
        user=voters["carol"], ballot=ballot, holder=member_of(voters["bob"], riverside)
    )
    client.force_login(voters["bob"])
    response = client.post(
        url("vote", riverside, ballot.pk),
        {"choice": "for", "idempotency_key": "a", "for": chosen},
    )
    assert response.status_code == 400
    assert "Choose the member you vote for from the list." in response.content.decode()
    assert not Vote.objects.filter(ballot=ballot).exists()
