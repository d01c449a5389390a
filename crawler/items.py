"""What the crawler emits: parsed pages, and batches of confirmed URL results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

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
class AttachmentItem:
    """A PDF/DOCX/XLSX file of the site, downloaded for the text detectors.

    ``linked_from`` is the first page seen linking it: its responsible unit owns the
    file's problems, and its publication date (``linked_published``) dates the file's
    content. ``skipped`` says why the body was not read (too large)."""

    key: str
    url: str
    kind: str
    linked_from: str
    linked_published: date | None = None
    size: int = 0
    body: bytes = field(default=b"", repr=False, compare=False)
    skipped: str | None = None


@dataclass
class ScanBatch:
    """Parsed pages and confirmed URL results, many per Scrapy item (see
    ``PortalSpider._emit``: per-item overhead in Scrapy exceeds the work per URL)."""

    pages: list[PageItem]
    results: list[UrlResult]
    attachments: list[AttachmentItem] = field(default_factory=list)
