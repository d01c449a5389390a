"""Page facts and list entries as a scan stores them, and read back for detectors.

The page-detection worker reads each page's :class:`~detectors.page_facts.PageFacts`;
:func:`fact_rows` writes them as one ``page_facts`` row and the ``list_entries`` of its
list, and :func:`stored_pages` reads them back in the same shape for the site
detectors, with the links between pages they need for interpretation pairing and what
the home page listed in earlier scans.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.clock import BEIJING
from detectors.interaction_messages import Message
from detectors.page_facts import ListEntry as Entry
from detectors.page_facts import PageFacts
from detectors.site_subject import HomeListing
from storage.models import ListEntry, Page, PageFact, Scan, key_hash, unpack_keys


def _entry(row: ListEntry) -> Entry:
    return Entry(row.url, row.title, row.date_text, row.listed, row.pinned)


def fact_rows(scan_id: int, facts: PageFacts) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The ``page_facts`` row and ``list_entries`` rows of one page's facts."""
    key = facts.key
    row = {
        "scan_id": scan_id,
        "page_key": key,
        "url": facts.url,
        "kind": facts.kind,
        "column_name": facts.column_name,
        "column_type": facts.column_type,
        "crumbs": facts.crumbs,
        "headline": facts.headline,
        "published": facts.published,
        "document_number": (facts.document_number or "")[:80] or None,
        "cites": facts.cites,
        "entries": len(facts.entries),
        "content_chars": facts.content_chars,
        "placeholder": facts.placeholder,
        "note": facts.note,
        "widgets": facts.widgets,
        "messages": [m.to_json() for m in facts.messages] or None,
    }
    entries = [
        {
            "scan_id": scan_id,
            "page_key": key,
            "position": position,
            "url": entry.url,
            "url_key": entry.url_key,
            "title": entry.title,
            "date_text": entry.date_text[:60],
            "listed": entry.listed,
            "pinned": entry.pinned,
        }
        for position, entry in enumerate(facts.entries)
    ]
    return row, entries


def stored_pages(session: Session, scan_id: int) -> dict[str, PageFacts]:
    """Every page's facts of the scan, with its list entries, by page key.

    Held for the whole site phase, so kept small: rows are streamed as plain columns
    (no ORM objects), and the strings that repeat from page to page (kind, column,
    breadcrumb, dates) are shared."""
    shared: dict[Any, Any] = {}

    def one(value: Any) -> Any:
        return shared.setdefault(value, value)

    pages: dict[str, PageFacts] = {}
    rows = session.execute(
        select(
            PageFact.page_key,
            PageFact.url,
            PageFact.kind,
            PageFact.column_name,
            PageFact.column_type,
            PageFact.crumbs,
            PageFact.headline,
            PageFact.published,
            PageFact.document_number,
            PageFact.cites,
            PageFact.content_chars,
            PageFact.placeholder,
            PageFact.note,
            PageFact.widgets,
        )
        .where(PageFact.scan_id == scan_id)
        .execution_options(yield_per=2000)
    )
    for row in rows:
        pages[row[0]] = PageFacts(
            url=row[1],
            kind=one(row[2]),
            column_name=one(row[3]),
            column_type=one(row[4]),
            crumbs=[one(crumb) for crumb in row[5] or ()],
            headline=row[6],
            published=one(row[7]),
            document_number=row[8],
            cites=dict(row[9]) if row[9] else {},
            content_chars=row[10],
            placeholder=row[11],
            note=row[12],
            widgets=row[13],
        )
    entries = session.execute(
        select(
            ListEntry.page_key,
            ListEntry.url,
            ListEntry.title,
            ListEntry.date_text,
            ListEntry.listed,
            ListEntry.pinned,
        )
        .where(ListEntry.scan_id == scan_id)
        .order_by(ListEntry.page_key, ListEntry.position)
        .execution_options(yield_per=2000)
    )
    for page_key, url, title, date_text, listed, pinned in entries:
        page = pages.get(page_key)
        if page is not None:
            page.entries.append(Entry(url, title, one(date_text), one(listed), pinned))
    return pages


