"""Display names cannot pass for another member's (issue 13, finding 9).

Within an organisation two members never share a name, compared after NFKC normalisation and
case folding; invisible characters (bidirectional controls, zero-width characters) are dropped
at input, so "Carol\\u202e" or "ＣＡＲＯＬ ＭＥＭＢＥＲ" cannot stand in for "Carol Member".
"""

from __future__ import annotations

import pytest

from parrhesia.accounts.names import display_name_clean, display_name_key
from parrhesia.orgs import services

pytestmark = pytest.mark.django_db

BIDI_AND_INVISIBLE = (
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u200b\u200d\ufeff"
)


def _profile(client, person, name: str):
    client.force_login(person)
    return client.post("/accounts/profile/", {"display_name": name})


@pytest.mark.parametrize("character", list(BIDI_AND_INVISIBLE))
def test_invisible_characters_are_dropped(character):
    assert display_name_clean(f"Ca{character}rol{character} Member") == "Carol Member"


def test_names_compare_after_nfkc_and_case_folding():
    assert display_name_key("ＣＡＲＯＬ  member") == display_name_key("Carol Member")
    assert display_name_key("Straße") == display_name_key("STRASSE")
    assert display_name_key("Carol") != display_name_key("Carole")


def test_a_member_cannot_take_another_members_name(client, riverside, carol):
    response = _profile(client, carol, "ＢＯＢ\u202e steward")
    assert "already goes by this name" in response.content.decode()
    carol.refresh_from_db()
    assert carol.display_name == "Carol Member"


def test_the_profile_drops_a_right_to_left_override(client, riverside, carol):
    _profile(client, carol, "Carol \u202eM.")
    carol.refresh_from_db()
    assert carol.display_name == "Carol M."


def test_a_name_of_invisible_characters_only_is_refused(client, carol):
    response = _profile(client, carol, "\u202e\u200b")
    assert "Please give a display name." in response.content.decode()
    carol.refresh_from_db()
    assert carol.display_name == "Carol Member"


def test_a_name_may_be_shared_with_someone_in_no_common_organisation(
    client, riverside, harbour, dave
):
    _profile(client, dave, "Carol Member")
    dave.refresh_from_db()
    assert dave.display_name == "Carol Member"


def test_one_may_keep_ones_own_name_in_another_case(client, riverside, carol):
    _profile(client, carol, "CAROL MEMBER")
    carol.refresh_from_db()
    assert carol.display_name == "CAROL MEMBER"


def test_a_newcomer_with_a_members_name_joins_under_their_member_number(riverside, alice, erin):
    erin.display_name = "carol member"
    erin.save(update_fields=["display_name"])
    invitation = services.invitation_create(user=alice, organisation=riverside)
    membership = services.invitation_accept(user=erin, token=invitation.token)
    erin.refresh_from_db()
    assert erin.display_name == f"carol member ({membership.pk})"
    assert display_name_key(erin.display_name) != display_name_key("Carol Member")


def test_sign_up_drops_invisible_characters(client):
    client.post(
        "/accounts/signup/",
        {
            "email": "ana@example.org",
            "username": "ana",
            "display_name": "\u2067Ana\u2069 Dock\u200bworker",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
    )
    from parrhesia.accounts.models import User

    assert User.objects.get(username="ana").display_name == "Ana Dockworker"
