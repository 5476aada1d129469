"""The kinds of content the tribunal can judge, registered by the apps that own them.

An app registers each of its content kinds once, in its ``AppConfig.ready()``::

    from parrhesia.tribunal.reportables import reportable_register

    reportable_register(
        "motion",
        model=Motion,
        organisation_of=lambda motion: motion.agenda_item.organisation,
        author_of=lambda motion: motion.author,          # a Membership, or None
        summary_of=lambda motion: motion.title,
        url_of=lambda motion: reverse("agenda:motion", args=[...]),
        label=pgettext_lazy("content kind", "Motion"),
    )

and renders each piece of it through ``{% tombstone_or "motion" motion %}…{% end_tombstone_or %}``
(see docs/tribunal.md). Whether something is hidden lives in the tribunal's own table, so content
kinds added later are covered without any change here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from parrhesia.orgs.models import Membership, Organisation


class UnknownContent(Exception):
    """No such kind, or no such object of that kind."""


@dataclass(frozen=True)
class Reportable:
    kind: str
    model: Any
    organisation_of: Callable[[Any], Organisation]
    author_of: Callable[[Any], Membership | None]
    summary_of: Callable[[Any], str]
    url_of: Callable[[Any], str]
    # whether a verdict or an interim measure may hide it (a member's conduct cannot be hidden)
    hideable: bool = True
    # what the docket calls it, in the reader's language (the kind is a code)
    label: str | Promise = ""

    def get(self, object_id: Any) -> Any:
        try:
            return self.model._default_manager.get(pk=object_id)
        except (self.model.DoesNotExist, ValueError, TypeError):
            raise UnknownContent(f"no {self.kind} {object_id}") from None


_REGISTRY: dict[str, Reportable] = {}


def reportable_register(
    kind: str,
    *,
    model: Any,
    organisation_of: Callable[[Any], Organisation],
    author_of: Callable[[Any], Membership | None],
    summary_of: Callable[[Any], str],
    url_of: Callable[[Any], str],
    hideable: bool = True,
    label: str | Promise = "",
) -> Reportable:
    reportable = Reportable(
        kind, model, organisation_of, author_of, summary_of, url_of, hideable, label or kind
    )
    _REGISTRY[kind] = reportable
    return reportable


def reportable_of(kind: str) -> Reportable:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise UnknownContent(f"no content kind '{kind}'") from None


def reportables() -> dict[str, Reportable]:
    return dict(_REGISTRY)


def register_core_kinds() -> None:
    """The kinds that exist before the deliberation apps: a member's conduct, a join request."""
    from django.urls import reverse
    from django.utils.translation import pgettext_lazy

    from parrhesia.orgs.models import JoinRequest, Membership, MembershipStatus

    reportable_register(
        "member",
        model=Membership,
        organisation_of=lambda membership: membership.organisation,
        author_of=lambda membership: membership,
        summary_of=lambda membership: membership.user.public_name,
        url_of=lambda membership: reverse("orgs:members", args=[membership.organisation.slug]),
        hideable=False,
        label=pgettext_lazy("content kind", "Member's conduct"),
    )

    def requester(join_request: JoinRequest) -> Membership | None:
        return Membership.objects.filter(
            organisation=join_request.organisation,
            user=join_request.user,
            status=MembershipStatus.ACTIVE,
        ).first()

    reportable_register(
        "join_request",
        model=JoinRequest,
        organisation_of=lambda join_request: join_request.organisation,
        author_of=requester,
        summary_of=lambda join_request: join_request.message[:120],
        url_of=lambda join_request: reverse(
            "orgs:join_requests", args=[join_request.organisation.slug]
        ),
        label=pgettext_lazy("content kind", "Join request"),
    )
