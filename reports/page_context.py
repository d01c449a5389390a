"""Where a finding's page sits: its title, publication date and a page linking to it.

The spreadsheet units work from (modelled on the county teams' typo export) has
所在文章标题, 发布时间, 父页面地址 and 网站标识码 columns; these come from what the
scan stored about the page (``pages``, its metadata and packed links) or, for a
new-media post, from ``new_media_posts``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.clock import BEIJING
from storage.models import NewMediaPost, Page
from storage.site_content import linking_pages

CHUNK = 500


@dataclass(frozen=True)
class PageContext:
    title: str = ""
    published: str = ""
    parent_url: str = ""
    site_code: str = ""  # 网站标识码 (SiteIDCode meta tag)


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def page_contexts(
    session: Session, site_id: str, scan_id: int, records: list[dict[str, Any]]
) -> dict[str, PageContext]:
    """``page_url`` → context for the pages of ``records`` (missing pages are absent)."""
    urls = sorted({r["page_url"] for r in records if r.get("page_url")})
    pages: dict[str, Page] = {}
    for chunk in _chunks(urls):
        for page in session.scalars(
            select(Page).where(Page.scan_id == scan_id, Page.url.in_(chunk))
        ):
            pages[page.url] = page
    keys = {p.url_key: p.url for p in pages.values()}
    parents = {keys[k]: url for k, url in linking_pages(session, scan_id, keys).items()}
    posts: dict[str, NewMediaPost] = {}
    missing = [u for u in urls if u not in pages]
    for chunk in _chunks(missing):
        for post in session.scalars(
            select(NewMediaPost).where(NewMediaPost.site_id == site_id, NewMediaPost.url.in_(chunk))
        ):
            posts[post.url] = post
    contexts = {}
    for url, page in pages.items():
        meta = page.meta or {}
        contexts[url] = PageContext(
            title=str(meta.get("ArticleTitle") or page.title or ""),
            published=str(meta.get("PubDate") or ""),
            parent_url=parents.get(url, ""),
            site_code=str(meta.get("SiteIDCode") or ""),
        )
    for url, post in posts.items():
        published = ""
        if post.published is not None:
            moment = post.published
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            published = f"{moment.astimezone(BEIJING):%Y-%m-%d %H:%M}"
        contexts[url] = PageContext(title=post.title, published=published)
    return contexts
