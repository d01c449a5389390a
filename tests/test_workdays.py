"""Working days: the announced schedule, chinesecalendar, and the marked estimate beyond
them; and the holiday file operators keep (wordlists/calendar/holidays.yaml)."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest

from common.workdays import Schedule, WorkCalendar, estimate_note, package_years
from detectors.holiday_schedule import (
    HOLIDAYS_FILE,
    HolidayFileError,
    load_holidays,
    official_calendar,
    parse_holidays,
)

PACKAGE = WorkCalendar()


def test_national_day_2024_with_adjusted_sunday():
    # Fri 27 Sep → Tue 8 Oct: Sun 29 Sep and Sat 12 Oct worked, 1–7 Oct off.
    assert PACKAGE.is_working_day(date(2024, 9, 29))
    assert not PACKAGE.is_working_day(date(2024, 10, 7))
    assert PACKAGE.working_days_between(date(2024, 9, 27), date(2024, 10, 8)) == 3
    assert PACKAGE.add_working_days(date(2024, 9, 27), 3) == date(2024, 10, 8)
    assert PACKAGE.working_days_between(date(2024, 9, 27), date(2024, 10, 9)) == 4
    assert PACKAGE.estimated_years(date(2024, 9, 27), date(2024, 10, 9)) == ()


def test_plain_week_and_same_day():
    assert PACKAGE.working_days_between(date(2024, 11, 18), date(2024, 11, 18)) == 0
    assert PACKAGE.working_days_between(date(2024, 11, 18), date(2024, 11, 15)) == 0
    assert PACKAGE.working_days_between(date(2024, 11, 22), date(2024, 11, 25)) == 1  # Fri → Mon
    assert PACKAGE.add_working_days(date(2024, 11, 22), 0) == date(2024, 11, 22)
    assert PACKAGE.add_working_days(date(2024, 11, 22), 5) == date(2024, 11, 29)


def test_spring_festival_2025():
    # 28 Jan – 4 Feb 2025 off; Sun 26 Jan and Sat 8 Feb worked.
    assert PACKAGE.is_working_day(date(2025, 1, 26))
    assert not PACKAGE.is_working_day(date(2025, 2, 4))
    assert PACKAGE.add_working_days(date(2025, 1, 24), 3) == date(2025, 2, 5)


def test_a_year_past_the_package_is_estimated_marked_and_warned_once(caplog):
    """Every day of 2027 answers (no CalendarRangeError): weekends and the `holidays`
    package's statutory days off, and the answer says it is an estimate."""
    calendar = WorkCalendar()
    last = package_years()[1]
    assert last < 2027, "chinesecalendar now knows 2027: pick a later year for this test"
    with caplog.at_level(logging.WARNING, logger="common.workdays"):
        assert not calendar.is_working_day(date(2027, 1, 1))  # 元旦, a Friday
        assert not calendar.is_working_day(date(2027, 10, 4))  # 国庆, a Monday
        assert not calendar.is_working_day(date(2027, 3, 6))  # a Saturday
        assert calendar.is_working_day(date(2027, 3, 8))
        every_day = [date(2027, 1, 1) + timedelta(days=i) for i in range(365)]
        assert 230 < sum(map(calendar.is_working_day, every_day)) < 255
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1 and warnings[0].startswith("2027 年的法定节假日安排未收录")
    assert "按估算的节假日计算" in warnings[0]
    deadline = calendar.add_working_days(date(2026, 12, 25), 5)
    assert deadline == date(2027, 1, 4)  # Fri → 28–31 Dec, 1 Jan 2027 off, Mon 4 Jan
    assert calendar.estimated_years(date(2026, 12, 25), deadline) == (2027,)
    assert calendar.estimated_years(date(2026, 12, 1), date(2026, 12, 31)) == ()
    assert estimate_note((2027,)) == "按估算的节假日计算（2027 年的节假日安排尚未收录）"


