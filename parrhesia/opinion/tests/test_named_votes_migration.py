"""A conversation whose record already named its voters stays named after the migration that
makes votes pseudonymous by default: its old entries cannot change, and a pseudonym for its later
votes would be a false promise (docs/opinion.md, *Pseudonymous votes*)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from parrhesia.opinion.models import Conversation
from parrhesia.orgs.models import Membership

BEFORE = [("opinion", "0003_statement_vote_counters")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_conversations_with_member_voters_stay_named_and_others_become_pseudonymous(
    riverside, carol
):
    old = migrate(BEFORE)
    conversation = old.get_model("opinion", "Conversation")
    voted = conversation.objects.create(organisation_id=riverside.pk, topic="Voted on")
    untouched = conversation.objects.create(organisation_id=riverside.pk, topic="Nobody yet")
    old.get_model("opinion", "Participant").objects.create(
        conversation=voted,
        number=0,
        membership_id=Membership.objects.get(user=carol, organisation=riverside).pk,
    )
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert Conversation.objects.get(pk=voted.pk).named_votes is True
    assert Conversation.objects.get(pk=untouched.pk).named_votes is False