def messages(session: Session, scan_id: int) -> Iterator[tuple[str, Message]]:
    """The messages of consultation channels the scan read, with the page showing each;
    only the pages that show some are read, a batch at a time."""
    query = (
        select(PageFact.url, PageFact.messages)
        .where(PageFact.scan_id == scan_id, PageFact.messages.is_not(None))
        .order_by(PageFact.id)
    )
    for url, records in session.execute(query).yield_per(200):
        for record in records or []:
            message = Message.from_json(record) if isinstance(record, dict) else None
            if message is not None:
                yield url, message


def outlinks(session: Session, scan_id: int, page_keys: Iterable[str]) -> dict[str, set[str]]:
    """The link targets (``<a>``) of the given pages in this scan."""
    keys = sorted(set(page_keys))
    found: dict[str, set[str]] = defaultdict(set)
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        rows = session.execute(
            select(Page.url_key, Page.outlinks).where(
                Page.scan_id == scan_id,
                Page.url_hash.in_([key_hash(k) for k in chunk]),
                Page.url_key.in_(chunk),
            )
        )
        for page_key, packed in rows:
            targets = unpack_keys(packed)
            if targets:
                found[page_key].update(targets)
    return found


def linking_pages(session: Session, scan_id: int, targets: Iterable[str]) -> dict[str, str]:
    """For each target key, the URL of a page of this scan that links it with ``<a>``
    (the shallowest, then the first by URL; the target itself does not count).
    Reads every page's packed links once, in order, without holding them."""
    wanted = set(targets)
    best: dict[str, tuple[int, str]] = {}
    if not wanted:
        return {}
    rows = session.execute(
        select(Page.url_key, Page.url, Page.depth, Page.outlinks)
        .where(Page.scan_id == scan_id, Page.outlinks.is_not(None))
        .execution_options(yield_per=1000)
    )
    for page_key, url, depth, packed in rows:
        for target in wanted.intersection(unpack_keys(packed)):
            if target != page_key and (depth, url) < best.get(target, (depth + 1, url)):
                best[target] = (depth, url)
    return {target: url for target, (_, url) in best.items()}


def _scan_day(scan: Scan) -> date:
    if scan.as_of is not None:
        return scan.as_of
    started = scan.started_at
    if started.tzinfo is None:
        started = started.replace(tzinfo=UTC)
    return started.astimezone(BEIJING).date()


def home_listings(session: Session, site_id: str, scan_id: int, home_key: str) -> list[HomeListing]:
    """What the home page listed in this scan and in every earlier completed scan of the
    site that read it, oldest first."""
    scans = session.scalars(
        select(Scan)
        .where(
            Scan.site_id == site_id,
            (Scan.id == scan_id) | ((Scan.status == "completed") & (Scan.id < scan_id)),
        )
        .order_by(Scan.id)
    ).all()
    by_scan: dict[int, list[Entry]] = defaultdict(list)
    rows = session.scalars(
        select(ListEntry)
        .where(
            ListEntry.scan_id.in_([s.id for s in scans]),
            ListEntry.page_hash == key_hash(home_key),
            ListEntry.page_key == home_key,
        )
        .order_by(ListEntry.scan_id, ListEntry.position)
    )
    for row in rows:
        by_scan[row.scan_id].append(_entry(row))
    read = set(
        session.scalars(
            select(PageFact.scan_id).where(
                PageFact.scan_id.in_([s.id for s in scans]),
                PageFact.page_hash == key_hash(home_key),
                PageFact.page_key == home_key,
            )
        )
    )
    return [
        HomeListing(s.id, _scan_day(s), tuple(by_scan.get(s.id, ()))) for s in scans if s.id in read
    ]
