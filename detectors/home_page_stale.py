"""``home_page_stale``: the home page has shown nothing new for 2 weeks (首页不更新).

国办秘函〔2019〕19号 makes it a single-veto item; content with no visible date counts
as not updated. Every scan records what the home page lists (its dated entries); an
entry counts as new on the earlier of its visible date and the day a scan first saw it
on the home page, so an old item given a fresh date does not make the page look
updated. Judged on ``common.clock.today()``; a scan that did not read the home page
says nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, ClassVar

from detectors.base import Detector, Finding, Option
from detectors.presentation import PAGE, Column, Evidence, days_field, field
from detectors.site_subject import SiteSubject
from detectors.veto_groups import HOME_PAGE


class HomePageStaleDetector(Detector):
    id: ClassVar[str] = "home_page_stale"
    title: ClassVar[str] = "首页不更新"
    scope: ClassVar[str] = "site"
    severity_rule: ClassVar[str] = "首页超过 2 周没有新内容属单项否决"
    options: ClassVar[dict[str, Option]] = {
        "max_days": Option(14, "首页允许多少天没有新内容（国家检查指标为 2 周）", 1, 365),
    }
    fields: ClassVar[tuple[str, ...]] = ("last_new_content", "days_since")
    columns: ClassVar[tuple[Column, ...]] = (
        PAGE,
        Column("最近新增内容", field("last_new_content"), 1.2),
        Column("未更新天数", days_field("days_since"), 1.0),
        Column("对比扫描次数", field("scans_compared"), 1.0),
    )
    evidence: ClassVar[tuple[Evidence, ...]] = (
        Evidence("最近新增内容", "last_new_content", "date"),
        Evidence("未更新天数", "days_since", "days"),
        Evidence("对比扫描次数", "scans_compared"),
    )
    veto_group: ClassVar[str] = HOME_PAGE
    rank: ClassVar[int] = 10
    overview: ClassVar[bool] = True
    criterion: ClassVar[str] = (
        "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决·首页不更新"
    )

    def __init__(self, home_url: str, today: date, max_days: int = 14):
        self.home_url = home_url
        self.today = today
        self.max_days = max_days

    @classmethod
    def from_config(cls, config: Any, settings: Any) -> HomePageStaleDetector:
        from common.clock import today

        home = config.site.home_url or config.site.start_urls[0]
        return cls(home, today(), settings["max_days"])

    @classmethod
    def summary_line(cls, record: dict[str, Any]) -> str:
        last = record["last_new_content"] or "无带日期的内容"
        return f"已 {record['days_since'] or '?'} 天无新内容（最近 {last}），单项否决"

    def check(self, subject: SiteSubject) -> Iterator[Finding]:
        listings = subject.home_listings()
        if not listings or listings[-1].scan_id != subject.scan_id:
            return  # this scan did not read the home page
        first_seen: dict[str, date] = {}
        for listing in listings:
            for entry in listing.entries:
                first_seen.setdefault(entry.url_key, listing.as_of)
        newest: date | None = None
        for entry in listings[-1].entries:
            if entry.listed is None or entry.pinned:
                continue
            appeared = min(entry.listed, first_seen.get(entry.url_key, entry.listed))
            newest = appeared if newest is None or appeared > newest else newest
        days = None if newest is None else max(0, (self.today - newest).days)
        if days is not None and days <= self.max_days:
            return
        period = "2周" if self.max_days == 14 else f" {self.max_days} 天"
        if newest is None:
            message = (
                f"首页没有标明发布日期的信息，无法确认近{period}有新内容，按未更新处理"
                "（单项否决）；请在首页展示带发布日期的最新信息"
            )
        else:
            message = (
                f"首页已 {days} 天没有新内容（最近一条新内容为 {newest}），"
                f"超过{period}未更新属单项否决；请及时更新首页信息"
            )
        yield Finding(
            detector=self.id,
            page_url=self.home_url,
            key="home",
            severity="veto",
            message=message,
            details={
                "last_new_content": newest.isoformat() if newest else None,
                "days_since": days,
                "scans_compared": len(listings),
                "criterion": self.criterion,
            },
        )
