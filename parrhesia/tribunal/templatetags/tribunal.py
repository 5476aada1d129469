"""``{% tombstone_or kind obj [measures] %}…{% end_tombstone_or %}``: content or its tombstone.

Renders the enclosed content when nothing hides it; otherwise "tribunal/_tombstone.html", which
says why and links the case (and, for content hidden by a verdict, shows it on click). Pass the
dict of :func:`parrhesia.tribunal.selectors.hidden_measures` as ``measures`` to render a list
with one query instead of one per item.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string

from parrhesia.tribunal.selectors import hidden_measure

register = template.Library()


class TombstoneOrNode(template.Node):
    def __init__(self, nodelist: template.NodeList, args: list[template.base.FilterExpression]):
        self.nodelist = nodelist
        self.args = args

    def render(self, context: template.Context) -> str:
        values = [arg.resolve(context) for arg in self.args]
        kind, obj = values[0], values[1]
        object_id = str(getattr(obj, "pk", obj))
        if len(values) > 2 and values[2] is not None:
            measure = values[2].get(object_id)
        else:
            measure = hidden_measure(kind, object_id)
        content = self.nodelist.render(context)
        if measure is None:
            return content
        return render_to_string(
            "tribunal/_tombstone.html",
            {"measure": measure, "content": content, "case": measure.case},
            request=context.get("request"),
        )


@register.tag
def tombstone_or(parser: Any, token: Any) -> TombstoneOrNode:
    bits = token.split_contents()
    if len(bits) not in (3, 4):
        raise template.TemplateSyntaxError("usage: {% tombstone_or kind obj [measures] %}")
    nodelist = parser.parse(("end_tombstone_or",))
    parser.delete_first_token()
    return TombstoneOrNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])
