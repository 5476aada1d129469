"""The counting methods' tie-break notes, said in the reader's language.

The methods (parrhesia.methods.voting) write each tie-break as a fixed English sentence, and the
result keeps it so (it is on the record and in every export: the recount compares them). Pages
show the note through this translation; a note it does not know is shown as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop


def _how(how: str) -> str:
    if how == "lot":
        return _("lot")
    return _("the most recent earlier stage where they differ")


def _stv(match: re.Match[str]) -> str:
    if match["what"] == "excluded":
        what = _("%(name)s was excluded") % {"name": match["name"]}
    else:
        what = _("the surplus of %(name)s was transferred first") % {"name": match["name"]}
    return _("After stage %(stage)s: %(what)s, chosen by %(how)s.") % {
        "stage": match["stage"],
        "what": what,
        "how": _how(match["how"]),
    }


def _irv(match: re.Match[str]) -> str:
    return _("Round %(round)s: %(name)s was excluded, chosen by %(how)s.") % {
        "round": match["round"],
        "name": match["name"],
        "how": _how(match["how"]),
    }


def _schulze(match: re.Match[str]) -> str:
    return _(
        "%(n)s alternatives are unbeaten; the one beating most others was chosen, then the "
        "earliest in the file."
    ) % {"n": match["n"]}


PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"after stage (?P<stage>\d+): (?P<what>surplus of|excluded) (?P<name>.+) by "
                r"(?P<how>earlier stage|lot)"), _stv),
    (re.compile(r"round (?P<round>\d+): excluded (?P<name>.+) by (?P<how>earlier stage|lot)"),
     _irv),
    (re.compile(r"(?P<n>\d+) alternatives are unbeaten; chose the one beating most others, then "
                r"the earliest in the file"), _schulze),
]  # fmt: skip

FIXED = {
    "pairs of equal strength were taken in file order of winner, then loser": gettext_noop(
        "Pairs of equal strength were taken in the file's order of winner, then loser."
    ),
    "several alternatives are unbeaten; chose the earliest in the file": gettext_noop(
        "Several alternatives are unbeaten; the earliest in the file was chosen."
    ),
    "equal scores at the last seat: chose by position in the file": gettext_noop(
        "Equal scores at the last seat: chosen by position in the file."
    ),
}


def tie_break_said(note: str) -> str:
    """``note`` as the reader reads it, or as written if it is no note the methods write."""
    if note in FIXED:
        return _(FIXED[note])
    for pattern, say in PATTERNS:
        match = pattern.fullmatch(note)
        if match:
            return say(match)
    return note
