"""The demo's discussion thread: neighbours talking practicalities beside the rent-rise item's
argument map, with a reply, an edit and a mention."""

from __future__ import annotations

from typing import Any

from django.apps import apps

from parrhesia.discussions.anchors import anchor_is_open
from parrhesia.discussions.models import Post
from parrhesia.discussions.services import post_add, post_edit

# author, text, index of the post it answers (None: a new post)
POSTS = [
    ("carol", "Who is coming to the meeting with the landlord's agent on **Thursday**? "
     "@Bob Okafor, do we have the hall?", None),
    ("bob", "The hall is booked from 7 pm. I will bring the minutes of the last meeting.", 0),
    ("dave", "I can translate for the families of block C who prefer French.", 0),
    ("heidi", "A reminder of what we agreed last year:\n\n- no side deals\n- one spokesperson "
     "per block\n\nThe notes are in the minutes.", None),
    ("grace", "Block A's spokesperson is Frank this time.", 3),
]  # fmt: skip
EDIT = (0, "Who is coming to the meeting with the landlord's agent on **Thursday at 7 pm**? "
        "@Bob Okafor, do we have the hall?")  # fmt: skip


def seed(organisation: Any, people: dict[str, Any]) -> None:
    if Post.objects.filter(organisation=organisation).exists():
        return
    # The agenda's demo step runs first; this app imports nothing of the agenda.
    item = (
        apps.get_model("agenda", "AgendaItem")
        .objects.filter(organisation=organisation)
        .order_by("opened_at", "pk")
        .first()
    )
    if item is None or not anchor_is_open(item):
        return
    posts: list[Post] = []
    for author, text, parent in POSTS:
        answered = posts[parent] if parent is not None else None
        posts.append(post_add(user=people[author], anchor=item, text=text, parent=answered))
    index, text = EDIT
    post_edit(user=posts[index].author.user, post=posts[index], text=text)
