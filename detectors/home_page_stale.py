"""``home_page_stale``: the home page has shown nothing new for 2 weeks (首页不更新).

国办秘函〔2019〕19号 makes it a single-veto item. Every scan records what the home page
lists; an entry is dated by the date beside it, else the date in its URL (TRS, Hanweb,
gov.cn), else the publication date of the page it links to when this scan read that
page (a home page such as www.gov.cn's, updated daily, prints no dates at all). An
entry counts as new on the earlier of that date and the day a scan first saw it on the
home page, so an old item given a fresh date does not make the page look updated.
Judged on ``common.clock.today()``. A veto needs evidence: a scan that did not read the
home page, or that can date none of its entries by any of these means, says nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, ClassVar

from detectors.base import Detector, Finding, Option
from detectors.page_facts import PageFacts
from detectors.presentation import PAGE, Column, Evidence, days_field, field
from detectors.site_subject import SiteSubject
from detectors.veto_groups import HOME_PAGE


def _linked_date(pages: dict[str, PageFacts], key: str) -> date | None:
    """The publication date of the article an entry links to, if this scan read it."""
    page = pages.get(key)
    return page.published if page is not None and page.kind == "article" else None


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
        pages = subject.pages()
        newest: date | None = None
        for entry in listings[-1].entries:
            if entry.pinned:
                continue
            dated = entry.listed or _linked_date(pages, entry.url_key)
            if dated is None:
                continue
            appeared = min(dated, first_seen.get(entry.url_key, dated))
            newest = appeared if newest is None or appeared > newest else newest
        if newest is None:
            return  # nothing dates the home page's content: no evidence for a veto
        days = max(0, (self.today - newest).days)
        if days <= self.max_days:
            return
        period = "2周" if self.max_days == 14 else f" {self.max_days} 天"
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
                "last_new_content": newest.isoformat(),
                "days_since": days,
                "scans_compared": len(listings),
                "criterion": self.criterion,
            },
        )
