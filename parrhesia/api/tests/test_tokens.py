"""Personal access tokens and what the API does with them: stored as digests, shown once,
expiring, revocable, scoped, bound to one organisation and to a membership in force."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parrhesia.api.models import ApiToken
from parrhesia.api.services import TokenError, token_create, token_revoke
from parrhesia.api.tests.conftest import call
from parrhesia.orgs import services as orgs
from parrhesia.orgs.models import Organisation

pytestmark = pytest.mark.django_db


def ballots_url(world) -> str:
    return f"/api/v1/orgs/{world.organisation.slug}/ballots"


def vote_url(world) -> str:
    return f"{ballots_url(world)}/{world.ids['ballot_id']}/vote"


def test_only_the_digest_of_a_token_is_stored(riverside, carol):
    token, secret = token_create(user=carol, organisation=riverside, scopes=["read"])
    assert secret.startswith("prh_") and len(secret) >= 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())


def test_it_refuses_unknown_scopes_and_lifetimes_past_a_year(riverside, carol):
    with pytest.raises(TokenError):
        token_create(user=carol, organisation=riverside, scopes=["admin"])
    with pytest.raises(TokenError):
        token_create(user=carol, organisation=riverside, scopes=["read"], days=366)
    token, _secret = token_create(user=carol, organisation=riverside, scopes=["read"])
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)


def test_a_token_reads_ballots_and_votes_with_the_vote_scope(client, api_world):
    token = api_world.token("member", "read,vote")
    listed = call(client, "get", ballots_url(api_world), token)
    assert listed.status_code == 200
    assert {b["title"] for b in listed.json()["items"]} == {"Strike?", "Colour"}
    voted = call(client, "post", vote_url(api_world), token, data={"choice": "for"})
    assert voted.status_code == 200 and voted.json()["state"] == "recorded"
    assert voted["Cache-Control"] == "no-store"


def test_a_read_token_may_not_vote(client, api_world):
    response = call(
        client, "post", vote_url(api_world), api_world.token("member", "read"),
        data={"choice": "for"},
    )  # fmt: skip
    assert response.status_code == 403
    assert response.json()["type"] == "urn:parrhesia:problem:insufficient-scope"


def test_a_retried_vote_with_the_same_idempotency_key_changes_nothing(client, api_world):
    token = api_world.token("member", "vote")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_IDEMPOTENCY_KEY": "k-1"}
    url = vote_url(api_world)
    first = client.post(url, {"choice": "for"}, content_type="application/json", **headers)
    again = client.post(url, {"choice": "for"}, content_type="application/json", **headers)
    assert first.json()["state"] == "recorded" and again.json()["state"] == "repeated"


def test_an_expired_or_revoked_token_is_401(client, api_world, carol):
    token = api_world.token("member", "read")
    assert call(client, "get", ballots_url(api_world), token).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = call(client, "get", ballots_url(api_world), token)
    assert expired.status_code == 401 and expired["WWW-Authenticate"].startswith("Bearer")
    ApiToken.objects.update(expires_at=timezone.now() + timedelta(days=1))
    token_revoke(user=carol, token=ApiToken.objects.get())
    assert call(client, "get", ballots_url(api_world), token).status_code == 401


def test_a_made_up_token_is_401_not_anonymous(client, api_world):
    response = call(client, "get", "/api/v1/orgs", "prh_" + "x" * 43)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_token_dies_with_its_membership(client, api_world, carol):
    token = api_world.token("member", "read")
    orgs.membership_leave(user=carol, organisation=api_world.organisation)
    assert call(client, "get", ballots_url(api_world), token).status_code == 401


def test_a_token_opens_only_its_own_organisation(client, api_world, dave, riverside, alice):
    # dave joins Riverside too; his Harbour token still finds nothing there
    invitation = orgs.invitation_create(user=alice, organisation=riverside)
    orgs.invitation_accept(user=dave, token=invitation.token)
    token = api_world.token("other", "read,vote,post")
    assert call(client, "get", ballots_url(api_world), token).status_code == 404
    assert (
        call(client, "post", vote_url(api_world), token, data={"choice": "for"}).status_code == 404
    )
    listed = call(client, "get", "/api/v1/orgs", token).json()["items"]
    assert [o["slug"] for o in listed] == ["harbour"]


def test_a_session_is_anonymous_to_the_api_so_no_page_can_write_through_it(
    client, api_world, carol
):
    client.force_login(carol)
    assert call(client, "get", ballots_url(api_world)).status_code == 404
    response = call(client, "post", vote_url(api_world), data={"choice": "for"})
    assert response.status_code == 401


def test_reads_carry_an_etag_and_answer_304_when_unchanged(client, api_world):
    token = api_world.token("member", "read")
    first = call(client, "get", ballots_url(api_world), token)
    etag = first["ETag"]
    again = call(client, "get", ballots_url(api_world), token, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag
    call(
        client,
        "post",
        vote_url(api_world),
        api_world.token("member", "vote"),
        data={"choice": "for"},
    )
    detail = f"{ballots_url(api_world)}/{api_world.ids['ballot_id']}"
    before = call(client, "get", detail, token)["ETag"]
    call(
        client,
        "post",
        vote_url(api_world),
        api_world.token("steward", "vote"),
        data={"choice": "against"},
    )
    assert call(client, "get", detail, token, HTTP_IF_NONE_MATCH=before).status_code in (200, 304)


def test_pages_follow_an_opaque_cursor_and_a_tampered_one_is_a_400_problem(client, api_world):
    token = api_world.token("member", "read")
    first = call(client, "get", ballots_url(api_world), token, data={"limit": 1}).json()
    assert len(first["items"]) == 1 and first["next"]
    second = client.get(first["next"], HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert len(second["items"]) == 1 and second["next"] is None
    assert first["items"][0]["id"] != second["items"][0]["id"]
    cursor = first["next"].split("cursor=")[1].split("&")[0]
    forged = call(client, "get", ballots_url(api_world), token, data={"cursor": cursor[:-2] + "AA"})
    assert forged.status_code == 400
    assert forged.json()["type"] == "urn:parrhesia:problem:bad-cursor"
    elsewhere = call(client, "get", f"/api/v1/orgs/{api_world.organisation.slug}/agenda/items",
                     token, data={"cursor": cursor})  # fmt: skip
    assert elsewhere.status_code == 400


def test_too_many_requests_are_429_with_retry_after(client, api_world, settings):
    settings.PARRHESIA_API_RATE = 3
    token = api_world.token("member", "read")
    statuses = [call(client, "get", ballots_url(api_world), token).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = call(client, "get", ballots_url(api_world), token)
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited["Content-Type"] == "application/problem+json"
    # a second token of the same member gives no more
    other = api_world.token("member", "vote")
    assert call(client, "get", ballots_url(api_world), other).status_code == 429


def test_a_member_holds_a_bounded_number_of_tokens(riverside, carol):
    from parrhesia.api.services import TokenError, token_create, token_revoke
    from parrhesia.api.services.tokens import TOKENS_MAX

    made = [
        token_create(user=carol, organisation=riverside, scopes=["read"]) for _ in range(TOKENS_MAX)
    ]
    with pytest.raises(TokenError, match="revoke one"):
        token_create(user=carol, organisation=riverside, scopes=["read"])
    token_revoke(user=carol, token=made[0][0])
    token_create(user=carol, organisation=riverside, scopes=["read"])  # room again


def test_errors_are_problem_details(client, api_world):
    for url, status in (
        ("/api/v1/no/such/thing", 404),
        (f"{ballots_url(api_world)}/abc", 422),
        (f"{ballots_url(api_world)}/99999999999999999999", 404),
    ):
        response = call(client, "get", url, api_world.token("member", "read"))
        assert response.status_code == status, url
        body = response.json()
        assert response["Content-Type"] == "application/problem+json"
        assert body["status"] == status and body["title"] and body["type"]
    not_allowed = client.delete(ballots_url(api_world))
    assert not_allowed.status_code == 405
    assert not_allowed["Content-Type"] == "application/problem+json"


def test_a_vote_the_form_refuses_is_a_422_naming_the_field(client, api_world):
    response = call(
        client, "post", vote_url(api_world), api_world.token("member", "vote"),
        data={"choice": "maybe"},
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "choice"]


def test_anyone_reads_a_public_organisation_without_a_token(client, api_world, alice):
    Organisation.objects.filter(pk=api_world.organisation.pk).update(visibility="public")
    assert call(client, "get", ballots_url(api_world)).status_code == 200
    members = call(client, "get", f"/api/v1/orgs/{api_world.organisation.slug}/members")
    assert members.status_code == 403  # the member list stays for members (the default)


def test_the_openapi_document_is_openapi_3_1(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.1")


def test_the_docs_page_lists_the_operations_without_scripts_from_elsewhere(client, db):
    page = client.get(reverse("api:docs")).content.decode()
    assert "/api/v1/orgs/{slug}/ballots/{ballot_id}/vote" in page
    assert "cdn" not in page.lower() and '<script src="http' not in page
    # each operation can be tried from the page (with JavaScript; the forms start hidden)
    operations = len(client.get("/api/v1/openapi.json").json()["paths"])
    assert page.count('<form class="api-try"') >= operations
    assert 'name="path_ballot_id"' in page and 'name="path_slug"' in page
    assert "api/try.js" in page


def test_a_session_must_prove_who_holds_it_before_it_mints_a_token(
    client, riverside, carol, mailoutbox
):
    client.force_login(carol)  # a session, say a stolen one, not a log-in a moment ago
    url = reverse("api_tokens:list", args=[riverside.slug])
    assert client.get(url).status_code == 200  # reading the page is fine
    asked = client.post(url, {"name": "bot", "scopes": ["vote"], "days": "365"})
    assert asked.status_code == 302 and asked.url.startswith("/accounts/reauthenticate/")
    assert not ApiToken.objects.exists()
    reauthenticate(client, carol, mailoutbox)
    made = client.post(url, {"name": "bot", "scopes": ["vote"], "days": "365"})
    assert made.status_code == 200 and ApiToken.objects.count() == 1


def reauthenticate(client, user, mailoutbox) -> None:
    """Prove who holds the session: the code sent to the member's address."""
    client.post("/accounts/reauthenticate/code/", {"recipient": user.email})
    sent = mailoutbox[-1]
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", sent.body, re.MULTILINE)
    assert code and sent.to == [user.email]
    client.post("/accounts/reauthenticate/code/confirm/", {"code": code.group(1)})


def test_the_tokens_page_shows_a_new_token_once(client, riverside, carol, mailoutbox):
    client.force_login(carol)
    reauthenticate(client, carol, mailoutbox)
    url = reverse("api_tokens:list", args=[riverside.slug])
    made = client.post(url, {"name": "bot", "scopes": ["read"], "days": "30"})
    token = ApiToken.objects.get()
    page = made.content.decode()
    secret = page.split('id="new-token" value="')[1].split('"')[0]
    assert hashlib.sha256(secret.encode()).hexdigest() == token.digest
    assert secret not in client.get(url).content.decode()
    revoke = reverse("api_tokens:revoke", args=[riverside.slug, token.pk])
    client.post(revoke, {})
    assert ApiToken.objects.get().revoked_at is None  # not without the confirmation
    client.post(revoke, {"confirm": "on"})
    assert ApiToken.objects.get().revoked_at is not None
