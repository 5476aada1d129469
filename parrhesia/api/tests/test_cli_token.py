"""``parrhesia token create|list|revoke``: the token alone on standard output; errors one line
and a non-zero status."""

from __future__ import annotations

import hashlib

import pytest

from parrhesia.api.models import ApiToken
from parrhesia.cli import main

pytestmark = pytest.mark.django_db


def test_it_prints_the_token_alone_and_stores_its_digest(capsys, riverside, carol):
    assert main(["token", "create", "carol", "--org", "riverside", "--scope", "read"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("prh_")
    token = ApiToken.objects.get()
    assert token.digest == hashlib.sha256(out.strip().encode()).hexdigest()
    assert token.scopes == ["read"] and token.membership.user == carol


def test_scopes_repeat_or_come_comma_separated_and_days_set_the_expiry(capsys, riverside, carol):
    argv = ["token", "create", "carol", "--org", "riverside", "--scope", "read,vote"]
    assert main([*argv, "--scope", "post", "--days", "7"]) == 0
    token = ApiToken.objects.get()
    assert token.scopes == ["read", "vote", "post"]
    assert (token.expires_at - token.created_at).days == 7


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["nobody", "--org", "riverside"], "no user named 'nobody'"),
        (["erin", "--org", "riverside"], "erin is not an active member of riverside"),
        (["carol", "--org", "nowhere"], "no organisation 'nowhere'"),
        (["carol", "--org", "riverside", "--scope", "admin"], "Unknown scope: admin"),
        (["carol", "--org", "riverside", "--days", "400"], "from 1 to 365 days"),
    ],
)
def test_a_refusal_is_one_line_and_a_failure(capsys, riverside, erin, argv, said):
    assert main(["token", "create", *argv]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and said in captured.err
    assert not ApiToken.objects.exists()


def test_list_and_revoke(capsys, riverside, carol):
    main(["token", "create", "carol", "--org", "riverside"])
    token = ApiToken.objects.get()
    capsys.readouterr()
    assert main(["token", "list", "carol", "--org", "riverside"]) == 0
    listed = capsys.readouterr().out
    assert token.prefix in listed and "active" in listed and token.digest not in listed
    assert main(["token", "revoke", "carol", "--org", "riverside", str(token.pk)]) == 0
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert main(["token", "revoke", "bob", "--org", "riverside", str(token.pk)]) == 1
