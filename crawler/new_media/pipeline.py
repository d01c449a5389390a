"""Item pipeline of the new-media spider: store each account's read and check its posts.

Per account, in one transaction: the feed-read row, the posts (new or refreshed),
and this scan's observations on them — ``term`` and ``privacy_leak`` on each post's
title and text (from the feed, or the article page when there is one) and
``broken_link`` for links in posts that the spider confirmed broken. Findings
carry ``page_url`` = the post's URL and the account's unit (the unit that opened
the account answers for it, wherever the post is hosted).

A post counts as read in full ("checked") only when its article page, if it has
one, was read or found deleted, and every link in it got a definite answer; only
then may this scan mark its earlier problems fixed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert

from common import clock
from common.units import UnitResolver
from common.urls import url_key
from crawler.fetch_policy import UrlResult
from crawler.new_media.post_time import now_beijing
from crawler.new_media.reads import AccountRead, NewMediaBatch
from crawler.page_links import PageLink
from crawler.pipelines import StopsScanOnFailure
from detectors.broken_link import BrokenLinkDetector, BrokenLinkRow
from detectors.runner import Detection, FindingCollector, run_detectors
from storage.db import Database, describe_error, open_database
from storage.lifecycle import observation_row
from storage.models import Observation
from storage.new_media import StoredPost, save_account

logger = logging.getLogger(__name__)


@dataclass
class PostContent:
    """A post with what a reader sees of it: the feed's item merged with its article."""

    stored: StoredPost
    links: list[PageLink] = field(default_factory=list)


def post_contents(read: AccountRead) -> list[PostContent]:
    """Each post of a read feed with its merged content and whether it was read in full."""
    if read.feed is None:
        return []
    contents = []
    for post in read.feed.posts:
        key = url_key(post.url)
        article_read = read.articles.get(key)
        title, text, published, deleted = post.title, post.text, post.published, False
        links = list(post.links)
        checked = True
        if article_read is not None:
            article = article_read.article
            checked = article_read.conclusive
            if article is not None and article.state == "deleted":
                deleted, text, links = True, "", []
            elif article is not None and article.state == "article":
                title = article.title or title
                text = article.text or text
                published = published or article.published
                links = _merged(links, article.links)
        for link in links:
            result = read.links.get(link.target_key)
            if result is None or result.outcome == "inconclusive":
                checked = False
        contents.append(
            PostContent(
                StoredPost(
                    key=post.key,
                    url=post.url,
                    title=title,
                    published=published,
                    text=text,
                    pinned=post.pinned,
                    deleted=deleted,
                    checked=checked,
                ),
                links,
            )
        )
    return contents


def _merged(first: list[PageLink], second: list[PageLink]) -> list[PageLink]:
    seen = {(link.target_key, link.element) for link in first}
    return first + [link for link in second if (link.target_key, link.element) not in seen]


@dataclass(frozen=True)
class PostLinks:
    """A post's confirmed broken links: the ``broken_link`` detector's subject for it."""

    url: str
    rows: list[BrokenLinkRow]
    timeout_s: float
    home_key: str = ""  # a post is never the home page

    def broken_links(self) -> Iterable[BrokenLinkRow]:
        return self.rows


def broken_link_rows(content: PostContent, results: dict[str, UrlResult]) -> list[BrokenLinkRow]:
    rows = []
    for link in content.links:
        result = results.get(link.target_key)
        if result is None or result.outcome != "broken":
            continue
        rows.append(
            result.broken_link(content.stored.url, link.target_url, link.element, link.text)
        )
    return rows


class PostChecks:
    """The text detectors (``term``, ``privacy_leak`` …) and ``broken_link``, applied to the
    posts of one account read through the common runner."""

    def __init__(self, config: Any):
        from detectors.registry import detectors_for

        self.text_detectors = detectors_for(config, "text")
        self.link_detectors = detectors_for(config, "site", ids=[BrokenLinkDetector.id])
        self.timeout_s = config.site.timeout_s

    def detect(self, read: AccountRead, contents: list[PostContent]) -> Detection:
        from detectors.page import PageContext

        result = Detection()
        for content in contents:
            post = content.stored
            if post.deleted or not (post.title or post.text):
                continue
            published = post.published.date() if post.published else None
            page = PageContext.from_text(post.url, post.title, post.text, published)
            result.extend(run_detectors(self.text_detectors, page))
            rows = broken_link_rows(content, read.links)
            if rows:
                links = PostLinks(post.url, rows, self.timeout_s)
                result.extend(run_detectors(self.link_detectors, links))
        for finding in result.findings:
            finding.details.setdefault("account", read.account.name)
        return result


class NewMediaPipeline(StopsScanOnFailure):
    def __init__(self, db_url: str, scan_id: int, crawler: Any):
        self.db_url = db_url
        self.scan_id = scan_id
        self.crawler = crawler
        self.config = crawler.settings.get("GOVWATCH_CONFIG")
        self.db: Database | None = None
        self.checks: PostChecks | None = None
        self.collector = FindingCollector(UnitResolver(self.config)) if self.config else None

    @classmethod
    def from_crawler(cls, crawler: Any) -> NewMediaPipeline:
        from scrapy.exceptions import NotConfigured

        scan_id = crawler.settings.getint("GOVWATCH_SCAN_ID")
        db_url = crawler.settings.get("GOVWATCH_DB_URL")
        if not scan_id or not db_url or crawler.settings.get("GOVWATCH_CONFIG") is None:
            raise NotConfigured
        return cls(db_url, scan_id, crawler)

    def open_spider(self) -> None:
        self.db = open_database(self.db_url, migrate=False)

    def close_spider(self) -> None:
        unfinished = getattr(self.crawler.spider, "unfinished", None)
        if unfinished is not None:
            for batch in unfinished():
                self.process_item(batch)
        if self.db is not None:
            self.db.dispose()

    def process_item(self, item: Any) -> Any:
        if self.error is None and isinstance(item, NewMediaBatch):
            try:
                self._store(item.read)
            except Exception as error:  # storage failed: the scan cannot be trusted
                logger.debug("new media storage failed: %r", error)
                self._fail(describe_error(error))
        return item

    def _store(self, read: AccountRead) -> None:
        assert self.db is not None
        if self.checks is None:
            self.checks = PostChecks(self.config)
        assert self.collector is not None
        contents = post_contents(read)
        found = self.checks.detect(read, contents)
        self._count_failures(self.collector, found.failures)
        # The unit that opened the account answers for its posts, wherever they are hosted.
        unit = read.account.unit or self.config.default_unit
        observations = [
            observation_row(self.scan_id, finding)
            for finding in found.findings
            if self.collector.accept(finding, unit=unit)
        ]
        now = clock.now()
        with self.db.session() as session:
            save_account(
                session,
                self.config.site.id,
                self.scan_id,
                read,
                [c.stored for c in contents],
                now,
                estimate_at=now_beijing(),
            )
            if observations:
                session.execute(insert(Observation), observations)
