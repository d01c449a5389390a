"""New-media posts and feed reads: how a scan stores them and what detectors read back.

Posts are kept across scans, one row per (site, account, post identity), so a post
seen again updates its row and an account's history survives mirrors that show
only their newest items. Each scan adds one feed-read row per account.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from common.clock import BEIJING
from common.urls import url_key
from storage.models import NewMediaFetch, NewMediaPost, storable


@dataclass(frozen=True)
class StoredPost:
    """A post as the pipeline hands it to storage (content merged from feed and article)."""

    key: str
    url: str
    title: str
    published: datetime | None
    text: str
    pinned: bool
    deleted: bool
    checked: bool  # this scan read its whole content


@dataclass(frozen=True)
class FeedState:
    """One account as one scan left it: the feed read and the latest known post."""

    account: str
    platform: str
    feed_url: str
    outcome: str  # ok | unreachable
    http_status: int | None
    error: str | None
    error_detail: str
    last_published: date | None  # Beijing date of the newest post that counts
    posts: int


def save_account(
    session: Session,
    site_id: str,
    scan_id: int,
    read: Any,  # crawler.new_media.reads.AccountRead
    posts: Iterable[StoredPost],
    now: datetime,
    estimate_at: datetime | None = None,
) -> None:
    """The feed-read row and the account's posts (inserted or refreshed), in ``session``.

    ``estimate_at`` is the publication time given to undated posts new since an earlier
    read (``now`` by default; the pipeline passes the clock's today, which tests pin)."""
    account = read.account
    posts = list(posts)
    session.add(
        NewMediaFetch(
            scan_id=scan_id,
            account=account.name,
            platform=account.platform,
            feed_url=read.feed_url,
            feed_key=url_key(read.feed_url),
            outcome=read.outcome,
            http_status=read.http_status,
            error=read.error,
            error_detail=read.error_detail[:1000],
            feed_format=read.feed.format if read.feed else "",
            feed_title=read.feed.title if read.feed else "",
            posts=len(posts),
            articles_read=sum(1 for a in read.articles.values() if a.conclusive),
            fetched_at=read.fetched_at,
            attempts=read.attempts,
        )
    )
    if not posts:
        return
    existing = {
        row.post_key: row
        for row in session.scalars(
            select(NewMediaPost).where(
                NewMediaPost.site_id == site_id, NewMediaPost.account == account.name
            )
        )
    }
    # An undated post that appears after the account was first read was published
    # since then; on the first read nothing tells when undated posts appeared.
    known_before = bool(existing)
    for post in posts:
        published = _utc(post.published)
        row = existing.get(storable(post.key))  # as stored: a feed's id may hold a NUL
        if row is None:
            row = NewMediaPost(
                site_id=site_id,
                account=account.name,
                post_key=post.key,
                published=published or (_utc(estimate_at or now) if known_before else None),
                published_estimated=post.published is None and known_before,
                first_seen=now,
                first_scan_id=scan_id,
            )
            session.add(row)
            existing[storable(post.key)] = row
        elif published is not None:
            row.published, row.published_estimated = published, False
        row.platform = account.platform
        row.url, row.url_key = post.url, url_key(post.url)
        row.title, row.text = post.title, post.text
        row.pinned, row.deleted = post.pinned, post.deleted
        row.last_seen, row.last_scan_id = now, scan_id
        if post.checked:
            row.checked_scan_id = scan_id


def feed_states(session: Session, site_id: str, scan_id: int) -> list[FeedState]:
    """Every account this scan read, with the newest post that counts for freshness
    (not pinned, not deleted; estimated dates included), over all scans."""
    latest = dict(
        session.execute(
            select(NewMediaPost.account, func.max(NewMediaPost.published))
            .where(
                NewMediaPost.site_id == site_id,
                NewMediaPost.pinned.is_(False),
                NewMediaPost.deleted.is_(False),
                NewMediaPost.published.is_not(None),
            )
            .group_by(NewMediaPost.account)
        ).all()
    )
    states = []
    for row in session.scalars(
        select(NewMediaFetch).where(NewMediaFetch.scan_id == scan_id).order_by(NewMediaFetch.id)
    ):
        newest = latest.get(row.account)
        states.append(
            FeedState(
                account=row.account,
                platform=row.platform,
                feed_url=row.feed_url,
                outcome=row.outcome,
                http_status=row.http_status,
                error=row.error,
                error_detail=row.error_detail,
                last_published=_beijing_date(newest) if newest else None,
                posts=row.posts,
            )
        )
    return states


def _utc(moment: datetime | None) -> datetime | None:
    """Stored in UTC: SQLite keeps no zone, and reads back naive."""
    return moment.astimezone(UTC) if moment is not None else None


def _beijing_date(moment: datetime) -> date:
    if moment.tzinfo is None:  # SQLite returns naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BEIJING).date()


def checked_keys(session: Session, site_id: str, scan_id: int) -> set[str]:
    """Page keys this scan looked at in full: feeds it read, posts whose content it read.
    Only findings on these may become fixed; an unreadable feed fixes nothing."""
    feeds = session.scalars(
        select(NewMediaFetch.feed_key).where(
            NewMediaFetch.scan_id == scan_id, NewMediaFetch.outcome == "ok"
        )
    )
    posts = session.scalars(
        select(NewMediaPost.url_key).where(
            NewMediaPost.site_id == site_id, NewMediaPost.checked_scan_id == scan_id
        )
    )
    return set(feeds) | set(posts)
