"""``new_media_unreachable``: an account whose mirror feed could not be read.

Without its feed nothing can be said about an account — whether it still posts, or
what it posts — so a failed read is its own finding, with the reason (HTTP error,
timeout, an answer that is not a feed, a feed without posts), and never counts as
"fresh" or "stale". Usually the mirror needs attention (an expired RSSHub route, a
WeWe-RSS login); sometimes the account itself was closed or banned. The unit that
opened the account can fix neither the mirror nor govwatch, so the finding goes to the
office that runs the monitoring (``reports.monitoring_unit``, else the default unit),
worded for people who never heard of feed formats, and names the account's own unit
for when the mirror is fine and the account is not.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from common.vocabulary import describe_error
from detectors.base import Detector, Finding
from detectors.new_media_accounts import (
    NewMediaSubject,
    account_cell,
    account_label,
    configured_accounts,
)
from detectors.presentation import Column, Evidence, field, raw, url_field
from detectors.veto_groups import NEW_MEDIA

FEED_ERRORS = {  # also the crawler's words for what it read (crawler/new_media/feeds.py)
    "not_a_feed": "镜像返回的不是文章列表",
    "empty_feed": "镜像中没有这个账号的任何文章",
    "too_large": "镜像返回的内容过大",
    "bad_json": "镜像返回的内容格式有误",
    "parse_error": "镜像返回的内容无法识别",
    "robots_txt": "镜像网站禁止程序访问（robots.txt）",
    "rate_limited": "镜像限制访问频率（HTTP 429）",
}


def unreadable_reason(
    error: str | None, http_status: int | None, detail: str, timeout_s: float
) -> str:
    """Why a feed could not be read, in the words of a notice."""
    code = error or "unknown"
    return detail or FEED_ERRORS.get(code) or describe_error(code, http_status, timeout_s)


class NewMediaUnreachableDetector(Detector):
    id: ClassVar[str] = "new_media_unreachable"
    title: ClassVar[str] = "新媒体无法读取"
    scope: ClassVar[str] = "site"
    severity_rule: ClassVar[str] = "订阅源无法读取为高：更新情况和发布内容都无从判断"
    fields: ClassVar[tuple[str, ...]] = ("account", "platform", "error")
    columns: ClassVar[tuple[Column, ...]] = (
        Column("账号", account_cell, 1.6),
        Column("订阅地址", url_field("page_url"), 2.0, link=True),
        Column("问题说明", field("message"), 3.0),
    )
    sheet: ClassVar[dict] = {"问题对象": raw("account")}
    evidence: ClassVar[tuple[Evidence, ...]] = (
        Evidence("账号", "account"),
        Evidence("平台", "platform"),
        Evidence("原因", "error"),
        Evidence("HTTP 状态", "http_status"),
    )
    veto_group: ClassVar[str] = NEW_MEDIA
    rank: ClassVar[int] = 100
    criterion: ClassVar[str] = (
        "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》：政务新媒体应正常运行并持续更新"
    )

    def __init__(
        self,
        accounts: dict[str, Any],
        default_unit: str,
        timeout_s: float,
        monitoring_unit: str | None = None,
    ):
        self.accounts = accounts
        self.default_unit = default_unit
        self.monitoring_unit = monitoring_unit or default_unit
        self.timeout_s = timeout_s

    @classmethod
    def from_config(cls, config: Any, settings: Any) -> NewMediaUnreachableDetector:
        return cls(
            configured_accounts(config),
            config.default_unit,
            config.site.timeout_s,
            config.monitoring_unit,
        )

    def applies_to(self, config: Any) -> bool:
        return bool(config.new_media)

    def check(self, subject: NewMediaSubject) -> Iterator[Finding]:
        for feed in subject.new_media_feeds():
            account = self.accounts.get(feed.account)
            if account is None or feed.outcome == "ok":
                continue
            error = feed.error or "unknown"
            reason = unreadable_reason(
                feed.error, feed.http_status, feed.error_detail, self.timeout_s
            )
            owner = account.unit or self.default_unit
            yield Finding(
                detector=self.id,
                page_url=feed.feed_url,
                key=feed.account,
                severity="high",
                message=(
                    f"通过订阅镜像读取政务新媒体账号{account_label(feed.account, feed.platform)}"
                    f"的文章失败：{reason}，无法判断该账号的更新情况和发布内容。"
                    "请检查镜像中该账号的订阅地址和登录授权是否有效；镜像正常仍读取失败的，"
                    f"请与账号开设单位（{owner}）核实账号是否仍在运营"
                ),
                details={
                    "account": feed.account,
                    "platform": feed.platform,
                    "error": error,
                    "http_status": feed.http_status,
                    "criterion": self.criterion,
                },
                unit=self.monitoring_unit,
            )
