"""Office hours and days off: Thailand's public holidays from the ``holidays`` package (lunar and
substitute days included, computed for any year), plus the office's own days kept in catalogue.json's
``office.holidays``."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holiday_calendars

from bot import texts

# Government-only days (e.g. the Royal Ploughing Ceremony) close a government office too.
HOLIDAY_CATEGORIES = ("public", "government")
DEFAULT_COUNTRY = "TH"
# The cabinet publishes next year's extra days off around October: from then on, remind the admin.
REMIND_NEXT_YEAR_FROM_MONTH = 10


def _tz(office: dict) -> ZoneInfo:
    return ZoneInfo(office["hours"].get("timezone", "Asia/Bangkok"))


def _hm(value: str) -> dt.time:
    h, m = value.split(":")
    return dt.time(int(h), int(m))


@lru_cache(maxsize=32)
def public_holidays(year: int, country: str = DEFAULT_COUNTRY) -> dict[dt.date, str]:
    """The country's days off for one year, with Thai names (computed by the package, cached)."""
    return dict(holiday_calendars.country_holidays(country, years=year, categories=HOLIDAY_CATEGORIES,
                                                   language="th"))


def warm(office: dict, today: dt.date) -> None:
    """Work out this year's and next year's public holidays now: the first time costs the
    holidays package ~0.5 s of CPU, which would otherwise land on a villager's request."""
    for year in (today.year, today.year + 1):
        public_holidays(year, office.get("public_holidays", DEFAULT_COUNTRY))


def own_days(office: dict, year: int) -> dict[dt.date, str]:
    """The office's own days off in ``year``: dated entries and ``every_year`` (MM-DD) ones."""
    out = {}
    for h in office.get("holidays", []):
        if "date" in h:
            day = dt.date.fromisoformat(h["date"])
            if day.year == year:
                out[day] = h["name"]
        elif "every_year" in h:
            month, dom = (int(x) for x in h["every_year"].split("-"))
            try:
                out[dt.date(year, month, dom)] = h["name"]
            except ValueError:  # 02-29 in a common year
                pass
    return out


def holiday_name(day: dt.date, office: dict) -> str | None:
    """Why the office is closed on ``day`` (None on a working day's date, weekends aside)."""
    own = own_days(office, day.year).get(day)
    return own or public_holidays(day.year, office.get("public_holidays", DEFAULT_COUNTRY)).get(day)


def _working_day(day: dt.date, office: dict) -> bool:
    return day.weekday() in office["hours"]["weekdays"] and holiday_name(day, office) is None


def coming_year_missing_own_days(office: dict, today: dt.date) -> int | None:
    """The coming year, when the office keeps its own dated days (``expect_own_days``) and has
    entered none for it yet; asked from October on (before that it is too early to know)."""
    if not office.get("expect_own_days") or today.month < REMIND_NEXT_YEAR_FROM_MONTH:
        return None
    coming = today.year + 1
    dated = {dt.date.fromisoformat(h["date"]).year for h in office.get("holidays", []) if "date" in h}
    return None if coming in dated else coming


def is_open(now: dt.datetime, office: dict) -> bool:
    """``now`` is timezone-aware (or UTC if naive)."""
    local = as_local(now, office)
    hours = office["hours"]
    return _working_day(local.date(), office) and _hm(hours["open"]) <= local.time() < _hm(hours["close"])


def next_opening(now: dt.datetime, office: dict) -> dt.datetime:
    local = as_local(now, office)
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
    local = as_local(now, office)
    day = ("พรุ่งนี้" if nxt.date() == local.date() + dt.timedelta(days=1)
           else "วันนี้" if nxt.date() == local.date() else texts.WEEKDAYS[nxt.weekday()])
    when = texts.NEXT_OPEN.format(day_name=day, day=f"{nxt.day}/{nxt.month}", time=nxt.strftime("%H:%M"))
    return texts.WHEN_CLOSED.format(next_open=when)


def local_stamp(at: dt.datetime, office: dict) -> str:
    """A stored (UTC) time as staff read it: the office's day/month hour:minute."""
    return as_local(at, office).strftime("%d/%m %H:%M")


def as_local(now: dt.datetime, office: dict) -> dt.datetime:
    """A stored (naive UTC) or aware time on the office's clock."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.timezone.utc)
    return now.astimezone(_tz(office))
