"""What a page-level detector reads: one parsed page of the site, or a text without markup.

Portal pages come with their lxml tree; attachments (PDF, DOCX, XLSX) and new-media
posts come as plain text (:meth:`PageContext.from_text`) and have no tree
(``root is None``): detectors that read markup skip them, detectors that read
text see them like any page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, AnyStr

from lxml import etree

from detectors.dates import DateEvidence, publication_evidence
from detectors.deep_markup import NestingCut, html_parser, parse_bounded
from detectors.labelled_fields import label_text
from detectors.page_text import PageText, text_only, visible_text

# A plain ``etree.HTMLParser``: the same libxml2 parse as ``lxml.html``'s, without its
# element class lookup, which calls back into Python for every element proxy the
# detectors touch (a tenth of the visible-text walk). Detectors use only the etree
# API, as they must on the crawl process's trees (parsel parses the same way). Deep
# pages are read whole, at most ``MAX_DEPTH`` levels deep (detectors.deep_markup).
_PARSER = html_parser()


# A stray ``</body>``/``</html>`` (an included header or footer that is a whole document)
# makes libxml2 drop everything after ``</html>`` and put what follows ``</body>``
# outside the body, where no detector reads it; a browser shows both (the HTML5
# parser ignores these end tags). So when anything but whitespace, comments, end tags
# and scripts follows the first such end tag outside a script, the end tags are removed
# before parsing (libxml2 closes the document at its end). Finding the end tags costs
# ~1.5 ms per MB of HTML (character classes, not IGNORECASE, which is slower); a page
# that needs the repair pays one substitution more.
def _patterns(kind: type) -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    def c(pattern: str, flags: int = 0) -> re.Pattern:
        return re.compile(pattern if kind is str else pattern.encode(), flags)

    return (
        c(r"</(?:[bB][oO][dD][yY]|[hH][tT][mM][lL])\s*>"),
        c(
            r"(?:\s|<!--.*?-->|</[a-z][\w:-]*\s*>|<(?:body|html)\b[^>]*>"
            r"|<(script|style|noscript)\b.*?</\1\s*>)*\Z",
            re.DOTALL | re.IGNORECASE,
        ),
        c(r"<script\b", re.IGNORECASE),
        c(r"</script\s*>", re.IGNORECASE),
    )


_STR_PATTERNS, _BYTES_PATTERNS = _patterns(str), _patterns(bytes)


def premature_end(html: AnyStr) -> int | None:
    """Offset of the first ``</body>`` or ``</html>`` that page content follows (one
    inside a script is not an end tag), or ``None`` when the document ends there."""
    closer, inert_tail, script_open, script_close = (
        _STR_PATTERNS if isinstance(html, str) else _BYTES_PATTERNS
    )
    for match in closer.finditer(html):
        if inert_tail.match(html, match.end()) is not None:
            return None
        start = match.start()
        if len(script_open.findall(html, 0, start)) > len(script_close.findall(html, 0, start)):
            continue  # document.write("</body></html>")
        return start
    return None


def repair_html(html: AnyStr) -> AnyStr:
    """``html`` without ``</body>``/``</html>`` end tags when content follows one of them
    (see :func:`premature_end`); unchanged otherwise."""
    if premature_end(html) is None:
        return html
    closer = (_STR_PATTERNS if isinstance(html, str) else _BYTES_PATTERNS)[0]
    return closer.sub("" if isinstance(html, str) else b"", html)


def parse_page(html: bytes) -> tuple[Any | None, NestingCut | None]:
    """The lxml tree of a UTF-8 page, as the crawl and the page detectors read it, and
    the nesting cut when one was needed (:mod:`detectors.deep_markup`); the tree is
    ``None`` when the page has no element at all (empty, only a comment). A stray
    ``</html>`` does not cut the page short (:func:`repair_html`)."""
    try:
        return parse_bounded(repair_html(html), _PARSER)
    except (ValueError, etree.LxmlError):
        return None, None


def parse_html(html: bytes) -> Any | None:
    """The tree of :func:`parse_page`, for the page detectors."""
    return parse_page(html)[0]


_TITLE_SPLIT_RE = re.compile(r"\s*[_|｜]+\s*|\s+-\s+")
MAX_HEADLINE = 300
_SITE_NAME_RE = re.compile(r"(?:人民政府|政府网|门户网站?|网站|官网)$")
_STRING = etree.XPath("string()")


def page_headline(meta: dict[str, str], title: str, root: Any) -> str:
    """The page's headline: ``ArticleTitle``, else its first ``<h1>`` that is not the
    site's logo (inside a link, or the site's name), else the part of its ``<title>``
    that is not the site's name (titles join the two with ``_``, ``|`` or `` - ``)."""
    if meta.get("ArticleTitle", "").strip():
        return meta["ArticleTitle"].strip()
    site = meta.get("SiteName", "").strip()
    for h1 in root.iter("h1") if root is not None else ():
        text = " ".join(_STRING(h1).split())
        if not text or len(text) > MAX_HEADLINE:
            continue  # empty, or an unclosed <h1> around the page
        name = text.strip(" -_|·")
        if (site and name in site) or any(a.tag == "a" for a in h1.iterancestors()):
            continue  # the site's logo
        return text
    parts = [p.strip() for p in _TITLE_SPLIT_RE.split(title) if p.strip()]
    for part in parts:
        if not (site and part in site) and not _SITE_NAME_RE.search(part):
            return part
    return parts[0] if parts else ""


def body_text(text: PageText) -> str:
    """What the page shows in its body: the visible text without the ``<title>`` and the
    meta description that lead it."""
    for start, _end, source in text.segments:
        if source in ("body", "alt"):
            return text.text[start:]
    return "" if text.segments else text.text


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
    def label_text(self) -> str:
        """All the text of the tree without whitespace, for the labelled-field readers
        (:func:`detectors.labelled_fields.label_text`), computed once per page."""
        return label_text(self.root)

    @cached_property
    def headline(self) -> str:
        return page_headline(self.meta, self.title, self.root)

    @cached_property
    def date_evidence(self) -> DateEvidence | None:
        """The publication date and where it was read (:mod:`detectors.dates`)."""
        return publication_evidence(self.meta, body_text(self.text), self.url, self.headline)

    @cached_property
    def published(self) -> date | None:
        return self.date_evidence.published if self.date_evidence else None
