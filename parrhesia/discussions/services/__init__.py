"""Every write of discussion threads (docs/architecture.md)."""

from parrhesia.discussions.services._shared import DiscussionError, ThreadClosed
from parrhesia.discussions.services.erasure import post_revisions_erase
from parrhesia.discussions.services.posts import post_add, post_edit, post_url

__all__ = [
    "DiscussionError",
    "ThreadClosed",
    "post_add",
    "post_edit",
    "post_revisions_erase",
    "post_url",
]
