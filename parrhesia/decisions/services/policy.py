"""The organisation's defaults for new ballots."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from parrhesia.accounts.models import User
from parrhesia.decisions.actions import Action
from parrhesia.decisions.models import MIN_ANONYMITY, DecisionPolicy, QuickStarters
from parrhesia.decisions.selectors import policy_of
from parrhesia.decisions.services._shared import BallotError, min_anonymity_checked
from parrhesia.kernel.access import member_for
from parrhesia.orgs.models import Organisation
from parrhesia.record.services import record_append


def policy_change(
    *,
    user: User,
    organisation: Organisation,
    threshold: str,
    reasons: str,
    quorum_percent: int,
    minority_window_days: int,
    min_anonymity: int = MIN_ANONYMITY,
    quick_starters: str | None = None,
) -> DecisionPolicy:
    """Change the defaults of new ballots; ``min_anonymity``: the fewest voters a secret ballot
    needs to close early and to publish its ballots; ``quick_starters``: who may start quick
    proposals and polls, every member or stewards only (unchanged when not given)."""
    min_anonymity_checked(min_anonymity)
    if quick_starters is not None and quick_starters not in QuickStarters.values:
        raise BallotError(_("Choose who may start quick proposals and polls."))
    with transaction.atomic():
        admin = member_for(user, organisation, "decisions.change_policy")
        policy = policy_of(organisation)
        policy.threshold, policy.reasons = threshold, reasons
        policy.quorum_percent, policy.minority_window_days = quorum_percent, minority_window_days
        policy.min_anonymity = min_anonymity
        policy.quick_starters = quick_starters or policy.quick_starters
        policy.save()
        record_append(
            organisation=organisation,
            actor=admin,
            action=Action.POLICY_CHANGED,
            subject=("organisation", organisation.pk),
            payload={
                "threshold": threshold,
                "reasons": reasons,
                "quorum_percent": quorum_percent,
                "minority_window_days": minority_window_days,
                "min_anonymity": min_anonymity,
                "quick_starters": policy.quick_starters,
            },
        )
    return policy
