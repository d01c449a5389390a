"""What the new-media spider hands to its pipeline: one complete read of one account.

An account is emitted once everything about it is known — the feed, the article
pages of its newest posts, and the links in them — so the pipeline can store and
judge it in one transaction, and say exactly which posts this scan read in full.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from crawler.fetch_policy import UrlResult
from crawler.new_media.feeds import Feed
from crawler.new_media.wechat import WeChatArticle

FeedOutcome = Literal["ok", "unreachable"]


@dataclass
class ArticleRead:
    """An article page of a post: read (or deleted), or why it could not be read."""

    url: str
    article: WeChatArticle | None = None
    error: str | None = None  # http_404, timeout, … when the page could not be fetched

    @property
    def conclusive(self) -> bool:
        """Whether this scan knows what the post shows now (its text, or that it is gone)."""
        return self.article is not None and self.article.state in ("article", "deleted")


@dataclass
class AccountRead:
    account: Any  # govwatch.config.NewMediaAccount
    feed_url: str
    outcome: FeedOutcome
    fetched_at: datetime
    http_status: int | None = None
    error: str | None = None  # http_500, timeout, not_a_feed, empty_feed, …
    error_detail: str = ""
    feed: Feed | None = None
    articles: dict[str, ArticleRead] = field(default_factory=dict)  # by post URL key
    links: dict[str, UrlResult] = field(default_factory=dict)  # by target URL key
    attempts: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class NewMediaBatch:
    """The spider's item: one account's read (Scrapy wants an item it can pass on)."""

    read: AccountRead
