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

from typing import Any

from django.utils.translation import gettext as _

from parrhesia.kernel.content import UnknownContent, kind_of, texts_erased
from parrhesia.record.models import RecordEntry
from parrhesia.record.services import record_redact, sealed_values
from parrhesia.tribunal.actions import Action
from parrhesia.tribunal.models import Case, ContentMeasure, Juror

PERSONAL_DATA = "personal_data"


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
    ``record.redacted`` entry, or None if nothing on the record was left to erase."""
    words = erased_words(case)
    removed, subjects = content_erase(case, words)
    removed += [case.summary, case.description, case.evidence]
    case.summary, case.description = words[:200], words
    case.evidence = words if case.evidence else ""
    case.save(update_fields=["summary", "description", "evidence"])
    opened = RecordEntry.objects.filter(
        organisation=case.organisation,
        action=Action.CASE_OPENED,
        subject_kind="case",
        subject_id=str(case.number),
    ).values_list("seq", flat=True)
    erased = sealed_values(case.organisation, seqs=list(opened), subjects=subjects)
    entry = record_redact(
        organisation=case.organisation,
        actor=None,
        erased=erased,
        grounds="verdict",
        case=case.number,
    )
    texts_erased(case.organisation, removed, words)
    return entry
