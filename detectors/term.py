"""``term``: erroneous and sensitive terms (错敏词) in what visitors read.

The term base (``wordlists/``, plus the site's ``terms.extra_lists`` and
``terms.allow``) is matched once per page over its visible text (body, title,
image descriptions, meta description). One finding per (page, term): the editor
fixes every occurrence, and the finding stays the same problem when the page is
edited elsewhere.

Outdated names count only in content written after the reform, so each page is
given the date its names are judged at (``content_date``), the earliest of what
the page says about itself:

* its publication: the ``PubDate`` meta (or the like), the visible 发布日期 line and
  the date in its URL. A platform migration restamps ``PubDate`` (a 2017 article
  showing ``PubDate`` 2022): the earliest is the original.
* its own document: the year of its own 文号 (``〔2016〕``), and of the period a
  report covers (``万载县2015年国民经济和社会发展统计公报`` names the bodies of 2015).
Dates after the day of the scan are no evidence (a deadline). An **undated web page**
(a home page, a column list, a hub) has no such date; it is ``seen`` at the newest
date it shows as a stamp, at the end of a line (its list entries' dates, a "last
updated" line), not after the day of the scan: the page, with the site chrome around
it, was served at least that late. Its short lines (footer, navigation, list titles)
are judged at that date, its running prose is not (an old article whose date was
not read must not be judged by a fresh sidebar). So a footer naming 新闻出版总署
(abolished 2013) on an undated list whose entries go up to 2020-08 is reported,
while a body abolished in 2023 in the same footer is not. A page that shows no date
at all is not held to outdated names (it may be an old static page). Text without
markup (attachments, posts) comes with its own date or none. A term in text the
site's template repeats (the same line on ``TEMPLATE_PAGES`` pages or more: a footer,
a navigation bar) becomes one finding for the site when the scan completes
(:meth:`TermDetector.template_message`, ``storage.template_findings``).

Within a page, the matcher dates hits by their own context and lets history be
(``detectors.terms.context``): titles in 《…》 and titles of documents issued by a
body that existed then, 原 + any place name + the name, list entries with their own
dates, 文号 years beside a name.

Names still current in some region (``current_in`` in the word list: 重庆's
区文化和旅游发展委员会) are allowed on pages of that region: the page's own
网站标识码 (``SiteIDCode`` meta or the footer's 网站标识码, whose first digits are the
administrative division code), else the site's ``site.region``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any, ClassVar

from common.clock import today
from common.regions import region_of_site_code
from detectors.base import Detector, Finding, occurrence_spans
from detectors.dates import publication_date, url_date
from detectors.presentation import PAGE, Column, Evidence, field, named, raw
from detectors.terms.context import document_year, stamp_dates
from detectors.terms.matcher import TextFacts
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

    def __init__(self, matcher: Any, region: str | None = None):
        self.matcher = matcher
        self.region = region  # the site's (config site.region)

    @classmethod
    def from_config(cls, config: Any, settings: Any) -> TermDetector:
        from detectors.resources import term_matcher
        from detectors.terms.allow_file import read_allow_file

        # the allow file is read at each scan: terms the review app added since are in
        allow = (*config.terms.allow, *read_allow_file(config.terms.allow_file))
        return cls(term_matcher(tuple(config.terms.extra_lists), allow), config.site.region)

    def prepare(self, pages: list[Any]) -> None:
        """Search a batch of pages at once (see ``TermMatcher.find_many``)."""
        found = self.matcher.find_many([(page.text.text, self.facts(page)) for page in pages])
        for page, hits in zip(pages, found, strict=True):
            page.prepared[self.id] = hits

    def facts(self, page: Any) -> TextFacts:
        """The page's dates and region, for the matcher."""
        published = content_date(page)
        seen = None if published else seen_date(page)
        return TextFacts(published, seen, page_region(page) or self.region)

    def check(self, page: Any) -> Iterator[Finding]:
        text = page.text
        hits = page.prepared.pop(self.id, None)
        if hits is None:
            hits = self.matcher.find_many([(text.text, self.facts(page))])[0]
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
                evidence={"spans": occurrence_spans(group)},
            )


    @classmethod
    def template_message(cls, details: dict[str, Any], pages: int) -> str | None:
        """A term in the site's template (the same line on many pages): one finding."""
        kind = CATEGORY_NAMES.get(details.get("category", ""), details.get("category", ""))
        suggestion = details.get("suggestion")
        advice = f"，建议改为“{suggestion}”" if suggestion else "，请核实删除"
        return (
            f"网站模板（页脚、导航等 {pages} 个页面共有的文字）中出现{kind}"
            f"“{details.get('term', '')}”{advice}：{details.get('context', '')}"
        )


def content_date(page: Any) -> date | None:
    """The date a page's names are judged at (see the module docstring): the earliest
    of its publication dates and its own document's year, none after today."""
    text = page.text.text
    headline = (page.meta.get("ArticleTitle") or page.title or "").strip()
    dates = [
        page.published,
        publication_date({}, text),
        url_date(page.url),
        document_year(headline, text),
    ]
    now = today()
    found = [d for d in dates if d is not None and d <= now]
    return min(found) if found else None


def seen_date(page: Any) -> date | None:
    """For an undated web page, the newest date it shows as a stamp (not after today):
    when it was served at the latest, chrome and all. None for a dated page, for text
    without markup and for a page that shows no date."""
    if page.root is None or content_date(page) is not None:
        return None
    now = today()
    stamps = [d for d in stamp_dates(page.text.text) if d <= now]
    return max(stamps) if stamps else None


_SITE_CODE_RE = re.compile(r"网站标识码\s*[:：]?\s*(\d{10})(?!\d)")


def page_region(page: Any) -> str | None:
    """The region of the page's own 网站标识码: its ``SiteIDCode`` meta, else the one a
    footer shows (``网站标识码：3609220011``)."""
    code = page.meta.get("SiteIDCode") or ""
    region = region_of_site_code(code) if code else None
    if region is None:
        m = _SITE_CODE_RE.search(page.text.text)
        region = region_of_site_code(m.group(1)) if m else None
    return region
