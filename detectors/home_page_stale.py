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

from detectors.base import Finding

MAX_DAYS = 14


class HomePageStaleDetector:
    name: ClassVar[str] = "home_page_stale"
    scope: ClassVar[str] = "site"
    criterion: ClassVar[str] = (
        "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决·首页不更新"
    )

    def __init__(self, home_url: str, today: date):
        self.home_url = home_url
        self.today = today

    @classmethod
    def from_config(cls, config: Any) -> HomePageStaleDetector:
        from common.clock import today

        return cls(config.site.home_url or config.site.start_urls[0], today())

    def applies_to(self, config: Any) -> bool:
        return True

    def check(self, subject: Any) -> Iterator[Finding]:
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
        if days is not None and days <= MAX_DAYS:
            return
        if newest is None:
            message = (
                "首页没有标明发布日期的信息，无法确认近2周有新内容，按未更新处理"
                "（单项否决）；请在首页展示带发布日期的最新信息"
            )
        else:
            message = (
                f"首页已 {days} 天没有新内容（最近一条新内容为 {newest}），"
                "超过2周未更新属单项否决；请及时更新首页信息"
            )
        yield Finding(
            detector=self.name,
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
