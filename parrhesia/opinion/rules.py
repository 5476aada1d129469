"""Who may do what in a conversation (rules predicates, on the organisation).

Reading follows the organisation (members; everyone for a public-read one). Any member may open a
conversation, add statements and vote: opening one is no privilege in a member-run organisation.
Stewards mark statements (always with a reason) and close conversations; hiding is the tribunal's.
"""

from __future__ import annotations

import rules

from parrhesia.orgs.rules import can_view, is_member, is_steward
from parrhesia.tribunal.rules import can_post

rules.add_perm("opinion.view_conversation", can_view)
rules.add_perm("opinion.open_conversation", can_post)
rules.add_perm("opinion.add_statement", can_post)
rules.add_perm("opinion.vote", is_member)
rules.add_perm("opinion.mark_statement", is_steward)
rules.add_perm("opinion.close_conversation", is_steward)
