"""Who may do what in deliberation. Authorship (only an author revises or withdraws their own
text, only a motion's author decides on its suggestions) is checked by the services."""

from __future__ import annotations

import rules

from parrhesia.orgs.rules import can_view, is_admin, is_member, is_steward
from parrhesia.tribunal.rules import can_post

rules.add_perm("agenda.view", can_view)
rules.add_perm("agenda.open_item", can_post)
rules.add_perm("agenda.post", can_post)  # file, revise, suggest, argue, challenge, answer
rules.add_perm("agenda.take_part", is_member)  # support, file, suggest, rate, argue, challenge
rules.add_perm("agenda.file_question", can_post)
rules.add_perm("agenda.study_question", is_member)
rules.add_perm("agenda.set_aside_question", is_steward)
rules.add_perm("agenda.adjust_phase", is_steward)
rules.add_perm("agenda.log_follow_up", is_steward)
rules.add_perm("agenda.set_policy", is_admin)
