"""``term``: erroneous and sensitive terms (错敏词) in what visitors read.

The term base (``wordlists/``, plus the site's ``terms.extra_lists`` and
``terms.allow``) is matched once per page over its visible text (body, title,
image descriptions, meta description). One finding per (page, term): the
editor fixes every occurrence, and the finding stays the same problem when
the page is edited elsewhere. Outdated names count only in content published
after the reform (the page's ``PubDate`` or visible date).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from detectors.base import Detector, Finding
from detectors.presentation import PAGE, Column, Evidence, field, named, raw
from detectors.veto_groups import SERIOUS_ERRORS

CATEGORY_NAMES = {
    "sensitive": "敏感词",
    "wrong_expression": "不规范政治表述",
    "outdated_name": "过时的机构名称",
    "typo": "错别字",
}
CRITERION = "国办秘函〔2019〕19号 单项否决·严重错误；《政府网站与政务新媒体检查指标》内容准确性"


class TermDetector(Detector):
    id: ClassVar[str] = "term"
    title: ClassVar[str] = "错敏词"
    scope: ClassVar[str] = "text"
    criterion: ClassVar[str] = CRITERION
    severity_rule: ClassVar[str] = "按词表中每个词的级别（严重错误表述和敏感词为单项否决）"
    fields: ClassVar[tuple[str, ...]] = ("term", "category", "suggestion", "context", "offset")
    columns: ClassVar[tuple[Column, ...]] = (
        PAGE,
        Column("错敏词", field("term"), 0.9),
        Column("推荐修改", field("suggestion"), 0.9),
        Column("所在上下文", field("context"), 2.4),
        Column("类别", named("category", CATEGORY_NAMES), 0.9),
    )
    sheet: ClassVar[dict] = {"错敏词": raw("term"), "推荐修改": raw("suggestion")}
    evidence: ClassVar[tuple[Evidence, ...]] = (
        Evidence("错敏词", "term"),
        Evidence("类别", "category"),
        Evidence("推荐修改", "suggestion"),
        Evidence("所在上下文", "context", "context"),
        Evidence("位置", "where"),
        Evidence("出现次数", "occurrences"),
    )
    veto_group: ClassVar[str] = SERIOUS_ERRORS
    rank: ClassVar[int] = 30

    def __init__(self, matcher: Any):
        self.matcher = matcher

    @classmethod
    def from_config(cls, config: Any, settings: Any) -> TermDetector:
        from detectors.resources import term_matcher

        return cls(term_matcher(tuple(config.terms.extra_lists), tuple(config.terms.allow)))

    def prepare(self, pages: list[Any]) -> None:
        """Search a batch of pages at once (see ``TermMatcher.find_many``)."""
        found = self.matcher.find_many([(page.text.text, page.published) for page in pages])
        for page, hits in zip(pages, found, strict=True):
            page.prepared[self.id] = hits

    def check(self, page: Any) -> Iterator[Finding]:
        text = page.text
        hits = page.prepared.pop(self.id, None)
        if hits is None:
            hits = self.matcher.find(text.text, published=page.published)
        by_term: dict[str, list[Any]] = {}
        for hit in hits:
            by_term.setdefault(hit.entry.term, []).append(hit)
        for term, group in by_term.items():
            first = min(group, key=lambda h: h.start)
            entry = first.entry
            where = text.label_at(first.start)
            kind = CATEGORY_NAMES.get(entry.category, entry.category)
            advice = f"，建议改为“{entry.suggestion}”" if entry.suggestion else "，请核实删除"
            times = f"（共 {len(group)} 处）" if len(group) > 1 else ""
            yield Finding(
                detector=self.id,
                page_url=page.url,
                key=term,
                severity=entry.severity,
                message=f"{where}中出现{kind}“{first.matched}”{times}{advice}：{first.context}",
                details={
                    "term": term,
                    "category": entry.category,
                    "suggestion": entry.suggestion,
                    "context": first.context,
                    "offset": first.start,
                    "occurrences": len(group),
                    "where": where,
                    "source": entry.source,
                    "criterion": self.criterion,
                },
            )
