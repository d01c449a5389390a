"""What a browser would fetch or offer from a page: its links, resolved.

Works on the lxml tree Scrapy already parsed. Honours ``<base href>``, strips
whitespace, ignores ``mailto:``/``tel:``/``javascript:``/``data:`` and bare
fragments, and expands the pagers that exist only as a script into the list pages they
write (:func:`pager_urls`, :func:`hanweb_pager_urls`), at most ``MAX_PAGER_PAGES``
each:

* TRS ``createPageHTML(count, current, "index", "html")``, and the newer
  ``createPageHTML('page_div', count, current, 'index', 'html', id)``: ``index.html``,
  ``index_1.html`` …;
* TRS templates that write the pager themselves: ``var countPage = 56`` and
  ``document.write(… "index"+"_"+i+"."+"html" …)``: the same pages;
* Hanweb/大汉 ``jpage`` lists (a ``<datastore>`` loaded page by page through
  ``/module/web/jpage/dataproxy.jsp``): with the record count and page size the page
  gives (``totalRecord: 345, perPage: 15`` in the jpage script, or ``<totalrecord>`` /
  ``<totalpage>`` in the datastore), the server-rendered pages
  ``index.html?uid=<unit>&pageNum=2`` … that jpage links to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

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
    r"createPageHTML\(\s*(?:['\"][\w-]*['\"]\s*,\s*)?['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?"
    r"\s*,\s*['\"]([\w.-]+)['\"]\s*,\s*['\"](\w+)['\"]"
)
_COUNT_PAGE_RE = re.compile(r"\bcountPage\s*=\s*['\"]?(\d+)")
# "index"+"_"+i+"."+"html", "index_"+i+".shtml": the pages' name and extension
_WRITTEN_NAME_RE = re.compile(r"['\"]([\w-]+?)_?['\"]\s*\+\s*(?:['\"]_['\"]\s*\+\s*)?\(?\s*\w+")
_WRITTEN_EXT_RE = re.compile(r"['\"]\.(?:['\"]\s*\+\s*['\"])?(s?html?|jsp|php)\b")
_TOTAL_RECORD_RE = re.compile(r"\btotal[_-]?record\w*['\"]?\s*[:=>]\s*['\"]?(\d+)", re.IGNORECASE)
_PER_PAGE_RE = re.compile(r"\bper[_-]?page['\"]?\s*[:=>]\s*['\"]?(\d+)", re.IGNORECASE)
_TOTAL_PAGE_RE = re.compile(r"<totalpage>\s*(\d+)\s*</totalpage>", re.IGNORECASE)
_UNIT_RE = re.compile(r"[?&]unitid=(\d+)")
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
    if len(element) == 0:  # most links: the text is the element's own
        raw = element.text or ""
    elif hasattr(element, "text_content"):
        raw = element.text_content()
    else:
        raw = "".join(element.itertext())
    text = _WS_RE.sub(" ", raw).strip()
    if not text:
        for img in element.iter("img"):
            text = (img.get("alt") or "").strip()
            if text:
                break
    if not text:
        text = (element.get("title") or "").strip()
    return text[:300]


def _pages(count: int, prefix: str, ext: str, base: str) -> list[str]:
    urls: list[str] = []
    for i in range(min(count, MAX_PAGER_PAGES)):
        name = f"{prefix}.{ext}" if i == 0 else f"{prefix}_{i}.{ext}"
        url = resolve(base, name)
        if url:
            urls.append(url)
    return urls


def pager_urls(script_text: str, base: str) -> list[str]:
    """List pages a TRS pager script writes: ``createPageHTML`` (both signatures), or
    its own ``countPage`` loop of ``document.write`` calls."""
    urls: list[str] = []
    for match in _PAGER_RE.finditer(script_text):
        count, _current, prefix, ext = match.groups()
        urls.extend(_pages(int(count), prefix, ext, base))
    if urls or "document.write" not in script_text:
        return urls
    count = _COUNT_PAGE_RE.search(script_text)
    if count is None:
        return urls
    name = _WRITTEN_NAME_RE.search(script_text[count.end() :])
    ext = _WRITTEN_EXT_RE.search(script_text[count.end() :])
    prefix = name.group(1) if name else "index"
    return _pages(int(count.group(1)), prefix, ext.group(1) if ext else "html", base)


def hanweb_pager_urls(scripts: list[str], datastore_unit: str, page_url: str) -> list[str]:
    """The server-rendered pages of a Hanweb jpage list (``?uid=<unit>&pageNum=N``), when
    the page says how many there are; ``scripts`` are the page's inline scripts (the
    datastore's among them), ``datastore_unit`` the id of the element that holds it."""
    text = "\n".join(scripts)
    unit = _UNIT_RE.search(text)
    uid = unit.group(1) if unit else datastore_unit
    pages = 0
    total_pages = _TOTAL_PAGE_RE.search(text)
    if total_pages:
        pages = int(total_pages.group(1))
    else:
        records, per_page = _TOTAL_RECORD_RE.search(text), _PER_PAGE_RE.search(text)
        if records and per_page and int(per_page.group(1)) > 0:
            pages = -(-int(records.group(1)) // int(per_page.group(1)))
    if not uid.isdigit() or pages < 2:
        return []
    first = urlsplit(page_url)._replace(query="", fragment="").geturl()
    return [
        f"{first}?uid={uid}&pageNum={n}" for n in range(2, min(pages, MAX_PAGER_PAGES) + 1)
    ]


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

    scripts: list[str] = []
    datastore_unit = ""
    for el in root.iter(*_LINK_ATTRS):
        tag = el.tag
        attr, element = _LINK_ATTRS[tag]
        if tag == "link":
            rel = " ".join((el.get("rel") or "").lower().split())
            if rel not in _LINK_RELS:
                continue
        value = el.get(attr)
        if tag == "script" and not value:
            code = el.text or ""
            scripts.append(code)
            if "createPageHTML" in code or "countPage" in code:
                for n, url in enumerate(pager_urls(code, base)):
                    add(url, "a", f"第{n + 1}页")
            elif "<datastore" in code:
                parent = el.getparent()
                if not datastore_unit and parent is not None:
                    datastore_unit = parent.get("id") or ""
                for href, text in datastore_links(code):
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
    if datastore_unit or any("<datastore" in code for code in scripts):
        for n, url in enumerate(hanweb_pager_urls(scripts, datastore_unit, page_url)):
            add(url, "a", f"第{n + 2}页")
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
