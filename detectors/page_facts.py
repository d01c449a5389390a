"""What one page says about columns and policy documents, read once while crawling.

The site-level detectors (``stale_column``, ``blank_column``, ``missing_interpretation``,
``home_page_stale``) judge a whole scan, but they need facts that only the page's
markup holds: the dated entries of a list, the breadcrumb, whether an empty column
explains itself, an article's 文号 and the titles it quotes. The page-detection worker
reads them here from the tree it already parsed; storage keeps them per scan.

Lists are found by shape, not by a CMS's markup: a link in a row (``li``, ``tr``,
``dd``, or a short block) with a date beside it, rows grouped by their container.
That covers TRS lists, 邯郸-style tables (索引号/名称/发布机构/发布日期) and Hanweb/大汉
lists, whose records sit in ``<script type="text/xml"><datastore><record><![CDATA[…]]>``.
Site chrome (header, navigation, breadcrumb, footer) is not content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from common.urls import base_url, host_of, resolve, url_key
from detectors.dates import date_labels, list_date, publication_evidence, url_date
from detectors.interaction_messages import Message, channel_name, read_messages
from detectors.page import body_text, page_headline
from detectors.page_text import PageText

_WS_RE = re.compile(r"\s+")
_CHROME_RE = re.compile(
    r"(?:^|[\s_-])(header|head|nav|navbar|menu|submenu|footer|foot|bottom|copyright|crumb|crumbs"
    r"|breadcrumb|position|location|dqwz|weizhi|mianbao|logo|banner|sidebar|leftnav)(?:$|[\s_-])",
    re.IGNORECASE,
)
_HIDDEN_RE = re.compile(r"display\s*:\s*none", re.IGNORECASE)
_CRUMB_CLASS_RE = re.compile(r"crumb|position|location|dqwz|weizhi|mianbao", re.IGNORECASE)
_CRUMB_TEXT_RE = re.compile(
    r"^\s*(?:当前位置|您的位置|您现在的位置|您当前的位置|所在位置)\s*[:：]?"
)
_CRUMB_SKIP = frozenset({"首页", "网站首页", "主页", "当前位置", "您的位置", ""})
_CRUMB_HOME = frozenset({"首页", "网站首页", "主页", "门户首页"})
_CRUMB_TAGS = frozenset({"div", "p", "span", "td", "li", "h2", "h3", "h4"})
_CRUMB_SEPARATORS_RE = re.compile(r"[\s>»›＞/\\|→\-－—:：]*")
_CRUMB_ARROW_RE = re.compile(r"[>»›＞/→]")
_CRUMB_TAIL_RE = re.compile(r"[^\s>»›＞/→\-]{1,30}\s*$")
_CHROME_TAGS = frozenset({"header", "nav", "footer", "script", "style", "noscript", "template"})
_ROW_TAGS = frozenset({"li", "tr", "dd", "dt"})
# Not images: layout tables are full of decorative ones.
_WIDGET_TAGS = frozenset({"form", "iframe", "frame", "embed", "object", "video", "canvas"})
_DYNAMIC_RE = re.compile(
    r"ajax|getJSON|\$\.(?:get|post)|\.load\(|fetch\(|XMLHttpRequest|dataproxy|jpage|axios"
)
_INLINE_TAGS = frozenset({"span", "em", "strong", "b", "i", "label", "font"})
_PAGER_RE = re.compile(
    r"^(?:\d+|首页|尾页|末页|上一页|下一页|上页|下页|前页|后页|更多.*|more.*|>>|<<|»|«)$"
)
_PAGER_LINK_RE = re.compile(r"下一页|尾页|末页|下页|后页|>>|»")
_PAGER_SCRIPT_RE = re.compile(r"createPageHTML|countPage|pageCount|totalPage|jpage|\bpagination\b")
_PIN_RE = re.compile(r"置顶|zhiding|sticky|\btop\b", re.IGNORECASE)
# A date written inside the link text after the title: “标题 2024-07-19”, “标题[07-19]”.
_TRAILING_DATE_RE = re.compile(
    r"^(.+?)[\s\[(（【]+((?:\d{4}\s*[-/.年]\s*)?\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)[\])）】]?$"
)
_CDATA_RE = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
_ARTICLE_URL_RE = re.compile(
    r"/t\d{8}_\w+\.s?html?$|/art/\d{4}/\d{1,2}/\d{1,2}/art_|/content_\d+\.s?html?$"
)
PLACEHOLDER_RE = re.compile(
    r"暂无(?:相关)?(?:信息|数据|内容|记录|文章|公开信息)|没有(?:找到)?(?:相关)?(?:信息|数据|记录|内容)"
    r"|无相关(?:信息|内容|记录)|(?:栏目|页面)?正在建设中?|信息更新中|敬请期待"
)
# An explanation of why a column is empty (required by the criteria, so that it is not blank).
NOTE_RE = re.compile(r"因|由于|不涉及|未发生|未产生|无此类|没有此类|未制定|未出台|说明|依据|根据")
_BRACKETS = str.maketrans(
    {
        "[": "〔",
        "]": "〕",
        "［": "〔",
        "］": "〕",
        "【": "〔",
        "】": "〕",
        "(": "〔",
        ")": "〕",
        "（": "〔",
        "）": "〕",
    }
)
_BRACKETED_YEAR = r"[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]"
DOC_NUMBER_RE = re.compile(r"[\u4e00-\u9fa5]{1,15}" + _BRACKETED_YEAR + r"\s*第?\s*\d{1,4}\s*号")
# What every 文号 contains: the bracketed year. Searching for it first is ~15 times
# faster than DOC_NUMBER_RE, whose leading run of characters is tried at every one of a
# page's Chinese characters; most pages have no 文号 at all.
_NUMBER_YEAR_RE = re.compile(_BRACKETED_YEAR)
_LABELLED_NUMBER_RE = re.compile(
    r"(?:发文字号|发文文号|发文号|文\s*号)\s*[:：]?\s*(" + DOC_NUMBER_RE.pattern + ")"
)
_QUOTED_TITLE_RE = re.compile(r"《([^《》\n]{4,80})》")
MAX_CITES = 10
MAX_ENTRIES = 300
MIN_UNLABELLED_LIST = 3  # dated rows that make a page without column tags a list
MIN_ARTICLE_CHARS = 150  # text of its own (not links) that an article shows
MAX_ARTICLE_DATE_LABELS = 3  # 发布时间 lines of an article (top, bottom, print view)
ARTICLE_OVER_LINKS = 3  # an article's own text outweighs its sidebar's links this much
PROSE_RUN = 40  # characters of one run of text (not a link) that make it prose
MIN_HUB_LINKS = 5
MAX_HEADING = 100
_SEARCH_URL_RE = re.compile(
    r"search|sousuo|jiansuo|/irs[-/]|[?&](?:q|query|keywords?|searchword|wd|kw)=", re.IGNORECASE
)
_SEARCH_TITLE_RE = re.compile(r"搜索|检索|查询结果")
_SEARCH_WORDS_RE = re.compile(r"搜索结果|检索结果|查询结果|相关结果|按相关度|高级检索|高级搜索")
_SEARCH_COUNT_RE = re.compile(
    r"(?:为您)?(?:找到|检索到|搜索到)\s*(?:约|相关(?:信息|结果|内容)?)?\s*[\d,，]+\s*"
    r"(?:条|个|篇)(?:相关)?(?:结果|信息|记录|内容|文章)"
)
_HOME_PATH_RE = re.compile(r"/?(?:(?:index|default|home|main)\.(?:s?html?|jsp|php|aspx?))?")
_SECTION_URL_RE = re.compile(r"/(?:(?:index|default|list|more)(?:_\d+)?\.\w+)?$")


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One entry of a page's list, as read from the page and as the site detectors
    read it back from storage."""

    url: str
    title: str
    date_text: str
    listed: date | None  # the date beside the link, else the one in its URL
    pinned: bool

    @property
    def url_key(self) -> str:
        return url_key(self.url)


