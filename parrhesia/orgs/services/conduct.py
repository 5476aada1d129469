"""Amending the code of conduct: a new version, older versions kept (cases cite them)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.kernel.access import member_for
from parrhesia.orgs.models import ConductCode, Organisation
from parrhesia.orgs.selectors import conduct_code_current
from parrhesia.orgs.services._shared import MembershipError, conduct_code_add


def conduct_code_amend(
    *, user: User, organisation: Organisation, rules: list[str], reason: str
) -> ConductCode:
    """Adopt a new version of the code of conduct; older versions stay citable."""
    if not reason.strip():
        raise MembershipError(_("Say why the code of conduct changes."))
    if not rules:
        raise MembershipError(_("A code of conduct needs at least one rule."))
    with transaction.atomic():
        admin = member_for(user, organisation, "orgs.change_conduct_code")
        current = conduct_code_current(organisation)
        if current is not None and [rule["text"] for rule in current.rules] == rules:
            raise MembershipError(_("The rules are unchanged."))
        return conduct_code_add(organisation=organisation, by=admin, rules=rules, reason=reason)
