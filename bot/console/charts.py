"""Geometry for the stats page's server-rendered SVG charts (the templates draw them; numbers are
printed beside every bar, so a chart is readable without a legend or JavaScript)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DAY_WIDTH = 100   # viewBox units per chart; the SVG scales to the page width
DAY_HEIGHT = 40
BOT_OUTCOMES = ("answer", "choose", "intent")


@dataclass
class Column:
    x: float
    width: float
    bot_y: float
    bot_h: float
    staff_y: float
    staff_h: float
    day: dt.date
    bot: int
    staff: int


def top(rows) -> float:
    return max((value for _, value in rows), default=0)


def bar_percent(value: float, top: float) -> float:
    """Width of a horizontal bar, in percent of the longest one (at least a sliver when > 0)."""
    if not top or not value:
        return 0.0
    return max(1.5, round(100 * value / top, 1))


def daily_columns(per_day: list[tuple[dt.date, dict[str, int]]]) -> tuple[list[Column], int]:
    """Stacked columns per day: answered by the bot (below) and sent to staff (on top)."""
    totals = [(d, sum(c.get(k, 0) for k in BOT_OUTCOMES), c.get("escalate", 0)) for d, c in per_day]
    top = max((b + s for _, b, s in totals), default=0) or 1
    slot = DAY_WIDTH / max(1, len(totals))
    out = []
    for i, (day, bot, staff) in enumerate(totals):
        bot_h = DAY_HEIGHT * bot / top
        staff_h = DAY_HEIGHT * staff / top
        out.append(Column(x=round(i * slot + slot * 0.1, 3), width=round(slot * 0.8, 3),
                          bot_y=round(DAY_HEIGHT - bot_h, 3), bot_h=round(bot_h, 3),
                          staff_y=round(DAY_HEIGHT - bot_h - staff_h, 3), staff_h=round(staff_h, 3),
                          day=day, bot=bot, staff=staff))
    return out, top


def minutes_text(minutes: float | None) -> str:
    if minutes is None:
        return "–"
    if minutes < 60:
        return f"{minutes:.0f} นาที"
    if minutes < 1440:
        return f"{minutes / 60:.1f} ชม."
    return f"{minutes / 1440:.1f} วัน"
