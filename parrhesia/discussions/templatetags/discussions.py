"""``{% load discussions %}{% discussion_thread item %}``: the thread of an agenda item or an
opinion conversation, with its forms, for that object's page (one line in its template, so that
the agenda and opinion apps import nothing of this one)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from parrhesia.discussions import selectors
from parrhesia.discussions.anchors import anchor_kind, anchor_names_members
from parrhesia.discussions.forms import PostForm
from parrhesia.discussions.models import ANCHOR_KINDS
from parrhesia.kernel.access import active_membership

register = template.Library()
_URL_KIND = {kind: name for name, kind in ANCHOR_KINDS.items()}


@register.inclusion_tag("discussions/_thread.html", takes_context=True)
def discussion_thread(context: template.Context, anchor: Any) -> dict[str, Any]:
    request = context["request"]
    organisation = anchor.organisation
    named = anchor_names_members(anchor)
    posts = selectors.thread_posts(anchor) if named else []
    everyone = [*posts, *(reply for post in posts for reply in post.replies_shown)]
    return {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        "organisation": organisation,
        "membership": active_membership(request.user, organisation),
        "anchor": anchor,
        "named": named,
        "posts": posts,
        "measures": {str(p.pk): p.hidden_measure for p in everyone if p.hidden_measure},
        "names_shown": request.user.has_perm("orgs.view_members", organisation),
        "add_url": reverse(
            "discussions:post_add",
            args=[organisation.slug, _URL_KIND[anchor_kind(anchor) or ""], anchor.pk],
        ),
        "form": PostForm(auto_id="thread_%s"),
    }
