"""The tribunal's record actions are a contract (entries are hashed into the log, exports are
read back by ``parrhesia tribunal redraw|report --record``): the catalogue holds exactly the
strings the tribunal has always written, no more, none renamed."""

from __future__ import annotations

from parrhesia.tribunal.actions import FIRST_ROUND, Action
from parrhesia.tribunal.models import Round

# Every action string the tribunal wrote before it had a catalogue (commit 6a95443), in order.
RECORD_FORMAT = [
    "tribunal.settings_changed",
    "case.opened",
    "case.dismissed",
    "case.jury_requested",
    "jury.conflict_declared",
    "interim_measure.taken",
    "interim_measure.confirmed",
    "interim_measure.lifted",
    "interim_measure.lapsed",
    "interim_measure.ended",
    "defence.filed",
    "defence.extended",
    "defence.closed",
    "jury.not_drawn",
    "jury.drawn",
    "jury.juror_recused",
    "jury.deadline_set",
    "jury.reminded",
    "jury.juror_lapsed",
    "jury.stuck",
    "case.anonymity_granted",
    "case.reporter_revealed",
    "jury.voted",
    "verdict.published",
    "content.hidden",
    "content.restored",
    "member.warned",
    "member.suspended",
    "member.suspension_lifted",
    "member.expelled",
    "member.reinstated",
    "appeal.filed",
]


# Actions added since, at the end, each with the issue that added it: never renamed either.
ADDED = [
    "jury.juror_unseated",  # issue 13: a juror named advocate or declaring a conflict
    "defence.advocate_stepped_down",  # issue 13: an advocate gives up the role
]


def test_the_catalogue_is_the_record_format():
    assert [action.value for action in Action] == RECORD_FORMAT + ADDED
    assert len(set(RECORD_FORMAT)) == len(RECORD_FORMAT) == 32


def test_a_verdicts_round_is_named_as_the_record_names_it():
    assert FIRST_ROUND == Round.FIRST.value == "jury"
