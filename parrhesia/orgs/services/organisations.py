"""Founding an organisation and changing its settings."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.kernel.access import forget_memberships, member_for
from parrhesia.methods.record.sealed import Sealed
from parrhesia.orgs.actions import Action, member_facts
from parrhesia.orgs.models import RESERVED_SLUGS, Membership, Organisation, Role, Visibility
from parrhesia.orgs.services._shared import MembershipError, conduct_code_add
from parrhesia.record.checkpoints import signer_ensure
from parrhesia.record.services import record_append

DEFAULT_CONDUCT_RULES = [
    "Argue with ideas, not with people: no insults, threats or harassment.",
    "Do not publish anyone's personal data without their consent.",
    "Do not post unlawful content.",
    "Say where a claim comes from when asked.",
]


def organisation_create(
    *,
    user: User,
    name: str,
    slug: str,
    description: str = "",
    visibility: str = Visibility.MEMBERS,
    conduct_rules: list[str] | None = None,
    is_demo: bool = False,
) -> Organisation:
    """Found an organisation; its founder becomes its first admin."""
    # Founding needs no membership: the permission is the user's, not the organisation's.
    if not user.has_perm("orgs.create_organisation"):
        raise PermissionDenied
    if slug in RESERVED_SLUGS:
        raise MembershipError(_("This short name is reserved; choose another."))
    if Organisation.objects.filter(slug=slug).exists():
        raise MembershipError(_("This short name is already taken; choose another."))
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                name=name,
                slug=slug,
                description=description,
                visibility=visibility,
                is_demo=is_demo,
            )
            signer = signer_ensure(organisation)
            record_append(
                organisation=organisation,
                actor=None,
                action=Action.ORGANISATION_CREATED,
                subject=("organisation", organisation.pk),
                payload={
                    "name": name,
                    "slug": slug,
                    "description": description,
                    "visibility": visibility,
                    "verifier_key": signer.verifier_key,
                },
            )
            founder = Membership.objects.create(
                organisation=organisation, user=user, role=Role.ADMIN
            )
            record_append(
                organisation=organisation,
                actor=founder,
                action=Action.MEMBERSHIP_FOUNDED,
                subject=("membership", founder.pk),
                payload=member_facts(founder),
            )
            conduct_code_add(
                organisation=organisation,
                by=founder,
                rules=conduct_rules if conduct_rules is not None else DEFAULT_CONDUCT_RULES,
                reason="",
            )
    except IntegrityError:
        raise MembershipError(_("This short name is already taken; choose another.")) from None
    forget_memberships(user)
    return organisation


def organisation_update(
    *,
    user: User,
    organisation: Organisation,
    name: str,
    description: str,
    visibility: str,
    reason: str = "",
    member_list_public: bool | None = None,
    join_messages_public: bool | None = None,
) -> Organisation:
    """Change the settings an admin may change; each change is on the record with its reason.
    The privacy settings (``member_list_public``, ``join_messages_public``) stay as they are
    when not given; they apply to the entries written from then on (the record never changes)."""
    after: dict[str, object] = {"name": name, "description": description, "visibility": visibility}
    if member_list_public is not None:
        after["member_list_public"] = member_list_public
    if join_messages_public is not None:
        after["join_messages_public"] = join_messages_public
    with transaction.atomic():
        admin = member_for(user, organisation, "orgs.change_settings")
        changes = {
            field: {"from": getattr(organisation, field), "to": value}
            for field, value in after.items()
            if getattr(organisation, field) != value
        }
        if not changes:
            return organisation
        for field in changes:
            setattr(organisation, field, after[field])
        organisation.save(update_fields=list(changes))
        record_append(
            organisation=organisation,
            actor=admin,
            action=Action.ORGANISATION_SETTINGS_CHANGED,
            subject=("organisation", organisation.pk),
            payload={"changes": changes, "reason": Sealed(reason)},
        )
    return organisation
