"""What the new-media detectors share: the accounts a scan read, and how to name them.

The subject of ``new_media_stale`` and ``new_media_unreachable`` is anything with
``new_media_feeds()`` → :class:`storage.new_media.FeedState`-like rows (account,
platform, feed_url, outcome, http_status, error, error_detail, last_published);
the site config supplies each account's unit and silence limit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Protocol

PLATFORM_NAMES = {
    "wechat": "微信公众号",
    "weibo": "微博",
    "douyin": "抖音号",
    "toutiao": "今日头条号",
    "kuaishou": "快手号",
    "bilibili": "哔哩哔哩账号",
    "other": "其他平台",
}


class FeedRow(Protocol):
    account: str
    platform: str
    feed_url: str
    outcome: str
    http_status: int | None
    error: str | None
    error_detail: str
    last_published: date | None


class NewMediaSubject(Protocol):
    def new_media_feeds(self) -> Iterable[FeedRow]: ...


def account_label(name: str, platform: str) -> str:
    """``“龙南发布”（微信公众号）``"""
    return f"“{name}”（{PLATFORM_NAMES.get(platform, platform)}）"


def account_cell(record: dict[str, Any]) -> str:
    """An account as a table prints it: ``龙南发布（微信公众号）``."""
    account = "—" if record.get("account") in (None, "") else str(record["account"])
    platform = PLATFORM_NAMES.get(record.get("platform") or "", record.get("platform") or "")
    return f"{account}（{platform}）" if platform else account


def configured_accounts(config: Any) -> dict[str, Any]:
    """The site's ``new_media`` accounts by name."""
    return {account.name: account for account in config.new_media}
