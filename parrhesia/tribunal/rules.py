"""Who may do what at the tribunal. Case-level roles (accused, juror…) are checked by services."""

from __future__ import annotations

import rules

from parrhesia.orgs.rules import can_view, is_admin, is_member, is_steward

rules.add_perm("tribunal.view_docket", can_view)
rules.add_perm("tribunal.report", is_member)
rules.add_perm("tribunal.act_on_case", is_member)  # parties and jurors: checked per case
rules.add_perm("tribunal.dismiss", is_steward)
rules.add_perm("tribunal.interim_measure", is_steward)
rules.add_perm("tribunal.change_settings", is_admin)
