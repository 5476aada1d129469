"""Who may do what with ballots (rules predicates on the organisation)."""

from __future__ import annotations

import rules

from parrhesia.orgs.rules import can_view, is_admin, is_member, is_steward

rules.add_perm("decisions.view_ballots", can_view)
rules.add_perm("decisions.open_ballot", is_steward)
rules.add_perm("decisions.close_ballot_early", is_steward)
rules.add_perm("decisions.vote", is_member)
rules.add_perm("decisions.answer_block", is_member)
rules.add_perm("decisions.file_minority_report", is_member)
rules.add_perm("decisions.change_policy", is_admin)
