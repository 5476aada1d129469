"""Issue 13, finding 7: "Reporting personal data republishes it forever: a case copies the
reported text into the docket and into the record, which cannot change." A verdict that finds a
breach in a case a steward classed as personal data erases the text everywhere — the content,
the case, the record, the notices not yet e-mailed — in the verdict's transaction, and the
record still verifies against an export taken before."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from parrhesia.agenda import services as agenda
from parrhesia.agenda.search import search
from parrhesia.methods.record.verify import verify_export
from parrhesia.notifications.models import Notification
from parrhesia.notifications.services import digest_body, notify
from parrhesia.opinion import services as opinion
from parrhesia.orgs.models import Membership
from parrhesia.record.models import RecordEntry
from parrhesia.tribunal import services
from parrhesia.tribunal.models import Sanction
from parrhesia.tribunal.tests.test_redraw_and_report import export
from tests.fixtures.tribunal import all_vote, case_reload, jurors_of

pytestmark = pytest.mark.django_db

ADDRESS = "7 Quarry Road, flat 9"


@pytest.fixture
def statement(court, alice, carol):
    conversation = opinion.conversation_open(user=alice, organisation=court, topic="The lifts")
    return opinion.statement_add(
        user=carol, conversation=conversation, text=f"Dave lives at {ADDRESS}, go and see him."
    )


def report_for_personal_data(court, alice, bob, statement):
    case = services.report_file(
        user=alice,
        organisation=court,
        kind="statement",
        object_id=statement.pk,
        rules=[2],
        description=f"Carol published Dave's address: {ADDRESS}.",
        evidence=f"The statement says '{ADDRESS}'.",
    )
    services.interim_measure_take(user=bob, case=case, category="personal_data")
    return case_reload(case)


def pages(client, court, case, statement) -> dict[str, str]:
    slug = court.slug
    urls = {
        "case": reverse("tribunal:case", args=[slug, case.number]),
        "docket": reverse("tribunal:docket", args=[slug]),
        "record": reverse("record:page", args=[slug]),
        "statement": reverse("opinion:statement", args=[slug, statement.pk]),
        "conversation": reverse("opinion:detail", args=[slug, statement.conversation_id]),
    }
    seen = {}
    for name, url in urls.items():
        response = client.get(url, follow=True)
        assert response.status_code == 200, name
        seen[name] = response.content.decode()
    for entry in RecordEntry.objects.filter(organisation=court):
        response = client.get(reverse("record:entry", args=[slug, entry.seq]))
        assert response.status_code == 200, entry.seq
        seen[f"record entry {entry.seq}"] = response.content.decode()
    return seen


def download(client, court) -> bytes:
    """Everything in the signed-in member's download, end to end."""
    zipped = client.get(reverse("record:download", args=[court.slug]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(zipped.streaming_content)))
    return b"".join(archive.read(name) for name in archive.namelist())


def pending_digest(member) -> str:
    pending = list(Notification.objects.filter(recipient=member.user, emailed_at__isnull=True))
    return digest_body(pending)


