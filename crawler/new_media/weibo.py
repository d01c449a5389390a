"""Weibo's m.weibo.cn container JSON (``/api/container/getIndex?containerid=107603…``).

``data.cards[]`` holds the timeline; a card with ``card_type`` 9 carries a post in
``mblog`` (``created_at``, ``text`` as HTML, ``id``/``bid``). Pinned posts
(``isTop``, or the card title 置顶) come first whatever their age and are flagged,
so that freshness ignores them. ``card_group`` cards nest further cards.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from common.urls import origin_of
from crawler.new_media.post_time import parse_post_time
from crawler.new_media.posts import Post, body_from_html, post_key

MAX_CARDS = 1000


def looks_like_container(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("data"), dict)
        and isinstance(data["data"].get("cards"), list)
    )


def _cards(cards: list[Any]) -> Iterator[dict[str, Any]]:
    count = 0
    for card in cards:
        if not isinstance(card, dict):
            continue
        nested = card.get("card_group")
        for item in [card, *(nested if isinstance(nested, list) else [])]:
            if isinstance(item, dict) and isinstance(item.get("mblog"), dict):
                count += 1
                if count > MAX_CARDS:
                    return
                yield item


def _is_pinned(card: dict[str, Any], mblog: dict[str, Any]) -> bool:
    if mblog.get("isTop") in (1, True, "1"):
        return True
    title = mblog.get("title")
    label = title.get("text", "") if isinstance(title, dict) else ""
    return "置顶" in str(label)


def parse_container(data: dict[str, Any], feed_url: str, now: datetime) -> list[Post]:
    """The posts of a container JSON; post URLs are ``<feed origin>/status/<bid>``."""
    origin = origin_of(feed_url)
    posts: list[Post] = []
    for card in _cards(data["data"]["cards"]):
        mblog = card["mblog"]
        ident = str(mblog.get("bid") or mblog.get("mid") or mblog.get("id") or "").strip()
        url = f"{origin}/status/{ident}" if ident else str(card.get("scheme") or feed_url)
        published = parse_post_time(str(mblog.get("created_at") or ""), now)
        raw_text = mblog.get("text")
        body = body_from_html(raw_text if isinstance(raw_text, str) else "", url)
        # A repost's original (``retweeted_status``) is someone else's wording: not read.
        posts.append(
            Post(
                key=post_key(ident or None, None, body.text[:200], published),
                url=url,
                title="",  # a weibo has no title; its text is the post
                published=published,
                text=body.text,
                links=body.links,
                pinned=_is_pinned(card, mblog),
            )
        )
    return posts
