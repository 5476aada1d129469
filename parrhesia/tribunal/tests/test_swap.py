"""The swap test (issue 13, "Done when"): the same case run twice, reported anonymously by two
different members neither of whom the lot draws, gives the same public record and the same
pages to everyone but the reporter — so nothing public tells which of them reported.

Each run starts from the same organisation (the court: the same members, ids and signing key)
with the clock stopped (the ``clock`` fixture) and the database's id sequences where they were,
and is rolled back at its end. What may differ between the runs is only the reporter's own view
(their case page, their notices), which no one else sees (docs/privacy.md).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from typing import Any

import pytest
from django.apps import apps
from django.core.management.color import no_style
from django.db import connection
from django.urls import reverse

from parrhesia.orgs.models import Membership
from parrhesia.record.models import RecordEntry
from parrhesia.tribunal import services
from parrhesia.tribunal.models import Sanction
from parrhesia.tribunal.tests.conftest import dry_run
from parrhesia.tribunal.tests.test_hidden_reporter_draw import lot_order
from tests.fixtures.tribunal import all_vote, case_reload, jurors_of

pytestmark = pytest.mark.django_db

SIZE = 3  # the court's juries
# Per-request secrets in the pages (form tokens, the CSP nonce): not part of what a page says.
SECRETS = re.compile(r'((?:csrfmiddlewaretoken|csrf-token)" (?:value|content)="|nonce=")[^"]*')


class Salts:
    """The record's salts (``methods.record.sealed``: random in real life, and independent of
    who reported), drawn from a counter that each run restarts."""

    def __init__(self) -> None:
        self.count = 0

    def token_bytes(self, size: int) -> bytes:
        self.count += 1
        return hashlib.sha256(b"salt %d" % self.count).digest()[:size]


@pytest.fixture
def salts(monkeypatch) -> Salts:
    from parrhesia.methods.record import sealed

    fixed = Salts()
    monkeypatch.setattr(sealed, "secrets", fixed)
    return fixed


def sequences_reset() -> None:
    """Every id sequence back to the table's largest id (PostgreSQL: a rolled-back run keeps its
    sequences advanced; SQLite rolls them back itself), so both runs get the same ids."""
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def download(body: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return {name: archive.read(name) for name in sorted(archive.namelist())}


def public_view(client: Any, court: Any, number: int, people: dict[str, Any]) -> dict[str, Any]:
    """What the accused and a member who is no party see: the case, the docket, the record, the
    transparency report, the export and the download."""
    seen: dict[str, Any] = {}
    for who, user in people.items():
        client.force_login(user)
        pages = {
            "case": reverse("tribunal:case", args=[court.slug, number]),
            "docket": reverse("tribunal:docket", args=[court.slug]),
            "transparency": reverse("tribunal:transparency", args=[court.slug]),
            "record": reverse("record:page", args=[court.slug]),
        }
        for name, url in pages.items():
            response = client.get(url)
            assert response.status_code == 200, (who, name)
            seen[f"{name} as {who}"] = SECRETS.sub(r"\1", response.content.decode())
        client.get(reverse("record:page", args=[court.slug]))  # signs the pending checkpoint
        export = client.get(reverse("record:export", args=[court.slug]))
        seen[f"export as {who}"] = b"".join(export.streaming_content)
        zipped = client.get(reverse("record:download", args=[court.slug]))
        body = b"".join(zipped.streaming_content) if zipped.streaming else zipped.content
        seen[f"download as {who}"] = download(body)
    return seen


def run(client, court, carol, reporter, advocate, onlooker, salts) -> tuple[dict[str, Any], dict]:
    """The case from the anonymous report to the verdict, what the public sees at each step, and
    the first jury's draw."""
    sequences_reset()
    salts.count = 0
    people = {"accused": carol, "member": onlooker.user}
    case = services.report_file(
        user=reporter.user,
        organisation=court,
        kind="member",
        object_id=Membership.objects.get(organisation=court, user=carol).pk,
        rules=[1],
        description="Shouted at a neighbour in the general meeting.",
        anonymous=True,
    )
    seen = {f"reported: {k}": v for k, v in public_view(client, court, case.number, people).items()}
    services.defence_file(
        user=carol, case=case, statement="I did not.", advocate=advocate, answered=True
    )
    drawn = RecordEntry.objects.get(organisation=court, action="jury.drawn").payload
    case = case_reload(case)
    seen |= {f"drawn: {k}": v for k, v in public_view(client, court, case.number, people).items()}
    for juror in jurors_of(case)[:2]:  # a majority decides
        services.anonymity_decide(user=juror, case=case, grant=True, reason="Fear of reprisals.")
    all_vote(case_reload(case), [Sanction.WARNING] * SIZE)
    seen |= {f"decided: {k}": v for k, v in public_view(client, court, case.number, people).items()}
    return seen, drawn


def test_two_hidden_reporters_leave_the_same_public_trace(client, court, carol, clock, salts):
    members = {m.user.username: m for m in Membership.objects.filter(organisation=court)}
    advocate = members["juror12"]
    # A rehearsal finds the lot's order (the record before the draw does not depend on the
    # reporter); the two reporters and the onlooker are then taken past the jurors' places. (The
    # rehearsal's own reporter may fall among them and be passed over: its jurors are not
    # compared, only its order is used.)
    _seen, rehearsal = dry_run(
        lambda: run(client, court, carol, members["juror1"], advocate, members["juror2"], salts)
    )
    order = lot_order(rehearsal)
    first, second, onlooker = (
        Membership.objects.select_related("user").get(pk=pk) for pk in order[SIZE : SIZE + 3]
    )
    one, drawn_one = dry_run(lambda: run(client, court, carol, first, advocate, onlooker, salts))
    two, drawn_two = dry_run(lambda: run(client, court, carol, second, advocate, onlooker, salts))
    assert drawn_one == drawn_two
    assert lot_order(drawn_one) == order
    assert drawn_one["jurors"] == order[:SIZE] and drawn_one["withheld"] == 1
    assert {first.pk, second.pk} <= set(drawn_one["eligible"])
    assert one.keys() == two.keys()
    differing = [name for name in one if one[name] != two[name]]
    assert differing == []
    # …and the pages did show the case to both (not two identical error pages).
    assert "Shouted at a neighbour" in one["decided: case as accused"]
    assert one["reported: case as accused"].count("<option") >= 10  # the advocates offered
