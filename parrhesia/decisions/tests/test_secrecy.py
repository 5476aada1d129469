"""No table, record entry, session, log line or later page links a member to a secret ballot.

The scan reads every row of every model (all columns: text, JSON, binary, foreign keys) and every
record entry. A *link* is a row that names a voter (a foreign key to their membership or
account, their id under "member"/"actor"/"author", their username, e-mail or name) and also holds
something of one specific secret ballot (its id, tracker, receipt-code hash or its distinct
choices). Bob opens and closes the ballot and does not vote, so the ballot's own row (which
names him) is not mistaken for a link.
"""

from __future__ import annotations

import json
import logging

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models
from django.urls import reverse

from parrhesia.decisions import services
from parrhesia.decisions.models import SecretBallot
from parrhesia.orgs.models import Membership
from parrhesia.record.models import RecordEntry
from tests.fixtures.decisions import member_of

pytestmark = pytest.mark.django_db

RANKINGS = {"alice": [[0], [1], [2]], "carol": [[2], [0]], "erin": [[1], [2], [3]]}


def _values(value, out):
    """Every scalar inside a value, with the dict key it sits under."""
    if isinstance(value, dict):
        for key, inner in value.items():
            _values(inner, out) if isinstance(inner, dict | list) else out.append((key, inner))
    elif isinstance(value, list):
        out.append(("", json.dumps(value)))
        for inner in value:
            _values(inner, out)
    else:
        out.append(("", value))
    return out


def row_facts(model, row):
    """(membership ids and user ids referenced, all text of the row) for one row."""
    member_ids, user_ids, texts = set(), set(), []
    for field in model._meta.concrete_fields:
        value = getattr(row, field.attname)
        if value is None:
            continue
        target = field.related_model if isinstance(field, models.ForeignKey) else None
        if target is Membership:
            member_ids.add(value)
        elif target is not None and target._meta.label == "accounts.User":
            user_ids.add(value)
        if isinstance(value, bytes | memoryview):
            value = bytes(value).decode("utf-8", "replace")
        if isinstance(field, models.JSONField) or isinstance(value, str) and value[:1] in "[{":
            try:
                parsed = json.loads(value) if isinstance(value, str) else value
            except ValueError:
                parsed = value
            for key, scalar in _values(parsed, []):
                if key in ("member", "actor", "author") and isinstance(scalar, int):
                    member_ids.add(scalar)
                texts.append(json.dumps(scalar) if not isinstance(scalar, str) else scalar)
        texts.append(str(value))
    if model is RecordEntry and row.actor is not None:
        member_ids.add(row.actor)
    if model is Session:
        decoded = row.get_decoded()
        texts.append(json.dumps(decoded, default=str))
        if "_auth_user_id" in decoded:
            user_ids.add(int(decoded["_auth_user_id"]))
    return member_ids, user_ids, " ".join(texts)


def secret_tokens(ballot):
    return {
        sb.pk: {sb.pk, sb.tracker, sb.change_hash, json.dumps(sb.choices)}
        for sb in SecretBallot.objects.filter(ballot=ballot)
    }


def assert_no_link(ballot, voters, receipts):
    voter_of = {}  # secret ballot id → voter name, known only to the test
    for sb in SecretBallot.objects.filter(ballot=ballot):
        [name] = [n for n, r in RANKINGS.items() if r == sb.choices]
        voter_of[sb.pk] = name
    tokens = secret_tokens(ballot)
    for name, receipt in receipts.items():
        [sb_id] = [k for k, v in voter_of.items() if v == name]
        tokens[sb_id] |= {receipt.tracker, receipt.receipt_code}
    for model in apps.get_models():
        for row in model._default_manager.all():
            member_ids, user_ids, text = row_facts(model, row)
            for sb_id, secret in tokens.items():
                if not any(token in text for token in secret):
                    continue
                user = voters[voter_of[sb_id]]
                names = (user.username, user.email, user.display_name)
                linked = (
                    member_of(user, ballot.organisation).pk in member_ids
                    or user.pk in user_ids
                    or any(f'"{n}"' in text or f" {n} " in text for n in names)
                )
                assert not linked, f"{model._meta.label} row {row.pk} links {user} to a ballot"


def test_nothing_links_a_member_to_their_secret_ballot(client, open_ballot, voters, caplog):
    caplog.set_level(logging.DEBUG)
    ballot = open_ballot("stv", ["Ana", "Ben", "Chloé", "Dev"], seats=2, secrecy="secret")
    url = reverse("decisions:vote", args=["riverside", ballot.pk])
    receipts = {}
    for name, ranking in RANKINGS.items():
        client.force_login(voters[name])
        form = {"idempotency_key": f"key-{name}", "reason": f"reason number {len(receipts)}"}
        for tier, keys in enumerate(ranking, start=1):
            form |= {f"rank_{key}": str(tier) for key in keys}
        response = client.post(url, form)
        assert response.status_code == 200
        receipts[name] = response.context["receipt"]
        assert receipts[name].tracker in response.content.decode()
        page = client.get(reverse("decisions:detail", args=["riverside", ballot.pk]))
        assert receipts[name].tracker not in page.content.decode()
    assert_no_link(ballot, voters, receipts)  # while the vote runs
    services.ballot_close(user=voters["bob"], ballot=ballot)
    assert_no_link(ballot, voters, receipts)  # and after the anonymous ballots are published
    published = {b["tracker"] for b in ballot.__class__.objects.get(pk=ballot.pk).published_ballots}
    assert {r.tracker for r in receipts.values()} == published
    for record in caplog.records:
        message = record.getMessage()
        assert not any(r.tracker in message or r.receipt_code in message for r in receipts.values())


def test_the_record_shows_who_took_part_and_never_how(open_ballot, voters):
    ballot = open_ballot("plurality", ["A", "B"], secrecy="secret")
    services.ballot_vote(user=voters["carol"], ballot=ballot, choices=1)
    [entry] = RecordEntry.objects.filter(action="ballot.participated")
    assert entry.payload == {} and entry.actor == member_of(voters["carol"], ballot.organisation).pk
    services.ballot_close(user=voters["bob"], ballot=ballot)
    closed = RecordEntry.objects.get(action="ballot.closed")
    assert closed.actor == member_of(voters["bob"], ballot.organisation).pk
    assert [b["choices"] for b in closed.payload["ballots"]] == [1]
