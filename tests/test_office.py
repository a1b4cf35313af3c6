import datetime as dt

from bot.office import coming_year_missing_own_days, holiday_name, is_open, next_opening, when_staff_will_see

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


def test_public_holidays_come_from_the_calendar_with_lunar_and_substitute_days():
    no_own_days = {"hours": OFFICE["hours"]}
    # 2027: Makha Bucha falls on Sunday 21 Feb, so Monday 22 Feb is its substitute day.
    assert not is_open(utc("2027-02-22T10:00"), no_own_days)
    assert next_opening(utc("2027-02-19T18:00"), no_own_days).date() == dt.date(2027, 2, 23)
    # Asanha Bucha (18 Jul, Sunday), Khao Phansa (19 Jul) and the substitute (20 Jul): back on Wednesday.
    assert next_opening(utc("2027-07-16T18:00"), no_own_days).date() == dt.date(2027, 7, 21)
    # A government-only day off (Royal Ploughing Ceremony 2026) closes the office too.
    assert not is_open(utc("2026-05-13T10:00"), no_own_days)
    assert is_open(utc("2026-05-12T10:00"), no_own_days)


def test_the_offices_own_days_close_it_too():
    office = {"hours": OFFICE["hours"], "holidays": [{"date": "2027-03-12", "name": "สัมมนาประจำปี"},
                                                      {"every_year": "03-18", "name": "วันท้องถิ่น"}]}
    assert not is_open(utc("2027-03-12T10:00"), office)
    assert not is_open(utc("2027-03-18T10:00"), office)
    assert holiday_name(dt.date(2030, 3, 18), office) == "วันท้องถิ่น"  # every year, without re-entering it
    assert is_open(utc("2027-03-17T10:00"), office)
    assert holiday_name(dt.date(2027, 3, 12), office) == "สัมมนาประจำปี"
    assert "มาฆบูชา" in holiday_name(dt.date(2027, 2, 22), office)


def test_reminder_when_the_coming_year_has_no_office_days():
    office = {"hours": OFFICE["hours"], "expect_own_days": True,
              "holidays": [{"date": "2026-12-30", "name": "ปิดสำนักงาน"}]}
    assert coming_year_missing_own_days(office, dt.date(2026, 6, 1)) is None     # too early to know
    assert coming_year_missing_own_days(office, dt.date(2026, 10, 1)) == 2027
    office["holidays"].append({"date": "2027-01-04", "name": "วันหยุดพิเศษ"})
    assert coming_year_missing_own_days(office, dt.date(2026, 11, 1)) is None
    assert coming_year_missing_own_days({**office, "expect_own_days": False}, dt.date(2027, 11, 1)) is None
