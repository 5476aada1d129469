"""A lawful erasure request, handled by stewards on the record (issue 13, finding 7).

Someone whose personal data the record (or a piece of content) discloses asks for it to be
erased; a steward checks the request and erases the values of one record entry they choose —
and, where the entry is about a piece of content whose kind can be erased, that content's text
and every value of the record about it. One ``record.redacted`` entry (grounds
"erasure_request") says what was erased, by which steward, and why: the reason (the lawful
basis, who asked) is itself sealed, so that it can be erased in turn. Irreversible; the record
still verifies (docs/record.md §6).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from parrhesia.kernel.access import member_for
from parrhesia.kernel.content import (
    ContentKind,
    UnknownContent,
    erasure_refused,
    kind_of,
    record_values_erase,
    texts_erased,
)
from parrhesia.methods.record.sealed import pointer_get
from parrhesia.orgs.models import Organisation
from parrhesia.orgs.services._shared import MembershipError
from parrhesia.record.models import RecordEntry
from parrhesia.record.services import record_redact, sealed_values


def erasable_kind(entry: RecordEntry) -> ContentKind | None:
    """The content kind of the entry's subject, if its text can be erased."""
    try:
        kind = kind_of(entry.subject_kind)
    except UnknownContent:
        return None
    return kind if kind.erase is not None else None


def record_entry_erase(
    *,
    user: Any,
    organisation: Organisation,
    seq: int,
    pointers: list[str],
    reason: str,
    erase_content: bool = False,
) -> RecordEntry:
    """Erase the chosen sealed values of entry ``seq`` (and, with ``erase_content``, the text of
    the content it is about and every sealed value about that content); the ``record.redacted``
    entry. Refused, nothing written, without a reason or with nothing left to erase."""
    reason = reason.strip()
    if not reason:
        raise MembershipError(_("Say on what lawful basis, and at whose request, you erase."))
    with transaction.atomic():
        steward = member_for(user, organisation, "orgs.erase_personal_data")
        entry = RecordEntry.objects.filter(organisation=organisation, seq=seq).first()
        if entry is None:
            raise MembershipError(_("There is no such entry on the record."))
        refusal = erasure_refused(organisation, entry.subject_kind, entry.subject_id)
        if refusal is not None:  # e.g. the evidence of an undecided case (the tribunal's)
            raise MembershipError(refusal)
        disclosed = {pointer for _seq, pointer in sealed_values(organisation, seqs=[seq])}
        if not set(pointers) <= disclosed:
            raise MembershipError(_("A value you chose is no longer on the record."))
        erased = [(seq, pointer) for pointer in sorted(set(pointers))]
        kind = erasable_kind(entry) if erase_content else None
        if erase_content and kind is None:
            raise MembershipError(_("The text of what this entry is about cannot be erased."))
        subject = (entry.subject_kind, entry.subject_id)
        if kind is not None and kind.reportable:  # the content's own entries: its words
            erased += sealed_values(organisation, subjects=[subject])
        removed = _values_of(organisation, erased)
        before = list(  # the entries as they stand, for the copies the pages show
            RecordEntry.objects.filter(organisation=organisation, seq__in={s for s, _p in erased})
        )
        redaction = record_redact(
            organisation=organisation,
            actor=steward,
            erased=erased,
            grounds="erasure_request",
            reason=reason,
        )
        if redaction is None:
            raise MembershipError(_("Choose what to erase: nothing of it is left on the record."))
        words = _("Erased at a lawful request (record entry #%(seq)s).") % {"seq": redaction.seq}
        record_values_erase(organisation, before, erased, words)  # a vote's reason on its page
        if kind is not None:
            try:
                target = kind.get_in(organisation, entry.subject_id)
                removed += kind.erase(target, words)  # type: ignore[misc]
            except UnknownContent:
                pass  # gone since: its values on the record are erased all the same
        texts_erased(organisation, removed, words)  # notices and digests not yet sent
    return redaction


def _values_of(organisation: Organisation, erased: list[tuple[int, str]]) -> list[str]:
    """The texts about to be erased from the record (for the copies kept elsewhere)."""
    payloads = dict(
        RecordEntry.objects.filter(
            organisation=organisation, seq__in={seq for seq, _pointer in erased}
        ).values_list("seq", "payload")
    )
    values = [pointer_get({"payload": payloads[seq]}, pointer) for seq, pointer in erased]
    return [value for value in values if isinstance(value, str)]
