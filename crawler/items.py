"""What the crawler emits: parsed pages, and batches of confirmed URL results."""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.fetch_policy import UrlResult
from crawler.page_links import PageLink


@dataclass
class PageItem:
    """An HTML page of the site, parsed, with the distinct links on it."""

    key: str
    url: str
    final_url: str
    status: int
    title: str
    encoding: str
    depth: int
    meta: dict[str, str] = field(default_factory=dict)
    links: list[PageLink] = field(default_factory=list)
    # The page's text for page-level detectors; dropped once they have it.
    html: str = field(default="", repr=False, compare=False)


@dataclass
class ScanBatch:
    """Parsed pages and confirmed URL results, many per Scrapy item (see
    ``PortalSpider._emit``: per-item overhead in Scrapy exceeds the work per URL)."""

    pages: list[PageItem]
    results: list[UrlResult]
