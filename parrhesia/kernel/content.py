"""The registry of content kinds: what each app owns, where it is shown, what the tribunal may
judge of it, and what it adds to a member's download.

Each app declares its kinds in its own ``content.py`` (found at start-up by
:func:`autodiscover`, from ``kernel.apps``)::

    content_register(
        "motion",
        model=Motion,
        organisation_of=lambda motion: motion.item.organisation,
        link=lambda organisation, pk: reverse("agenda:motion", args=[organisation.slug, int(pk)]),
        author_of=lambda motion: motion.author,          # a Membership, or None: reportable
        summary_of=lambda motion: one_line(motion.title),
        url_of=lambda motion: reverse("agenda:motion", args=[...]),
        label=pgettext_lazy("content kind", "Motion"),
    )
    download_part_register(agenda_download_part)

A kind is anything the record names as a subject (``link``: where the timeline links it; a
kind with no link is shown without one). A kind with ``author_of`` is *reportable*: the
tribunal can judge it and, if ``hideable``, hide it behind a tombstone. Readers: the record's
timeline (``subject_url``), the tribunal (``reportable_of``), the member's download
(``download_parts``), ``kernel.access`` (``kind_for_model``).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils.html import escape
from django.utils.module_loading import autodiscover_modules
from django.utils.text import Truncator

from parrhesia.kernel.errors import DomainError
from parrhesia.methods.record.sealed import OpeningError, pointer_get

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from parrhesia.orgs.models import Membership, Organisation

SubjectLink = Callable[["Organisation", str], "str | None"]
# Replaces a piece of content's text with the given words, in the caller's transaction; returns
# the texts it took away (so that copies of them elsewhere can be found and erased too).
Eraser = Callable[[Any, str], list[str]]
DownloadPart = Callable[[Any, "Organisation", zipfile.ZipFile], None]


class UnknownContent(DomainError):
    """No such kind, or no such object of that kind."""


@dataclass(frozen=True)
class ContentKind:
    kind: str
    model: Any = None
    organisation_of: Callable[[Any], Organisation] | None = None
    # where the record's timeline links a subject of this kind: (organisation, id) → URL
    link: SubjectLink | None = None
    # what the tribunal needs to judge a piece of it (reportable when author_of is given)
    author_of: Callable[[Any], Membership | None] | None = None
    summary_of: Callable[[Any], str] | None = None
    url_of: Callable[[Any], str] | None = None
    # the author's public pseudonym where the content is published under one (a participant
    # number): a case about it names that in public, never the member (None: under their name)
    pseudonym_of: Callable[[Any], str | None] | None = None
    # whether a verdict or an interim measure may hide it (a member's conduct cannot be hidden)
    hideable: bool = True
    # what the docket calls it, in the reader's language (the kind is a code)
    label: str | Promise = ""
    # erases its text for good (a verdict on personal data, a lawful erasure request): see
    # text_eraser; None for a kind whose text cannot be erased
    erase: Eraser | None = None
    # the object the record names by (organisation, subject id), for a kind whose record id is
    # not its primary key (a case: its number); by default get() within the organisation
    lookup: Callable[[Organisation, str], Any] | None = None

    @property
    def reportable(self) -> bool:
        return self.author_of is not None

    def get(self, object_id: Any) -> Any:
        """The object of this kind with that id; :class:`UnknownContent` if there is none."""
        if self.model is None:
            raise UnknownContent(f"no {self.kind} {object_id}")
        try:
            return self.model._default_manager.get(pk=object_id)
        except (self.model.DoesNotExist, ValueError, TypeError):
            raise UnknownContent(f"no {self.kind} {object_id}") from None

    def get_in(self, organisation: Organisation, subject_id: str) -> Any:
        """The object a record entry of ``organisation`` names; :class:`UnknownContent` if that
        organisation has none."""
        if self.lookup is not None:
            try:
                return self.lookup(organisation, subject_id)
            except (ObjectDoesNotExist, ValueError, TypeError):
                raise UnknownContent(f"no {self.kind} {subject_id}") from None
        target = self.get(subject_id)
        if self.organisation_of is None or self.organisation_of(target).pk != organisation.pk:
            raise UnknownContent(f"no {self.kind} {subject_id} in {organisation.slug}")
        return target


_KINDS: dict[str, ContentKind] = {}
_PARTS: list[DownloadPart] = []
# Who keeps copies of texts outside their content (notices, digests not yet sent): told when
# texts are erased, so that no copy outlives the erasure (texts_erased).
TextsErased = Callable[["Organisation", list[str], str], Any]
_ERASED_LISTENERS: list[TextsErased] = []
# Who may forbid a steward's erasure of what the record says about a subject (the tribunal,
# while a case about it is undecided): (organisation, subject kind, subject id) → why, or None.
ErasureGuard = Callable[["Organisation", str, str], "str | None"]
_ERASURE_GUARDS: list[ErasureGuard] = []


@dataclass(frozen=True)
class RecordValue:
    """A sealed value of one record entry, as the entry stood before the value was erased."""

    organisation: Organisation
    action: str
    subject_kind: str
    subject_id: str
    actor_id: int | None
    payload: dict[str, Any]
    pointer: str  # from the entry: "/payload/reason", "/payload/votes/2/reasons"

    @property
    def value(self) -> Any:
        return pointer_get({"payload": self.payload}, self.pointer)


# Erases the copy of a record value that a page shows (a vote's reason: Vote.reason), in the
# caller's transaction, if the copy still holds that value; nothing if it changed since.
ValueEraser = Callable[[RecordValue, str], Any]
_VALUE_ERASERS: dict[str, list[ValueEraser]] = {}


def content_register(kind: str, **facts: Any) -> ContentKind:
    """Declare (or declare again, as a test may) one content kind; see the module's docstring."""
    facts.setdefault("label", kind)
    content_kind = ContentKind(kind, **facts)
    _KINDS[kind] = content_kind
    return content_kind


