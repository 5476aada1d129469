"""Who may hold API tokens: every active member, for their own organisation only."""

from __future__ import annotations

import rules

from parrhesia.orgs.rules import is_member

rules.add_perm("api.manage_tokens", is_member)
