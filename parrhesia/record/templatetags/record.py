"""How the record's pages show a payload value: text as written, other values as compact JSON,
and a value erased from the record (``{"$redacted": SEQ}``, docs/record.md §6) as a note naming
the entry that erased it."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.translation import gettext as _

from parrhesia.methods.record.sealed import REDACTED
from parrhesia.record import action_labels

register = template.Library()


def _erased(value: Any) -> int | None:
    if isinstance(value, dict) and set(value) == {REDACTED}:
        return int(value[REDACTED])
    return None


def _plain(value: Any) -> Any:
    """The value with every erased part replaced by a short marker (for JSON display)."""
    if _erased(value) is not None:
        return _("[erased]")
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


@register.filter
def payload_value(value: Any) -> str:
    """A payload value as a reader should see it (auto-escaped by the template)."""
    by = _erased(value)
    if by is not None:
        return _("erased from the record by entry #%(seq)s") % {"seq": by}
    if isinstance(value, str):
        return value
    return json.dumps(_plain(value), ensure_ascii=False, separators=(", ", ": "))


@register.filter
def action_label(action: str) -> str:
    """A record action as a reader says it ("Interim measure lapsed")."""
    return action_labels.action_label(action)
