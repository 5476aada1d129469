"""The threads' notice: a member mentioned in a post. The notifications app words "mention"
itself (issue 14: ``where``, the title of the thread's item or conversation); this wording stands
where it does not."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy

from parrhesia.notifications.notices import notice_kinds, notice_register
from parrhesia.notifications.services import notify

if TYPE_CHECKING:
    from parrhesia.discussions.models import Post
    from parrhesia.orgs.models import Membership

if "mention" not in notice_kinds():
    notice_register("mention", gettext_lazy("%(author)s mentioned you in “%(where)s”."))


def notify_mentioned(
    users: Iterable[Any], *, post: Post, author: Membership, topic: str, url: str
) -> int:
    """A notice to each member a post mentions; the digest groups it under the thread's item or
    conversation."""
    return notify(
        users,
        organisation=post.organisation,
        kind="mention",
        params={"author": author.user.public_name, "where": topic},
        url=url,
        topic=topic,
    )
