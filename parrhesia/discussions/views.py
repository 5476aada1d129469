"""Thread pages: posting (the thread itself is shown on its item's or conversation's page, by the
``discussion_thread`` tag), a post's own page with its history, and the author's edit. Every form
works without JavaScript."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from parrhesia.discussions import selectors, services
from parrhesia.discussions.anchors import anchor_get, anchor_of, anchor_title, anchor_url
from parrhesia.discussions.forms import PostEditForm, PostForm
from parrhesia.discussions.models import ANCHOR_KINDS, Post
from parrhesia.kernel.content import UnknownContent
from parrhesia.kernel.forms import form_submit
from parrhesia.kernel.pages import org_page, page_context
from parrhesia.orgs.models import Organisation
from parrhesia.tribunal.selectors import hidden_measure


def _anchor(organisation: Organisation, anchor: str, anchor_id: int) -> Any:
    if anchor not in ANCHOR_KINDS:
        raise Http404
    try:
        return anchor_get(organisation, ANCHOR_KINDS[anchor], anchor_id)
    except UnknownContent:
        raise Http404 from None


def _post(organisation: Organisation, post_id: int) -> Post:
    post = selectors.post_get(organisation, post_id)
    if post is None:
        raise Http404
    try:
        anchor_of(post)
    except UnknownContent:
        raise Http404 from None
    return post


def _parent(organisation: Organisation, form: PostForm) -> Post | None:
    parent_id = form.cleaned_data.get("parent") if form.is_valid() else None
    return _post(organisation, parent_id) if parent_id else None


@login_required
@require_http_methods(["GET", "POST"])
def post_add(request: HttpRequest, slug: str, anchor: str, anchor_id: int) -> HttpResponse:
    """A post or a reply (``parent``); the thread's page shows the form, this one shows it again
    with its errors (and on its own, for a GET)."""
    organisation = org_page(request, slug, "discussions.take_part")
    target = _anchor(organisation, anchor, anchor_id)
    form = PostForm(request.POST or None)
    parent = _parent(organisation, form)
    submitted = form_submit(
        form, services.post_add, fields=["text"], error_field="text", user=request.user,
        anchor=target, parent=parent,
    )  # fmt: skip
    if submitted and submitted.value is not None:
        messages.success(request, _("Your post is published."))
        return redirect(f"{anchor_url(target)}#post-{submitted.value.pk}")
    context = page_context(
        request, organisation, anchor=target, anchor_title=anchor_title(target),
        anchor_url=anchor_url(target), form=form, parent=parent,
    )  # fmt: skip
    return render(request, "discussions/post_add.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET"])
def post_show(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    """A post's own address (the record and the tribunal link here): the post, its replies and
    every text it has had."""
    organisation = org_page(request, slug, "discussions.view")
    post = _post(organisation, post_id)
    post.hidden_measure = hidden_measure("post", post.pk)
    target = anchor_of(post)
    replies = selectors.post_replies(post)
    context = page_context(
        request, organisation, post=post, anchor_title=anchor_title(target),
        anchor_url=anchor_url(target), replies=replies,
        reply_measures={str(r.pk): r.hidden_measure for r in replies if r.hidden_measure},
        revisions=selectors.post_revisions(post) if post.hidden_measure is None else [],
        names_shown=request.user.has_perm("orgs.view_members", organisation),
    )  # fmt: skip
    return render(request, "discussions/post.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    organisation = org_page(request, slug, "discussions.take_part")
    post = _post(organisation, post_id)
    if not request.user.has_perm("discussions.edit_post", post):
        raise PermissionDenied
    form = PostEditForm(request.POST or None, initial={"text": post.text})
    submitted = form_submit(
        form, services.post_edit, error_field="text", user=request.user, post=post
    )
    if submitted:
        messages.success(request, _("Your post is updated; its earlier text stays in its history."))
        return redirect(services.post_url(post))
    context = page_context(request, organisation, post=post, form=form)
    return render(
        request, "discussions/post_edit.html", context, status=400 if form.errors else 200
    )
