"""``interaction_unanswered``: 互动回应差, a single-veto item of the national criteria.

国办秘函〔2019〕19号 (《政府网站与政务新媒体检查指标》) fails a site outright for “互动回应差”:
no working consultation channel, or a message left unanswered for more than 3 months.
The city's plan (龙府办字〔2024〕36号, task 13 “畅通线上互动渠道”) names the channels:
12345 便民热线、市长信箱、网上咨询. Reasons (contract §4):

- ``unanswered`` (veto): a message shown without a reply (状态 未回复/办理中 …, or an
  empty 回复内容) asked more than 3 calendar months before today;
- ``late`` (medium): a message answered more than ``interaction.max_reply_working_days``
  working days after it was asked (official holiday schedule, 调休 counted), or still
  waiting past that limit but not yet 3 months;
- ``no_channel`` (veto): a channel whose link the crawler confirmed broken (its name —
  县长信箱, 在线咨询, 12345 … — is the link's text, and no page of the scan shows that
  channel working), or a broken 写信/留言 form link on a channel's own page.

The plan sets no reply limit for these channels; its only limit for answering the
public is the one for disclosure requests, “自收到申请之日起20个工作日内予以答复”
(task 5), which is the default: the longest written limit, so that a finding is never
a guess. Operators set their channel's own rule (e.g. a 网上留言办理办法's 5 or 15
working days).

Messages come from the channels' list tables and message pages
(:mod:`detectors.interaction_messages`); a message seen both in its list and on its own
page is one message (its own page tells its reply best), reported on its own page.
Messages whose state the page does not say are not judged.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from common.urls import url_key
from common.vocabulary import Severity
from common.workdays import estimate_note
from detectors.base import Detector, Finding
from detectors.holiday_schedule import official_calendar
from detectors.interaction_messages import CHANNEL_RE, Message, channel_name
from detectors.presentation import PAGE, Column, Evidence, days_field, field, named, raw
from detectors.site_subject import SiteSubject
from detectors.veto_groups import INTERACTION

DEFAULT_REPLY_WORKING_DAYS = 20  # the plan's task 5 (see the module docstring)
UNANSWERED_MONTHS = 3  # the criteria's “超过3个月未答复”
FORM_RE = re.compile(r"我要写信|写信|我要留言|在线留言|提交留言|我要咨询|我要投诉|我要建议")

REASON_NAMES = {
    "unanswered": "超过3个月未答复",
    "late": "超过答复时限",
    "no_channel": "互动渠道无法使用",
}


def months_later(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (the month's last day when shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


@dataclass
class _Seen:
    """One message as every page that shows it tells it."""

    message: Message
    page_url: str  # where it is reported: its own page, else the list that shows it
    own_page: bool

    def merge(self, other: Message, page_url: str) -> None:
        own = other.url is not None and url_key(other.url) == url_key(page_url)
        better_date = other.answered is not None and (
            self.message.answered is None or (own and not self.own_page)
        )
        if better_date or (other.state == "answered" and self.message.state != "answered"):
            self.message = other
        if own and not self.own_page:
            self.own_page = True
            self.page_url = page_url


def _messages(seen: Iterable[tuple[str, Message]]) -> list[_Seen]:
    found: dict[tuple[str, ...], _Seen] = {}
    for page_url, message in seen:
        if message.url:
            key: tuple[str, ...] = ("url", url_key(message.url))
        else:
            key = ("page", url_key(page_url), message.title, message.asked.isoformat())
        if key in found:
            found[key].merge(message, page_url)
            continue
        own = message.url is not None and url_key(message.url) == url_key(page_url)
        found[key] = _Seen(message, message.url or page_url, own)
    return sorted(found.values(), key=lambda s: (s.page_url, s.message.asked, s.message.title))


class InteractionUnansweredDetector(Detector):
    id: ClassVar[str] = "interaction_unanswered"
    title: ClassVar[str] = "互动回应差"
    scope: ClassVar[str] = "site"
    severity_rule: ClassVar[str] = (
        "留言超过3个月未答复、互动渠道无法使用属单项否决；超过答复时限答复为中"
    )
    fields: ClassVar[tuple[str, ...]] = (
        "message_title",
        "channel",
        "asked",
        "answered",
        "days_waiting",
        "reason",
    )
    columns: ClassVar[tuple[Column, ...]] = (
        Column("渠道", field("channel"), 1.0),
        Column("留言", field("message_title"), 2.2),
        Column("留言时间", field("asked"), 1.0),
        Column("答复时间", field("answered"), 1.0),
        Column("等待", days_field("days_waiting"), 0.8),
        Column("问题", named("reason", REASON_NAMES), 1.2),
        PAGE,
    )
    sheet: ClassVar[dict] = {"问题对象": raw("channel")}
    evidence: ClassVar[tuple[Evidence, ...]] = (
        Evidence("渠道", "channel"),
        Evidence("留言", "message_title"),
        Evidence("留言时间", "asked", "date"),
        Evidence("答复时间", "answered", "date"),
        Evidence("等待天数", "days_waiting", "days"),
        Evidence("相隔工作日", "working_days"),
        Evidence("工作日计算", "calendar_note"),
        Evidence("问题", "reason"),
        Evidence("无法使用的链接", "target_url", "url"),
        Evidence("错误", "error"),
    )
    veto_group: ClassVar[str] = INTERACTION
    rank: ClassVar[int] = 45
    overview: ClassVar[bool] = True
    criterion: ClassVar[str] = (
        "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决·互动回应差："
        "没有可用的咨询渠道，或留言超过3个月未答复；《龙南市2024年政务公开工作实施方案》"
        "（龙府办字〔2024〕36号）第13项“畅通线上互动渠道”"
    )

    def __init__(self, today: date, max_reply_working_days: int = DEFAULT_REPLY_WORKING_DAYS):
        self.today = today
        self.max_days = max_reply_working_days

    @classmethod
    def from_config(cls, config: Any, settings: Any) -> InteractionUnansweredDetector:
        from common.clock import today

        interaction = getattr(config, "interaction", None)
        days = interaction.max_reply_working_days if interaction else DEFAULT_REPLY_WORKING_DAYS
        return cls(today(), days)

    @classmethod
    def summary_line(cls, record: dict[str, Any]) -> str:
        reason = REASON_NAMES.get(record["reason"], record["reason"])
        if record["reason"] == "no_channel":
            return f"{reason} · {record['channel']} · {record['unit']}"
        return f"{reason} · {record['channel']}《{record['message_title']}》{record['asked']}"

    def check(self, subject: SiteSubject) -> Iterator[Finding]:
        for seen in _messages(subject.messages()):
            finding = self._judge(seen)
            if finding is not None:
                yield finding
        yield from self._broken_channels(subject)

    def _judge(self, seen: _Seen) -> Finding | None:
        message = seen.message
        if message.asked > self.today:
            return None
        calendar = official_calendar()
        if message.state == "waiting":
            if months_later(message.asked, UNANSWERED_MONTHS) < self.today:
                days = (self.today - message.asked).days
                return self._finding(
                    seen,
                    "unanswered",
                    "veto",
                    days,
                    f"至今已 {days} 天未答复，超过3个月未答复属单项否决；请尽快答复",
                )
            end = self.today
        elif message.state == "answered" and message.answered is not None:
            end = message.answered
        else:
            return None
        working = calendar.working_days_between(message.asked, end)
        if working <= self.max_days:
            return None
        note = estimate_note(calendar.estimated_years(message.asked, end))
        estimated = f"（{note}）" if note else ""
        if message.answered is None:
            problem = f"已等待 {working} 个工作日{estimated}仍未答复"
        else:
            problem = f"于 {message.answered} 答复，相隔 {working} 个工作日{estimated}"
        finding = self._finding(
            seen,
            "late",
            "medium",
            (end - message.asked).days,
            f"{problem}，超过 {self.max_days} 个工作日的答复时限",
        )
        finding.details["working_days"] = working
        if note:
            finding.details["calendar_note"] = note
        return finding

    def _finding(
        self, seen: _Seen, reason: str, severity: Severity, days: int, problem: str
    ) -> Finding:
        message = seen.message
        key = f"interaction:{reason}"
        if not seen.own_page:
            key += f":{message.title}:{message.asked.isoformat()}"
        return Finding(
            detector=self.id,
            page_url=seen.page_url,
            key=key,
            severity=severity,
            message=f"{message.channel}留言《{message.title}》（{message.asked} 留言）{problem}",
            details={
                "message_title": message.title,
                "channel": message.channel,
                "asked": message.asked.isoformat(),
                "answered": message.answered.isoformat() if message.answered else None,
                "days_waiting": days,
                "reason": reason,
                "criterion": self.criterion,
            },
        )

    def _broken_channels(self, subject: SiteSubject) -> Iterator[Finding]:
        pages = subject.pages()
        working: set[str] = set()
        for page in pages.values():
            name = channel_name(*reversed(page.crumbs), page.column_name, page.headline)
            if name:
                working.add(name)
        broken: dict[str, Any] = {}
        for row in subject.broken_links():
            if row.element != "a":
                continue
            link = re.sub(r"\s+", "", row.link_text or "")
            named_channel = CHANNEL_RE.search(link)
            if named_channel:
                channel = named_channel.group(0)
                if channel in working:
                    continue  # the channel works through another link
            elif FORM_RE.search(link):
                page = pages.get(row.page_key)
                channel = (
                    channel_name(*reversed(page.crumbs), page.column_name, page.headline)
                    if page is not None
                    else ""
                )
                if not channel:
                    continue
            else:
                continue
            if channel not in broken or row.page_url < broken[channel].page_url:
                broken[channel] = row
        for channel, row in sorted(broken.items()):
            status = f"HTTP {row.http_status}" if row.http_status else row.error
            yield Finding(
                detector=self.id,
                page_url=row.page_url,
                key=f"interaction:no_channel:{channel}",
                severity="veto",
                message=(
                    f"互动渠道“{channel}”无法使用（链接“{row.link_text}”访问失败：{status}），"
                    "没有可用的咨询渠道属单项否决；请尽快修复"
                ),
                details={
                    "message_title": None,
                    "channel": channel,
                    "asked": None,
                    "answered": None,
                    "days_waiting": None,
                    "reason": "no_channel",
                    "target_url": row.target_url,
                    "error": row.error,
                    "criterion": self.criterion,
                },
            )
