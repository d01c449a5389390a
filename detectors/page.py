"""What a page-level detector reads: one parsed page of the site, or a text without markup.

Portal pages come with their lxml tree; attachments (PDF, DOCX, XLSX) and new-media
posts come as plain text (:meth:`PageContext.from_text`) and have no tree
(``root is None``): detectors that read markup skip them, detectors that read
text see them like any page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from lxml import etree

from detectors.dates import publication_date
from detectors.deep_markup import html_parser, parse_bounded
from detectors.page_text import PageText, text_only, visible_text

# A plain ``etree.HTMLParser``: the same libxml2 parse as ``lxml.html``'s, without its
# element class lookup, which calls back into Python for every element proxy the
# detectors touch (a tenth of the visible-text walk). Detectors use only the etree
# API, as they must on the crawl process's trees (parsel parses the same way). Deep
# pages are read whole, at most ``MAX_DEPTH`` levels deep (detectors.deep_markup).
_PARSER = html_parser()


def parse_html(html: bytes) -> Any | None:
    """The lxml tree of a UTF-8 page for the page detectors, or ``None`` when the page
    has no element at all (empty, only a comment)."""
    try:
        return parse_bounded(html, _PARSER)[0]
    except (ValueError, etree.LxmlError):
        return None


@dataclass
class PageContext:
    url: str
    title: str
    meta: dict[str, str]
    root: Any = field(default=None, repr=False)  # the lxml tree the crawler parsed
    # What a detector worked out for a whole batch of pages (``prepare``), by its name.
    prepared: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_text(
        cls, url: str, title: str, text: str, published: date | None = None
    ) -> PageContext:
        """A subject that is text only (an attachment, a post): title first, then body."""
        page = cls(url=url, title=title, meta={})
        page.__dict__["text"] = text_only(title, text)  # pre-fills the cached properties
        page.__dict__["published"] = published
        return page

    @cached_property
    def text(self) -> PageText:
        """What a visitor reads, extracted once and shared by the detectors."""
        return visible_text(self.root)

    @cached_property
    def published(self) -> date | None:
        return publication_date(self.meta, self.text.text)