def test_a_verdict_on_personal_data_erases_the_text_everywhere(
    court, alice, bob, carol, statement, client, tmp_path
):
    case = report_for_personal_data(court, alice, bob, statement)
    dave = Membership.objects.get(organisation=court, user__username="juror12")
    notify(  # a notice quoting the statement, waiting for the member's digest
        [dave.user],
        organisation=court,
        kind="suggestion_declined",
        params={"motion": "The lifts", "reason": f"it said “{statement.text}”"},
        url="/",
    )
    client.force_login(carol)
    assert ADDRESS.encode() in download(client, court)
    client.force_login(alice)
    before_pages = pages(client, court, case, statement)
    assert ADDRESS in before_pages["case"] and ADDRESS in pending_digest(dave)
    (tmp_path / "before").mkdir()
    before = export(court, tmp_path / "before")
    assert ADDRESS.encode() in open(before, "rb").read()

    services.defence_file(user=carol, case=case, statement="It was a joke.", answered=True)
    all_vote(case_reload(case), [Sanction.HIDE] * 3)

    case = case_reload(case)
    assert case.phase == "decided"
    for name, body in pages(client, court, case, statement).items():
        assert ADDRESS not in body, name
    for user in (alice, carol):  # a member's download: the record, the case, their statements
        client.force_login(user)
        assert ADDRESS.encode() not in download(client, court)
    statement.refresh_from_db()
    assert ADDRESS not in statement.text and f"case {case.number}" in statement.text
    assert ADDRESS not in case.summary + case.description + case.evidence
    assert ADDRESS not in pending_digest(dave)
    assert f"Erased by the verdict of case {case.number}." in pending_digest(dave)
    redacted = RecordEntry.objects.get(organisation=court, action="record.redacted")
    assert redacted.payload["grounds"] == "verdict" and redacted.payload["case"] == case.number
    assert ADDRESS not in str(list(RecordEntry.objects.values_list("payload", flat=True)))
    (tmp_path / "after").mkdir()
    after = export(court, tmp_path / "after")
    assert ADDRESS.encode() not in open(after, "rb").read()
    verify_export(after, previous=before)


def test_a_verdict_without_a_breach_erases_nothing(court, alice, bob, carol, statement):
    case = report_for_personal_data(court, alice, bob, statement)
    services.defence_file(user=carol, case=case, statement="It was a joke.", answered=True)
    all_vote(case_reload(case), [Sanction.NONE] * 3)
    statement.refresh_from_db()
    assert ADDRESS in statement.text and ADDRESS in case_reload(case).description
    assert not RecordEntry.objects.filter(organisation=court, action="record.redacted").exists()


def test_a_breach_in_a_case_not_classed_as_personal_data_erases_nothing(
    court, alice, carol, statement
):
    case = services.report_file(
        user=alice, organisation=court, kind="statement", object_id=statement.pk, rules=[2],
        description=f"Rude: {ADDRESS}.",
    )  # fmt: skip
    services.defence_file(user=carol, case=case, statement="No.", answered=True)
    all_vote(case_reload(case), [Sanction.HIDE] * 3)
    statement.refresh_from_db()
    assert ADDRESS in statement.text  # hidden behind its tombstone, not erased


def test_an_erased_motion_is_gone_from_its_page_its_versions_and_the_search(
    court, alice, bob, carol, half_quorum, client
):
    item = agenda.agenda_item_open(
        user=carol, organisation=court, title="Noise at night",
        motion_title="Speak to the tenant", text=f"The noisy one is at {ADDRESS}.",
    )  # fmt: skip
    motion = item.motions.get()
    assert [hit.object_id for hit in search(court, "Quarry")] == [motion.pk]
    case = services.report_file(
        user=alice, organisation=court, kind="motion", object_id=motion.pk, rules=[2],
        description="It gives a neighbour's address.",
    )  # fmt: skip
    services.interim_measure_take(user=bob, case=case, category="personal_data")
    services.defence_file(user=carol, case=case, statement="Sorry.", answered=True)
    all_vote(case_reload(case), [Sanction.HIDE] * 3)
    assert search(court, "Quarry") == []
    assert not motion.versions.filter(text__contains=ADDRESS).exists()
    client.force_login(alice)
    page = client.get(reverse("agenda:motion", args=[court.slug, motion.pk]))
    assert page.status_code == 200 and ADDRESS not in page.content.decode()


def juror_votes(client, case, jurors, personal_data: list[bool]) -> None:
    """Each juror votes from the case page: rule 2 breached, the content hidden."""
    for user, finds in zip(jurors, personal_data, strict=True):
        client.force_login(user)
        data = {
            "vote-rule_2": "1",
            "vote-sanction": Sanction.HIDE,
            "vote-suspension_days": "0",
            "vote-reasons": "It names a neighbour.",
        }
        if finds:
            data["vote-personal_data"] = "on"
        url = reverse("tribunal:vote", args=[case.organisation.slug, case.number])
        assert client.post(url, data).status_code == 302


