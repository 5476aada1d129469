"""Who the members are is for the members, even in a public-read organisation, and what someone
wrote when asking to join is for the stewards (issue 13, finding 6); an admin may publish either,
on the record."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from parrhesia.orgs import services
from parrhesia.orgs.models import Visibility
from parrhesia.record.models import RecordEntry

pytestmark = pytest.mark.django_db

NAMES = ("Alice Admin", "Bob Steward", "Carol Member")
MESSAGE = "I live in block A, flat 12."


@pytest.fixture
def public_riverside(riverside, alice):
    services.organisation_update(
        user=alice,
        organisation=riverside,
        name=riverside.name,
        description="",
        visibility=Visibility.PUBLIC,
    )
    riverside.refresh_from_db()
    return riverside


def publish_member_list(organisation, alice) -> None:
    services.organisation_update(
        user=alice,
        organisation=organisation,
        name=organisation.name,
        description="",
        visibility=organisation.visibility,
        member_list_public=True,
        reason="We campaign in the open.",
    )
    organisation.refresh_from_db()


def names_in(text: str) -> list[str]:
    return [name for name in NAMES if name in text]


def test_a_visitor_of_a_public_organisation_sees_the_count_not_the_names(public_riverside, client):
    page = client.get(reverse("orgs:members", args=["riverside"]))
    assert page.status_code == 200
    assert names_in(page.content.decode()) == []
    assert "This organisation has 3 members." in page.content.decode()


def test_members_see_each_other(public_riverside, carol, client):
    client.force_login(carol)
    page = client.get(reverse("orgs:members", args=["riverside"])).content.decode()
    assert names_in(page) == list(NAMES)


def test_the_record_names_no_member_to_a_visitor(public_riverside, client):
    page = client.get(reverse("record:page", args=["riverside"]))
    assert page.status_code == 200
    assert names_in(page.content.decode()) == []
    founded = RecordEntry.objects.get(organisation=public_riverside, action="membership.founded")
    entry = client.get(reverse("record:entry", args=["riverside", founded.seq]))
    assert names_in(entry.content.decode()) == []


def test_a_members_record_page_names_the_actors(public_riverside, carol, client):
    client.force_login(carol)
    page = client.get(reverse("record:page", args=["riverside"])).content.decode()
    assert "By Alice Admin" in page


def test_a_non_members_download_has_no_member_list(public_riverside, erin, client):
    client.force_login(erin)
    response = client.get(reverse("record:download", args=["riverside"]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "members.csv" not in archive.namelist()
    for name in archive.namelist():
        assert names_in(archive.read(name).decode("utf-8", "replace")) == [], name
    assert '"member_count": 3' in archive.read("organisation.json").decode()


def test_an_admin_may_show_the_member_list_on_the_record(public_riverside, alice, erin, client):
    publish_member_list(public_riverside, alice)
    changed = RecordEntry.objects.filter(action="organisation.settings_changed").last()
    assert changed.payload["changes"] == {"member_list_public": {"from": False, "to": True}}
    assert changed.actor is not None
    page = client.get(reverse("orgs:members", args=["riverside"])).content.decode()
    assert names_in(page) == list(NAMES)
    client.force_login(erin)
    response = client.get(reverse("record:download", args=["riverside"]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "members.csv" in archive.namelist()


def test_a_steward_cannot_change_the_privacy_settings(public_riverside, bob):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        publish_member_list(public_riverside, bob)


def test_a_join_request_message_is_for_the_stewards(public_riverside, erin, bob, client):
    services.join_request_create(user=erin, organisation=public_riverside, message=MESSAGE)
    entry = RecordEntry.objects.filter(action="membership.join_requested").get()
    assert "message" not in entry.payload and "Erin Outsider" not in str(entry.payload)
    assert MESSAGE not in client.get(reverse("record:page", args=["riverside"])).content.decode()
    client.force_login(bob)
    stewards = client.get(reverse("orgs:join_requests", args=["riverside"])).content.decode()
    assert MESSAGE in stewards


def test_an_admin_may_publish_join_request_messages(public_riverside, alice, erin):
    services.organisation_update(
        user=alice,
        organisation=public_riverside,
        name=public_riverside.name,
        description="",
        visibility=Visibility.PUBLIC,
        join_messages_public=True,
    )
    public_riverside.refresh_from_db()
    services.join_request_create(user=erin, organisation=public_riverside, message=MESSAGE)
    entry = RecordEntry.objects.filter(action="membership.join_requested").get()
    assert entry.payload["message"] == MESSAGE


def test_the_settings_form_offers_both_to_the_admin(public_riverside, alice, client):
    client.force_login(alice)
    url = reverse("orgs:settings", args=["riverside"])
    page = client.get(url).content.decode()
    assert 'name="member_list_public"' in page and 'name="join_messages_public"' in page
    response = client.post(
        url,
        {
            "name": public_riverside.name,
            "visibility": "public",
            "join_messages_public": "on",
            "reason": "Transparency.",
        },
    )
    assert response.status_code == 302
    public_riverside.refresh_from_db()
    assert public_riverside.join_messages_public and not public_riverside.member_list_public


def test_the_join_form_says_who_reads_the_message_as_the_settings_have_it(client, riverside, erin):
    from parrhesia.orgs.forms import JoinRequestForm

    riverside.visibility = "public"
    riverside.save(update_fields=["visibility"])
    private = str(JoinRequestForm(organisation=riverside).fields["message"].help_text)
    assert private == "Only the organisation's stewards read this message."
    riverside.join_messages_public = riverside.member_list_public = True
    published = str(JoinRequestForm(organisation=riverside).fields["message"].help_text)
    assert "shown on the organisation's public record" in published and "Your name" in published
    client.force_login(erin)
    page = client.get(f"/o/{riverside.slug}/join/").content.decode()
    assert "Only the organisation&#x27;s stewards read this message." in page
