"""Problems grouped by type, one table per type with that type's own columns.

Notices (docx, html) and the weekly report print findings the way a unit fixes them:
broken links with page and target, terms with context and suggestion, columns with
their last date, and so on. Each detector has a column spec here; a detector without
one (added later, or unknown) still prints, in a generic table of page and message,
so no finding is ever dropped from a notice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from common.vocabulary import describe_error
from detectors.column_categories import load_categories
from detectors.missing_interpretation import REASON_NAMES
from detectors.new_media_accounts import PLATFORM_NAMES
from detectors.privacy_leak import KIND_NAMES
from detectors.term import CATEGORY_NAMES
from reports.findings_export import DETECTOR_NAMES, SEVERITY_NAMES, STATUS_NAMES

Cell = Callable[[dict[str, Any]], str]

# Order of the tables in a notice: what fails an inspection first.
TYPE_ORDER = (
    "site_unreachable",
    "home_page_stale",
    "hidden_link",
    "term",
    "privacy_leak",
    "stale_column",
    "blank_column",
    "missing_interpretation",
    "broken_link",
    "new_media_stale",
    "new_media_unreachable",
)


def type_name(detector: str) -> str:
    return DETECTOR_NAMES.get(detector) or detector


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(_text(v) for v in value)
    return str(value)


def field(name: str) -> Cell:
    return lambda r: _text(r.get(name))


def url_field(name: str) -> Cell:
    """A URL as people read it: percent-encoded Chinese paths decoded (the HTML link
    still works: browsers encode it again)."""
    return lambda r: unquote(_text(r.get(name)))


def _severity(r: dict[str, Any]) -> str:
    return SEVERITY_NAMES.get(r.get("severity", ""), _text(r.get("severity")))


def _link_reason(r: dict[str, Any]) -> str:
    return describe_error(r.get("error") or "", r.get("http_status"), 15)


def _term_category(r: dict[str, Any]) -> str:
    return CATEGORY_NAMES.get(r.get("category", ""), _text(r.get("category")))


def _privacy_kind(r: dict[str, Any]) -> str:
    return KIND_NAMES.get(r.get("kind", ""), _text(r.get("kind")))


def _masked(r: dict[str, Any]) -> str:
    values = r.get("masked_values") or [r.get("masked_value")]
    return _text([v for v in values if v])


def _account(r: dict[str, Any]) -> str:
    platform = PLATFORM_NAMES.get(r.get("platform", ""), r.get("platform") or "")
    return f"{_text(r.get('account'))}（{platform}）" if platform else _text(r.get("account"))


def _stale_category(r: dict[str, Any]) -> str:
    return load_categories().name_of(r.get("category")) or "—"


def _days(name: str) -> Cell:
    return lambda r: "—" if r.get(name) is None else f"{r[name]} 天"


def _reason(r: dict[str, Any]) -> str:
    return REASON_NAMES.get(r.get("reason", ""), _text(r.get("reason")))


def _document(r: dict[str, Any]) -> str:
    title, number = _text(r.get("document_title")), r.get("document_number")
    return f"{title}（{number}）" if number else title


def _probe_rate(r: dict[str, Any]) -> str:
    failures, probes = r.get("failures"), r.get("probes")
    if not probes:
        return "—"
    return f"{failures}/{probes}（{100 * (failures or 0) / probes:.1f}%）"


@dataclass(frozen=True)
class Column:
    title: str
    cell: Cell
    width: float = 1.0  # relative width, so tables fit the page
    link: bool = False  # the cell is a URL (printed small, clickable in HTML)


PAGE = Column("所在页面", url_field("page_url"), 2.2, link=True)
LEVEL = Column("级别", _severity, 0.95)
SPECS: dict[str, list[Column]] = {
    "broken_link": [
        PAGE,
        Column("不可用链接", url_field("target_url"), 2.2, link=True),
        Column("链接文字", field("link_text"), 1.3),
        Column("原因", _link_reason, 1.2),
    ],
    "term": [
        PAGE,
        Column("错敏词", field("term"), 0.9),
        Column("推荐修改", field("suggestion"), 0.9),
        Column("所在上下文", field("context"), 2.4),
        Column("类别", _term_category, 0.9),
    ],
    "privacy_leak": [
        PAGE,
        Column("信息类型", _privacy_kind, 0.9),
        Column("号码（已脱敏）", _masked, 1.4),
        Column("所在上下文", field("context"), 2.4),
    ],
    "hidden_link": [
        PAGE,
        Column("暗链地址", url_field("target_url"), 2.0, link=True),
        Column("链接文字", field("link_text"), 1.2),
        Column("隐藏方式", field("hidden_by"), 1.2),
    ],
    "stale_column": [
        Column("栏目", field("column_name"), 1.3),
        PAGE,
        Column("栏目类别", _stale_category, 1.0),
        Column("最近更新", field("last_published"), 1.0),
        Column("未更新天数", _days("days_since"), 0.9),
        Column("要求（天）", field("max_age_days"), 0.8),
    ],
    "blank_column": [
        Column("栏目", field("column_name"), 1.5),
        PAGE,
    ],
    "missing_interpretation": [
        Column("政策文件", _document, 2.4),
        Column("发布日期", field("published"), 1.0),
        Column("问题", _reason, 1.3),
        PAGE,
        Column("解读地址", url_field("interpretation_url"), 1.8, link=True),
    ],
    "new_media_stale": [
        Column("账号", _account, 1.6),
        Column("最近发布", field("last_published"), 1.0),
        Column("未更新天数", _days("days_since"), 0.9),
        Column("订阅地址", url_field("page_url"), 2.0, link=True),
    ],
    "new_media_unreachable": [
        Column("账号", _account, 1.6),
        Column("订阅地址", url_field("page_url"), 2.0, link=True),
        Column("问题说明", field("message"), 3.0),
    ],
    "home_page_stale": [
        PAGE,
        Column("最近新增内容", field("last_new_content"), 1.2),
        Column("未更新天数", _days("days_since"), 1.0),
        Column("对比扫描次数", field("scans_compared"), 1.0),
    ],
    "site_unreachable": [
        PAGE,
        Column("探测失败/总次数", _probe_rate, 1.6),
        Column("统计天数", field("window_days"), 1.0),
    ],
}
GENERIC = [PAGE, Column("问题说明", field("message"), 3.5)]


def columns_for(detector: str) -> list[Column]:
    return SPECS.get(detector, GENERIC)


@dataclass
class ProblemTable:
    """The findings of one type, ready to print."""

    detector: str
    title: str
    columns: list[Column]
    rows: list[list[str]]
    records: list[dict[str, Any]]
    veto: int  # how many are single-veto items

    @property
    def headers(self) -> list[str]:
        return ["序号", *(c.title for c in self.columns), "级别"]

    def widths(self) -> list[float]:
        """Relative widths of the printed columns (序号 and 级别 included), summing to 1."""
        raw = [0.5, *(c.width for c in self.columns), LEVEL.width]
        total = sum(raw)
        return [w / total for w in raw]

    def link_columns(self) -> list[bool]:
        return [False, *(c.link for c in self.columns), False]


def _type_rank(detector: str) -> tuple[int, str]:
    if detector in TYPE_ORDER:
        return TYPE_ORDER.index(detector), detector
    return len(TYPE_ORDER), detector


def group_by_type(records: Iterable[dict[str, Any]]) -> list[ProblemTable]:
    """Tables in notice order; inside each, veto first, then by page."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        groups.setdefault(record["detector"], []).append(record)
    tables = []
    for detector in sorted(groups, key=_type_rank):
        items = sorted(
            groups[detector],
            key=lambda r: (r.get("severity") != "veto", r.get("page_url") or "", r["id"]),
        )
        columns = columns_for(detector)
        rows = [
            [str(i), *(c.cell(r) for c in columns), _severity(r)]
            for i, r in enumerate(items, start=1)
        ]
        tables.append(
            ProblemTable(
                detector=detector,
                title=type_name(detector),
                columns=columns,
                rows=rows,
                records=items,
                veto=sum(1 for r in items if r.get("severity") == "veto"),
            )
        )
    return tables


def status_name(status: str) -> str:
    return STATUS_NAMES.get(status, status)
