"""The quick proposals and polls held inside an agenda item, for the item's page.

The agenda never imports decisions: its item page loads this tag library by name, as it links
ballots by URL name, and the tag reads through the decisions selectors and rules.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from parrhesia.decisions import selectors
from parrhesia.decisions.agenda_seam import agenda_item_takes_quick_ballots

register = template.Library()


@register.inclusion_tag("decisions/_quick_on_item.html", takes_context=True)
def quick_ballots_of(context: Any, item: Any) -> dict[str, Any]:
    """The item's quick proposals and polls, and whether the reader may start one there."""
    organisation = context["organisation"]
    user = context["user"]
    ballots = selectors.quick_ballots_of_item(item)
    now = timezone.now()
    for ballot in ballots:
        ballot.overdue = selectors.ballot_overdue(ballot, now)
    return {
        "organisation": organisation,
        "item": item,
        "quick_ballots": ballots,
        "can_start": agenda_item_takes_quick_ballots(organisation, item)
        and user.has_perm("decisions.start_quick_ballot", organisation),
    }
