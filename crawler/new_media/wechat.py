"""A WeChat article page (mp.weixin.qq.com/s/…, or a mirror's copy of it).

The page names its parts by id: ``#activity-name`` (title), ``#js_name`` (the
account), ``#js_content`` (the body; images lazy-load from ``data-src``), and the
publication time is the Unix timestamp in the inline script ``var ct = "…"``
(the visible ``#publish_time`` is filled in by that script). Pages that are not
an article say why: deleted by the publisher (该内容已被发布者删除), removed for
a violation, or a bot check (环境异常, 完成验证) — the last is not the article's
state, only ours, and must not count as having read it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from lxml import etree

from common.clock import BEIJING
from crawler.new_media.post_time import parse_post_time
from crawler.new_media.posts import PARSER, PostBody, body_of_element, clip_title
from crawler.page_links import PageLink
from detectors.deep_markup import parse_bounded

logger = logging.getLogger(__name__)

ArticleState = Literal["article", "deleted", "blocked", "unknown"]

DELETED_MARKERS = (
    "该内容已被发布者删除",
    "此内容因违规无法查看",
    "此内容被多人投诉",
    "该公众号已迁移",
    "此帐号已注销",
    "此账号已注销",
    "该公众号已被封禁",
    "该链接已过期",
)
BLOCKED_MARKERS = ("环境异常", "完成验证", "访问过于频繁", "请在微信客户端打开链接")
_CT_RE = re.compile(r"""\bvar\s+ct\s*=\s*["']?(\d{9,11})["']?""")
_CREATE_TIME_RE = re.compile(r"""\bcreate_time\s*[:=]\s*["'](\d{4}-\d{2}-\d{2}[^"']*)["']""")
MAX_PAGE_CHARS = 5_000_000


@dataclass
class WeChatArticle:
    state: ArticleState
    title: str = ""
    account: str = ""
    published: datetime | None = None
    text: str = ""
    links: list[PageLink] = field(default_factory=list)
    reason: str = ""  # the page's own words when it is not an article


def parse_article(html: str, url: str, now: datetime) -> WeChatArticle:
    """What a WeChat article page shows (never raises on odd pages: ``unknown``)."""
    html = html[:MAX_PAGE_CHARS]
    try:
        markup = (html or "<html></html>").encode("utf-8", "surrogatepass")
        root, cut = parse_bounded(markup, PARSER)
    except (ValueError, etree.LxmlError):
        root, cut = None, None
    if root is None:
        return WeChatArticle("unknown", reason="无法解析的页面")
    if cut is not None:
        logger.warning("微信文章 %s %s", url, cut.describe())
    content = _by_id(root, "js_content")
    if content is None:
        visible = " ".join(root.text_content().split()) if root is not None else ""
        for marker in DELETED_MARKERS:
            if marker in visible:
                return WeChatArticle("deleted", reason=marker)
        for marker in BLOCKED_MARKERS:
            if marker in visible:
                return WeChatArticle("blocked", reason=marker)
        return WeChatArticle("unknown", reason="页面中没有文章正文（#js_content）")
    title_el = _by_id(root, "activity-name")
    name_el = _by_id(root, "js_name")
    title = clip_title(title_el.text_content() if title_el is not None else "")
    if not title:
        og = root.xpath('//meta[@property="og:title"]/@content')
        title = clip_title(og[0] if og else "")
    body: PostBody = body_of_element(content, url)
    return WeChatArticle(
        "article",
        title=title,
        account=clip_title(name_el.text_content() if name_el is not None else ""),
        published=_published(html, now),
        text=body.text,
        links=body.links,
    )


def _by_id(root: etree._Element, ident: str) -> etree._Element | None:
    found = root.xpath("//*[@id=$ident]", ident=ident)
    return found[0] if found else None


def _published(html: str, now: datetime) -> datetime | None:
    match = _CT_RE.search(html)
    if match:
        try:
            return datetime.fromtimestamp(int(match.group(1)), BEIJING)
        except (OverflowError, OSError, ValueError):
            return None
    match = _CREATE_TIME_RE.search(html)
    return parse_post_time(match.group(1), now) if match else None
