"""Opinion votes are pseudonymous by default (issue 13, finding 6): the public record and the
Polis export name a participant by their number in the conversation, never by member id or name;
only an admin opens a conversation with named votes, and the page says which applies."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from parrhesia.opinion import services
from parrhesia.opinion.exports import polis_files
from parrhesia.opinion.models import Participant, Statement
from parrhesia.opinion.services import OpinionError
from parrhesia.orgs.models import Membership, Visibility
from parrhesia.record.models import RecordEntry

pytestmark = pytest.mark.django_db

OPINION_ACTIONS = ("statement.added", "statement.voted", "statement.vote_changed")


def opinion_entries(organisation) -> list[RecordEntry]:
    """The entries of participants: votes and statements, but not the opener's seeds (which the
    record attributes to the opener, as it does the opening; they carry no pseudonym)."""
    seeds = {str(pk) for pk in Statement.objects.filter(is_seed=True).values_list("pk", flat=True)}
    entries = RecordEntry.objects.filter(organisation=organisation, action__in=OPINION_ACTIONS)
    return [
        e
        for e in entries.order_by("seq")
        if e.action != "statement.added" or e.subject_id not in seeds
    ]


def membership(user, organisation) -> Membership:
    return Membership.objects.get(user=user, organisation=organisation)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def public_riverside(riverside):
    riverside.visibility = Visibility.PUBLIC
    riverside.save(update_fields=["visibility"])
    return riverside


@pytest.fixture
def carol_took_part(conversation, statements, carol):
    services.statement_vote(user=carol, statement=statements[0], value=1)
    services.statement_vote(user=carol, statement=statements[0], value=-1)
    services.statement_add(user=carol, conversation=conversation, text="Ask the council first.")
    return conversation


def test_an_anonymous_visitor_reads_the_votes_without_the_voters_names(
    public_riverside, carol_took_part, client
):
    for action in ("statement.voted", "statement.vote_changed", "statement.added"):
        page = client.get(reverse("record:page", args=["riverside"]), {"action": action})
        assert page.status_code == 200
        content = page.content.decode()
        assert "By Carol Member" not in content
        assert "By a participant (pseudonym 0 in this conversation)" in content


def test_the_entry_page_names_the_participant_not_the_member(
    public_riverside, carol_took_part, client
):
    entry = RecordEntry.objects.filter(
        organisation=public_riverside, action="statement.voted"
    ).get()
    page = client.get(reverse("record:entry", args=["riverside", entry.seq]))
    assert page.status_code == 200
    assert "Carol Member" not in page.content.decode()
    assert "a participant (pseudonym 0 in this conversation)" in page.content.decode()


def test_no_opinion_entry_names_a_member(riverside, carol_took_part, carol):
    entries = opinion_entries(riverside)
    assert entries and all(entry.actor is None for entry in entries)
    carol_number = Participant.objects.get(membership=membership(carol, riverside)).number
    by_carol = [e for e in entries if "participant" in e.payload]
    assert [e.action for e in by_carol] == [
        "statement.voted",
        "statement.vote_changed",
        "statement.added",
    ]
    assert {e.payload["participant"] for e in by_carol} == {carol_number}


def test_the_record_and_the_polis_export_together_do_not_name_a_voter(
    riverside, carol_took_part, alice, bob, carol, statements
):
    """An observer joining the export with the record finds pseudonyms only: the author-id of a
    statement and a voter-id match the record's ``participant``, and no entry names who that is."""
    services.statement_vote(user=alice, statement=statements[1], value=1)
    services.statement_vote(user=bob, statement=statements[2], value=-1)
    files = polis_files(carol_took_part)
    text = "".join(files.values())
    for user in (alice, bob, carol):
        assert user.public_name not in text
    voters = {int(row["voter-id"]) for row in rows(files["votes.csv"])}
    pseudonyms = {
        e.payload["participant"] for e in opinion_entries(riverside) if "participant" in e.payload
    }
    assert voters <= pseudonyms
    # The opening and its seeds name the opener; seeds have no author-id, so the opener's
    # pseudonym (and so her votes) cannot be found from them.
    authors = {row["author-id"] for row in rows(files["comments.csv"]) if row["author-id"]}
    alice_number = str(Participant.objects.get(membership=membership(alice, riverside)).number)
    assert alice_number not in authors
    named = RecordEntry.objects.filter(organisation=riverside, actor__isnull=False).filter(
        action__in=["statement.voted", "statement.vote_changed"]
    )
    assert not named.exists()
    seeds = RecordEntry.objects.filter(
        organisation=riverside,
        action="statement.added",
        subject_id__in=[str(s.pk) for s in statements],
    )
    assert seeds.count() == 4 and all("participant" not in e.payload for e in seeds)


def test_only_an_admin_opens_a_conversation_with_named_votes(riverside, alice, carol):
    with pytest.raises(OpinionError):
        services.conversation_open(
            user=carol, organisation=riverside, topic="Named?", named_votes=True
        )
    conversation = services.conversation_open(
        user=alice, organisation=riverside, topic="Named", named_votes=True, seed_statements=["A"]
    )
    opened = RecordEntry.objects.get(organisation=riverside, action="conversation.opened")
    assert opened.payload["votes"] == "named"
    statement = conversation.statements.get()
    services.statement_vote(user=carol, statement=statement, value=1)
    voted = RecordEntry.objects.get(organisation=riverside, action="statement.voted")
    assert voted.actor == membership(carol, riverside).pk
    assert "participant" not in voted.payload


def test_a_conversation_is_pseudonymous_by_default_on_the_record(riverside, conversation):
    opened = RecordEntry.objects.get(organisation=riverside, action="conversation.opened")
    assert opened.payload["votes"] == "pseudonymous"
    assert conversation.named_votes is False


def test_the_page_says_which_applies_before_the_first_vote(
    riverside, conversation, alice, carol, client
):
    client.force_login(carol)
    page = client.get(
        reverse("opinion:detail", args=["riverside", conversation.pk])
    ).content.decode()
    notice = page.index('id="vote-privacy"')
    assert "Pseudonymous votes" in page[notice : notice + 400]
    assert notice < page.index('name="value"')  # before the vote buttons
    assert "under your name" not in page
    named = services.conversation_open(
        user=alice, organisation=riverside, topic="Named", named_votes=True, seed_statements=["A"]
    )
    page = client.get(reverse("opinion:detail", args=["riverside", named.pk])).content.decode()
    assert "Named votes: each vote and statement is published" in page


def test_the_choice_of_named_votes_is_offered_to_admins_only(riverside, alice, carol, client):
    url = reverse("opinion:new", args=["riverside"])
    client.force_login(carol)
    assert 'name="named_votes"' not in client.get(url).content.decode()
    response = client.post(url, {"topic": "Sneaky", "named_votes": "on"})
    assert response.status_code == 302  # the field is ignored: the conversation is pseudonymous
    assert RecordEntry.objects.filter(action="conversation.opened").last().payload["votes"] == (
        "pseudonymous"
    )
    client.force_login(alice)
    assert 'name="named_votes"' in client.get(url).content.decode()
    client.post(url, {"topic": "Open roll call", "named_votes": "on"})
    assert RecordEntry.objects.filter(action="conversation.opened").last().payload["votes"] == (
        "named"
    )
