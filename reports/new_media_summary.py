"""The new-media part of a scan's summary: one line per account, as the demo prints it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from common.clock import today
from detectors.new_media_accounts import account_label
from detectors.new_media_unreachable import unreadable_reason
from storage.new_media import feed_states
from storage.queries import latest_scan_ids


def new_media_lines(session: Session, site: str, config: Any) -> list[str]:
    """``龙南发布（微信公众号）· 市融媒体中心：正常，最近发布于 2024-11-22`` for each
    account the site's latest completed scan read (empty when it has none)."""
    scans = latest_scan_ids(session, site)
    if not scans:
        return []
    accounts = {a.name: a for a in config.new_media}
    lines = []
    for state in feed_states(session, site, scans[0]):
        account = accounts.get(state.account)
        unit = (account.unit if account else None) or config.default_unit
        limit = account.max_silent_days if account else 14
        label = f"{account_label(state.account, state.platform)} · {unit}"
        if state.outcome != "ok":
            reason = unreadable_reason(
                state.error, state.http_status, state.error_detail, config.site.timeout_s
            )
            lines.append(f"{label}：无法读取订阅源——{reason}")
        elif state.last_published is None:
            lines.append(f"{label}：没有可识别发布日期的文章")
        else:
            days = (today() - state.last_published).days
            verdict = "正常" if days <= limit else f"{days} 天未更新"
            lines.append(f"{label}：{verdict}，最近发布于 {state.last_published}")
    return lines
