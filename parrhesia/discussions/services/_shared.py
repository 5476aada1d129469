"""What the thread services share: their errors and the text check."""

from __future__ import annotations

from django.utils.translation import gettext as _

from parrhesia.discussions.models import POST_TEXT_MAX
from parrhesia.kernel.errors import DomainError


class DiscussionError(DomainError):
    """A post that cannot be written as asked; the message says why."""


class ThreadClosed(DiscussionError):
    """The item or conversation takes no posts (now, or at all)."""


def post_text_checked(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DiscussionError(_("The post is empty; write something."))
    if len(value) > POST_TEXT_MAX:
        raise DiscussionError(
            _("The post is too long: at most %(limit)s characters.") % {"limit": POST_TEXT_MAX}
        )
    return value
