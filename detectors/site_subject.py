"""What the site detectors read after the crawl: the subject that storage implements.

Site detectors see what one scan stored through this protocol only (no SQL, no ORM):
``storage.snapshot.ScanSnapshot`` implements it on the database, and tests implement
it on plain objects. Page facts and list entries come back in the shape the page
reading produced them (:mod:`detectors.page_facts`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from detectors.broken_link import BrokenLinkRow
from detectors.interaction_messages import Message
from detectors.new_media_accounts import FeedRow
from detectors.page_facts import ListEntry, PageFacts
from detectors.probe_health import ProbeDay


@dataclass(frozen=True)
class HomeListing:
    """What the home page listed in one scan, and the day that scan judged as today."""

    scan_id: int
    as_of: date
    entries: tuple[ListEntry, ...]


class SiteSubject(Protocol):
    scan_id: int
    home_key: str  # url_key of the home page
    timeout_s: float  # the site's timeout, as messages quote it

    def pages(self) -> dict[str, PageFacts]:
        """Every page's facts of the scan, with its list entries, by page key."""
        ...

    def messages(self) -> Iterable[tuple[str, Message]]:
        """The messages of consultation channels the scan read, each with the URL of the
        page that shows it (a list page or the message's own page)."""
        ...

    def outlinks(self, page_keys: set[str]) -> dict[str, set[str]]:
        """The ``<a>`` targets (url keys) of these pages."""
        ...

    def home_listings(self) -> list[HomeListing]:
        """What the home page listed in this scan and earlier ones, oldest first."""
        ...

    def broken_links(self) -> Iterable[BrokenLinkRow]: ...

    def new_media_feeds(self) -> Iterable[FeedRow]: ...

    def probe_days(self, since: date) -> Iterable[ProbeDay]:
        """The site's availability probes from ``since`` on, per URL and day."""
        ...
