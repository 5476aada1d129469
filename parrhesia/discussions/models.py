"""A discussion thread: the posts on one anchor (an agenda item or an opinion conversation), each
a member's Markdown, with replies one level deep and every text it has had.

The anchor is a plain reference (a content kind and an id, as ``opinion.Conversation.attached_*``)
rather than a foreign key, so that this app depends on no other domain: the content registry
(``kernel.content``) finds the object.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from parrhesia.orgs.models import Membership, Organisation

# The content kinds a thread may hang on (kernel.content), and how their URLs name them.
ANCHOR_KINDS = {"item": "agenda_item", "conversation": "conversation"}
POST_TEXT_MAX = 5_000


class Post(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    anchor_kind = models.CharField(max_length=40)
    anchor_id = models.CharField(max_length=40)
    # A reply answers a top-level post; replies have no replies (one level of nesting).
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    html = models.TextField()
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["organisation", "anchor_kind", "anchor_id"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(anchor_kind__in=sorted(ANCHOR_KINDS.values())),
                name="post_anchor_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"post {self.pk}"


class PostRevision(models.Model):
    """Every text a post has had, the first included."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["post", "number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="one_post_revision"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} r{self.number}"
