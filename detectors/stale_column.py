"""``stale_column``: a column whose newest entry is older than its category allows (栏目不更新).

国办秘函〔2019〕19号 fails a site (单项否决) when news columns idle over 2 weeks plus
notice/policy columns idle over 6 months total 5 or more, or when 10 or more columns
that should be updated long have not; each such column is one ``high`` finding here,
and ``reports.column_veto`` counts them against those lines. The allowed age of each
category lives in ``wordlists/columns/categories.yaml``; static columns and columns of
no category are not judged. Ages are counted on ``common.clock.today()`` (Beijing).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, ClassVar

from detectors.base import Finding
from detectors.column_categories import CategoryTable, load_categories
from detectors.column_discovery import column_overrides, columns_of


class StaleColumnDetector:
    name: ClassVar[str] = "stale_column"
    scope: ClassVar[str] = "site"
    criterion: ClassVar[str] = (
        "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决·栏目不更新"
    )

    def __init__(self, categories: CategoryTable, overrides: dict[str, Any], today: date):
        self.categories = categories
        self.overrides = overrides
        self.today = today

    @classmethod
    def from_config(cls, config: Any) -> StaleColumnDetector:
        from common.clock import today

        return cls(load_categories(), column_overrides(config), today())

    def applies_to(self, config: Any) -> bool:
        return True

    def check(self, subject: Any) -> Iterator[Finding]:
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
                detector=self.name,
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
