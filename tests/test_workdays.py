from datetime import date

import pytest

from common.workdays import (
    CalendarRangeError,
    add_working_days,
    calendar_years,
    is_working_day,
    working_days_between,
)


def test_national_day_2024_with_adjusted_sunday():
    # Fri 27 Sep → Tue 8 Oct: Sun 29 Sep and Sat 12 Oct worked, 1–7 Oct off.
    assert is_working_day(date(2024, 9, 29))
    assert not is_working_day(date(2024, 10, 7))
    assert working_days_between(date(2024, 9, 27), date(2024, 10, 8)) == 3
    assert add_working_days(date(2024, 9, 27), 3) == date(2024, 10, 8)
    assert working_days_between(date(2024, 9, 27), date(2024, 10, 9)) == 4


def test_plain_week_and_same_day():
    assert working_days_between(date(2024, 11, 18), date(2024, 11, 18)) == 0
    assert working_days_between(date(2024, 11, 18), date(2024, 11, 15)) == 0
    assert working_days_between(date(2024, 11, 22), date(2024, 11, 25)) == 1  # Fri → Mon
    assert add_working_days(date(2024, 11, 22), 0) == date(2024, 11, 22)
    assert add_working_days(date(2024, 11, 22), 5) == date(2024, 11, 29)


def test_spring_festival_2025():
    # 28 Jan – 4 Feb 2025 off; Sun 26 Jan and Sat 8 Feb worked.
    assert is_working_day(date(2025, 1, 26))
    assert not is_working_day(date(2025, 2, 4))
    assert add_working_days(date(2025, 1, 24), 3) == date(2025, 2, 5)


def test_year_outside_the_schedule_is_an_error_not_a_guess():
    _first, last = calendar_years()
    with pytest.raises(CalendarRangeError, match="法定节假日安排"):
        is_working_day(date(last + 1, 3, 3))
