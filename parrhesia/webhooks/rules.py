"""Who may manage an organisation's webhooks: its stewards and admins (they read everything a
delivery carries already: the public record)."""

from __future__ import annotations

import rules

from parrhesia.orgs.rules import is_steward

rules.add_perm("webhooks.manage", is_steward)
