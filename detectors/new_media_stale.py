"""``new_media_stale``: an account that has not posted for too long (政务新媒体不更新).

国办秘函〔2019〕19号 makes "no update for 2 weeks" a single-veto item for government
new media; an account idle for over a year is a "僵尸账号" that must be revived or
closed. Freshness is the newest post that is not pinned (置顶 shows old posts first)
and not deleted, judged on ``common.clock.today()`` (Beijing). Only accounts whose
feed this scan could read are judged: an unreadable feed is ``new_media_unreachable``,
never "stale" or "fresh".
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, ClassVar

from detectors.base import Finding
from detectors.new_media_accounts import NewMediaSubject, account_label, configured_accounts

ZOMBIE_DAYS = 365


class NewMediaStaleDetector:
    name: ClassVar[str] = "new_media_stale"
    scope: ClassVar[str] = "site"
    criterion: ClassVar[str] = (
        "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决·政务新媒体 2 周未更新"
    )

    def __init__(self, accounts: dict[str, Any], default_unit: str, today: date):
        self.accounts = accounts
        self.default_unit = default_unit
        self.today = today

    @classmethod
    def from_config(cls, config: Any) -> NewMediaStaleDetector:
        from common.clock import today

        return cls(configured_accounts(config), config.default_unit, today())

    def applies_to(self, config: Any) -> bool:
        return bool(config.new_media)

    def check(self, subject: NewMediaSubject) -> Iterator[Finding]:
        for feed in subject.new_media_feeds():
            account = self.accounts.get(feed.account)
            if account is None or feed.outcome != "ok":
                continue
            limit = account.max_silent_days
            label = account_label(feed.account, feed.platform)
            last = feed.last_published
            if last is None:
                days = None
                message = (
                    f"政务新媒体账号{label}的订阅源中没有可识别发布日期的文章，"
                    f"无法确认近 {limit} 天内有更新，按未更新处理；请核实账号的更新情况"
                )
            else:
                days = max(0, (self.today - last).days)
                if days <= limit:
                    continue
                if days > ZOMBIE_DAYS:
                    message = (
                        f"政务新媒体账号{label}已 {days} 天未更新（最近一次发布于 {last}），"
                        f"超过一年未更新，属于“僵尸账号”；请恢复更新或按规定注销关停"
                    )
                else:
                    message = (
                        f"政务新媒体账号{label}已 {days} 天未更新（最近一次发布于 {last}），"
                        f"超过 {limit} 天未更新属单项否决；请及时发布信息"
                    )
            yield Finding(
                detector=self.name,
                page_url=feed.feed_url,
                key=feed.account,
                severity="veto",
                message=message,
                details={
                    "account": feed.account,
                    "platform": feed.platform,
                    "last_published": last.isoformat() if last else None,
                    "days_since": days,
                    "max_silent_days": limit,
                    "zombie": days is not None and days > ZOMBIE_DAYS,
                    "criterion": self.criterion,
                },
                unit=account.unit or self.default_unit,
            )