@dataclass(slots=True)
class PageFacts:
    """What a page says about the site (its kind, column, dates, 文号, list): read from
    the page in the detection worker, stored, and read back in this same shape by the
    site detectors."""

    url: str
    kind: str  # article | list | home | hub | search | page (read_page_facts says how)
    column_name: str = ""
    column_type: str = ""
    crumbs: list[str] = field(default_factory=list)
    headline: str = ""
    published: date | None = None
    document_number: str | None = None
    cites: dict[str, list[str]] = field(default_factory=dict)  # titles, numbers
    entries: list[ListEntry] = field(default_factory=list)
    content_chars: int = 0  # main content (chrome excluded) of a non-article page
    placeholder: bool = False  # says only 暂无信息 or the like
    note: bool = False  # explains why the column has no content
    # Content that is not text: forms, frames, embedded media, a list a script loads
    # later (Ajax). A page with any is never called blank: govwatch cannot see it empty.
    widgets: int = 0
    # Messages of a consultation channel (a 信箱 list's rows, a message's page).
    messages: list[Message] = field(default_factory=list)

    @property
    def key(self) -> str:
        return url_key(self.url)


def normalise_number(number: str) -> str:
    """One spelling of a 文号: 〔〕 brackets, no spaces, no 第."""
    return _WS_RE.sub("", number).translate(_BRACKETS).replace("〕第", "〕")


