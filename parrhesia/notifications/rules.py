"""Who may receive notices in an organisation: its active members."""

from __future__ import annotations

import rules

from parrhesia.orgs.rules import is_member

rules.add_perm("notifications.receive", is_member)
