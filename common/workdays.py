"""Working days by the State Council's holiday schedule, 调休 weekends included.

"Within 3 working days" (policy interpretations) and rectification deadlines are
counted on the official calendar, not Monday–Friday: a document of Fri 2024-09-27
with its interpretation on Tue 2024-10-08 is on time, because Sun 29 Sep was a
working day and 1–7 Oct were holidays.

A day is judged by the first source that knows its year:

1. an announced :class:`Schedule` the operators keep (the holiday data file, read by
   ``detectors.holiday_schedule``): a day it lists is off or worked as listed; any other
   day of a year it covers is a working day from Monday to Friday;
2. ``chinesecalendar``, which knows the years announced before its release (to 2026 in
   1.11.0);
3. an estimate: weekends plus the statutory holidays the ``holidays`` package computes
   for China (lunar festivals included), without the 调休 working weekends nobody can
   know before the State Council announces them. Answers that rest on an estimated
   year say so (:meth:`WorkCalendar.estimated_years`, :data:`ESTIMATE_NOTE`), and the
   first use of each estimated year is logged as a warning naming the year.

So no date is ever out of range: the calendar past the last announced year is a
marked estimate, never a crash.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import chinese_calendar

logger = logging.getLogger(__name__)

ESTIMATE_NOTE = "按估算的节假日计算"


@dataclass(frozen=True)
class Schedule:
    """Announced holiday schedules of some ``years``: the days off (weekends inside a
    holiday period may be listed too) and the 调休 working weekends. ``source`` names
    where they were read (for the warning that tells operators where to add a year)."""

    years: frozenset[int] = frozenset()
    days_off: frozenset[date] = frozenset()
    working_weekends: frozenset[date] = frozenset()
    source: str = ""


@cache
def package_years() -> tuple[int, int]:
    """The first and last year the installed ``chinesecalendar`` covers."""
    from chinese_calendar.constants import holidays, workdays

    days = [*holidays, *workdays]
    return min(days).year, max(days).year


@cache
def estimated_days_off(year: int) -> frozenset[date]:
    """The statutory holidays of ``year`` as the ``holidays`` package estimates them
    (its observed days included)."""
    import holidays

    return frozenset(holidays.country_holidays("CN", years=year))


@dataclass
class WorkCalendar:
    """The working-day calendar: an announced ``schedule`` first, then
    ``chinesecalendar``, then the estimate (module docstring)."""

    schedule: Schedule = field(default_factory=Schedule)
    _warned: set[int] = field(default_factory=set, repr=False)

    def source_of(self, year: int) -> str:
        """``schedule``, ``chinesecalendar`` or ``estimate``: what answers for ``year``."""
        if year in self.schedule.years:
            return "schedule"
        first, last = package_years()
        if first <= year <= last:
            return "chinesecalendar"
        return "estimate"

    def is_working_day(self, day: date) -> bool:
        if day in self.schedule.working_weekends:
            return True
        if day in self.schedule.days_off:
            return False
        source = self.source_of(day.year)
        if source == "schedule":
            return day.weekday() < 5
        if source == "chinesecalendar":
            return chinese_calendar.is_workday(day)
        self._warn(day.year)
        return day.weekday() < 5 and day not in estimated_days_off(day.year)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``).

        Published on day 0, the interpretation of day ``n`` working days later is
        ``n`` days late-or-early in the sense of "within n working days"."""
        count = 0
        day = start + timedelta(days=1)
        while day <= end:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``start`` itself when ``days`` is 0)."""
        day = start
        left = days
        while left > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def estimated_years(self, start: date, end: date) -> tuple[int, ...]:
        """The years of the days after ``start`` up to ``end`` (what the two counts above
        look at) that are judged by the estimate: empty when the answer is official."""
        if end <= start:
            return ()
        years = range((start + timedelta(days=1)).year, end.year + 1)
        return tuple(y for y in years if self.source_of(y) == "estimate")

    def _warn(self, year: int) -> None:
        if year in self._warned:
            return
        self._warned.add(year)
        first, last = package_years()
        where = f"，{self.schedule.source} 中也没有" if self.schedule.source else ""
        add = f"写入 {self.schedule.source}" if self.schedule.source else "补充节假日数据"
        logger.warning(
            "%d 年的法定节假日安排未收录（chinesecalendar 只有 %d–%d 年%s），%s："
            "周末和估算的法定节假日放假，不含调休上班日；国务院公布该年安排后请%s",
            year,
            first,
            last,
            where,
            ESTIMATE_NOTE,
            add,
        )


def estimate_note(years: tuple[int, ...] | list[int]) -> str:
    """``按估算的节假日计算（2027 年的安排尚未收录）`` for results resting on ``years``."""
    if not years:
        return ""
    named = "、".join(str(y) for y in sorted(set(years)))
    return f"{ESTIMATE_NOTE}（{named} 年的节假日安排尚未收录）"