def test_the_schedule_overrides_the_estimate_and_the_package():
    """A year in the holiday file is judged by the file alone: its days off and 调休
    working weekends, Monday to Friday otherwise — no estimate, no warning."""
    schedule = parse_holidays(
        """
years:
  2027:
    source: 假设的 2027 年安排
    holidays:
      - 2027-10-01 至 2027-10-07
      - 2026-12-31           # 元旦假期从上一年开始
    workdays: [2027-09-26, 2027-10-09]
  2024:
    holidays: [2024-11-25]
""",
        "holidays.yaml",
    )
    calendar = WorkCalendar(schedule)
    estimate = WorkCalendar()
    assert estimate.is_working_day(date(2027, 10, 6))  # the estimate: 1–5 Oct only
    assert not calendar.is_working_day(date(2027, 10, 6))
    assert not estimate.is_working_day(date(2027, 9, 26))  # a Sunday
    assert calendar.is_working_day(date(2027, 9, 26))
    assert not estimate.is_working_day(date(2027, 1, 1))
    assert calendar.is_working_day(date(2027, 1, 1))  # not listed in the file's 2027
    assert not calendar.is_working_day(date(2026, 12, 31))  # listed, though 2026 is known
    assert calendar.estimated_years(date(2026, 12, 25), date(2027, 12, 31)) == ()
    assert not calendar.is_working_day(date(2024, 11, 25))  # the file beats chinesecalendar
    assert calendar.is_working_day(date(2024, 10, 7))  # 2024 is judged by the file alone
    assert calendar.is_working_day(date(2024, 10, 8))


def test_the_bundled_file_agrees_with_chinesecalendar_where_both_know():
    schedule = load_holidays()
    assert schedule.years, "the bundled file carries at least its worked example"
    file, package = WorkCalendar(schedule), WorkCalendar()
    first, last = package_years()
    for year in sorted(schedule.years):
        if not first <= year <= last:
            continue
        days = [date(year, 1, 1) + timedelta(days=i) for i in range(365)]
        differ = [d for d in days if file.is_working_day(d) != package.is_working_day(d)]
        assert differ == [], f"{HOLIDAYS_FILE.name} {year} differs from chinesecalendar"


def test_official_calendar_reads_the_bundled_file():
    assert official_calendar().schedule == load_holidays()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "years:\n  2027:\n    holidays: [2027-02-30]\n",
            "holidays.yaml:3: 2027.holidays: 应为日期",
        ),
        (
            "years:\n  2027:\n    holidays:\n      - 2027-10-07 至 2027-10-01\n",
            "holidays.yaml:4: 2027.holidays: 结束日期早于起始日期",
        ),
        (
            "years:\n  2027:\n    holidays: [2027-10-01]\n    workdays:\n      - 2027-10-11\n",
            "holidays.yaml:5: 2027.workdays: 2027-10-11 是星期一，调休上班日应为周六或周日",
        ),
        (
            "years:\n  2027:\n    holidays:\n      - 2028-01-01\n",
            "holidays.yaml:4: 2027.holidays: 2028-01-01 不在 2027 年",
        ),
        ("years:\n  2027:\n    workdays: [2027-02-06]\n", "holidays.yaml:2: 2027 年缺少 holidays"),
        (
            "years:\n  2027:\n    holidays: [2027-10-01]\n    holiday: [2027-10-02]\n",
            "holidays.yaml:4: 未知的键“holiday”",
        ),
        ("years:\n  27:\n    holidays: [2027-10-01]\n", "holidays.yaml:2: 年份应为四位数字"),
        (
            "years:\n  2027:\n    holidays: [2027-10-01]\n  2027:\n    holidays: [2027-10-02]\n",
            "holidays.yaml:4: 重复的键“2027”",
        ),
        (
            "years:\n  2027:\n    holidays: [2027-10-01 至 2027-10-09]\n"
            "    workdays: [2027-10-09]\n",
            "holidays.yaml:4: 2027-10-09 既写在放假日期（第 3 行）又写在调休上班日期",
        ),
        ("years:\n  2027:\n    holidays: [2027-10-01\n", "holidays.yaml:"),
    ],
)
def test_mistakes_name_file_and_line(text, problem):
    with pytest.raises(HolidayFileError) as error:
        parse_holidays(text, "holidays.yaml")
    assert any(line.startswith(problem) for line in error.value.problems), error.value.problems


def test_an_empty_file_is_no_schedule():
    assert parse_holidays("# nothing yet\n", "h.yaml") == Schedule(source="h.yaml")
    assert parse_holidays("years:\n", "h.yaml").years == frozenset()
