"""Messages of the consultation channels (县长信箱、领导信箱、咨询投诉、12345 …), read once
while crawling and kept with the page's facts for ``interaction_unanswered``.

Two layouts are read (:mod:`detectors.labelled_fields`):

- a channel's list: a table (or list of rows) headed 标题 / 留言时间 / 状态 / 回复时间
  (and their synonyms: 信件标题, 来信时间, 办理状态, 答复时间 …); a row's link is the
  message's own page;
- a message's page: labelled 留言时间 / 回复单位 / 回复时间 / 回复内容 (and 状态).

A message is ``answered`` when it shows a reply (a reply date, reply text, or a status
such as 已回复/已办结), ``waiting`` when its status or its empty reply says it has
none (未回复, 待回复, 办理中, 暂无回复 …), else ``unknown`` — never judged. A page that
shows no message date is not read at all. Each page keeps at most ``MAX_MESSAGES``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from detectors.dates import parse_date
from detectors.labelled_fields import headed_rows, label_text, labelled_values

CHANNEL_RE = re.compile(
    r"[县市区州省]长信箱|书记信箱|领导信箱|[局厅委]长信箱|主任信箱|[县市区]委书记信箱"
    r"|咨询投诉|网上咨询|在线咨询|政务咨询|我要咨询|我要投诉|投诉举报|网上信访|12345"
    r"|民意直通车|政民互动|留言板|网民留言|问政"
)
MESSAGE_LABELS = {
    "标题": "title",
    "主题": "title",
    "留言标题": "title",
    "留言主题": "title",
    "信件标题": "title",
    "来信标题": "title",
    "来信主题": "title",
    "咨询标题": "title",
    "诉求标题": "title",
    "留言时间": "asked",
    "留言日期": "asked",
    "来信时间": "asked",
    "来信日期": "asked",
    "写信时间": "asked",
    "提问时间": "asked",
    "咨询时间": "asked",
    "投诉时间": "asked",
    "提交时间": "asked",
    "诉求时间": "asked",
    "状态": "status",
    "办理状态": "status",
    "处理状态": "status",
    "回复状态": "status",
    "答复状态": "status",
    "办事状态": "status",
    "回复时间": "answered",
    "回复日期": "answered",
    "答复时间": "answered",
    "答复日期": "answered",
    "办结时间": "answered",
    "办结日期": "answered",
    "处理时间": "answered",
    "办理时间": "answered",
    "回复单位": "unit",
    "答复单位": "unit",
    "回复部门": "unit",
    "办理单位": "unit",
    "处理单位": "unit",
    "承办单位": "unit",
    "回复内容": "reply",
    "答复内容": "reply",
    "回复意见": "reply",
    "答复意见": "reply",
    "办理结果": "reply",
    "处理结果": "reply",
    "处理情况": "reply",
    "办理情况": "reply",
}
ANSWERED_RE = re.compile(r"已回复|已答复|已办结|已处理|已反馈|办结|已完成|已解决")
WAITING_RE = re.compile(
    r"未回复|待回复|未答复|待答复|未办结|待处理|未处理|办理中|处理中|已受理|已转办|转办中|待办理"
)
NO_REPLY_RE = re.compile(r"^(?:暂无|尚未|还未|未)(?:回复|答复|办结)?|^(?:无|—|-|/)$")
MAX_MESSAGES = 300
MAX_TITLE = 200


@dataclass(frozen=True, slots=True)
class Message:
    """One message of a channel as a page shows it."""

    title: str
    url: str | None  # its own page (a list row's link, or the message page itself)
    channel: str
    asked: date
    answered: date | None
    state: str  # answered | waiting | unknown

    def to_json(self) -> dict[str, Any]:
        record = asdict(self)
        record["asked"] = self.asked.isoformat()
        record["answered"] = self.answered.isoformat() if self.answered else None
        return record

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> Message | None:
        """A stored message, or None when the record is not one (never raises)."""
        try:
            return cls(
                title=str(record.get("title") or "")[:MAX_TITLE],
                url=record.get("url") or None,
                channel=str(record.get("channel") or ""),
                asked=date.fromisoformat(record["asked"]),
                answered=(
                    date.fromisoformat(record["answered"]) if record.get("answered") else None
                ),
                state=str(record.get("state") or "unknown"),
            )
        except (KeyError, TypeError, ValueError):
            return None


def channel_name(*names: str) -> str:
    """The consultation channel one of these names (breadcrumb items last first, column
    name, headline) says, or ``""``."""
    for name in names:
        match = CHANNEL_RE.search(name or "")
        if match:
            return match.group(0)
    return ""


def _state(status: str, answered: date | None, reply: str | None) -> str:
    if answered is not None or (ANSWERED_RE.search(status) and not WAITING_RE.search(status)):
        return "answered"
    if WAITING_RE.search(status):
        return "waiting"
    if reply is not None:
        reply = reply.strip()
        if reply and not NO_REPLY_RE.match(reply):
            return "answered"
        return "waiting"
    return "unknown"


def read_messages(
    root: Any, url: str, base: str, headline: str, channel: str, text: str | None = None
) -> list[Message]:
    """The messages a page shows: its list's rows, or the page's own message (``text``:
    the page's :func:`~detectors.labelled_fields.label_text`, when the caller has it)."""
    if root is None:
        return []
    if text is None:
        text = label_text(root)
    found: list[Message] = []
    for row in headed_rows(root, MESSAGE_LABELS, {"title", "asked"}, base, text):
        cells = row.cells
        if "status" not in cells and "answered" not in cells:
            continue
        asked = parse_date(cells.get("asked"))
        if asked is None:
            continue
        answered = parse_date(cells.get("answered"))
        state = _state(cells.get("status", ""), answered, None)
        title = cells.get("title", "")[:MAX_TITLE]
        found.append(Message(title, row.url, channel, asked, answered, state))
        if len(found) >= MAX_MESSAGES:
            return found
    if found:
        return found
    values = labelled_values(root, MESSAGE_LABELS, text)
    asked = parse_date(values.get("asked"))
    if asked is None or not ({"reply", "answered", "status", "unit"} & values.keys()):
        return []
    answered = parse_date(values.get("answered"))
    state = _state(values.get("status", ""), answered, values.get("reply"))
    title = (values.get("title") or headline)[:MAX_TITLE]
    return [Message(title, url, channel, asked, answered, state)]
