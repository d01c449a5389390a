"""Findings for the review domain's tests, inserted directly (no crawl).

Site ``s`` with two completed scans (1 on 2024-11-18, 2 on 2024-11-25, Beijing time);
each :class:`Row` is a finding last seen by ``scan``. Units 办公室 and 司法局.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from common.clock import BEIJING
from storage.db import Database, open_database
from storage.models import Finding, FindingEvent, Scan, Site

SITE = "s"


def at(day: str, hour: int = 10) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour), tzinfo=BEIJING).astimezone(UTC)


@dataclass
class Row:
    key: str
    unit: str = "办公室"
    detector: str = "broken_link"
    severity: str = "medium"
    status: str = "open"
    message: str = ""
    scan: int = 2
    first_seen: str = "2024-11-18"
    deadline: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


def build(db_url: str, rows: list[Row], site: str = SITE) -> tuple[Database, dict[str, int]]:
    """The database and each row's finding id by ``key``."""
    db = open_database(db_url)
    ids: dict[str, int] = {}
    with db.session() as session:
        if session.get(Site, site) is None:
            session.add(Site(id=site, name="测试站", created_at=at("2024-11-01")))
            session.flush()
            for number, day in ((1, "2024-11-18"), (2, "2024-11-25")):
                session.add(
                    Scan(
                        id=number if site == SITE else number + 10,
                        site_id=site,
                        status="completed",
                        started_at=at(day, 2),
                        finished_at=at(day, 3),
                        as_of=date.fromisoformat(day),
                    )
                )
            session.flush()
        for row in rows:
            scan = row.scan if site == SITE else row.scan + 10
            finding = Finding(
                site_id=site,
                fingerprint=f"{site}-{row.key}",
                detector=row.detector,
                severity=row.severity,
                unit=row.unit,
                page_url=f"http://h/{row.key}.html",
                page_key=f"http://h/{row.key}.html",
                subject_key=f"http://h/{row.key}.pdf",
                status=row.status,
                message=row.message or f"{row.key} 问题",
                details=row.details,
                evidence={},
                first_seen=at(row.first_seen),
                last_seen=at("2024-11-25" if row.scan == 2 else "2024-11-18"),
                first_scan_id=1 if site == SITE else 11,
                scan_id=scan,
                deadline=date.fromisoformat(row.deadline) if row.deadline else None,
            )
            session.add(finding)
            session.flush()
            session.add(
                FindingEvent(
                    finding_id=finding.id,
                    scan_id=1 if site == SITE else 11,
                    at=at(row.first_seen, 3),
                    from_status=None,
                    to_status="open",
                    actor="scan",
                    action="scan",
                )
            )
            ids[row.key] = finding.id
    return db, ids
