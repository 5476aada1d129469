"""Who may do what at the tribunal. Case-level roles (accused, juror…) are checked by services."""

from __future__ import annotations

from typing import Any

import rules

from parrhesia.orgs.models import Organisation
from parrhesia.orgs.rules import active_membership, can_view, is_admin, is_member, is_steward


@rules.predicate
def is_suspended(user: Any, organisation: Organisation | None) -> bool:
    """A verdict suspended this member from posting (they can still read, vote and defend)."""
    from parrhesia.tribunal.selectors import member_is_suspended

    return member_is_suspended(active_membership(user, organisation))


# Every app that lets members create content (motions, arguments, statements…) grants it with
# this predicate, so a suspension takes effect everywhere without the apps knowing its details.
can_post = is_member & ~is_suspended

rules.add_perm("tribunal.post", can_post)
rules.add_perm("tribunal.view_docket", can_view)
rules.add_perm("tribunal.report", is_member)
rules.add_perm("tribunal.act_on_case", is_member)  # parties and jurors: checked per case
rules.add_perm("tribunal.dismiss", is_steward)
rules.add_perm("tribunal.interim_measure", is_steward)
rules.add_perm("tribunal.change_settings", is_admin)
