"""What a browser would fetch or offer from a page: its links, resolved.

Works on the lxml tree Scrapy already parsed. Honours ``<base href>``, strips
whitespace, ignores ``mailto:``/``tel:``/``javascript:``/``data:`` and bare
fragments, and expands TRS ``createPageHTML(count, current, "index", "html")``
pagers into the list pages they write (``index_1.html`` …), which exist only
through that script call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from common.urls import base_url, resolve, url_key

# element tag -> (attribute, element name reported)
_LINK_ATTRS: dict[str, tuple[str, str]] = {
    "a": ("href", "a"),
    "area": ("href", "area"),
    "img": ("src", "img"),
    "script": ("src", "script"),
    "iframe": ("src", "iframe"),
    "frame": ("src", "frame"),
    "embed": ("src", "embed"),
    "source": ("src", "source"),
    "object": ("data", "object"),
    "link": ("href", "link"),
}
_LINK_RELS = frozenset({"stylesheet", "icon", "shortcut icon", "apple-touch-icon"})
_WS_RE = re.compile(r"\s+")
_PAGER_RE = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([\w.-]+)['\"]\s*,"
    r"\s*['\"](\w+)['\"]"
)
MAX_PAGER_PAGES = 2000
_RECORD_HREF_RE = re.compile(
    r"<record>\s*<!\[CDATA\[.*?<a\b[^>]*?\bhref\s*=\s*[\"']([^\"'>]+)[\"'][^>]*>(.*?)</a>",
    re.DOTALL | re.IGNORECASE,
)
_TAG_RE = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class PageLink:
    target_key: str
    target_url: str
    element: str
    text: str


def _text(element: etree._Element) -> str:
    text = _WS_RE.sub(
        " ",
        element.text_content() if hasattr(element, "text_content") else "".join(element.itertext()),
    ).strip()
    if not text:
        for img in element.iter("img"):
            text = (img.get("alt") or "").strip()
            if text:
                break
    if not text:
        text = (element.get("title") or "").strip()
    return text[:300]


def pager_urls(script_text: str, base: str) -> list[str]:
    """List pages written by TRS ``createPageHTML`` in an inline script."""
    urls: list[str] = []
    for match in _PAGER_RE.finditer(script_text):
        count, _current, prefix, ext = match.groups()
        for i in range(min(int(count), MAX_PAGER_PAGES)):
            name = f"{prefix}.{ext}" if i == 0 else f"{prefix}_{i}.{ext}"
            url = resolve(base, name)
            if url:
                urls.append(url)
    return urls


def datastore_links(script_text: str) -> list[tuple[str, str]]:
    """(href, text) of the first link of each record of a Hanweb ``<datastore>``."""
    return [
        (href.strip(), _WS_RE.sub(" ", _TAG_RE.sub("", text)).strip()[:300])
        for href, text in _RECORD_HREF_RE.findall(script_text)
    ]


def extract_links(root: etree._Element, page_url: str, encoding: str = "utf-8") -> list[PageLink]:
    """Every distinct (target, element) on the page, in document order."""
    base = base_url(root, page_url)
    seen: set[tuple[str, str]] = set()
    links: list[PageLink] = []

    def add(url: str | None, element: str, text: str) -> None:
        if not url:
            return
        key = url_key(url)
        if (key, element) in seen:
            return
        seen.add((key, element))
        links.append(PageLink(key, url, element, text))

    for el in root.iter(*_LINK_ATTRS):
        tag = el.tag
        attr, element = _LINK_ATTRS[tag]
        if tag == "link":
            rel = " ".join((el.get("rel") or "").lower().split())
            if rel not in _LINK_RELS:
                continue
        value = el.get(attr)
        if tag == "script" and not value:
            if el.text and "createPageHTML" in el.text:
                for n, url in enumerate(pager_urls(el.text, base)):
                    add(url, "a", f"第{n + 1}页")
            elif el.text and "<datastore" in el.text:
                for href, text in datastore_links(el.text):
                    add(resolve(base, href, encoding), "a", text)
            continue
        if not value:
            continue
        url = resolve(base, value, encoding)
        if tag in ("a", "area"):
            text = _text(el)
        elif tag == "img":
            text = (el.get("alt") or "").strip()[:300]
        else:
            text = ""
        add(url, element, text)
    return links


def page_title(root: etree._Element) -> str:
    head = root.find("head")
    title = head.find("title") if head is not None else None
    if title is None:  # malformed pages put <title> anywhere
        title = next(root.iter("title"), None)
    if title is None:
        return ""
    return _WS_RE.sub(" ", "".join(title.itertext())).strip()


def page_meta(root: etree._Element) -> dict[str, str]:
    """``<meta name=… content=…>`` tags (first occurrence wins; names kept as written)."""
    meta: dict[str, str] = {}
    for el in root.iter("meta"):
        name = el.get("name")
        content = el.get("content")
        if name and content is not None and name not in meta:
            meta[name.strip()] = content.strip()
    return meta
