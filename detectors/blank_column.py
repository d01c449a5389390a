"""``blank_column``: a column with no content that does not say why (空白栏目).

国办秘函〔2019〕19号: a column genuinely without content must say so on the page (and
why), or it counts as blank; 5 or more blank columns fail the site (单项否决, counted by
``detectors.veto_groups``). A page that only says 暂无信息 is blank; one that explains
(因本单位未发生…, 不涉及…) is not. Pages with other content (services, an
introduction) are not blank either, nor pages whose content is a form, a frame, media or
a list a script loads: only a column page whose main content, chrome aside, is nothing or
a placeholder is.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from detectors.base import Detector, Finding
from detectors.column_categories import CategoryTable, load_categories
from detectors.column_discovery import column_overrides, columns_of
from detectors.presentation import PAGE, Column, Evidence, field, raw
from detectors.site_subject import SiteSubject
from detectors.veto_groups import BLANK_COLUMNS

# Characters of main content (chrome, column heading removed) a blank page may still show:
# a placeholder such as “暂无信息” or “本栏目暂无相关内容”.
MAX_BLANK_CHARS = 20


class BlankColumnDetector(Detector):
    id: ClassVar[str] = "blank_column"
    title: ClassVar[str] = "空白栏目"
    scope: ClassVar[str] = "site"
    severity_rule: ClassVar[str] = (
        "每个空白栏目为高；空白栏目达到 5 个时整站单项否决（见周报）"
    )
    fields: ClassVar[tuple[str, ...]] = ("column_name",)
    columns: ClassVar[tuple[Column, ...]] = (Column("栏目", field("column_name"), 1.5), PAGE)
    sheet: ClassVar[dict] = {"问题对象": raw("column_name")}
    evidence: ClassVar[tuple[Evidence, ...]] = (Evidence("栏目", "column_name"),)
    veto_group: ClassVar[str] = BLANK_COLUMNS
    rank: ClassVar[int] = 60
    overview: ClassVar[bool] = True
    criterion: ClassVar[str] = (
        "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决·栏目不更新（空白栏目）"
    )

    def __init__(self, categories: CategoryTable, overrides: dict[str, Any]):
        self.categories = categories
        self.overrides = overrides

    @classmethod
    def from_config(cls, config: Any, settings: Any) -> BlankColumnDetector:
        return cls(load_categories(), column_overrides(config))

    @classmethod
    def summary_line(cls, record: dict[str, Any]) -> str:
        return f"{record['column_name']} · {record['unit']}：{record['page_url']}"

    def check(self, subject: SiteSubject) -> Iterator[Finding]:
        for column in columns_of(subject, self.overrides, self.categories):
            page = column.page
            own_chars = page.content_chars - column.template_chars  # sidebar links aside
            if column.entries or page.note or page.widgets or own_chars > MAX_BLANK_CHARS:
                continue  # content, an explanation, or content govwatch cannot see empty
            said = "只显示“暂无信息”一类提示，" if page.placeholder else ""
            yield Finding(
                detector=self.id,
                page_url=column.url,
                key="column",
                severity="high",
                message=(
                    f"栏目“{column.name}”没有任何信息，{said}也没有说明无内容的原因，属于空白栏目；"
                    "请发布信息，或在栏目页面说明暂无内容的原因"
                ),
                details={"column_name": column.name, "criterion": self.criterion},
                unit=column.unit,
            )
