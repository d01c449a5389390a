"""The overview: each site's single-veto items first, in the weekly report's terms
(``reports.weekly.veto_items`` and ``verdict_of``), then the unresolved findings by
detector, unit and severity, and this week against last week — all of it judged on the
findings the reader may see.

The groups read the contract's flat records of the unresolved findings of the site's
latest completed scan whose detectors feed a veto group; they are read here as plain
rows (no ORM objects: tens of thousands at 100,000 findings). The whole overview is kept
until the data changes (a new completed scan, a new finding event, a new day): at
100,000 findings it takes seconds to count.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from common.clock import today
from common.vocabulary import SEVERITY_NAMES, UNRESOLVED
from detectors.registry import DETECTORS, enabled_ids, title_of
from reports.report_data import ReportInputs, ReportSettings, beijing_date
from reports.weekly import verdict_of, veto_items
from storage.access import Access, scoped
from storage.finding_list import counts_by_each, trend
from storage.models import Finding, FindingEvent, Scan, Site
from storage.queries import latest_scan_ids

CACHE_ENTRIES = 256


def veto_records(session: Session, site: str, scan_id: int, access: Access) -> list[dict]:
    """The records the veto groups judge: unresolved findings of ``scan_id`` from the
    detectors that feed a group, as ``reports.findings_export.finding_record`` lays
    them out (base fields, then the detector's details)."""
    feeding = [cls.id for cls in DETECTORS if cls.veto_group]
    statement = select(
        Finding.id,
        Finding.detector,
        Finding.severity,
        Finding.status,
        Finding.effective_unit,
        Finding.page_url,
        Finding.details,
    ).where(
        Finding.site_id == site,
        Finding.scan_id == scan_id,
        Finding.status.in_(UNRESOLVED),
        Finding.detector.in_(feeding),
    )
    records = []
    for id_, detector, severity, status, unit, page_url, details in session.execute(
        scoped(statement, access)
    ):
        record = {
            "id": id_,
            "site": site,
            "scan_id": scan_id,
            "detector": detector,
            "severity": severity,
            "unit": unit,
            "page_url": page_url,
            "status": status,
        }
        for key, value in (details or {}).items():
            record.setdefault(key, value)
        records.append(record)
    return records


def site_veto(session: Session, site: Site, config: Any | None, access: Access) -> dict:
    scans = latest_scan_ids(session, site.id)
    if not scans:
        return {"name": site.name, "veto": [], "note": "还没有完成的扫描，请先运行 govwatch scan"}
    scan = session.get(Scan, scans[0])
    assert scan is not None
    name = config.site.name if config is not None else site.name
    inputs = ReportInputs(
        site_id=site.id,
        site_name=name,
        scan_id=scan.id,
        scan_date=min(beijing_date(scan.finished_at or scan.started_at), today()),
        records=veto_records(session, site.id, scan.id, access),
        settings=ReportSettings.for_site(name, config),
        units=[],
        detectors=enabled_ids(config),
    )
    items = veto_items(session, inputs, today())
    verdict, state = verdict_of(items)
    return {
        "name": name,
        "scan_id": scan.id,
        "scan_date": inputs.scan_date,
        "veto": items,
        "verdict": verdict,
        "verdict_state": state,
    }


def overview_data(
    session: Session, configs: dict[str, Any], access: Access, cache: dict
) -> dict[str, Any]:
    """What the overview shows this reader, from ``cache`` while nothing changed."""
    version = (
        session.scalar(select(func.max(FindingEvent.id))),
        session.scalar(select(func.max(Scan.id)).where(Scan.status == "completed")),
        today(),
        access.role,
        access.unit,
    )
    if version in cache:
        return cache[version]
    sites = []
    for site in session.scalars(select(Site).order_by(Site.id)):
        item = configs.get(site.id)
        sites.append(site_veto(session, site, item.config if item else None, access))
    by = counts_by_each(session, access, ("detector", "unit", "severity"))
    days = trend(session, access, days=14)
    weeks = [("上周", days[:7]), ("本周", days[7:])]
    data = {
        "sites": sites,
        "counts": [
            ("类型", "detector", [(k, title_of(k), n) for k, n in by["detector"].items()]),
            ("责任单位", "unit", [(k, k, n) for k, n in by["unit"].items()]),
            (
                "级别",
                "severity",
                [(k, SEVERITY_NAMES.get(k, k), n) for k, n in by["severity"].items()],
            ),
        ],
        "open_total": sum(by["severity"].values()),
        "trend": [
            (
                label,
                {
                    "new": sum(d.new for d in span),
                    "fixed": sum(d.fixed for d in span),
                    "dismissed": sum(d.dismissed for d in span),
                },
            )
            for label, span in weeks
        ],
    }
    if len(cache) >= CACHE_ENTRIES:
        cache.clear()
    cache[version] = data
    return data
