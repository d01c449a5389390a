"""``missing_interpretation``: a policy document without a timely, linked interpretation.

The inspection criteria (国办秘函〔2019〕19号, 发布解读) deduct points for a policy
document whose interpretation is missing or is not linked with it both ways; the
city's plan (《龙南市2024年政务公开工作实施方案》, 龙府办字〔2024〕36号, task 11)
requires the interpretation within 3 working days of the document, "一一关联".
Reasons (contract §4): ``none``; ``not_linked_back`` (linked one way only, or paired
only by a quoted title or 文号); ``late`` (more than ``policy.max_working_days``
working days after the document, on the official holiday schedule with its 调休
weekends: :mod:`detectors.holiday_schedule`). A count that rests on a year whose
schedule is not yet known is an estimate, and the finding says so (``calendar_note``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from common.workdays import estimate_note
from detectors.base import Detector, Finding
from detectors.holiday_schedule import official_calendar
from detectors.interpretation_pairing import Pairing, PolicyPage, pair, policy_pages
from detectors.presentation import (
    PAGE,
    Column,
    Evidence,
    document_cell,
    field,
    named,
    raw,
    url_field,
)
from detectors.scoring import INTERPRETATION_NOT_LINKED
from detectors.site_subject import SiteSubject

REASON_NAMES = {  # as notices and summaries print the contract's reasons
    "none": "未发布解读",
    "not_linked_back": "文件与解读未相互链接",
    "late": "解读超过时限发布",
}


class MissingInterpretationDetector(Detector):
    id: ClassVar[str] = "missing_interpretation"
    title: ClassVar[str] = "政策解读缺失"
    scope: ClassVar[str] = "site"
    severity_rule: ClassVar[str] = "缺少解读、超期或未相互链接均为中"
    fields: ClassVar[tuple[str, ...]] = (
        "document_title",
        "document_number",
        "published",
        "reason",
        "interpretation_url",
    )
    columns: ClassVar[tuple[Column, ...]] = (
        Column("政策文件", document_cell, 2.4),
        Column("发布日期", field("published"), 1.0),
        Column("问题", named("reason", REASON_NAMES), 1.3),
        PAGE,
        Column("解读地址", url_field("interpretation_url"), 1.8, link=True),
    )
    sheet: ClassVar[dict] = {"问题对象": raw("document_title")}
    evidence: ClassVar[tuple[Evidence, ...]] = (
        Evidence("政策文件", "document_title"),
        Evidence("文号", "document_number"),
        Evidence("发布日期", "published", "date"),
        Evidence("问题", "reason"),
        Evidence("解读地址", "interpretation_url", "url"),
        Evidence("解读发布日期", "interpretation_published", "date"),
        Evidence("相隔工作日", "working_days"),
        Evidence("工作日计算", "calendar_note"),
    )
    rank: ClassVar[int] = 70
    score_basis: ClassVar[tuple[str, ...]] = (INTERPRETATION_NOT_LINKED,)
    overview: ClassVar[bool] = True
    criterion: ClassVar[str] = (
        "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》发布解读；"
        "《龙南市2024年政务公开工作实施方案》（龙府办字〔2024〕36号）第11项："
        "文件印发之日起3个工作日内公开解读材料，并与政策文件一一关联"
    )

    def __init__(self, document_columns: list[str], interpretation_columns: list[str], days: int):
        self.document_columns = document_columns
        self.interpretation_columns = interpretation_columns
        self.max_days = days

    @classmethod
    def from_config(cls, config: Any, settings: Any) -> MissingInterpretationDetector:
        policy = config.policy
        return cls(
            list(policy.document_columns),
            list(policy.interpretation_columns),
            policy.max_working_days,
        )

    @classmethod
    def summary_line(cls, record: dict[str, Any]) -> str:
        number = f"（{record['document_number']}）" if record["document_number"] else ""
        reason = REASON_NAMES.get(record["reason"], record["reason"])
        return f"{reason} · 《{record['document_title']}》{number} {record['published'] or ''}"

    def check(self, subject: SiteSubject) -> Iterator[Finding]:
        documents, interpretations = policy_pages(
            subject.pages(), self.document_columns, self.interpretation_columns
        )
        if not documents:
            return
        keys = {d.key for d in documents} | {i.key for i in interpretations}
        outlinks = subject.outlinks(keys)
        for document in documents:
            found = pair(document, interpretations, outlinks)
            if found is None:
                yield self._finding(document, None, "none", "未发布政策解读（或解读未与文件关联）")
                continue
            if not found.both_ways:
                yield self._finding(document, found, "not_linked_back", _link_problem(found))
            late = self._late_by(document, found)
            if late is not None:
                days, note = late
                estimated = f"（{note}）" if note else ""
                finding = self._finding(
                    document,
                    found,
                    "late",
                    f"的解读于 {found.interpretation.published} 发布，距文件发布 {days} 个工作日"
                    f"{estimated}，超过 {self.max_days} 个工作日",
                )
                finding.details["working_days"] = days
                if note:
                    finding.details["calendar_note"] = note
                yield finding

    def _late_by(self, document: PolicyPage, found: Pairing) -> tuple[int, str] | None:
        """Working days from document to interpretation when over the limit, with the
        note that the count is an estimate (empty when it is not); else None."""
        start, end = document.published, found.interpretation.published
        if start is None or end is None:
            return None
        calendar = official_calendar()
        days = calendar.working_days_between(start, end)
        if days <= self.max_days:
            return None
        return days, estimate_note(calendar.estimated_years(start, end))

    def _finding(
        self, document: PolicyPage, found: Pairing | None, reason: str, problem: str
    ) -> Finding:
        number = f"（{document.number}）" if document.number else ""
        interp = found.interpretation.url if found else None
        return Finding(
            detector=self.id,
            page_url=document.url,
            key=f"interpretation:{reason}",
            severity="medium",
            message=(
                f"政策文件《{document.title}》{number}{problem}；"
                f"政策文件应在 {self.max_days} 个工作日内发布解读，并与解读相互链接（一一关联）"
            ),
            details={
                "document_title": document.title,
                "document_number": document.number,
                "published": document.published.isoformat() if document.published else None,
                "reason": reason,
                "interpretation_url": interp,
                "interpretation_published": (
                    found.interpretation.published.isoformat()
                    if found and found.interpretation.published
                    else None
                ),
                "criterion": self.criterion,
            },
        )


def _link_problem(found: Pairing) -> str:
    if found.links_to_document:
        return "的解读链接了文件，但文件页面没有链接解读"
    if found.linked_from_document:
        return "链接了解读，但解读页面没有链接回文件"
    return "的解读只在正文中引用了文件标题或文号，二者未相互链接"
