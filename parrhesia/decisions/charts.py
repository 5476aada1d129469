"""A closed ballot's result shaped for its page: bars, the pairwise heat map, STV rounds; and
the delegation graph of an area.

Only geometry and grouping; the numbers come from the result on the record. The charts are SVG
drawn by the template with presentation attributes (no inline style: the CSP forbids it), each
with a table of the same numbers beside it.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext_lazy as _

BAR_WIDTH = 420
ROW = 28
CELL = 44


def bars(values: list[tuple[str, float]]) -> dict[str, Any]:
    """Horizontal bars, longest = BAR_WIDTH pixels."""
    top = max((value for _, value in values), default=0) or 1
    rows = [
        {
            "label": label,
            "value": _number(value),
            "width": round(BAR_WIDTH * value / top, 1),
            "y": index * ROW,
            "text_y": index * ROW + 18,
        }
        for index, (label, value) in enumerate(values)
    ]
    # 190 px of labels on the left, the value's text on the right of the longest bar.
    return {"rows": rows, "height": max(ROW, ROW * len(rows)), "width": BAR_WIDTH + 260}


def heat_map(tally: dict[str, Any]) -> dict[str, Any]:
    """Cells of the pairwise matrix, shaded by the share of ballots preferring row to column."""
    names = tally["alternatives"]
    d = tally["pairwise"]
    paths = tally.get("strongest_paths")
    total = max(1, tally["valid_ballots"])
    cells = []
    for i, row in enumerate(names):
        for j, column in enumerate(names):
            if i == j:
                continue
            beats = bool(paths and paths[i][j] > paths[j][i]) or (
                paths is None and d[i][j] > d[j][i]
            )
            cells.append(
                {
                    "x": j * CELL,
                    "y": i * CELL,
                    "text_x": j * CELL + CELL / 2,
                    "text_y": i * CELL + CELL / 2 + 5,
                    "value": d[i][j],
                    "level": min(5, int(6 * d[i][j] / total)),
                    "beats": beats,
                    "row": row,
                    "column": column,
                }
            )
    rows = [
        {
            "name": name,
            "number": i + 1,
            "cells": [
                {
                    "value": None if i == j else d[i][j],
                    "path": None if paths is None or i == j else paths[i][j],
                }
                for j in range(len(names))
            ],
        }
        for i, name in enumerate(names)
    ]
    size = CELL * len(names)
    # Option numbers along the top and the left, as in the table below the map.
    axis = [
        {"number": i + 1, "middle": i * CELL + CELL / 2, "text_y": i * CELL + CELL / 2 + 5}
        for i in range(len(names))
    ]
    return {
        "cells": cells,
        "rows": rows,
        "size": size,
        "names": names,
        "has_paths": bool(paths),
        "axis": axis,
    }


def rounds(tally: dict[str, Any]) -> dict[str, Any]:
    """IRV/STV stages as a table (candidates × stages) and the transfers of each stage."""
    names = tally["alternatives"]
    stages = tally.get("rounds") or []
    table = [
        {"name": name, "values": [_number(s["tallies"].get(name, "")) for s in stages]}
        for name in names
    ]
    flows = []
    for stage in stages:
        transfers = stage.get("transfers") or {}
        gains = [(name, value) for name, value in transfers.items() if value]
        if gains:
            flows.append(
                {
                    "title": _stage_title(stage),
                    "chart": bars([(name, abs(value)) for name, value in gains]),
                    "signs": [value >= 0 for _, value in gains],
                    "gains": [(name, _number(value)) for name, value in gains],
                }
            )
    return {
        "stages": [
            {
                "number": s.get("stage", s.get("round")),
                "title": _stage_title(s),
                "elected": _as_list(s.get("elected")),
                "exhausted": _number(s.get("non_transferable", s.get("exhausted", 0))),
            }
            for s in stages
        ],
        "table": table,
        "flows": flows,
    }


STAGE_NAMES = {
    "first preferences": _("first preferences"),
    "surplus": _("transfer of the surplus of %(candidate)s"),
    "exclusion": _("exclusion of %(candidate)s"),
}


def _stage_title(stage: dict[str, Any]) -> str:
    """A stage's title in the reader's language (the engine names stages in English)."""
    action = stage.get("action")
    if action is None:
        eliminated = stage.get("eliminated")
        if eliminated:
            return str(_("round %(round)s: %(names)s excluded")) % {
                "round": stage.get("round"),
                "names": ", ".join(_as_list(eliminated)),
            }
        return str(_("round %(round)s")) % {"round": stage.get("round")}
    name = STAGE_NAMES.get(action)
    if name is None:
        return str(action)
    return str(name) % {"candidate": stage.get("candidate") or ""}


def _as_list(value: Any) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


def _number(value: Any) -> Any:
    if isinstance(value, float):
        return int(value) if value.is_integer() else round(value, 5)
    return value


GRAPH_NODE = 16


def delegation_graph(
    pairs: list[tuple[int, int]], names: dict[int, str], weights: dict[int, int]
) -> dict[str, Any] | None:
    """The members of a delegation graph on a circle, each delegation an arrow from the
    delegator to their delegate (shortened to stop at the circles); ``weights``: what each
    delegate would carry (the page's table says the same)."""
    members = sorted({member for pair in pairs for member in pair})
    if not members:
        return None
    radius = min(260, 90 + 12 * len(members))
    size = 2 * (radius + 90)
    centre = size / 2
    step = 2 * math.pi / len(members)
    where = {
        member: (
            centre + radius * math.cos(index * step - math.pi / 2),
            centre + radius * math.sin(index * step - math.pi / 2),
        )
        for index, member in enumerate(members)
    }
    nodes = [
        {
            "x": round(x, 1),
            "y": round(y, 1),
            "label_y": round(y + GRAPH_NODE + 14, 1),
            "name": names.get(member, str(member)),
            "weight": weights.get(member, 0),
        }
        for member, (x, y) in where.items()
    ]
    edges = []
    for giver, delegate in pairs:
        (x1, y1), (x2, y2) = where[giver], where[delegate]
        length = math.hypot(x2 - x1, y2 - y1) or 1
        dx, dy = (x2 - x1) / length, (y2 - y1) / length
        edges.append(
            {
                "x1": round(x1 + dx * GRAPH_NODE, 1),
                "y1": round(y1 + dy * GRAPH_NODE, 1),
                "x2": round(x2 - dx * (GRAPH_NODE + 6), 1),
                "y2": round(y2 - dy * (GRAPH_NODE + 6), 1),
            }
        )
    return {"size": round(size), "nodes": nodes, "edges": edges, "radius": GRAPH_NODE}