def document_numbers(text: str) -> list[str]:
    seen: dict[str, None] = {}
    if not _NUMBER_YEAR_RE.search(text):
        return []
    for match in DOC_NUMBER_RE.finditer(text):
        seen.setdefault(normalise_number(match.group(0)), None)
    return list(seen)


def quoted_titles(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for match in _QUOTED_TITLE_RE.finditer(text):
        seen.setdefault(_WS_RE.sub("", match.group(1)), None)
    return list(seen)


def _classes(el: Any) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


# What ``lxml.html``'s ``text_content()`` gives, on plain etree trees too (the page
# detectors parse without lxml.html's element classes: detectors.page.parse_html).
_STRING = etree.XPath("string()")


def _text(el: Any) -> str:
    return _WS_RE.sub(" ", _STRING(el)).strip()


_CHROME_ELEMENTS = frozenset({"header", "nav", "footer"})


def is_chrome(el: Any) -> bool:
    """Whether an element is the site's chrome (header, navigation, breadcrumb, footer,
    by tag or by class and id, as the walk below reads them), not the page's content."""
    if not isinstance(el.tag, str):
        return False
    if el.tag in _CHROME_ELEMENTS:
        return True
    classes = _classes(el)
    return bool(classes.strip()) and bool(
        _CHROME_RE.search(classes) or _CRUMB_CLASS_RE.search(classes)
    )


def _crumbs(el: Any) -> list[str]:
    names = [name for name in (_text(a) for a in el.iter("a")) if name]
    tail = _WS_RE.sub("", _text(el).split(names[-1])[-1] if names else _text(el))
    tail = tail.strip(">»＞/›-：: ")
    names = [n for n in names if n not in _CRUMB_SKIP]
    if tail and tail not in _CRUMB_SKIP and not _CRUMB_TEXT_RE.match(tail):
        names.append(tail)
    return names


def _crumbs_by_shape(el: Any) -> bool:
    """A bar of links that starts at 首页 and separates them with ``>``/``->``/``»``/``/``
    (TRS ``CurrChnlCls`` links, breadcrumbs without a class or a 当前位置 label); a pager
    (首页 上一页 1 2 …) has no separators."""
    anchors = [child for child in el if child.tag == "a"]
    if len(anchors) < 2 or _text(anchors[0]) not in _CRUMB_HOME:
        return False
    text = _text(el)
    if len(text) > 100:
        return False
    rest = text
    for anchor in anchors:
        rest = rest.replace(_text(anchor), " ", 1)
    rest = _CRUMB_TAIL_RE.sub("", rest)  # the current page's name, not linked
    return bool(_CRUMB_SEPARATORS_RE.fullmatch(rest)) and bool(_CRUMB_ARROW_RE.search(rest))


@dataclass
class _Walk:
    anchors: list[Any] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    crumbs: list[str] = field(default_factory=list)
    datastores: list[Any] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    widgets: int = 0
    link_chars: int = 0  # characters of ``text`` inside links
    # Runs of prose (not in a link, ``PROSE_RUN`` characters or more) and the element
    # they belong to: an article's paragraphs, a list's summaries.
    prose: list[tuple[Any, int]] = field(default_factory=list)
    pager: bool = False  # a pager: 下一页/尾页 links, or a pager script


def _walk(body: Any) -> _Walk:
    """Content anchors and text, chrome skipped; the breadcrumb and Hanweb datastores noted."""
    found = _Walk()
    stack: list[Any] = [body]
    in_link = 0
    while stack:
        el = stack.pop()
        if isinstance(el, _Tail):
            found.text.append(el.tail_text)
            if in_link:
                found.link_chars += len(el.tail_text.strip())
            else:
                _note_prose(found, el.owner, el.tail_text)
            continue
        if el is _LEAVE_LINK:
            in_link -= 1
            continue
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "script":
            code = el.text or ""
            if el.get("type", "").lower() == "text/xml" or "<datastore" in code:
                found.datastores.append(el)
            elif not el.get("src") and _DYNAMIC_RE.search(code):
                found.widgets += 1  # the list may be loaded by this script
            if _PAGER_SCRIPT_RE.search(code):
                found.pager = True
            continue
        if tag:
            classes = _classes(el)
            own = (el.text or "").strip()
            if not own and len(el) and el[0].tag in _INLINE_TAGS:  # <div><span>当前位置：</span>…
                own = (el[0].text or "").strip()
            if _CRUMB_CLASS_RE.search(classes) or (own and _CRUMB_TEXT_RE.match(own)):
                if not found.crumbs and not _HIDDEN_RE.search(el.get("style") or ""):
                    found.crumbs = _crumbs(el)
                continue
            if tag in _CHROME_TAGS or (classes.strip() and _CHROME_RE.search(classes)):
                continue
            if tag in _CRUMB_TAGS and not found.crumbs and _crumbs_by_shape(el):
                found.crumbs = _crumbs(el)
                continue
            if tag == "a":
                if el.get("href"):
                    found.anchors.append(el)
                    if not found.pager and _PAGER_LINK_RE.match((el.text or "").strip()):
                        found.pager = True
                in_link += 1
                stack.append(_LEAVE_LINK)
            elif tag in _WIDGET_TAGS:
                found.widgets += 1
            if tag in ("h1", "h2", "h3") and not found.headings:
                heading = _text(el)
                if len(heading) <= MAX_HEADING:  # not an unclosed heading around the page
                    found.headings.append(heading)
            if el.text:
                found.text.append(el.text)
                if in_link:
                    found.link_chars += len(el.text.strip())
                else:
                    _note_prose(found, el, el.text)
        # children pushed in reverse for document order; a child's tail is the parent's text
        for child in reversed(el):
            if child.tail:
                stack.append(_Tail(child.tail, el))
            stack.append(child)
    return found


@dataclass(frozen=True, slots=True)
class _Tail:
    """Text after an element's end tag, on the walk stack: it belongs to the parent."""

    tail_text: str
    owner: Any  # the element whose text it is (the parent of the element it follows)


def _note_prose(found: _Walk, owner: Any, text: str) -> None:
    length = len(_WS_RE.sub("", text))
    if length >= PROSE_RUN:
        found.prose.append((owner, length))


def _prose_outside(walk: _Walk, containers: set[Any]) -> int:
    """Characters of prose that no list container holds: the text of an article beside
    a sidebar of dated links, not the summaries of a list's rows."""
    total = 0
    for owner, length in walk.prose:
        node = owner
        while node is not None and node not in containers:
            node = node.getparent()
        if node is None:
            total += length
    return total


_LEAVE_LINK = object()  # on the walk stack under a link's children: the link ends there


def _row_of(anchor: Any) -> Any:
    node = anchor.getparent()
    for _ in range(4):
        if node is None:
            break
        if node.tag in _ROW_TAGS:
            return node
        node = node.getparent()
    parent = anchor.getparent()
    if parent is not None and len(_text(parent)) <= 150:
        return parent
    return anchor


def _entry(anchor: Any, row: Any, base: str, today: date) -> ListEntry | None:
    title = _text(anchor) or (anchor.get("title") or "").strip()
    if not title:  # an image entry (图片新闻): its alt text is the title
        title = next((img.get("alt", "").strip() for img in anchor.iter("img")), "")
    if not title or _PAGER_RE.match(title.replace(" ", "")):
        return None
    url = resolve(base, anchor.get("href", ""))
    if not url:
        return None
    full_title = (anchor.get("title") or "").strip()
    rest = _text(row)
    for t in (title, full_title):
        if t:
            rest = rest.replace(t, " ")
    rest = rest.strip()
    listed = list_date(rest, today)
    date_text = rest[:60] if listed else ""
    trailing = _TRAILING_DATE_RE.match(title) if listed is None else None
    if trailing and list_date(trailing.group(2), today):
        title, date_text = trailing.group(1).strip(), trailing.group(2)
        listed = list_date(date_text, today)
    if listed is None:
        listed = url_date(url)
    pinned = bool(_PIN_RE.search(rest)) or any(
        _PIN_RE.search(f"{el.get('class') or ''} {el.get('alt') or ''} {el.get('src') or ''}")
        for el in row.iter()
        if isinstance(el.tag, str) and el.tag != "a"
    )
    return ListEntry(url, (full_title or title)[:300], date_text, listed, pinned)


def _datastore_rows(script: Any) -> list[Any]:
    rows = []
    for record in _CDATA_RE.findall(script.text or ""):
        try:
            rows.append(lxml_html.fragment_fromstring(record, create_parent="div"))
        except (etree.ParserError, ValueError):
            continue
    return rows


@dataclass
class _Listing:
    entries: list[ListEntry]
    containers: set[Any]  # the elements that hold the dated rows


def _article_links(entries: list[ListEntry], host: str) -> bool:
    """An undated list of this site's articles (a column's own list, dated by its
    articles), not a menu of sections or a box of links to other sites."""
    return len(entries) >= 2 and all(
        host_of(e.url) == host and not _SECTION_URL_RE.search(urlsplit(e.url).path)
        for e in entries
    )


def read_entries(
    walk: _Walk, base: str, today: date, fallback_largest: bool, all_groups: bool = False
) -> _Listing:
    """Rows of the containers that hold dated entries, and beside them the undated lists
    of the site's own articles (a column whose list shows no dates keeps it beside a
    dated sidebar); on a tagged column page without any date, its largest list: their
    dates come from the articles; on a home page without any date (``all_groups``),
    every list: 首页不更新 dates its entries by the pages they link to."""
    # Keyed by the elements themselves: they stay alive, so identities cannot be reused.
    groups: dict[Any, list[ListEntry]] = {}
    seen_rows: set[Any] = set()
    last_url = ""
    for anchor in walk.anchors:
        row = _row_of(anchor)
        if row in seen_rows:
            continue
        entry = _entry(anchor, row, base, today)
        if entry is None or entry.url == last_url:
            continue  # a second link to the same item (its picture, its source's name)
        last_url = entry.url
        seen_rows.add(row)
        container = row.getparent() if row is not anchor else anchor.getparent()
        groups.setdefault(container, []).append(entry)
    for script in walk.datastores:
        for fragment in _datastore_rows(script):
            anchor = next(fragment.iter("a"), None)
            if anchor is None or not anchor.get("href"):
                continue
            entry = _entry(anchor, fragment, base, today)
            if entry is not None:
                groups.setdefault(script, []).append(entry)
    order = list(groups)
    dated = [k for k in order if any(e.listed for e in groups[k])]
    containers = set(dated)
    if dated:
        host = host_of(base)
        keep = [k for k in order if k in containers or _article_links(groups[k], host)]
        entries = [e for k in keep for e in groups[k]]
    elif all_groups:
        entries = [e for k in order if len(groups[k]) >= 2 for e in groups[k]]
    elif fallback_largest and order:
        largest = max(order, key=lambda k: len(groups[k]))
        entries = groups[largest] if len(groups[largest]) >= 2 else []
    else:
        entries = []
    return _Listing(entries[:MAX_ENTRIES], containers)


def _own_number(root: Any, text: str, headline: str) -> str | None:
    """The document's own 文号: a 文号 field, a line that is only the number, or the title."""
    if "解读" in headline:
        return None  # an interpretation quotes its document's number
    if not _NUMBER_YEAR_RE.search(text):
        return None
    labelled = _LABELLED_NUMBER_RE.search(text)
    if labelled:
        return normalise_number(labelled.group(1))
    if not DOC_NUMBER_RE.search(text):
        return None
    for el in root.iter("p", "div", "span", "td", "h2", "h3", "h4", "strong", "center"):
        own = _WS_RE.sub("", _STRING(el))
        if len(own) <= 40 and DOC_NUMBER_RE.fullmatch(own):
            return normalise_number(own)
    in_title = DOC_NUMBER_RE.search(headline)
    return normalise_number(in_title.group(0)) if in_title else None


def _is_search(url: str, title: str, text: str) -> bool:
    """A site-search results page: its URL or title says search, and its text reports
    results (找到约 N 条相关结果, 搜索结果, 按相关度排序); or it reports a count of results."""
    if _SEARCH_COUNT_RE.search(text):
        return True
    words = bool(_SEARCH_WORDS_RE.search(text))
    by_url = bool(_SEARCH_URL_RE.search(url))
    by_title = bool(_SEARCH_TITLE_RE.search(title))
    return words and (by_url or by_title)


def _is_home(url: str) -> bool:
    """The root of a host (``/``, ``/index.html`` …): a home page, of the site or of one of
    its sub-sites."""
    parts = urlsplit(url)
    return not parts.query and bool(_HOME_PATH_RE.fullmatch(parts.path))


def _is_hub(entries: list[ListEntry]) -> bool:
    """A static index of sections (指南 by department, 网站群, 专题 index): many undated
    links, nearly all to section pages (``…/``, ``index.html``), none to an article."""
    if len(entries) < MIN_HUB_LINKS or any(e.listed for e in entries):
        return False
    sections = sum(1 for e in entries if _SECTION_URL_RE.search(urlsplit(e.url).path))
    return sections >= 0.8 * len(entries)


def read_page_facts(
    url: str,
    title: str,
    meta: dict[str, str],
    root: Any,
    page_text: str | PageText,
    today: date,
    label_text: str | None = None,
) -> PageFacts:
    """The facts of one page (:func:`read_facts`) with the messages it shows
    (:mod:`detectors.interaction_messages`), each under the page's channel: its
    breadcrumb's, column's or headline's. ``label_text``: the page's
    :func:`~detectors.labelled_fields.label_text`, when the caller has it."""
    facts = read_facts(url, title, meta, root, page_text, today)
    messages = read_messages(root, url, base_url(root, url), facts.headline, "", label_text)
    if messages:
        crumbs = facts.crumbs
        if not crumbs:
            body = root.find("body")
            crumbs = _walk(body if body is not None else root).crumbs
        channel = channel_name(*reversed(crumbs), facts.column_name, facts.headline, title)
        channel = channel or (crumbs[-1] if crumbs else facts.column_name) or "互动交流"
        facts.messages = [replace(m, channel=channel[:100]) for m in messages]
    return facts


def read_facts(
    url: str, title: str, meta: dict[str, str], root: Any, page_text: str | PageText, today: date
) -> PageFacts:
    """The facts of one page but its messages; ``page_text`` is its visible text (shared with the
    detectors; a plain string is read as body text).

    The page's kind comes from several signals, in this order: ``article`` when its meta
    (``ArticleTitle``/``PubDate``) or its URL (TRS ``t20240719_…``, Hanweb ``art_…``,
    ``content_…``) says so; ``search`` for a site-search results page; ``article`` when
    it shows its own date line near the headline (:mod:`detectors.dates`) over text of
    its own, whatever list of dated links its sidebar holds (its text outweighs the
    links, or its prose stands outside the list's rows: a short news item beside a long
    sidebar); ``home`` at the root of a
    host; ``hub`` for a static index of sections; ``list`` for a column (column meta,
    dated rows, or a breadcrumb over a placeholder); else ``page``."""
    lowered = {k.lower(): v for k, v in meta.items()}
    column_name = (lowered.get("columnname") or "").strip()
    column_type = (lowered.get("columntype") or "").strip()
    headline = page_headline(meta, title, root)
    if isinstance(page_text, PageText):
        text, body_only = page_text.text, body_text(page_text)
    else:
        text = body_only = page_text
    evidence = publication_evidence(meta, body_only, url, headline)
    published = evidence.published if evidence else None
    facts = PageFacts(url=url, kind="page", headline=headline[:300], published=published)
    facts.column_name, facts.column_type = column_name[:200], column_type[:200]
    tagged_article = "articletitle" in lowered or "pubdate" in lowered
    if tagged_article or _ARTICLE_URL_RE.search(url.split("?", 1)[0]):
        return _article(facts, root, text, headline)
    body = root.find("body")
    walk = _walk(body if body is not None else root)
    facts.crumbs = [c[:100] for c in walk.crumbs[:8]]
    tagged = bool(column_name or column_type)
    home = _is_home(url)
    listing = read_entries(walk, base_url(root, url), today, True, all_groups=home)
    facts.entries = listing.entries
    rest = _WS_RE.sub("", "".join(walk.text))
    for heading in (column_name, *walk.headings, *(walk.crumbs[-1:])):
        if heading:
            rest = rest.replace(_WS_RE.sub("", heading), "")
    facts.content_chars = len(rest)
    facts.widgets = walk.widgets
    facts.placeholder = bool(PLACEHOLDER_RE.search(rest))
    without = PLACEHOLDER_RE.sub("", rest)
    facts.note = bool(NOTE_RE.search(without)) and len(without) >= 10
    dated = sum(1 for e in facts.entries if e.listed)
    if _is_search(url, title, body_only):
        facts.kind = "search"
        return facts
    own_chars = facts.content_chars - walk.link_chars  # text that is not a link
    if (
        evidence is not None
        and evidence.visible
        and date_labels(body_only) <= MAX_ARTICLE_DATE_LABELS
        and own_chars >= MIN_ARTICLE_CHARS
        and (
            dated < 5
            or own_chars >= ARTICLE_OVER_LINKS * walk.link_chars
            or _prose_outside(walk, listing.containers) >= MIN_ARTICLE_CHARS
        )
    ):
        facts.entries = []
        return _article(facts, root, text, headline)
    if home:
        facts.kind = "home"
    elif _is_hub(facts.entries):
        facts.kind = "hub"
    elif (
        tagged
        or dated >= MIN_UNLABELLED_LIST
        or (walk.crumbs and (facts.placeholder or (dated and walk.pager)))
    ):
        facts.kind = "list"
    if not dated and not tagged and facts.kind not in ("hub", "home"):
        facts.entries = []  # undated links are entries of a column, a hub or a home only
    elif facts.kind == "page":
        facts.entries = [e for e in facts.entries if e.listed]  # e.g. a page's dated blocks
    return facts


def _article(facts: PageFacts, root: Any, text: str, headline: str) -> PageFacts:
    facts.kind = "article"
    facts.document_number = _own_number(root, text, headline)
    titles, numbers = quoted_titles(text)[:MAX_CITES], document_numbers(text)[:MAX_CITES]
    if titles or numbers:
        facts.cites = {"titles": titles, "numbers": numbers}
    return facts
