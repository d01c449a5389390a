"""``late_publication``: a proactively disclosed document put online too long after its issue.

The city's plan (《龙南市2024年政务公开工作实施方案》, 龙府办字〔2024〕36号, task 3
“健全发布审查制度”) requires documents for proactive disclosure to go online “在印发之日起
3日内”. A document's page shows both days in its 信息公开 metadata block: 成文日期 (or
印发日期/发文日期) and 发布日期 (or 公开日期), read by :mod:`detectors.labelled_fields`
from the shapes the platforms use (Hanweb/大汉 and 邯郸 tables, TRS ``<strong>`` labels,
江西集约化 ``<span>`` labels). Only visible, labelled dates count: a commented-out
成文日期 is not on the page, and the ``PubDate`` a platform migration re-stamps is not
the publication day.

The limit is ``publication.max_days`` (default 3): calendar days, as the plan writes
“3日” (an issue of a Friday published on the Monday is 3 days, on time); with
``publication.working_days: true`` working days on the official holiday schedule with
its 调休 weekends. A page published before its 成文日期 says nothing (a data slip, not a
delay).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, ClassVar

from common.workdays import estimate_note
from detectors.base import Detector, Finding
from detectors.dates import parse_date
from detectors.holiday_schedule import official_calendar
from detectors.labelled_fields import labelled_values
from detectors.page import PageContext
from detectors.page_facts import DOC_NUMBER_RE, normalise_number
from detectors.presentation import PAGE, Column, Evidence, document_cell, field, raw

DEFAULT_MAX_DAYS = 3  # the plan's “印发之日起3日内”

FIELD_LABELS = {
    "成文日期": "issued",
    "成文时间": "issued",
    "印发日期": "issued",
    "印发时间": "issued",
    "发文日期": "issued",
    "发布日期": "published",
    "发布时间": "published",
    "公开日期": "published",
    "公开时间": "published",
    "上网日期": "published",
    "上网时间": "published",
    "文号": "number",
    "发文字号": "number",
    "发文文号": "number",
    "名称": "title",
    "标题": "title",
    "文件名称": "title",
}


def document_number(value: str | None) -> str | None:
    """A 文号 field's number (``无`` and the like are no number)."""
    match = DOC_NUMBER_RE.search(value or "")
    return normalise_number(match.group(0)) if match else None


class LatePublicationDetector(Detector):
    id: ClassVar[str] = "late_publication"
    title: ClassVar[str] = "文件公开不及时"
    scope: ClassVar[str] = "markup"
    severity_rule: ClassVar[str] = "发布日期晚于成文日期超过时限为中"
    fields: ClassVar[tuple[str, ...]] = (
        "document_title",
        "document_number",
        "issued",
        "published",
        "days",
    )
    columns: ClassVar[tuple[Column, ...]] = (
        Column("文件", document_cell, 2.4),
        Column("成文日期", field("issued"), 1.0),
        Column("发布日期", field("published"), 1.0),
        Column("相隔", field("days_text"), 1.0),
        PAGE,
    )
    sheet: ClassVar[dict] = {"问题对象": raw("document_title")}
    evidence: ClassVar[tuple[Evidence, ...]] = (
        Evidence("文件", "document_title"),
        Evidence("文号", "document_number"),
        Evidence("成文日期", "issued", "date"),
        Evidence("发布日期", "published", "date"),
        Evidence("相隔", "days_text"),
        Evidence("日期计算", "calendar_note"),
    )
    rank: ClassVar[int] = 73
    criterion: ClassVar[str] = (
        "《龙南市2024年政务公开工作实施方案》（龙府办字〔2024〕36号）第3项“健全发布审查制度”："
        "主动公开文件需在印发之日起3日内上网公开"
    )

    def __init__(self, max_days: int = DEFAULT_MAX_DAYS, working_days: bool = False):
        self.max_days = max_days
        self.working_days = working_days

    @classmethod
    def from_config(cls, config: Any, settings: Any) -> LatePublicationDetector:
        publication = getattr(config, "publication", None)
        if publication is None:
            return cls()
        return cls(publication.max_days, publication.working_days)

    @property
    def unit_name(self) -> str:
        return "个工作日" if self.working_days else "天"

    def check(self, page: PageContext) -> Iterator[Finding]:
        values = labelled_values(page.root, FIELD_LABELS, page.label_text)
        issued = parse_date(values.get("issued"))
        published = parse_date(values.get("published"))
        if issued is None or published is None or published <= issued:
            return
        days, note = self._days(issued, published)
        if days <= self.max_days:
            return
        title = values.get("title") or page.headline
        number = document_number(values.get("number"))
        shown = f"（{number}）" if number else ""
        estimated = f"（{note}）" if note else ""
        days_text = f"{days} {self.unit_name}"
        details = {
            "document_title": title,
            "document_number": number,
            "issued": issued.isoformat(),
            "published": published.isoformat(),
            "days": days,
            "days_text": days_text,
            "criterion": self.criterion,
        }
        if note:
            details["calendar_note"] = note
        yield Finding(
            detector=self.id,
            page_url=page.url,
            key="late_publication",
            severity="medium",
            message=(
                f"文件《{title}》{shown}成文日期为 {issued}，发布日期为 {published}，"
                f"相隔 {days_text}{estimated}；主动公开文件应在印发之日起 "
                f"{self.max_days} {self.unit_name}内上网公开"
            ),
            details=details,
        )

    def _days(self, issued: date, published: date) -> tuple[int, str]:
        if not self.working_days:
            return (published - issued).days, ""
        calendar = official_calendar()
        days = calendar.working_days_between(issued, published)
        return days, estimate_note(calendar.estimated_years(issued, published))
