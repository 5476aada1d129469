"""Numbers inside SVG attributes, written the same in every language.

Django localises floats in templates ("494,0" in French); an SVG attribute with a comma is not a
number, so the browser drops the dot or the bar. `{{ value|svgnum }}` writes a plain decimal.
"""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def svgnum(value: object) -> str:
    """A number as SVG reads it: a point for decimals, at most two places, no grouping."""
    if value is None or value == "":
        return "0"
    if isinstance(value, bool):
        return str(int(value))
    try:
        number = float(value) if not isinstance(value, Decimal) else float(value)
    except (TypeError, ValueError):
        return "0"
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
