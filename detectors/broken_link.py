"""``broken_link``: links a visitor cannot use (国办秘函〔2019〕19号: 链接不可用).

The crawler has already confirmed every URL (retries, HEAD→GET, browser-like
identity, soft-404 probes); this detector turns each confirmed failure into
one finding per (page, target), severity ``high`` on the home page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol
from urllib.parse import unquote

from common.vocabulary import describe_error
from detectors.base import Detector, Finding
from detectors.presentation import PAGE, Column, Evidence, field, raw, url_field
from detectors.scoring import BROKEN_LINKS_HOME, BROKEN_LINKS_OTHER


@dataclass(frozen=True)
class BrokenLinkRow:
    """A link on a page whose target the crawler confirmed as broken."""

    page_url: str
    page_key: str
    target_url: str
    target_key: str
    element: str
    link_text: str
    http_status: int | None
    error: str
    final_url: str | None
    attempts: list[dict[str, Any]]


class BrokenLinkSubject(Protocol):
    home_key: str
    timeout_s: float

    def broken_links(self) -> Iterable[BrokenLinkRow]: ...


ELEMENT_NAMES = {
    "a": "链接",
    "area": "链接",
    "img": "图片",
    "script": "脚本",
    "link": "样式表",
    "iframe": "内嵌页面",
    "frame": "框架页面",
    "embed": "嵌入内容",
    "source": "媒体",
    "object": "嵌入对象",
}


def _reason(record: dict[str, Any]) -> str:
    return describe_error(record.get("error") or "", record.get("http_status"), 15)


class BrokenLinkDetector(Detector):
    id: ClassVar[str] = "broken_link"
    title: ClassVar[str] = "链接不可用"
    scope: ClassVar[str] = "site"
    criterion: ClassVar[str] = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》：链接不可用"
    severity_rule: ClassVar[str] = "首页上的不可用链接为高，其他页面为中"
    fields: ClassVar[tuple[str, ...]] = (
        "target_url",
        "link_text",
        "element",
        "http_status",
        "error",
        "on_home_page",
    )
    columns: ClassVar[tuple[Column, ...]] = (
        PAGE,
        Column("不可用链接", url_field("target_url"), 2.2, link=True),
        Column("链接文字", field("link_text"), 1.3),
        Column("原因", _reason, 1.2),
    )
    sheet: ClassVar[dict] = {"问题对象": raw("target_url")}
    evidence: ClassVar[tuple[Evidence, ...]] = (
        Evidence("不可用链接", "target_url", "url"),
        Evidence("链接文字", "link_text"),
        Evidence("元素", "element"),
        Evidence("HTTP 状态", "http_status"),
        Evidence("原因", "error"),
        Evidence("在首页", "on_home_page", "flag"),
        Evidence("每次尝试", "attempts", "attempts"),
    )
    rank: ClassVar[int] = 80
    checks_drafts: ClassVar[bool] = True  # a draft's links, checked live before publication

    score_basis: ClassVar[tuple[str, ...]] = (BROKEN_LINKS_HOME, BROKEN_LINKS_OTHER)

    def check(self, subject: BrokenLinkSubject) -> Iterator[Finding]:
        for row in subject.broken_links():
            on_home = row.page_key == subject.home_key
            what = ELEMENT_NAMES.get(row.element, "链接")
            label = f"“{row.link_text}”" if row.link_text else ""
            where = "首页" if on_home else "页面"
            reason = describe_error(row.error, row.http_status, subject.timeout_s)
            yield Finding(
                detector=self.id,
                page_url=row.page_url,
                key=row.target_key,
                severity="high" if on_home else "medium",
                message=f"{where}中的{what}{label}无法访问：{reason}（{unquote(row.target_url)}）",
                details={
                    "target_url": row.target_url,
                    "link_text": row.link_text,
                    "element": row.element,
                    "http_status": row.http_status,
                    "error": row.error,
                    "on_home_page": on_home,
                    "criterion": self.criterion,
                },
                evidence={"final_url": row.final_url, "attempts": row.attempts},
            )
