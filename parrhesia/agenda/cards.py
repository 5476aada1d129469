"""The argument map's cards, rendered in Python: a page of 1,000 arguments through the template
engine took about ten times the 150 ms budget, so each card is one f-string over escaped values.
Every word is still translated (once per page, not once per card) and the markup is the same
with or without JavaScript; the htmx endorse button reuses :func:`endorse_form`.

Content hidden by the tribunal (docs/tribunal.md §1) keeps its place on the map: its card
renders the tribunal's own tombstone (``tribunal/_tombstone.html``, once per hidden card only),
and the measures are read once per page (:func:`hidden_on_map`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from parrhesia.agenda.models import ChallengeKind, Stance
from parrhesia.agenda.selectors import ArgumentMap, Node
from parrhesia.tribunal.selectors import hidden_measures


class CardWords:
    """Everything a card says, translated once per page."""

    def __init__(
        self,
        request: Any,
        organisation_slug: str,
        *,
        can_report: bool = False,
        can_endorse: bool = False,
    ) -> None:
        self.csrf = escape(get_token(request))
        # Whether the reader may endorse on this map now (``agenda.endorse_now``); each card
        # adds what the rule says of one argument: not the reader's own, not withdrawn.
        self.can_endorse = can_endorse
        self.argument_url = reverse("agenda:argument", args=[organisation_slug, 0])[:-2]
        # Members may report content to the tribunal; empty when the reader may not.
        self.report_url = (
            escape(reverse("tribunal:report", args=[organisation_slug])) if can_report else ""
        )
        self.report = escape(pgettext("verb: report content to the tribunal", "Report"))
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


@dataclass
class HiddenOnMap:
    """The tribunal's measures on a map's arguments and challenges (ContentMeasure by id)."""

    arguments: dict[str, Any] = field(default_factory=dict)
    # by argument id, in the order of the node's challenges (None: visible)
    challenges: dict[int, list[Any]] = field(default_factory=dict)


def hidden_on_map(arguments: ArgumentMap) -> HiddenOnMap:
    """Two queries whatever the size of the map: the arguments' measures and the challenges'."""
    nodes = [*arguments.pro_flat, *arguments.con_flat]
    hidden = HiddenOnMap(hidden_measures("argument", [node.argument.pk for node in nodes]))
    measures = hidden_measures("challenge", [c.pk for node in nodes for c in node.challenges])
    if measures:
        hidden.challenges = {
            node.argument.pk: [measures.get(str(c.pk)) for c in node.challenges]
            for node in nodes
            if node.challenges
        }
    return hidden


def tombstone(measure: Any, content: str) -> str:
    """The tribunal's tombstone for hidden content (click-to-view only under a verdict)."""
    return render_to_string(
        "tribunal/_tombstone.html",
        {"measure": measure, "content": mark_safe(content), "case": measure.case},  # noqa: S308
    )


def report_link(words: CardWords, kind: str, object_id: int) -> str:
    if not words.report_url:
        return ""
    return (
        f'<a class="report-link meta" rel="nofollow" '
        f'href="{words.report_url}?kind={kind}&amp;id={object_id}">{words.report}'
        f'<span class="visually-hidden"> (#{object_id})</span></a>'
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


def argument_card(
    words: CardWords, node: Node, member_id: int | None, hidden: HiddenOnMap | None = None
) -> str:
    a = node.argument
    depth = min(node.depth, 4)
    measure = hidden.arguments.get(str(a.pk)) if hidden else None
    parent = (
        f' <span class="meta">{words.of % {"parent": a.parent_id}}</span>' if a.parent_id else ""
    )
    if a.withdrawn_at:
        body = f'<p class="tombstone">{words.withdrawn}</p>'
    else:
        revised = f" · {words.revised}" if a.revision > 1 else ""
        name = escape(a.author_name)
        body = f'<p class="meta">{name}{revised}</p><div class="text">{a.html}</div>'
    if measure is not None:
        body = tombstone(measure, body)
    elif member_id is not None and a.author_id != member_id and not a.withdrawn_at:
        body += report_link(words, "argument", a.pk)
    challenges = ""
    if node.challenges:
        hidden_challenges = (hidden.challenges.get(a.pk) if hidden else None) or []
        rows = []
        for index, c in enumerate(node.challenges):
            row = (
                f"{words.kinds.get(c.kind, '')}{': ' + escape(c.text) if c.text else ''} — "
                + (f'<span class="answered">{words.answered}</span>' if c.answered_at
                   else f'<span class="unanswered">{words.unanswered}</span>')
            )  # fmt: skip
            challenge_measure = hidden_challenges[index] if index < len(hidden_challenges) else None
            if challenge_measure is not None:
                row = tombstone(challenge_measure, row)
            rows.append(f"<li>{row}</li>")
        challenges = f'<ul class="challenges">{"".join(rows)}</ul>'
    if (
        words.can_endorse
        and member_id is not None
        and not a.withdrawn_at
        and a.author_id != member_id
        and measure is None  # nothing to endorse where the text is hidden
    ):
        endorse = endorse_form(words, a.pk, node.endorsed_by_me, node.endorsements)
    else:
        endorse = f'<p class="meta">{words.endorsements(node.endorsements)}</p>'
    return (
        f'<article class="argument depth-{depth} stance-{a.stance}" id="argument-{a.pk}">'
        f'<h3 class="argument-head"><a href="{words.argument_url}{a.pk}/">#{a.pk}</a> '
        f"{words.stances.get(a.stance, '')}{parent}</h3>{body}{challenges}{endorse}"
        f'<p class="why"><strong>{words.why}</strong> {escape(node.reason)}</p></article>'
    )


def argument_cards(
    words: CardWords,
    nodes: Iterable[Node],
    member_id: int | None,
    hidden: HiddenOnMap | None = None,
) -> SafeString:
    return mark_safe(  # noqa: S308 - every card escapes its values
        "\n".join(argument_card(words, node, member_id, hidden) for node in nodes)
    )
