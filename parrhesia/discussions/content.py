"""What threads put on the record and what of it the tribunal can judge (docs/tribunal.md §1): a
post can be reported, hidden behind a tombstone and, on personal data, erased."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from parrhesia.discussions.exports import discussions_download_part
from parrhesia.discussions.models import Post
from parrhesia.discussions.services.erasure import post_revisions_erase
from parrhesia.kernel.content import (
    content_register,
    download_part_register,
    one_line,
    text_eraser,
)

content_register(
    "post",
    model=Post,
    organisation_of=lambda post: post.organisation,
    link=lambda organisation, pk: reverse("discussions:post", args=[organisation.slug, int(pk)]),
    author_of=lambda post: post.author,
    summary_of=lambda post: one_line(post.text),
    url_of=lambda post: reverse("discussions:post", args=[post.organisation.slug, post.pk]),
    label=pgettext_lazy("content kind", "Discussion post"),
    erase=text_eraser("text", html=("html",), related=post_revisions_erase),
)
download_part_register(discussions_download_part)
