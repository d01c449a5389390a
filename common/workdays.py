"""Working days by the State Council's holiday schedule, 调休 weekends included.

"Within 3 working days" (policy interpretations) and rectification deadlines are
counted on the official calendar, not Monday–Friday: a document of Fri 2024-09-27
with its interpretation on Tue 2024-10-08 is on time, because Sun 29 Sep was a
working day and 1–7 Oct were holidays. The schedule comes from ``chinesecalendar``,
which knows the years the State Council has announced; a day outside them raises
:class:`CalendarRangeError` (callers say so) rather than give a guessed answer.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar


class CalendarRangeError(ValueError):
    """The official schedule of this year is not known (not yet announced, or too old)."""

    def __init__(self, day: date):
        first, last = calendar_years()
        super().__init__(
            f"{day.year} 年的法定节假日安排不在日历数据范围内（{first}–{last} 年），"
            "无法按工作日计算；请升级 chinesecalendar"
        )
        self.day = day


def calendar_years() -> tuple[int, int]:
    """The first and last year the installed schedule covers."""
    from chinese_calendar.constants import holidays, workdays

    days = [*holidays, *workdays]
    return min(days).year, max(days).year


def is_working_day(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        raise CalendarRangeError(day) from None


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``).

    Published on day 0, the interpretation of day ``n`` working days later is
    ``n`` days late-or-early in the sense of "within n working days"."""
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself when ``days`` is 0)."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day