def test_a_majority_of_the_jury_finding_personal_data_erases_it(
    court, alice, carol, statement, client
):
    case = services.report_file(
        user=alice, organisation=court, kind="statement", object_id=statement.pk, rules=[2],
        description=f"It gives {ADDRESS}.",
    )  # fmt: skip
    services.defence_file(user=carol, case=case, statement="No.", answered=True)
    case = case_reload(case)
    jurors = jurors_of(case)
    client.force_login(jurors[0])
    page = client.get(reverse("tribunal:case", args=[court.slug, case.number])).content.decode()
    assert 'name="vote-personal_data"' in page
    juror_votes(client, case, jurors, [True, True, False])
    statement.refresh_from_db()
    assert ADDRESS not in statement.text and ADDRESS not in case_reload(case).description
    verdict = RecordEntry.objects.get(organisation=court, action="verdict.published").payload
    assert [vote["personal_data"] for vote in verdict["votes"]] == [True, True, False]
    redacted = RecordEntry.objects.get(organisation=court, action="record.redacted")
    assert redacted.payload["case"] == case.number


def test_a_minority_finding_personal_data_erases_nothing(court, alice, carol, statement, client):
    case = services.report_file(
        user=alice, organisation=court, kind="statement", object_id=statement.pk, rules=[2],
        description=f"It gives {ADDRESS}.",
    )  # fmt: skip
    services.defence_file(user=carol, case=case, statement="No.", answered=True)
    case = case_reload(case)
    juror_votes(client, case, jurors_of(case), [True, False, False])
    statement.refresh_from_db()
    assert ADDRESS in statement.text  # hidden behind its tombstone, not erased


def test_the_finding_is_offered_only_for_content_that_can_be_erased(
    court, alice, carol, member_of, client
):
    case = services.report_file(
        user=alice, organisation=court, kind="member", object_id=member_of(carol).pk, rules=[1],
        description="Shouted.",
    )  # fmt: skip
    services.defence_file(user=carol, case=case, statement="No.", answered=True)
    case = case_reload(case)
    client.force_login(jurors_of(case)[0])
    page = client.get(reverse("tribunal:case", args=[court.slug, case.number])).content.decode()
    assert 'name="vote-sanction"' in page and 'name="vote-personal_data"' not in page


def test_a_steward_erases_what_a_dismissed_report_quoted_at_a_lawful_request(
    court, alice, bob, carol, member_of, client
):
    # No verdict will ever erase what a dismissed report quoted: a steward does, on request
    # (orgs:erasure), from the record and from the case's own copies.
    case = services.report_file(
        user=carol, organisation=court, kind="member", object_id=member_of(alice).pk, rules=[1],
        description=f"She told everyone Dave lives at {ADDRESS}.",
    )  # fmt: skip
    services.case_dismiss(user=bob, case=case, reason="Not a breach of the rules.")
    opened = RecordEntry.objects.get(organisation=court, action="case.opened")
    client.force_login(bob)
    case_page = reverse("tribunal:case", args=[court.slug, case.number])
    assert ADDRESS in client.get(case_page).content.decode()
    response = client.post(
        reverse("orgs:erasure", args=[court.slug, opened.seq]),
        {"pointers": ["/payload/description"], "erase_content": "on", "confirm": "on",
         "reason": "Art. 17 GDPR, asked by Dave"},
    )  # fmt: skip
    assert response.status_code == 302
    redacted = RecordEntry.objects.get(organisation=court, action="record.redacted")
    assert redacted.payload["grounds"] == "erasure_request"
    assert ADDRESS not in case_reload(case).description
    for url in (
        reverse("tribunal:case", args=[court.slug, case.number]),
        reverse("tribunal:docket", args=[court.slug]),
        reverse("record:entry", args=[court.slug, opened.seq]),
    ):
        assert ADDRESS not in client.get(url).content.decode(), url
