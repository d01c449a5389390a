"""The official working-day calendar: ``chinesecalendar`` plus the holiday file operators keep.

``chinesecalendar`` knows only the years announced before its release, and the State
Council announces next year's schedule each November or December, so operators add it
to ``wordlists/calendar/holidays.yaml`` themselves (the file says how). This module
reads and validates that file — every mistake as ``file:line: 问题``, all at once —
and builds the :class:`~common.workdays.WorkCalendar` that detectors and reports count
working days on. It lives here, not in ``common``, because ``common`` imports nothing
of ours, data packages included; detectors are the lowest layer that needs the file.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from common import yamlfile
from common.workdays import Schedule, WorkCalendar
from common.yamlfile import LineDict, LineList
from wordlists.calendar import CALENDAR_DATA_DIR

HOLIDAYS_FILE = CALENDAR_DATA_DIR / "holidays.yaml"
_YEAR_KEYS = frozenset({"source", "holidays", "workdays"})
_DATE = r"(\d{4}-\d{1,2}-\d{1,2})"
_RANGE = re.compile(rf"^\s*{_DATE}\s*(?:至|到|~|～|\.\.)\s*{_DATE}\s*$")
_WEEKDAYS = "一二三四五六日"
_MAX_RANGE_DAYS = 31


class HolidayFileError(ValueError):
    """The holiday file has mistakes; ``problems`` holds one ``file:line: …`` each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("节假日数据文件有误：\n" + "\n".join(problems))
        self.problems = problems


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            parts = value.strip().split("-")
            if len(parts) == 3 and all(p.isdigit() for p in parts):
                try:
                    return date(int(parts[0]), int(parts[1]), int(parts[2]))
                except ValueError:
                    return None
    return None


def _days(value: Any) -> list[date] | str:
    """The days an item names (a date, or ``起 至 止``), or what is wrong with it."""
    single = _day(value)
    if single is not None:
        return [single]
    match = _RANGE.match(value) if isinstance(value, str) else None
    if match is None:
        return f"应为日期 YYYY-MM-DD 或“起始日期 至 结束日期”，现为“{value}”"
    first, last = _day(match[1]), _day(match[2])
    if first is None or last is None:
        return f"日期无效：“{value}”"
    if last < first:
        return f"结束日期早于起始日期：“{value}”"
    if (last - first).days >= _MAX_RANGE_DAYS:
        return f"一段假期不应超过 {_MAX_RANGE_DAYS} 天：“{value}”"
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _in_year(day: date, year: int) -> bool:
    """A year's notice covers that year, and 元旦 may start in the December before."""
    return day.year == year or (day.year == year - 1 and day.month == 12)


def _read_days(
    fields: LineDict, year: int, key: str, source: str, problems: list[str]
) -> dict[date, int]:
    """The days listed under ``fields[key]`` with the line each was written on."""
    entries = fields.get(key)
    if entries is None:
        return {}
    if not isinstance(entries, LineList):
        line = fields.key_lines[key]
        problems.append(f"{source}:{line}: {year}.{key} 应为列表（每行一个日期或一段日期）")
        return {}
    found: dict[date, int] = {}
    for item, line in zip(entries, entries.item_lines, strict=True):
        where = f"{source}:{line}: {year}.{key}"
        days = _days(item)
        if isinstance(days, str):
            problems.append(f"{where}: {days}")
            continue
        for day in days:
            if not _in_year(day, year):
                problems.append(f"{where}: {day} 不在 {year} 年")
                break
            if key == "workdays" and day.weekday() < 5:
                weekday = _WEEKDAYS[day.weekday()]
                problems.append(f"{where}: {day} 是星期{weekday}，调休上班日应为周六或周日")
                break
            found.setdefault(day, line)
    return found


def parse_holidays(text: str, source: str) -> Schedule:
    """Validate the YAML ``text`` (named ``source`` in messages) into a schedule."""
    try:
        document = yamlfile.parse(text, source)
    except yamlfile.YamlSyntaxError as exc:
        raise HolidayFileError([str(exc)]) from None
    problems = [f"{source}:{d.line}: 重复的键“{d.key}”" for d in document.duplicates]
    root = document.data
    if root is None:
        root = LineDict()
    if not isinstance(root, LineDict):
        raise HolidayFileError([f"{source}:1: 应为映射，顶层写 years:"])
    for key in root:
        if key != "years":
            problems.append(f"{source}:{root.key_lines[key]}: 未知的键“{key}”（顶层只有 years）")
    years = root.get("years")
    if years is None:
        years = LineDict(root.key_lines.get("years", 1))
    if not isinstance(years, LineDict):
        raise HolidayFileError([*problems, f"{source}:{root.key_lines['years']}: years 应为映射"])
    known: set[int] = set()
    off: dict[date, tuple[int, int]] = {}
    worked: dict[date, tuple[int, int]] = {}
    for year, fields in years.items():
        where = f"{source}:{years.key_lines[year]}"
        if not isinstance(year, int) or isinstance(year, bool) or not 1949 < year < 2200:
            problems.append(f"{where}: 年份应为四位数字（如 2027:），现为“{year}”")
            continue
        if not isinstance(fields, LineDict):
            problems.append(f"{where}: {year} 年应为映射（source、holidays、workdays）")
            continue
        for key in fields:
            if key not in _YEAR_KEYS:
                problems.append(
                    f"{source}:{fields.key_lines[key]}: 未知的键“{key}”"
                    f"（可用：{'、'.join(sorted(_YEAR_KEYS))}）"
                )
        if not fields.get("holidays"):
            problems.append(f"{where}: {year} 年缺少 holidays（放假日期）")
        for day, line in _read_days(fields, year, "holidays", source, problems).items():
            off.setdefault(day, (year, line))
        for day, line in _read_days(fields, year, "workdays", source, problems).items():
            worked.setdefault(day, (year, line))
        known.add(year)
    for day in sorted(set(off) & set(worked)):
        problems.append(
            f"{source}:{worked[day][1]}: {day} 既写在放假日期（第 {off[day][1]} 行）"
            "又写在调休上班日期"
        )
    if problems:
        raise HolidayFileError(problems)
    return Schedule(
        years=frozenset(known),
        days_off=frozenset(off),
        working_weekends=frozenset(worked),
        source=source,
    )


def _name(path: Path) -> str:
    """How messages name the file: relative to the checkout for the bundled one."""
    try:
        return str(path.resolve().relative_to(CALENDAR_DATA_DIR.parent.parent))
    except ValueError:
        return str(path)


def load_holidays(path: Path | None = None) -> Schedule:
    """The schedule in ``path`` (default: the bundled file), read once per path."""
    return _load(Path(path or HOLIDAYS_FILE))


@cache
def _load(path: Path) -> Schedule:
    try:
        text = yamlfile.read_text(path, _name(path))
    except yamlfile.YamlFileError as exc:
        raise HolidayFileError([str(exc)]) from None
    return parse_holidays(text, _name(path))


@cache
def official_calendar() -> WorkCalendar:
    """The calendar every working-day rule counts on (one per process, so each
    estimated year is warned about once)."""
    return WorkCalendar(load_holidays())
