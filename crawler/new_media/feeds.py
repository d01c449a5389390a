"""A mirror's answer → the account's posts, whichever format it is.

RSS 2.0 and Atom go through feedparser (lenient about the XML mirrors write);
JSON Feed 1.1 and Weibo's container JSON are read directly. What mirrors do that
this handles: ``pubDate`` with ``+0800``, times without a zone (Beijing is meant),
relative dates (``3小时前``), missing dates, title-only items (WeChat mirrors
often give no body), several items of one push sharing a timestamp, relative
links in bodies. A body that is none of these, or a feed without a single post,
raises :class:`FeedError` with a reason an operator can act on — such a feed is
neither fresh nor stale, it is unreadable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from common.urls import resolve
from crawler.new_media.post_time import parse_post_time
from crawler.new_media.posts import Post, body_from_html, clip_title, post_key
from crawler.new_media.weibo import looks_like_container, parse_container
from detectors.new_media_unreachable import FEED_ERRORS

MAX_FEED_BYTES = 8 * 1024 * 1024
MAX_POSTS = 500  # newest first; a mirror that dumps years of history is cut here

ERROR_MESSAGES = FEED_ERRORS  # in the words of a notice, which its reader never saw a feed


class FeedError(Exception):
    """The mirror answered, but not with a readable feed. ``code`` is stored with the
    finding (``not_a_feed``, ``empty_feed``, ``too_large``, ``bad_json``)."""

    def __init__(self, code: str, detail: str = ""):
        message = ERROR_MESSAGES.get(code, code)
        super().__init__(f"{message}（{detail}）" if detail else message)
        self.code = code


@dataclass
class Feed:
    title: str
    format: str  # rss20, atom10, … (feedparser's names), json_feed, weibo_container
    posts: list[Post]


def parse_feed(body: bytes, feed_url: str, content_type: str, now: datetime) -> Feed:
    """Parse whatever the mirror served. ``now`` (aware) anchors relative dates."""
    if len(body) > MAX_FEED_BYTES:
        raise FeedError("too_large", f"超过 {MAX_FEED_BYTES // (1024 * 1024)} MB")
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")) or "json" in content_type.lower():
        feed = _parse_json(body, feed_url, now)
    else:
        feed = _parse_xml(body, feed_url, content_type, now)
    if not feed.posts:
        raise FeedError("empty_feed")
    feed.posts = _newest(feed.posts)
    return feed


def _newest(posts: list[Post]) -> list[Post]:
    """At most MAX_POSTS posts, one per identity, newest first (undated ones last)."""
    unique: dict[str, Post] = {}
    for post in posts:
        unique.setdefault(post.key, post)
    ordered = sorted(
        unique.values(),
        key=lambda p: (p.published is not None, p.published.timestamp() if p.published else 0),
        reverse=True,
    )
    return ordered[:MAX_POSTS]


# -- RSS and Atom ----------------------------------------------------------------------


def _parse_xml(body: bytes, feed_url: str, content_type: str, now: datetime) -> Feed:
    import feedparser

    parsed = feedparser.parse(
        body,
        response_headers={"content-location": feed_url, "content-type": content_type or ""},
        sanitize_html=False,  # we read the text ourselves; scripts never reach it
        resolve_relative_uris=True,
    )
    if not parsed.get("version"):
        looks_html = b"<html" in body[:4096].lower() or b"<!doctype html" in body[:4096].lower()
        raise FeedError("not_a_feed", "返回的是网页" if looks_html else "")
    posts = [_from_entry(entry, feed_url, now) for entry in parsed.entries]
    title = clip_title(parsed.feed.get("title"))
    return Feed(title, parsed.version, posts)


def _entry_time(entry: Any, now: datetime) -> datetime | None:
    for raw_key, parsed_key in (("published", "published_parsed"), ("updated", "updated_parsed")):
        raw = entry.get(raw_key)
        moment = parse_post_time(raw, now)
        if moment is not None:
            return moment
        struct = entry.get(parsed_key)
        if struct is not None:  # feedparser understood a format we do not: UTC
            from calendar import timegm

            from common.clock import BEIJING

            return datetime.fromtimestamp(timegm(struct), BEIJING)
    return None


def _entry_html(entry: Any) -> str:
    """The fullest body the entry has: ``content`` (Atom, content:encoded), else summary."""
    best = ""
    for content in entry.get("content") or ():
        value = content.get("value") or ""
        if len(value) > len(best):
            best = value
    summary = entry.get("summary") or ""
    return best if len(best) >= len(summary) else summary


def _from_entry(entry: Any, feed_url: str, now: datetime) -> Post:
    link = entry.get("link") or ""
    url = resolve(feed_url, link) if link else None
    title = clip_title(entry.get("title"))
    published = _entry_time(entry, now)
    body = body_from_html(_entry_html(entry), url or feed_url)
    text = body.text
    if text and title and text.strip() == title:
        text = ""  # title-only mirrors repeat the title as the description
    return Post(
        key=post_key(entry.get("id"), url, title, published),
        url=url or feed_url,
        title=title,
        published=published,
        text=text,
        links=body.links,
    )


# -- JSON Feed 1.1 and Weibo container JSON ---------------------------------------------------


def _parse_json(body: bytes, feed_url: str, now: datetime) -> Feed:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FeedError("bad_json", "不是 UTF-8 编码") from None
    except ValueError as error:
        raise FeedError("bad_json", f"第 {getattr(error, 'lineno', '?')} 行") from None
    if isinstance(data, dict) and str(data.get("version", "")).startswith("https://jsonfeed.org/"):
        items = data.get("items")
        if not isinstance(items, list):
            raise FeedError("not_a_feed", "其中没有文章列表")
        posts = [_from_json_item(item, feed_url, now) for item in items if isinstance(item, dict)]
        return Feed(clip_title(str(data.get("title") or "")), "json_feed", posts)
    if looks_like_container(data):
        return Feed("", "weibo_container", parse_container(data, feed_url, now))
    if isinstance(data, dict) and data.get("ok") in (0, -100):  # Weibo: login or not found
        raise FeedError("not_a_feed", _short(str(data.get("msg") or "微博接口拒绝访问")))
    raise FeedError("not_a_feed")


def _from_json_item(item: dict[str, Any], feed_url: str, now: datetime) -> Post:
    link = item.get("url") or item.get("external_url")
    url = resolve(feed_url, link) if isinstance(link, str) and link else None
    title = clip_title(str(item.get("title") or ""))
    published = parse_post_time(str(item.get("date_published") or ""), now) or parse_post_time(
        str(item.get("date_modified") or ""), now
    )
    html_body = item.get("content_html")
    if isinstance(html_body, str) and html_body.strip():
        body = body_from_html(html_body, url or feed_url)
        text, links = body.text, body.links
    else:
        plain = item.get("content_text") or item.get("summary") or ""
        text, links = (plain if isinstance(plain, str) else "")[:100_000], []
    ident = item.get("id")
    return Post(
        key=post_key(str(ident) if ident is not None else None, url, title, published),
        url=url or feed_url,
        title=title,
        published=published,
        text="" if text.strip() == title else text,
        links=links,
    )


def _short(text: str) -> str:
    return " ".join(text.split())[:120]
