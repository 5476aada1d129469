"""The organisation's defaults for new ballots."""

from __future__ import annotations

from django.db import transaction

from parrhesia.accounts.models import User
from parrhesia.decisions.actions import Action
from parrhesia.decisions.models import MIN_ANONYMITY, DecisionPolicy
from parrhesia.decisions.selectors import policy_of
from parrhesia.decisions.services._shared import min_anonymity_checked
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
) -> DecisionPolicy:
    """Change the defaults of new ballots; ``min_anonymity``: the fewest voters a secret ballot
    needs to close early and to publish its ballots."""
    min_anonymity_checked(min_anonymity)
    with transaction.atomic():
        admin = member_for(user, organisation, "decisions.change_policy")
        policy = policy_of(organisation)
        policy.threshold, policy.reasons = threshold, reasons
        policy.quorum_percent, policy.minority_window_days = quorum_percent, minority_window_days
        policy.min_anonymity = min_anonymity
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
            },
        )
    return policy
