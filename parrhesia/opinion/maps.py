"""What the conversation page draws from a stored analysis: the map's SVG geometry, each
group's statements with per-group bars, consensus, bridging and "where do I stand".

Pure presentation of ``Analysis.result`` (see analysis.py); no queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

WIDTH, HEIGHT, PAD = 640, 420, 36
MAX_DOTS = 2000  # above this the map shows an evenly spaced sample of participants
TOP_BRIDGING = 5


@dataclass
class Bar:
    label: str
    agree: int
    disagree: int
    seen: int

    @property
    def agree_pct(self) -> int:
        return round(100 * self.agree / self.seen) if self.seen else 0

    @property
    def disagree_pct(self) -> int:
        return round(100 * self.disagree / self.seen) if self.seen else 0

    @property
    def pass_pct(self) -> int:
        return max(0, 100 - self.agree_pct - self.disagree_pct) if self.seen else 0


@dataclass
class ShownStatement:
    statement: Any  # the Statement row (or None if gone from the page's list)
    number: str
    direction: str = ""
    share: int = 0  # % of the group (or of everyone) voting in ``direction``
    score: float = 0.0
    bars: list[Bar] = field(default_factory=list)


def _bars(result: dict[str, Any], sid: str) -> list[Bar]:
    counts = result.get("group_votes", {}).get(sid, [])
    return [
        Bar(group["label"], a, d, s)
        for group, (a, d, s) in zip(result["groups"], counts, strict=False)
    ]


def _shown(
    result: dict[str, Any], statements: dict[str, Any], item: dict[str, Any]
) -> ShownStatement:
    sid = str(item["statement"])
    return ShownStatement(
        statements.get(sid),
        sid,
        item.get("direction", ""),
        round(100 * item.get("n_success", 0) / item["n_trials"]) if item.get("n_trials") else 0,
        bars=_bars(result, sid),
    )


def map_drawing(result: dict[str, Any], me: str | None) -> dict[str, Any]:
    """Screen coordinates of the groups' hulls, their labels, the dots and "you are here"."""
    placed = result["participants"]
    points = [(p["x"], p["y"]) for p in placed.values()] or [(0.0, 0.0)]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    scale = min((WIDTH - 2 * PAD) / span, (HEIGHT - 2 * PAD) / span)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2

    def at(x: float, y: float) -> tuple[float, float]:
        # Screen y grows downwards; the map's second axis is drawn upwards.
        return round(WIDTH / 2 + (x - cx) * scale, 1), round(HEIGHT / 2 - (y - cy) * scale, 1)

    groups = []
    for index, group in enumerate(result["groups"]):
        hull = [at(x, y) for x, y in group["hull"]]
        label_x, label_y = at(*group["centre"])
        groups.append(
            {
                "index": index,
                "label": group["label"],
                "size": group["size"],
                "points": " ".join(f"{x},{y}" for x, y in hull),
                "is_polygon": len(hull) >= 3,
                "hull": hull,
                "label_x": label_x,
                "label_y": label_y,
            }
        )
    items = list(placed.items())
    stride = max(1, len(items) // MAX_DOTS)
    dots = []
    for pid, p in items[::stride]:
        x, y = at(p["x"], p["y"])
        dots.append({"x": x, "y": y, "group": p["group"], "pid": pid})
    you = None
    if me is not None and me in placed:
        x, y = at(placed[me]["x"], placed[me]["y"])
        group = placed[me]["group"]
        you = {
            "x": x,
            "y": y,
            "label": result["groups"][group]["label"] if group is not None else None,
        }
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "groups": groups,
        "dots": dots,
        "you": you,
        "sampled": stride > 1,
        "participants": len(items),
    }


def group_panels(result: dict[str, Any], statements: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "label": group["label"],
            "size": group["size"],
            "representative": [_shown(result, statements, r) for r in group["representative"]],
        }
        for group in result["groups"]
    ]


def consensus_shown(result: dict[str, Any], statements: dict[str, Any]) -> list[ShownStatement]:
    return [_shown(result, statements, c) for c in result.get("consensus", [])]


def bridging_shown(result: dict[str, Any], statements: dict[str, Any]) -> list[ShownStatement]:
    """The statements with the highest bridging score (intercept of the Community Notes model)."""
    scores = result.get("bridging", {})
    best = sorted(scores, key=lambda sid: (-scores[sid], int(sid)))[:TOP_BRIDGING]
    return [
        ShownStatement(statements.get(sid), sid, score=scores[sid], bars=_bars(result, sid))
        for sid in best
    ]


def standing(
    result: dict[str, Any], me: str | None, my_votes: dict[str, int]
) -> dict[str, Any] | None:
    """Where the member stands: their group, and how often they vote as each group's majority.

    For each group, over the statements the member agreed or disagreed with and on which the
    group has a majority (more agrees than disagrees, or the reverse): the share where the
    member's vote matches that majority.
    """
    if me is None or not my_votes:
        return None
    placed = result["participants"].get(me)
    group = placed["group"] if placed else None
    rows = []
    for index, info in enumerate(result["groups"]):
        same = total = 0
        for sid, value in my_votes.items():
            counts = result.get("group_votes", {}).get(sid)
            if value == 0 or not counts:
                continue
            agree, disagree, _ = counts[index]
            if agree == disagree:
                continue
            total += 1
            same += (value == 1) == (agree > disagree)
        rows.append(
            {
                "label": info["label"],
                "size": info["size"],
                "mine": index == group,
                "same": same,
                "total": total,
                "pct": round(100 * same / total) if total else None,
            }
        )
    return {
        "group": result["groups"][group]["label"] if group is not None else None,
        "placed": placed is not None,
        "rows": rows,
    }
