"""The argument map's cards, rendered in Python: a page of 1,000 arguments through the template
engine took about ten times the 150 ms budget, so each card is one f-string over escaped values.
Every word is still translated (once per page, not once per card) and the markup is the same
with or without JavaScript; the htmx endorse button reuses :func:`endorse_form`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parrhesia.agenda.models import ChallengeKind, Stance
from parrhesia.agenda.selectors import Node


class CardWords:
    """Everything a card says, translated once per page."""

    def __init__(self, request: Any, organisation_slug: str) -> None:
        self.csrf = escape(get_token(request))
        self.argument_url = reverse("agenda:argument", args=[organisation_slug, 0])[:-2]
        self.endorse_url = reverse("agenda:argument_endorse", args=[organisation_slug, 0])
        # str() first: escape() of a lazy label stays lazy and is translated again each time.
        self.stances = {s.value: escape(str(s.label)) for s in Stance}
        self.kinds = {k.value: escape(str(k.label)) for k in ChallengeKind}
        self.of = escape(_("of #%(parent)s"))
        self.withdrawn = escape(_("Withdrawn by the author."))
        self.revised = escape(_("revised"))
        self.answered = escape(_("answered"))
        self.unanswered = escape(_("unanswered"))
        self.why = escape(_("Why here:"))
        self.endorse = escape(_("Endorse as strong"))
        self.endorsed = escape(_("Endorsed as strong"))

    def endorsements(self, count: int) -> str:
        return escape(
            ngettext("%(count)s endorsement", "%(count)s endorsements", count) % {"count": count}
        )


def endorse_form(
    words: CardWords, argument_id: int, endorsed: bool, count: int, error: str = ""
) -> SafeString:
    url = words.endorse_url.replace("/0/", f"/{argument_id}/")
    label = words.endorsed if endorsed else words.endorse
    pressed = "true" if endorsed else "false"
    alert = f' <span class="error" role="alert">{escape(error)}</span>' if error else ""
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'<form method="post" action="{url}" class="endorse" hx-post="{url}" hx-target="this" '
        f'hx-swap="outerHTML"><input type="hidden" name="csrfmiddlewaretoken" '
        f'value="{words.csrf}"><input type="hidden" name="strong" '
        f'value="{0 if endorsed else 1}"><span class="meta">{words.endorsements(count)}</span> '
        f'<button type="submit" class="secondary" aria-pressed="{pressed}">{label}'
        f'<span class="visually-hidden"> (#{argument_id})</span></button>{alert}</form>'
    )


def argument_card(words: CardWords, node: Node, member_id: int | None) -> str:
    a = node.argument
    depth = min(node.depth, 4)
    parent = (
        f' <span class="meta">{words.of % {"parent": a.parent_id}}</span>' if a.parent_id else ""
    )
    if a.withdrawn_at:
        body = f'<p class="tombstone">{words.withdrawn}</p>'
    else:
        revised = f" · {words.revised}" if a.revision > 1 else ""
        name = escape(a.author_name)
        body = f'<p class="meta">{name}{revised}</p><div class="text">{a.html}</div>'
    challenges = ""
    if node.challenges:
        rows = "".join(
            f"<li>{words.kinds.get(c.kind, '')}{': ' + escape(c.text) if c.text else ''} — "
            + (f'<span class="answered">{words.answered}</span>' if c.answered_at
               else f'<span class="unanswered">{words.unanswered}</span>')
            + "</li>"
            for c in node.challenges
        )  # fmt: skip
        challenges = f'<ul class="challenges">{rows}</ul>'
    if member_id is not None and not a.withdrawn_at and a.author_id != member_id:
        endorse = endorse_form(words, a.pk, node.endorsed_by_me, node.endorsements)
    else:
        endorse = f'<p class="meta">{words.endorsements(node.endorsements)}</p>'
    return (
        f'<article class="argument depth-{depth} stance-{a.stance}" id="argument-{a.pk}">'
        f'<h3 class="argument-head"><a href="{words.argument_url}{a.pk}/">#{a.pk}</a> '
        f"{words.stances.get(a.stance, '')}{parent}</h3>{body}{challenges}{endorse}"
        f'<p class="why"><strong>{words.why}</strong> {escape(node.reason)}</p></article>'
    )


def argument_cards(words: CardWords, nodes: Iterable[Node], member_id: int | None) -> SafeString:
    return mark_safe("\n".join(argument_card(words, node, member_id) for node in nodes))  # noqa: S308
