"""Office hours and public holidays (data in catalogue.json's ``office``)."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot import texts


def _tz(office: dict) -> ZoneInfo:
    return ZoneInfo(office["hours"].get("timezone", "Asia/Bangkok"))


def _hm(value: str) -> dt.time:
    h, m = value.split(":")
    return dt.time(int(h), int(m))


def _working_day(day: dt.date, office: dict) -> bool:
    holidays = {h["date"] for h in office.get("holidays", [])}
    return day.weekday() in office["hours"]["weekdays"] and day.isoformat() not in holidays


def is_open(now: dt.datetime, office: dict) -> bool:
    """``now`` is timezone-aware (or UTC if naive)."""
    local = _as_local(now, office)
    hours = office["hours"]
    return _working_day(local.date(), office) and _hm(hours["open"]) <= local.time() < _hm(hours["close"])


def next_opening(now: dt.datetime, office: dict) -> dt.datetime:
    local = _as_local(now, office)
    opening = _hm(office["hours"]["open"])
    day = local.date()
    if local.time() >= opening:
        day += dt.timedelta(days=1)
    for _ in range(60):
        if _working_day(day, office):
            return dt.datetime.combine(day, opening, tzinfo=local.tzinfo)
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, opening, tzinfo=local.tzinfo)


def when_staff_will_see(now: dt.datetime, office: dict) -> str:
    if is_open(now, office):
        return texts.WHEN_OPEN
    nxt = next_opening(now, office)
    local = _as_local(now, office)
    day = ("พรุ่งนี้" if nxt.date() == local.date() + dt.timedelta(days=1)
           else "วันนี้" if nxt.date() == local.date() else texts.WEEKDAYS[nxt.weekday()])
    when = texts.NEXT_OPEN.format(day_name=day, day=f"{nxt.day}/{nxt.month}", time=nxt.strftime("%H:%M"))
    return texts.WHEN_CLOSED.format(next_open=when)


def local_stamp(at: dt.datetime, office: dict) -> str:
    """A stored (UTC) time as staff read it: the office's day/month hour:minute."""
    return _as_local(at, office).strftime("%d/%m %H:%M")


def _as_local(now: dt.datetime, office: dict) -> dt.datetime:
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.timezone.utc)
    return now.astimezone(_tz(office))
