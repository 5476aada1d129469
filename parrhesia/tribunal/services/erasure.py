"""A verdict on personal data erases it everywhere (issue 13, finding 7).

A report of content that publishes someone's personal data copies that content into the case
(its summary, description, evidence) and into the record (``case.opened``, the content's own
entries). Hiding it is not enough: a verdict that finds a breach and that the content publishes
someone's personal data — a majority of the jurors says so in their votes, or a steward classed
the case so (an interim measure in the ``personal_data`` category) — erases, in the verdict's
transaction, the content's own text (the kind's ``erase`` hook: the tombstone stays, linking to
the case), the case's copies, every sealed value of the record about the content and the
``case.opened`` entry's (one ``record.redacted`` entry, grounds "verdict"), and the text wherever
a notice quotes it (the list and the digests not yet sent). The record still verifies: its
leaves hold commitments, and only the values beside them are thrown away (docs/record.md §6).

Irreversible: an appeal that finds no breach restores the content's visibility, not its text.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

from django.utils.translation import gettext as _

from parrhesia.kernel.content import UnknownContent, kind_of, record_values_erase, texts_erased
from parrhesia.methods.record.sealed import pointer_get
from parrhesia.record.models import RecordEntry
from parrhesia.record.services import record_redact, sealed_values
from parrhesia.tribunal.actions import Action
from parrhesia.tribunal.models import Case, ContentMeasure, Defence, Juror, RoomMessage

PERSONAL_DATA = "personal_data"
# A quote of an erased text: a run of at least this many characters it shares with the text
# (shorter runs are common words, not anyone's personal data).
QUOTE_MIN = 12
ERASABLE_MIN = 8  # a shorter erased text is not looked for (notifications_erase's rule too)
HOLE = "\x00"  # marks a quote's characters while the quotes are looked for


def erased_words(case: Case) -> str:
    """What stands where the erased text was."""
    return _("Erased by the verdict of case %(number)s.") % {"number": case.number}


def personal_data_found(case: Case, breaches: dict[str, bool], jurors: list[Juror]) -> bool:
    """The verdict finds a breach, and the content publishes personal data: a majority of the
    jurors says so, or a steward classed the case so (an interim measure in that category)."""
    if not any(breaches.values()):
        return False
    if 2 * sum(1 for juror in jurors if juror.personal_data) > len(jurors):
        return True
    return ContentMeasure.objects.filter(case=case, category=PERSONAL_DATA).exists()


def content_erase(case: Case, words: str) -> tuple[list[str], list[tuple[str, Any]]]:
    """Erase the case's content through its kind's hook: ``(texts taken away, the record
    subjects whose sealed values go too)``; nothing for a kind with no hook."""
    try:
        kind = kind_of(case.kind)
        if kind.erase is None:
            return [], []
        target = kind.get(case.object_id)
    except UnknownContent:
        return [], []
    return kind.erase(target, words), [(case.kind, case.object_id)]


def personal_data_erase(case: Case) -> RecordEntry | None:
    """Erase the reported text everywhere, in the caller's (the verdict's) transaction; the
    ``record.redacted`` entry, or None if nothing on the record was left to erase.

    Every case about the same content loses its copies the same way (a second report quoted it
    too), and where the cases' defences, jury rooms, jurors' reasons and appeals quote an erased
    text (a run of ``QUOTE_MIN`` characters or more), the quote gives way to the words; on the
    record, a value that quotes it is erased whole (its commitment cannot be rewritten)."""
    words = erased_words(case)
    removed, subjects = content_erase(case, words)
    cases = [  # the verdict's case itself, then every other case about the same content
        case,
        *Case.objects.filter(
            organisation=case.organisation, kind=case.kind, object_id=case.object_id
        ).exclude(pk=case.pk),
    ]
    for other in cases:
        removed += [other.summary, other.description, other.evidence]
        other.summary, other.description = words[:200], words
        other.evidence = words if other.evidence else ""
        other.save(update_fields=["summary", "description", "evidence"])
    texts = quoted_texts(removed, words)
    for other in cases:
        case_quotes_erase(other, texts, words)
    numbers = [str(other.number) for other in cases]
    opened = RecordEntry.objects.filter(
        organisation=case.organisation,
        action=Action.CASE_OPENED,
        subject_kind="case",
        subject_id__in=numbers,
    ).values_list("seq", flat=True)
    erased = sealed_values(case.organisation, seqs=list(opened), subjects=subjects)
    erased += _quoting_values(case, numbers, texts)
    before = list(
        RecordEntry.objects.filter(
            organisation=case.organisation, seq__in={seq for seq, _pointer in erased}
        )
    )
    entry = record_redact(
        organisation=case.organisation,
        actor=None,
        erased=erased,
        grounds="verdict",
        case=case.number,
    )
    record_values_erase(case.organisation, before, erased, words)  # the pages' copies
    texts_erased(case.organisation, removed, words)
    return entry


def quoted_texts(removed: list[str], words: str) -> list[str]:
    """The erased texts whose quotes are looked for (not the words that replace them)."""
    return [
        text
        for text in dict.fromkeys(str(text) for text in removed)
        if len(text.strip()) >= ERASABLE_MIN and HOLE not in text and text != words
    ]


def unquoted(value: str, texts: list[str], words: str) -> str:
    """``value`` with every run of ``QUOTE_MIN`` characters or more that it shares with one of
    ``texts`` (a shorter text: the whole text) replaced by ``words``."""
    marked = value.replace(HOLE, "")
    matcher = SequenceMatcher(None, autojunk=False)
    for text in texts:
        matcher.set_seq2(text)
        shortest = min(QUOTE_MIN, len(text))  # a short text is a quote only whole
        while True:
            matcher.set_seq1(marked)
            match = matcher.find_longest_match(0, len(marked), 0, len(text))
            if match.size < shortest:
                break
            marked = marked[: match.a] + HOLE * match.size + marked[match.a + match.size :]
    if HOLE not in marked:
        return value
    return re.sub(f"{HOLE}+", words, marked)


def case_quotes_erase(case: Case, texts: list[str], words: str) -> None:
    """The quotes of ``texts`` in the case's defence, jury rooms, jurors' reasons and appeals."""
    if not texts:
        return
    rows: list[tuple[Any, list[str]]] = [
        *((row, ["statement", "evidence"]) for row in Defence.objects.filter(case=case)),
        *((row, ["text"]) for row in RoomMessage.objects.filter(jury__case=case)),
        *((row, ["reasons"]) for row in Juror.objects.filter(jury__case=case)),
        *((row, ["appeal_material", "room_private_reason"]) for row in case.juries.all()),
    ]
    for row, fields in rows:
        changed = [name for name in fields if _unquote_field(row, name, texts, words)]
        if changed:
            row.save(update_fields=changed)


def _unquote_field(row: Any, name: str, texts: list[str], words: str) -> bool:
    value = getattr(row, name)
    if not value:
        return False
    new = unquoted(value, texts, words)
    setattr(row, name, new)
    return new != value


def _quoting_values(case: Case, numbers: list[str], texts: list[str]) -> list[tuple[int, str]]:
    """The cases' sealed values on the record that quote an erased text: erased whole."""
    if not texts:
        return []
    candidates = sealed_values(case.organisation, subjects=[("case", n) for n in numbers])
    payloads = dict(
        RecordEntry.objects.filter(
            organisation=case.organisation, seq__in={seq for seq, _pointer in candidates}
        ).values_list("seq", "payload")
    )
    quoting = []
    for seq, pointer in candidates:
        value = pointer_get({"payload": payloads[seq]}, pointer)
        if isinstance(value, str) and unquoted(value, texts, HOLE) != value:
            quoting.append((seq, pointer))
    return quoting
