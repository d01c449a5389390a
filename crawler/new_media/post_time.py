"""Post timestamps as mirrors write them, in Beijing time.

Feeds say ``Fri, 22 Nov 2024 18:30:00 +0800`` (RFC 822), ``2024-11-22T18:30:00+08:00``
(ISO 8601), ``2024-11-22 18:30`` with no zone (Beijing is meant), ``2024年11月22日``;
Weibo says ``Fri Nov 22 18:30:00 +0800 2024``, and, for recent posts, ``刚刚``,
``5分钟前``, ``3小时前``, ``昨天 10:30``, ``11-20`` (this year). Relative forms are
read against ``now`` (the fetch time), so parsing stays a pure function.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

from common.clock import BEIJING

_WEIBO_FORMAT = "%a %b %d %H:%M:%S %z %Y"
_RELATIVE_RE = re.compile(
    r"^(\d+)\s*(秒|分钟|分|小时|个小时|天|日|周|星期|"
    r"seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s*(?:前|以前|ago)$",
    re.IGNORECASE,
)
_UNIT_SECONDS = {
    "秒": 1,
    "s": 1,
    "分": 60,
    "分钟": 60,
    "m": 60,
    "小时": 3600,
    "个小时": 3600,
    "h": 3600,
    "天": 86400,
    "日": 86400,
    "d": 86400,
    "周": 604800,
    "星期": 604800,
    "w": 604800,
}
_DAY_WORDS = {"今天": 0, "昨天": 1, "前天": 2}
_DAY_WORD_RE = re.compile(r"^(今天|昨天|前天)\s*(?:(\d{1,2})[:：](\d{2}))?$")
_FULL_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]+(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?\s*$"
)
_MONTH_DAY_RE = re.compile(r"^(\d{1,2})\s*[-/月]\s*(\d{1,2})\s*日?(?:\s+(\d{1,2})[:：](\d{2}))?$")


def _unit(word: str) -> int:
    word = word.lower()
    if word in _UNIT_SECONDS:
        return _UNIT_SECONDS[word]
    return _UNIT_SECONDS[word[0]]


def _beijing(moment: datetime) -> datetime:
    """Aware datetimes converted to Beijing; naive ones are Beijing already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=BEIJING)
    return moment.astimezone(BEIJING)


def parse_post_time(raw: str | None, now: datetime) -> datetime | None:
    """The moment ``raw`` names, as an aware Beijing datetime; None if it names none.

    ``now`` (aware) anchors relative forms; a year-less ``MM-DD`` later than ``now``
    is last year's."""
    if not raw:
        return None
    text = " ".join(str(raw).split())
    if not text or len(text) > 80:
        return None
    now = _beijing(now)
    if text in ("刚刚", "刚才", "just now"):
        return now
    match = _RELATIVE_RE.match(text)
    if match:
        amount = min(int(match.group(1)), 100_000)
        return now - timedelta(seconds=amount * _unit(match.group(2)))
    match = _DAY_WORD_RE.match(text)
    if match:
        day = (now - timedelta(days=_DAY_WORDS[match.group(1)])).date()
        hour, minute = int(match.group(2) or 0), int(match.group(3) or 0)
        return _at(day.year, day.month, day.day, hour, minute, 0)
    for parse in (_weibo, _rfc822, _iso):
        parsed = parse(text)
        if parsed is not None:
            return _plausible(parsed)
    match = _FULL_RE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups()[:3])
        hour, minute, second = (int(g or 0) for g in match.groups()[3:])
        return _plausible(_at(year, month, day, hour, minute, second))
    match = _MONTH_DAY_RE.match(text)
    if match:
        month, day = int(match.group(1)), int(match.group(2))
        hour, minute = int(match.group(3) or 0), int(match.group(4) or 0)
        moment = _at(now.year, month, day, hour, minute, 0)
        if moment is not None and moment.date() > now.date():
            moment = _at(now.year - 1, month, day, hour, minute, 0)
        return moment
    return None


def _at(year: int, month: int, day: int, hour: int, minute: int, second: int) -> datetime | None:
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=BEIJING)
    except ValueError:
        return None


def _plausible(moment: datetime | None) -> datetime | None:
    if moment is None or not 1990 <= moment.year <= 2100:
        return None
    return _beijing(moment)


def _weibo(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, _WEIBO_FORMAT)
    except ValueError:
        return None


def _rfc822(text: str) -> datetime | None:
    if not text[:1].isalpha() and not re.match(r"^\d{1,2} [A-Za-z]{3} \d{4}", text):
        return None
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _iso(text: str) -> datetime | None:
    if not re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)
    except ValueError:
        return None


def now_beijing() -> datetime:
    """The moment relative dates ("3小时前") are read against: govwatch's one clock
    (``common.clock.now``, which tests and the demo pin) in Beijing time."""
    from common.clock import now

    return now().astimezone(BEIJING)
