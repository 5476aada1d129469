"""What the organisation's services share: their error, and the two writes more than one of
them makes (adopting a version of the code of conduct, letting someone in)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from parrhesia.accounts.models import User
from parrhesia.accounts.names import display_name_key
from parrhesia.accounts.services import display_name_numbered
from parrhesia.kernel.access import forget_memberships
from parrhesia.kernel.errors import DomainError
from parrhesia.methods.record.sealed import Sealed
from parrhesia.orgs.actions import Action, member_facts
from parrhesia.orgs.models import (
    ConductCode,
    Membership,
    MembershipStatus,
    Organisation,
    Role,
)
from parrhesia.record.services import record_append


class MembershipError(DomainError):
    """A membership action that cannot happen as asked; the message says why."""


EXPELLED_MESSAGE = _lazy("A verdict of the tribunal expelled you from this organisation.")


def conduct_code_add(
    *, organisation: Organisation, by: Membership | None, rules: list[str], reason: str
) -> ConductCode:
    """Adopt the next version of the code of conduct (the first is "adopted", later ones
    "amended"), in the caller's transaction, after the caller checked who may."""
    previous = organisation.conduct_codes.order_by("-version").first()
    code = ConductCode.objects.create(
        organisation=organisation,
        version=(previous.version + 1) if previous else 1,
        rules=_numbered(rules),
        reason=reason,
        created_by=by,
    )
    record_append(
        organisation=organisation,
        actor=by,
        action=Action.CONDUCT_CODE_ADOPTED if previous is None else Action.CONDUCT_CODE_AMENDED,
        subject=("conduct_code", code.version),
        payload={"version": code.version, "rules": code.rules, "reason": Sealed(reason)},
    )
    return code


def _numbered(rules: list[str]) -> list[dict[str, Any]]:
    return [{"number": number, "text": text} for number, text in enumerate(rules, start=1)]


def membership_admit(
    *, organisation: Organisation, user: User, payload: dict[str, Any]
) -> Membership:
    """Make the user an active member (again), recording how they came in, in the caller's
    transaction, after the caller checked that they may (an invitation, an accepted request).

    Two members cannot share a name; a newcomer who goes by a member's name is let in all the
    same, under their name with their member number (``display_name_numbered``): refusing
    would tell whoever holds a reusable invitation link which names the members go by."""
    membership, created = Membership.objects.select_for_update().get_or_create(
        organisation=organisation, user=user
    )
    if not created:
        if membership.is_active:
            raise MembershipError(_("You are already a member of this organisation."))
        if membership.status == MembershipStatus.EXPELLED:
            raise MembershipError(str(EXPELLED_MESSAGE))
        membership.status = MembershipStatus.ACTIVE
        membership.role = Role.MEMBER
        membership.joined_at = timezone.now()
        membership.left_at = None
        membership.save(update_fields=["status", "role", "joined_at", "left_at"])
    if display_name_taken(user.public_name, organisations=[organisation], besides=user):
        display_name_numbered(user=user, number=membership.pk)
    record_append(
        organisation=organisation,
        actor=membership,
        action=Action.MEMBERSHIP_JOINED,
        subject=("membership", membership.pk),
        payload=member_facts(membership, **payload),
    )
    forget_memberships(user)
    return membership


def display_name_taken(
    name: str, *, organisations: QuerySet[Organisation] | list[Organisation], besides: User
) -> bool:
    """Whether an active member of one of the organisations (other than ``besides``) goes by
    the same name, as accounts.names.display_name_key compares names."""
    key = display_name_key(name)
    others = (
        User.objects.filter(
            memberships__organisation__in=organisations,
            memberships__status=MembershipStatus.ACTIVE,
        )
        .exclude(pk=besides.pk)
        .values_list("display_name", "username")
    )
    return any(display_name_key(shown or username) == key for shown, username in others)