def download_part_register(part: DownloadPart) -> None:
    """Add a part to the member's download (each writes files from what the member may see)."""
    if part not in _PARTS:
        _PARTS.append(part)


def kind_of(kind: str) -> ContentKind:
    try:
        return _KINDS[kind]
    except KeyError:
        raise UnknownContent(f"no content kind '{kind}'") from None


def kind_for_model(model: type) -> ContentKind | None:
    for content_kind in _KINDS.values():
        if content_kind.model is model:
            return content_kind
    return None


def reportable_of(kind: str) -> ContentKind:
    """The reportable kind of that name; :class:`UnknownContent` if there is none."""
    content_kind = kind_of(kind)
    if not content_kind.reportable:
        raise UnknownContent(f"no content kind '{kind}'")
    return content_kind


def reportables() -> dict[str, ContentKind]:
    return {kind: facts for kind, facts in _KINDS.items() if facts.reportable}


def subject_url(organisation: Organisation, kind: str, subject_id: str) -> str | None:
    """Where the record's timeline links a subject; None for a kind shown without a link."""
    content_kind = _KINDS.get(kind)
    if content_kind is None or content_kind.link is None:
        return None
    return content_kind.link(organisation, subject_id)


def download_parts() -> list[DownloadPart]:
    return list(_PARTS)


def text_eraser(*fields: str, html: tuple[str, ...] = (), related: Eraser | None = None) -> Eraser:
    """An ``erase`` hook: the object's text ``fields`` (and rendered ``html`` fields) get the
    given words in place of what they held, and ``related`` erases the copies the app keeps
    elsewhere (revisions, a search index). Returns the texts taken away."""

    def erase(obj: Any, replacement: str) -> list[str]:
        removed = [str(getattr(obj, name)) for name in fields if getattr(obj, name)]
        for name in fields:
            if getattr(obj, name):
                setattr(obj, name, replacement)
        for name in html:
            setattr(obj, name, escape(replacement))
        obj.save(update_fields=[*fields, *html])
        return removed + (related(obj, replacement) if related else [])

    return erase


def texts_erased_register(listener: TextsErased) -> None:
    """An app that keeps copies of members' texts elsewhere (the notifications app: notices and
    digests) registers how it takes erased texts out of them, from its ``content.py``."""
    if listener not in _ERASED_LISTENERS:
        _ERASED_LISTENERS.append(listener)


def erasure_guard_register(guard: ErasureGuard) -> None:
    """An app that must keep what the record says about a subject for a while (the tribunal,
    the evidence of an undecided case) registers why, from its ``content.py``."""
    if guard not in _ERASURE_GUARDS:
        _ERASURE_GUARDS.append(guard)


def erasure_refused(organisation: Organisation, kind: str, subject_id: str) -> str | None:
    """Why a steward may not erase what the record says about this subject now, or None."""
    for guard in _ERASURE_GUARDS:
        refusal = guard(organisation, kind, subject_id)
        if refusal:
            return refusal
    return None


def record_value_eraser_register(action: str, eraser: ValueEraser) -> None:
    """An app whose pages show a copy of a sealed value of its ``action`` entries (a model field
    the page reads) registers how that copy is erased when the record's value is, from its
    ``content.py``: a steward's erasure or a verdict erases the page with the record."""
    erasers = _VALUE_ERASERS.setdefault(action, [])
    if eraser not in erasers:
        erasers.append(eraser)


def record_values_erase(
    organisation: Organisation, entries: list[Any], erased: list[tuple[int, str]], replacement: str
) -> None:
    """The page copies of the values ``erased`` (seq, pointer) give way to ``replacement``;
    ``entries``: the record entries as they stood before the erasure (their payloads still hold
    the values). A value whose copy cannot be found, or changed since, erases nothing more."""
    by_seq = {entry.seq: entry for entry in entries}
    for seq, pointer in erased:
        entry = by_seq.get(seq)
        if entry is None or not _VALUE_ERASERS.get(entry.action):
            continue
        value = RecordValue(
            organisation=organisation,
            action=entry.action,
            subject_kind=entry.subject_kind,
            subject_id=entry.subject_id,
            actor_id=entry.actor,
            payload=entry.payload,
            pointer=pointer,
        )
        try:
            value.value  # noqa: B018 - a pointer the payload lacks has no copy to find
        except OpeningError:
            continue
        for eraser in _VALUE_ERASERS[entry.action]:
            eraser(value, replacement)


def copy_erase(model: Any, field: str, value: Any, replacement: str, **where: Any) -> int:
    """Erase one page copy: the rows of ``model`` matching ``where`` whose ``field`` still holds
    ``value`` get ``replacement``; how many did (none: changed or gone since)."""
    if not isinstance(value, str) or not value:
        return 0
    return int(
        model._default_manager.filter(**where, **{field: value}).update(**{field: replacement})
    )


def texts_erased(organisation: Organisation, texts: list[str], replacement: str) -> None:
    """Texts were erased (a verdict on personal data, a lawful erasure request): every copy kept
    outside their content gives way to ``replacement``, in the caller's transaction."""
    for listener in _ERASED_LISTENERS:
        listener(organisation, [text for text in texts if text], replacement)


def one_line(text: str, limit: int = 120) -> str:
    """A docket summary: the first words of a text, on one line."""
    return str(Truncator(" ".join(str(text).split())).chars(limit))


def autodiscover() -> None:
    """Import every installed app's ``content`` module, which registers its kinds."""
    autodiscover_modules("content")
