"""What the notifications app keeps of members' texts: notices quote titles and summaries, so an
erasure (a verdict on personal data, a lawful erasure request) reaches them too
(kernel.content.texts_erased)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parrhesia.kernel.content import texts_erased_register
from parrhesia.notifications.services import notifications_erase

if TYPE_CHECKING:
    from parrhesia.orgs.models import Organisation


def _erase(organisation: Organisation, texts: list[str], replacement: str) -> None:
    notifications_erase(organisation=organisation, texts=texts, replacement=replacement)


texts_erased_register(_erase)
