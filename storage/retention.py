"""Retention: the raw rows of a site's old scans are pruned after each scan.

A scan's raw rows (pages, links, URL checks, attachments, page facts, list entries, and
its observations, which the lifecycle merges into ``findings`` once) are the evidence of
that scan; the detectors and reports read them for the scan they judge. Findings and
their events (the history) and each scan's summary (its ``scans`` row) are kept for
ever. Of the raw rows, only the home page's facts and list entries are
read across scans (``home_page_stale`` compares what the home page listed in every
earlier scan), so they are kept too; a few rows a scan.

``retention`` (the site config's key) is the number of the site's newest completed
scans whose raw rows stay; the rows of its older scans (completed or not, never one
still running) are deleted. A scan prunes before its crawl too, down to ``retention - 1``
completed scans beside itself: the database then never holds more than ``retention``
scans' rows, and its file (which reuses freed pages but does not shrink) stays at about
that size.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import (
    Attachment,
    Link,
    ListEntry,
    Observation,
    Page,
    PageFact,
    Scan,
    UrlCheck,
    key_hash,
)

DEFAULT_RETENTION = 2


def prune_old_scans(session: Session, site_id: str, keep: int, home_key: str) -> list[int]:
    """Delete the raw rows of the site's scans older than its ``keep`` newest completed
    ones (``keep`` may be 0: every scan not running), the home page's facts and list
    entries excepted; the pruned scans' ids. The caller commits."""
    older = select(Scan.id).where(Scan.site_id == site_id, Scan.status != "running")
    if keep > 0:
        newest = session.scalars(
            select(Scan.id)
            .where(Scan.site_id == site_id, Scan.status == "completed")
            .order_by(Scan.id.desc())
            .limit(keep)
        ).all()
        if len(newest) < keep:
            return []
        older = older.where(Scan.id < min(newest))
    old = session.scalars(older.order_by(Scan.id)).all()
    home_hash = key_hash(home_key)
    for scan_id in old:
        for table in (Link, UrlCheck, Attachment, Page, Observation):
            session.execute(delete(table).where(table.scan_id == scan_id))
        for facts in (PageFact, ListEntry):
            session.execute(
                delete(facts).where(
                    facts.scan_id == scan_id,
                    (facts.page_hash != home_hash) | (facts.page_key != home_key),
                )
            )
    return list(old)
