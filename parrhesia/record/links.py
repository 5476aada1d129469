"""Where each kind of record subject is shown, so the timeline can link every entry to it.

Each domain app registers its subject kinds in its AppConfig.ready(); a kind with no link is
shown without one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parrhesia.orgs.models import Organisation

SubjectLink = Callable[["Organisation", str], str | None]
_LINKS: dict[str, SubjectLink] = {}


def subject_link_register(kind: str, link: SubjectLink) -> None:
    _LINKS[kind] = link


def subject_url(organisation: Organisation, kind: str, subject_id: str) -> str | None:
    link = _LINKS.get(kind)
    return link(organisation, subject_id) if link else None
