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

from detectors.base import Detector, Finding, Option
from detectors.new_media_accounts import (
    NewMediaSubject,
    account_cell,
    account_label,
    configured_accounts,
)
from detectors.new_media_unreachable import unreadable_reason
from detectors.presentation import Column, Evidence, days_field, field, raw, url_field
from detectors.veto_groups import NEW_MEDIA


def _span(days: int) -> str:
    return "一年" if days == 365 else f" {days} 天"


class NewMediaStaleDetector(Detector):
    id: ClassVar[str] = "new_media_stale"
    title: ClassVar[str] = "新媒体不更新"
    scope: ClassVar[str] = "site"
    criterion: ClassVar[str] = (
        "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决·政务新媒体 2 周未更新"
    )
    severity_rule: ClassVar[str] = "超过时限未更新属单项否决；超过一年未更新另标为“僵尸账号”"
    options: ClassVar[dict[str, Option]] = {
        "max_silent_days": Option(
            14, "账号允许多少天不更新（国家检查指标为 2 周；账号自己的设置优先）", 1, 365
        ),
        "zombie_days": Option(365, "超过多少天未更新称为“僵尸账号”", 30, 3650),
    }
    fields: ClassVar[tuple[str, ...]] = (
        "account",
        "platform",
        "last_published",
        "days_since",
        "zombie",
    )
    columns: ClassVar[tuple[Column, ...]] = (
        Column("账号", account_cell, 1.6),
        Column("最近发布", field("last_published"), 1.0),
        Column("未更新天数", days_field("days_since"), 0.9),
        Column("订阅地址", url_field("page_url"), 2.0, link=True),
    )
    sheet: ClassVar[dict] = {"问题对象": raw("account")}
    evidence: ClassVar[tuple[Evidence, ...]] = (
        Evidence("账号", "account"),
        Evidence("平台", "platform"),
        Evidence("最近发布", "last_published", "date"),
        Evidence("未更新天数", "days_since", "days"),
        Evidence("时限（天）", "max_silent_days", "days"),
        Evidence("僵尸账号", "zombie", "flag"),
    )
    veto_group: ClassVar[str] = NEW_MEDIA
    rank: ClassVar[int] = 90

    def __init__(
        self,
        accounts: dict[str, Any],
        default_unit: str,
        today: date,
        max_silent_days: int = 14,
        zombie_days: int = 365,
        timeout_s: float = 15,
    ):
        self.accounts = accounts
        self.default_unit = default_unit
        self.today = today
        self.max_silent_days = max_silent_days
        self.zombie_days = zombie_days
        self.timeout_s = timeout_s

    @classmethod
    def from_config(cls, config: Any, settings: Any) -> NewMediaStaleDetector:
        from common.clock import today

        return cls(
            configured_accounts(config),
            config.default_unit,
            today(),
            settings["max_silent_days"],
            settings["zombie_days"],
            config.site.timeout_s,
        )

    def applies_to(self, config: Any) -> bool:
        return bool(config.new_media)

    def limit_for(self, account: Any) -> int:
        """An account's own ``max_silent_days``, else the site's setting for the detector."""
        return getattr(account, "max_silent_days", None) or self.max_silent_days

    def status_lines(self, subject: NewMediaSubject) -> list[str]:
        """A heading and ``“龙南发布”（微信公众号） · 市融媒体中心：正常，最近发布于
        2024-11-22`` for each account the scan read, fresh or not (nothing when none)."""
        lines = []
        for feed in subject.new_media_feeds():
            account = self.accounts.get(feed.account)
            unit = (account.unit if account else None) or self.default_unit
            label = f"{account_label(feed.account, feed.platform)} · {unit}"
            if feed.outcome != "ok":
                reason = unreadable_reason(
                    feed.error, feed.http_status, feed.error_detail, self.timeout_s
                )
                lines.append(f"{label}：无法读取订阅源——{reason}")
            elif feed.last_published is None:
                lines.append(f"{label}：没有可识别发布日期的文章")
            else:
                days = (self.today - feed.last_published).days
                verdict = "正常" if days <= self.limit_for(account) else f"{days} 天未更新"
                lines.append(f"{label}：{verdict}，最近发布于 {feed.last_published}")
        return ["政务新媒体账号：", *(f"  {line}" for line in lines)] if lines else []

    def check(self, subject: NewMediaSubject) -> Iterator[Finding]:
        for feed in subject.new_media_feeds():
            account = self.accounts.get(feed.account)
            if account is None or feed.outcome != "ok":
                continue
            limit = self.limit_for(account)
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
                if days > self.zombie_days:
                    message = (
                        f"政务新媒体账号{label}已 {days} 天未更新（最近一次发布于 {last}），"
                        f"超过{_span(self.zombie_days)}未更新，属于“僵尸账号”；"
                        "请恢复更新或按规定注销关停"
                    )
                else:
                    message = (
                        f"政务新媒体账号{label}已 {days} 天未更新（最近一次发布于 {last}），"
                        f"超过 {limit} 天未更新属单项否决；请及时发布信息"
                    )
            yield Finding(
                detector=self.id,
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
                    "zombie": days is not None and days > self.zombie_days,
                    "criterion": self.criterion,
                },
                unit=account.unit or self.default_unit,
            )
