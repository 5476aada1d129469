"""A secret ballot with mandates publishes its anonymous ballots with their weights only when
every weight was cast by at least its minimum anonymity set of voters: three section delegates
of weight 2 would otherwise be known by their three ballots. Below it, the ballots are withheld
and only the count is published (docs/privacy.md), and the recount checks what it can."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.urls import reverse

from parrhesia.api.services import token_create
from parrhesia.cli import main
from parrhesia.decisions import counting, services
from parrhesia.decisions.models import SecretBallot
from parrhesia.decisions.recount import RecountMismatch, recount_entries
from parrhesia.decisions.tests.test_weighted_recount import Log, opening
from parrhesia.record.exports import record_export_write
from parrhesia.record.models import RecordEntry
from tests.fixtures.decisions import member_of, soon

EXTRA = ("fay", "gus", "hal", "ida", "jon", "kim")


@pytest.fixture
def ten(riverside, voters) -> dict[str, Any]:
    """Ten members: alice, bob, carol, erin and six more."""
    from parrhesia.accounts.models import User
    from parrhesia.orgs import services as orgs

    invitation = orgs.invitation_create(user=voters["alice"], organisation=riverside)
    people = dict(voters)
    for name in EXTRA:
        user = User.objects.create_user(username=name, password="x", display_name=name.title())
        orgs.invitation_accept(user=user, token=invitation.token)
        people[name] = user
    return people


def delegates_vote(riverside, people, delegates: list[str], others: list[str]):
    """Each delegate (weight 2) votes A, each other voter B, in a secret plurality vote with a
    minimum anonymity set of 5."""
    for name in delegates:
        services.mandate_set(
            user=people["alice"],
            membership=member_of(people[name], riverside),
            weight=2,
            reason="Section delegate",
        )
    ballot = services.ballot_open(
        user=people["bob"], organisation=riverside, title="Rent strike?", method="plurality",
        options=["A", "B"], secrecy="secret", min_anonymity=5, early_close_allowed=True,
        closes_at=soon(),
    )  # fmt: skip
    for name in delegates:
        services.ballot_vote(user=people[name], ballot=ballot, choices=0)
    for name in others:
        services.ballot_vote(user=people[name], ballot=ballot, choices=1)
    return services.ballot_close(user=people["bob"], ballot=ballot)


pytestmark = pytest.mark.django_db


def test_three_delegates_among_eight_voters_withhold_the_ballots(
    client, riverside, ten, tmp_path, capsys
):
    delegates, others = ["carol", "erin", "fay"], ["alice", "bob", "gus", "hal", "ida"]
    ballot = delegates_vote(riverside, ten, delegates, others)
    result = ballot.result
    # the count is published, and right: 3 × 2 for A, 5 × 1 for B
    assert result["ballots_withheld"] == counting.WEIGHT_CLASS_TOO_SMALL
    assert result["tally"]["scores"] == {"A": 6.0, "B": 5.0} and result["winners"] == ["A"]
    assert result["turnout"] == 8 and result["represented"] == 11
    assert "withheld" not in result
    # no anonymous ballot anywhere: the close's entry, the ballot, the page, the downloads, API
    assert ballot.published_ballots == [] and not SecretBallot.objects.filter(ballot=ballot)
    closed = RecordEntry.objects.get(action="ballot.closed", subject_id=str(ballot.pk))
    assert closed.payload["ballots"] == [] and closed.payload["result"] == result
    client.force_login(ten["carol"])
    page = client.get(reverse("decisions:detail", args=["riverside", ballot.pk])).content.decode()
    assert 'id="ballots-withheld"' in page and "fewer than 5 members cast ballots" in page
    assert 'id="tracker-search"' not in page and "by tracker" not in page
    assert "Votes per option" in page
    response = client.get("/o/riverside/record/download.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    documents = json.loads(archive.read("decisions/ballots.json"))
    document = next(d for d in documents if d["id"] == ballot.pk)
    assert document["ballots"] == [] and document["result"] == result
    _row, token = token_create(user=ten["carol"], organisation=riverside, scopes=["read"])
    api = client.get(
        f"/api/v1/orgs/riverside/ballots/{ballot.pk}", HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    assert api["document"]["ballots"] == [] and api["document"]["result"] == result
    # anyone recounts the record export: what was published around the count is checked
    path = tmp_path / "riverside.jsonl"
    with path.open("wb") as handle:
        record_export_write(ballot.organisation, handle)
    capsys.readouterr()
    assert main(["decisions", "recount", "--record", str(path)]) == 0
    said = capsys.readouterr().out
    assert "1 secret ballot(s) kept their ballots back" in said and str(ballot.pk) in said


def test_five_delegates_among_ten_voters_publish_the_ballots_with_their_weights(riverside, ten):
    delegates = ["carol", "erin", "fay", "gus", "hal"]
    others = ["alice", "bob", "ida", "jon", "kim"]
    ballot = delegates_vote(riverside, ten, delegates, others)
    assert "ballots_withheld" not in ballot.result
    weights = sorted(item.get("weight", 1) for item in ballot.published_ballots)
    assert weights == [1] * 5 + [2] * 5
    assert ballot.result["tally"]["scores"] == {"A": 10.0, "B": 5.0}


def test_the_ordinary_voters_are_a_weight_class_too(riverside, ten):
    # five delegates and three ordinary members: the three weight-1 ballots would be theirs
    delegates, others = ["carol", "erin", "fay", "gus", "hal"], ["alice", "bob", "ida"]
    ballot = delegates_vote(riverside, ten, delegates, others)
    assert ballot.result["ballots_withheld"] == counting.WEIGHT_CLASS_TOO_SMALL
    assert ballot.published_ballots == []


def test_the_decision_is_pure():
    secret = {"secrecy": "secret", "min_anonymity": 5}
    assert counting.weight_class_too_small(secret, [2, 2, 2] + [1] * 47)
    assert not counting.weight_class_too_small(secret, [2] * 5 + [1] * 45)
    assert not counting.weight_class_too_small(secret, [1] * 3)  # one class: too_few_to_publish
    assert not counting.weight_class_too_small(secret, [3] * 6)
    assert not counting.weight_class_too_small({"secrecy": "open"}, [2, 1, 1, 1, 1, 1])


def withheld_ballot(weights: dict[str, int], **changes: Any) -> Log:
    """A secret motion of participants 1..6, member 2 of weight 3, its ballots withheld."""
    opened = {**opening(secrecy="secret", weights=weights), "min_anonymity": 2}
    log = Log()
    log.add(1, "ballot.opened", opened)
    members = [1, 2, 3, 4, 5, 6]
    for member in members:
        log.add(member, "ballot.participated", {})
    own = counting.own_weights(opened)
    choices = ["for", "for", "against", "against", "for", "abstain"]
    result = counting.result_count(opened, choices, [own.get(m, 1) for m in members])
    result = {**result, "ballots_withheld": counting.WEIGHT_CLASS_TOO_SMALL, **changes}
    log.add(None, "ballot.closed", {"result": result, "ballots": []})
    return log


def test_the_recount_checks_a_withheld_ballot_as_far_as_it_can():
    withheld: list[str] = []
    assert recount_entries(withheld_ballot({"2": 3}).entries, withheld) == (1, 0)
    assert withheld == ["7"]
    with pytest.raises(RecountMismatch, match="every weight has voters enough"):
        recount_entries(withheld_ballot({"2": 3, "3": 3}).entries)
    with pytest.raises(RecountMismatch, match="represented 9 but its participants give 8"):
        recount_entries(withheld_ballot({"2": 3}, represented=9).entries)
    with pytest.raises(RecountMismatch, match="the count holds 9 votes for 8 cast"):
        counts = {"for": 5, "against": 2, "abstain": 2, "block": 0}
        recount_entries(withheld_ballot({"2": 3}, counts=counts).entries)
