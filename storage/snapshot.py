"""What one scan stored, as the site-level detectors read it (no SQL in detectors)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from detectors.broken_link import BrokenLinkRow
from detectors.interaction_messages import Message
from detectors.page_facts import PageFacts
from detectors.probe_health import ProbeDay
from detectors.site_subject import HomeListing
from storage import new_media, probes, site_content
from storage.models import Attachment, Link, Page, Scan, UrlCheck
from storage.new_media import FeedState


@dataclass
class ScanSnapshot:
    session: Session
    scan_id: int
    home_key: str
    timeout_s: float

    def probe_days(self, since: date) -> list[ProbeDay]:
        """The site's availability probes from ``since`` on (they are not per scan)."""
        scan = self.session.get(Scan, self.scan_id)
        return [] if scan is None else probes.probe_days(self.session, scan.site_id, since)

    def broken_links(self) -> Iterator[BrokenLinkRow]:
        query = (
            select(
                Page.url,
                Page.url_key,
                Link.target_url,
                Link.target_key,
                Link.element,
                Link.text,
                UrlCheck.http_status,
                UrlCheck.error,
                UrlCheck.final_url,
                UrlCheck.attempts,
            )
            .join(Page, Page.id == Link.page_id)
            .join(
                UrlCheck,
                (UrlCheck.scan_id == Link.scan_id)
                & (UrlCheck.url_hash == Link.target_hash)
                & (UrlCheck.url_key == Link.target_key),
            )
            .where(Link.scan_id == self.scan_id, UrlCheck.outcome == "broken")
            .order_by(Page.id, Link.id)
        )
        for row in self.session.execute(query).yield_per(1000):
            yield BrokenLinkRow(
                page_url=row[0],
                page_key=row[1],
                target_url=row[2],
                target_key=row[3],
                element=row[4],
                link_text=row[5],
                http_status=row[6],
                error=row[7] or "",
                final_url=row[8],
                attempts=row[9] or [],
            )

    def crawled_page_keys(self) -> set[str]:
        """Pages, and attachments whose text was read, that this scan looked at: their
        findings not seen again are fixed (an unreadable file proves nothing)."""
        pages = self.session.scalars(select(Page.url_key).where(Page.scan_id == self.scan_id))
        attachments = self.session.scalars(
            select(Attachment.url_key).where(
                Attachment.scan_id == self.scan_id, Attachment.error.is_(None)
            )
        )
        return set(pages) | set(attachments)

    @property
    def site_id(self) -> str:
        scan = self.session.get(Scan, self.scan_id)
        assert scan is not None
        return scan.site_id

    def pages(self) -> dict[str, PageFacts]:
        """Facts and list entries of every page this scan read (columns, policy pairing);
        read once and shared by the detectors of the scan."""
        cached = self.__dict__.get("_pages")
        if cached is None:
            cached = site_content.stored_pages(self.session, self.scan_id)
            self.__dict__["_pages"] = cached
        return cached

    def messages(self) -> Iterator[tuple[str, Message]]:
        """Messages of the consultation channels this scan read, with their page's URL
        (``interaction_unanswered``)."""
        return site_content.messages(self.session, self.scan_id)

    def outlinks(self, page_keys: set[str]) -> dict[str, set[str]]:
        return site_content.outlinks(self.session, self.scan_id, page_keys)

    def home_listings(self) -> list[HomeListing]:
        """What the home page listed in this and earlier scans (``home_page_stale``)."""
        return site_content.home_listings(self.session, self.site_id, self.scan_id, self.home_key)

    def new_media_feeds(self) -> list[FeedState]:
        """The accounts this scan read (``new_media_stale``, ``new_media_unreachable``)."""
        return new_media.feed_states(self.session, self.site_id, self.scan_id)

    def new_media_checked_keys(self) -> set[str]:
        """Feeds read and posts read in full by this scan: their findings may be fixed."""
        return new_media.checked_keys(self.session, self.site_id, self.scan_id)

    def inconclusive(self) -> list[tuple[str, str | None]]:
        rows = self.session.execute(
            select(UrlCheck.url, UrlCheck.error)
            .where(UrlCheck.scan_id == self.scan_id, UrlCheck.outcome == "inconclusive")
            .order_by(UrlCheck.url)
        )
        return [(r[0], r[1]) for r in rows]
