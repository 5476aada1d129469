"""An entry is written in the transaction of the change it records, or not at all."""

from __future__ import annotations

import pytest
from django.db import transaction

from parrhesia.record.models import RecordEntry, RecordHead
from parrhesia.record.services import Appendable, record_append, record_append_many

# Not wrapped in a transaction of the test's own: outside one must really mean outside.
pytestmark = pytest.mark.django_db(transaction=True)


def probe(organisation, k: int = 0) -> dict:
    return {
        "organisation": organisation,
        "actor": None,
        "action": "test.probe",
        "subject": ("probe", k),
        "payload": {"k": k},
    }


def test_it_refuses_to_append_outside_a_transaction(riverside):
    size = RecordHead.objects.get(organisation=riverside).size
    assert not transaction.get_connection().in_atomic_block
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record_append(**probe(riverside))
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record_append_many(
            organisation=riverside, items=[Appendable(None, "test.probe", ("probe", 1), {})]
        )
    assert RecordHead.objects.get(organisation=riverside).size == size
    assert not RecordEntry.objects.filter(organisation=riverside, action="test.probe").exists()


def test_it_appends_inside_one(riverside):
    size = RecordHead.objects.get(organisation=riverside).size
    with transaction.atomic():
        entry = record_append(**probe(riverside))
    assert entry.seq == size
    stored = RecordEntry.objects.get(organisation=riverside, seq=size)
    assert stored.action == "test.probe" and stored.payload == {"k": 0}
    assert RecordHead.objects.get(organisation=riverside).size == size + 1
