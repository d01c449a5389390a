"""Reading findings back: the queries the command line, reports and web app share."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from common.vocabulary import severity_rank
from storage.models import Finding, Scan, Site


def latest_scan_ids(session: Session, site: str | None) -> list[int]:
    """The latest completed scan of each site (or of one site)."""
    query = select(func.max(Scan.id)).where(Scan.status == "completed").group_by(Scan.site_id)
    if site:
        query = query.where(Scan.site_id == site)
    return [i for i in session.scalars(query) if i is not None]


def query_findings(
    session: Session,
    site: str | None = None,
    scan: str | None = None,
    status: str | None = None,
    unit: str | None = None,
    detector: str | None = None,
) -> list[Finding]:
    query = select(Finding)
    if site:
        query = query.where(Finding.site_id == site)
    if scan and scan != "latest":
        query = query.where(Finding.scan_id == int(scan))
    elif scan == "latest" or not status:
        query = query.where(Finding.scan_id.in_(latest_scan_ids(session, site)))
    if status:
        query = query.where(Finding.status == status)
    if unit:
        query = query.where(Finding.effective_unit == unit)
    if detector:
        query = query.where(Finding.detector == detector)
    rows = list(session.scalars(query))
    rows.sort(
        key=lambda f: (f.site_id, severity_rank(f.severity), f.effective_unit, f.page_url, f.id)
    )
    return rows


def filter_values(session: Session, site: str | None = None) -> dict[str, list[str]]:
    """The values ``--site``, ``--unit`` and ``--scan`` can take in this database (units
    and scans of ``site`` when given), so a mistyped one can be told from "nothing found"."""
    sites = list(session.scalars(select(Site.id).order_by(Site.id)))
    units = select(Finding.effective_unit).distinct().order_by(Finding.effective_unit)
    scans = select(Scan.id).order_by(Scan.id.desc())
    if site:
        units = units.where(Finding.site_id == site)
        scans = scans.where(Scan.site_id == site)
    return {
        "site": sites,
        "unit": list(session.scalars(units)),
        "scan": [str(i) for i in session.scalars(scans)],
    }
