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
        _register_reportables()


def _one_line(text: str, limit: int = 120) -> str:
    from django.utils.text import Truncator

    return Truncator(" ".join(str(text).split())).chars(limit)


def _register_reportables() -> None:
    """What the tribunal can judge here (docs/tribunal.md §1); all of it can be hidden."""
    from django.urls import reverse
    from django.utils.translation import pgettext_lazy

    from parrhesia.opinion.models import Conversation, Statement
    from parrhesia.tribunal.reportables import reportable_register

    def statement_author(statement: Statement):  # type: ignore[no-untyped-def]
        # A Participant: a member, or an external participant of a Polis import (no member).
        participant = statement.author
        return participant.membership if participant is not None else None

    reportable_register(
        "statement",
        model=Statement,
        organisation_of=lambda statement: statement.conversation.organisation,
        author_of=statement_author,
        summary_of=lambda statement: _one_line(statement.text),
        url_of=lambda statement: reverse(
            "opinion:statement", args=[statement.conversation.organisation.slug, statement.pk]
        ),
        label=pgettext_lazy("content kind", "Statement"),
    )
    reportable_register(
        "conversation",
        model=Conversation,
        organisation_of=lambda conversation: conversation.organisation,
        author_of=lambda conversation: conversation.opened_by,
        summary_of=lambda conversation: _one_line(conversation.topic),
        url_of=lambda conversation: reverse(
            "opinion:detail", args=[conversation.organisation.slug, conversation.pk]
        ),
        label=pgettext_lazy("content kind", "Conversation"),
    )
