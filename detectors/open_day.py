"""``open_day_notice``: a 政府开放日 preview published too close to the activity.

The city's plan (《龙南市2024年政务公开工作实施方案》, 龙府办字〔2024〕36号, task 12) asks
each unit to publish the preview of its 政府开放日 activity on the portal "开展前提前15个
工作日". A preview is a page whose headline names a 开放日 and announces it (预告, 通知,
公告, 邀请, 招募, 报名, 征集); a report of an activity held (活动顺利举办, 圆满, 回顾,
侧记 …; "走进…" is often the activity's own name) is not one. The activity date is read
from the text: ``定于2024年12月6日（星期五）…举办/开展/举行``, ``活动时间：2024年12月6日``;
a date without its year takes the preview's year (the next year when that would put it
before the preview).

Working days are counted on the official holiday calendar with its 调休 weekends
(:mod:`detectors.holiday_schedule`) from the day after publication up to and including
the activity day — the reading that favours the site, so that no preview on time is
reported. A preview published ``open_days.min_working_days`` (default 15) or more
working days ahead is on time. A count that rests on an estimated year says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any, ClassVar

from common.workdays import estimate_note
from detectors.base import Detector, Finding
from detectors.holiday_schedule import official_calendar
from detectors.page import body_text
from detectors.presentation import PAGE, Column, Evidence, field

DEFAULT_MIN_WORKING_DAYS = 15
_OPEN_DAY_RE = re.compile(r"开放日")
_PREVIEW_RE = re.compile(r"预告|通知|公告|邀请|邀您|招募|报名|征集|启事|告知")
_REPORT_RE = re.compile(
    r"顺利|圆满|成功举办|成功开展|回顾|侧记|举行了|开展了|举办了|掠影|综述"
)
_DATE = r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_WEEKDAY = r"(?:\s*[（(]\s*(?:星期|周)[一二三四五六日天]\s*[)）])?"
_ACTIVITY_RES = (
    re.compile(rf"定于\s*{_DATE}{_WEEKDAY}[^。；;\n]{{0,80}}?(?:举办|开展|举行|进行|组织)"),
    re.compile(rf"活动(?:时间|日期)\s*[:：]\s*{_DATE}"),
)
MAX_AHEAD_DAYS = 366  # a date further than this from the preview is not its activity


def activity_date(text: str, published: date) -> date | None:
    """The activity's date as the preview states it, or None when it states none that
    is plausible (one date only: several different ones are not judged)."""
    found: set[date] = set()
    for pattern in _ACTIVITY_RES:
        for match in pattern.finditer(text):
            year, month, day = match.groups()
            try:
                when = date(int(year) if year else published.year, int(month), int(day))
                if not year and when < published:
                    when = date(published.year + 1, int(month), int(day))
            except ValueError:
                continue
            if 0 <= (when - published).days <= MAX_AHEAD_DAYS:
                found.add(when)
    return found.pop() if len(found) == 1 else None


def is_preview(headline: str) -> bool:
    return bool(
        _OPEN_DAY_RE.search(headline)
        and _PREVIEW_RE.search(headline)
        and not _REPORT_RE.search(headline)
    )


class OpenDayNoticeDetector(Detector):
    id: ClassVar[str] = "open_day_notice"
    title: ClassVar[str] = "开放日预告不及时"
    scope: ClassVar[str] = "markup"
    severity_rule: ClassVar[str] = "预告晚于活动前15个工作日为中"
    fields: ClassVar[tuple[str, ...]] = (
        "activity_title",
        "activity_date",
        "published",
        "working_days_before",
    )
    columns: ClassVar[tuple[Column, ...]] = (
        Column("活动", field("activity_title"), 2.4),
        Column("活动日期", field("activity_date"), 1.0),
        Column("预告发布日期", field("published"), 1.0),
        Column("提前工作日", field("working_days_before"), 0.9),
        PAGE,
    )
    sheet: ClassVar[dict] = {"问题对象": lambda r: str(r.get("activity_title") or "")}
    evidence: ClassVar[tuple[Evidence, ...]] = (
        Evidence("活动", "activity_title"),
        Evidence("活动日期", "activity_date", "date"),
        Evidence("预告发布日期", "published", "date"),
        Evidence("提前工作日", "working_days_before"),
        Evidence("要求提前工作日", "min_working_days"),
        Evidence("工作日计算", "calendar_note"),
    )
    rank: ClassVar[int] = 76
    criterion: ClassVar[str] = (
        "《龙南市2024年政务公开工作实施方案》（龙府办字〔2024〕36号）第12项：“政府开放日”"
        "活动开展前提前15个工作日在政府网站公开活动预告"
    )

    def __init__(self, min_working_days: int = DEFAULT_MIN_WORKING_DAYS):
        self.min_working_days = min_working_days

    @classmethod
    def from_config(cls, config: Any, settings: Any) -> OpenDayNoticeDetector:
        section = getattr(config, "open_days", None)
        if section is None:
            return cls()
        return cls(section.min_working_days)

    def check(self, page: Any) -> Iterator[Finding]:
        if page.root is None:
            return
        headline = page.headline
        if not is_preview(headline) or page.published is None:
            return
        published = page.published
        held = activity_date(body_text(page.text), published)
        if held is None:
            return
        calendar = official_calendar()
        days = calendar.working_days_between(published, held)
        if days >= self.min_working_days:
            return
        note = estimate_note(calendar.estimated_years(published, held))
        estimated = f"（{note}）" if note else ""
        details: dict[str, Any] = {
            "activity_title": headline,
            "activity_date": held.isoformat(),
            "published": published.isoformat(),
            "working_days_before": days,
            "min_working_days": self.min_working_days,
            "criterion": self.criterion,
        }
        if note:
            details["calendar_note"] = note
        yield Finding(
            detector=self.id,
            page_url=page.url,
            key="open_day",
            severity="medium",
            message=(
                f"开放日活动预告《{headline}》于 {published} 发布，活动定于 {held}，"
                f"仅提前 {days} 个工作日"
                f"{estimated}；政府开放日活动应提前 {self.min_working_days} 个工作日在政府网站"
                "公开预告"
            ),
            details=details,
        )
