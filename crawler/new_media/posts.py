"""A post of a new-media account, and how its HTML body becomes text and links.

Whatever the mirror (RSS item, Atom entry, JSON Feed item, Weibo ``mblog``), a
post is the same thing to govwatch: an identity stable across scans, a URL, a
title, a publication time (often missing or relative), the text a reader sees
and the links in it. Bodies are capped: a hostile feed cannot make one post
cost more than :data:`MAX_TEXT_CHARS` of memory.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree
from lxml import html as lxml_html

from common.urls import host_of
from crawler.page_links import PageLink, extract_links
from detectors.deep_markup import parse_bounded
from detectors.page_text import visible_text

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 100_000
MAX_HTML_CHARS = 2_000_000
MAX_TITLE_CHARS = 1_000
MAX_LINKS_PER_POST = 200
# lxml.html's parse (its element classes), for trees as deep as pages' (detectors.deep_markup)
PARSER = lxml_html.HTMLParser(encoding="utf-8", huge_tree=True)
_FULL_PAGE_RE = re.compile(r"\s*<(?:html|!doctype)", re.IGNORECASE)

# Links the platforms generate themselves (topics, mentions, emoji, image CDNs with
# hotlink protection): not the editor's to fix, and they answer robots with errors.
PLATFORM_HOSTS = (
    "weixin.qq.com",
    "qpic.cn",
    "qlogo.cn",
    "weibo.cn",
    "weibo.com",
    "sinaimg.cn",
    "t.cn",
    "douyin.com",
    "douyinpic.com",
    "toutiao.com",
    "toutiaoimg.com",
    "snssdk.com",
    "kuaishou.com",
    "bilibili.com",
    "hdslb.com",
)


@dataclass
class Post:
    """One post as a mirror shows it."""

    key: str  # identity within the account: guid, else URL, else a hash of title and time
    url: str  # where a reader opens it (the feed's URL when the item has no link)
    title: str
    published: datetime | None  # aware (Beijing); None when the mirror gives no usable date
    text: str = ""  # what a reader sees, without markup
    links: list[PageLink] = field(default_factory=list)
    pinned: bool = False  # Weibo's 置顶: old posts shown first, not an update


@dataclass(frozen=True)
class PostBody:
    text: str
    links: list[PageLink]


def post_key(guid: str | None, url: str | None, title: str, published: datetime | None) -> str:
    """The post's identity across scans: its guid, else its URL, else a hash of title and
    time (several posts of one push share a timestamp but not a title)."""
    for value in (guid, url):
        value = (value or "").strip()
        if value:
            return value[:2000]
    stamp = published.isoformat() if published else ""
    return "sha1:" + hashlib.sha1(f"{title}\n{stamp}".encode()).hexdigest()


def is_platform_link(url: str) -> bool:
    host = host_of(url)
    return any(host == h or host.endswith("." + h) for h in PLATFORM_HOSTS)


def body_from_html(fragment: str, base_url: str) -> PostBody:
    """The visible text and the checkable links of an HTML body (a fragment or a page)."""
    fragment = (fragment or "")[:MAX_HTML_CHARS]
    if not fragment.strip():
        return PostBody("", [])
    if "<" not in fragment:  # plain text: keep its lines
        return PostBody(fragment[:MAX_TEXT_CHARS], [])
    if not _FULL_PAGE_RE.match(fragment):  # as lxml.html's fragment_fromstring does
        fragment = f"<html><body>{fragment}</body></html>"
    try:
        root, cut = parse_bounded(fragment.encode("utf-8", "surrogatepass"), PARSER)
    except (ValueError, etree.LxmlError):
        return PostBody("", [])
    if root is None:
        return PostBody("", [])
    if cut is not None:
        logger.warning("新媒体文章 %s %s", base_url, cut.describe())
    return body_of_element(next(root.iter("body"), root), base_url)


def body_of_element(root: etree._Element, base_url: str) -> PostBody:
    """Text and links of a parsed element (a post body or an article's content block)."""
    text = visible_text(root).text[:MAX_TEXT_CHARS]
    links = [
        link
        for link in extract_links(root, base_url)
        if link.element in ("a", "img", "iframe", "embed", "source")
        and link.target_url.startswith(("http://", "https://"))
        and not is_platform_link(link.target_url)
    ]
    return PostBody(text, links[:MAX_LINKS_PER_POST])


def clip_title(title: str | None) -> str:
    return " ".join((title or "").split())[:MAX_TITLE_CHARS]
