"""What the ballot pages share: the ballot of a page, if the visitor may see it."""

from __future__ import annotations

from django.http import HttpRequest

from parrhesia.decisions import selectors
from parrhesia.decisions.models import Ballot
from parrhesia.kernel.pages import org_page
from parrhesia.orgs.models import Organisation


def ballot_page(request: HttpRequest, slug: str, ballot_id: int) -> tuple[Organisation, Ballot]:
    """The organisation and the ballot: 404 unless the visitor may see the organisation's
    ballots and the ballot is one of them."""
    organisation = org_page(request, slug, "decisions.view_ballots")
    return organisation, selectors.ballot_visible(organisation, ballot_id)
