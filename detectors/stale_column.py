"""``stale_column``: a column whose newest entry is older than its category allows (栏目不更新).

国办秘函〔2019〕19号 fails a site (单项否决) when news columns idle over 2 weeks plus
notice/policy columns idle over 6 months total 5 or more, or when 10 or more columns
that should be updated long have not; each such column is one ``high`` finding here,
and ``detectors.veto_groups`` counts them against those lines. The allowed age of each
category lives in ``wordlists/columns/categories.yaml``; static columns and columns of
no category are not judged. Ages are counted on ``common.clock.today()`` (Beijing).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, ClassVar

from detectors.base import Detector, Finding
from detectors.column_categories import CategoryTable, load_categories
from detectors.column_discovery import column_overrides, columns_of
from detectors.presentation import PAGE, Column, Evidence, days_field, field, raw
from detectors.site_subject import SiteSubject
from detectors.veto_groups import STALE_COLUMNS


def _category(record: dict[str, Any]) -> str:
    return load_categories().name_of(record.get("category")) or "—"


class StaleColumnDetector(Detector):
    id: ClassVar[str] = "stale_column"
    title: ClassVar[str] = "栏目不更新"
    scope: ClassVar[str] = "site"
    criterion: ClassVar[str] = (
        "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决·栏目不更新"
    )
    severity_rule: ClassVar[str] = (
        "每个超期栏目为高；超期栏目的个数达到否决线时整站单项否决（见周报）"
    )
    fields: ClassVar[tuple[str, ...]] = (
        "column_name",
        "category",
        "last_published",
        "max_age_days",
        "days_since",
    )
    columns: ClassVar[tuple[Column, ...]] = (
        Column("栏目", field("column_name"), 1.3),
        PAGE,
        Column("栏目类别", _category, 1.0),
        Column("最近更新", field("last_published"), 1.0),
        Column("未更新天数", days_field("days_since"), 0.9),
        Column("要求（天）", field("max_age_days"), 0.8),
    )
    sheet: ClassVar[dict] = {"问题对象": raw("column_name")}
    evidence: ClassVar[tuple[Evidence, ...]] = (
        Evidence("栏目", "column_name"),
        Evidence("栏目类别", "category"),
        Evidence("最近更新", "last_published", "date"),
        Evidence("未更新天数", "days_since", "days"),
        Evidence("要求（天）", "max_age_days", "days"),
    )
    veto_group: ClassVar[str] = STALE_COLUMNS
    rank: ClassVar[int] = 50
    overview: ClassVar[bool] = True

    def __init__(self, categories: CategoryTable, overrides: dict[str, Any], today: date):
        self.categories = categories
        self.overrides = overrides
        self.today = today

    @classmethod
    def from_config(cls, config: Any, settings: Any) -> StaleColumnDetector:
        from common.clock import today

        return cls(load_categories(), column_overrides(config), today())

    @classmethod
    def summary_line(cls, record: dict[str, Any]) -> str:
        last = record["last_published"] or "无可识别日期"
        days = f"{record['days_since']} 天" if record["days_since"] is not None else "未知天数"
        return (
            f"{record['column_name']}（{_category(record)}，限 {record['max_age_days']} 天）"
            f" · {record['unit']}：最近发布 {last}，已 {days}"
        )

    def check(self, subject: SiteSubject) -> Iterator[Finding]:
        for column in columns_of(subject, self.overrides, self.categories):
            category = column.category
            if category is None or category.max_age_days is None or not column.entries:
                continue
            limit = category.max_age_days
            last = column.last_published
            if last is None:
                days = None
                message = (
                    f"栏目“{column.name}”（{category.name}）的信息都没有可识别的发布日期，"
                    f"无法确认近 {limit} 天内有更新，按未更新处理；请在列表中标明发布日期"
                )
            else:
                days = max(0, (self.today - last).days)
                if days <= limit:
                    continue
                message = (
                    f"栏目“{column.name}”（{category.name}）已 {days} 天未更新"
                    f"（最近一次发布于 {last}），超过 {limit} 天未更新；请及时更新栏目内容"
                )
            yield Finding(
                detector=self.id,
                page_url=column.url,
                key="column",
                severity="high",
                message=message,
                details={
                    "column_name": column.name,
                    "category": category.id,
                    "last_published": last.isoformat() if last else None,
                    "days_since": days,
                    "max_age_days": limit,
                    "criterion": category.source or self.criterion,
                },
                unit=column.unit,
            )
