import datetime as dt

from bot.office import is_open, next_opening, when_staff_will_see

OFFICE = {"hours": {"timezone": "Asia/Bangkok", "weekdays": [0, 1, 2, 3, 4], "open": "08:30", "close": "16:30"},
          "holidays": [{"date": "2026-12-07", "name": "ชดเชยวันพ่อ"}]}


def utc(s):  # Thai time minus 7 hours
    return dt.datetime.fromisoformat(s) - dt.timedelta(hours=7)


def test_open_on_a_weekday_during_hours():
    assert is_open(utc("2026-11-25T10:00"), OFFICE)
    assert not is_open(utc("2026-11-25T17:00"), OFFICE)
    assert not is_open(utc("2026-11-28T10:00"), OFFICE)  # Saturday


def test_holiday_is_closed_and_skipped():
    assert not is_open(utc("2026-12-07T10:00"), OFFICE)
    assert next_opening(utc("2026-12-04T18:00"), OFFICE).date() == dt.date(2026, 12, 8)


def test_reply_says_when_staff_will_see_it():
    assert "เวลาทำการ" in when_staff_will_see(utc("2026-11-25T10:00"), OFFICE)
    text = when_staff_will_see(utc("2026-11-27T20:00"), OFFICE)  # Friday night
    assert "วันจันทร์" in text and "08:30" in text
    assert "พรุ่งนี้" in when_staff_will_see(utc("2026-11-25T20:00"), OFFICE)
