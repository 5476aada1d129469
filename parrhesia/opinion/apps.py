from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionConfig(AppConfig):
    """Opinion mapping: conversations, statements, votes, opinion groups."""

    name = "parrhesia.opinion"
    label = "opinion"
    verbose_name = _("Opinion mapping")

    def ready(self) -> None:
        from django.urls import reverse

        from parrhesia.opinion import rules  # noqa: F401  (registers the permissions)
        from parrhesia.opinion.exports import opinion_download_part
        from parrhesia.record.exports import DOWNLOAD_PARTS
        from parrhesia.record.links import subject_link_register

        subject_link_register(
            "conversation",
            lambda organisation, pk: reverse("opinion:detail", args=[organisation.slug, pk]),
        )
        # No query per timeline entry: the statement's own address redirects to its conversation.
        subject_link_register(
            "statement",
            lambda organisation, pk: reverse("opinion:statement", args=[organisation.slug, pk]),
        )
        if opinion_download_part not in DOWNLOAD_PARTS:
            DOWNLOAD_PARTS.append(opinion_download_part)
