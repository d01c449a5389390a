"""What both reports read: one site's latest completed scan, its findings as records,
and the settings of the office that sends the reports.

Records come from the same query as ``govwatch findings`` (latest scan of the site),
so every count in a notice or the weekly report equals what that command lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.clock import BEIJING, today
from common.vocabulary import UNRESOLVED
from detectors.registry import enabled_ids
from reports.findings_export import finding_record
from storage.models import Scan, Site
from storage.queries import latest_scan_ids, query_findings


class ReportError(Exception):
    """A report that cannot be made; ``code`` is the exit code (2 usage, 1 runtime)."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ReportSettings:
    """Who sends the reports and how long units have (config ``reports:``, else defaults)."""

    site_name: str
    issuer: str
    contact: str | None
    signature: str
    deadline_days: int = 5
    veto_deadline_days: int = 2

    @classmethod
    def for_site(cls, site_name: str, config: Any | None = None) -> ReportSettings:
        section = getattr(config, "reports", None)
        if section is None:
            return cls(site_name=site_name, issuer=site_name, contact=None, signature=site_name)
        issuer = section.issuer or site_name
        return cls(
            site_name=site_name,
            issuer=issuer,
            contact=section.contact,
            signature=section.signature or issuer,
            deadline_days=section.deadline_working_days,
            veto_deadline_days=section.veto_deadline_working_days,
        )


@dataclass
class ReportInputs:
    site_id: str
    site_name: str
    scan_id: int
    scan_date: date  # Beijing date the scan finished
    records: list[dict[str, Any]]  # every finding of the scan, as ``govwatch findings``
    settings: ReportSettings
    units: list[str]  # configured units (empty without a config), for complete rankings
    detectors: set[str]  # ids of the detectors the site runs (every one without a config)

    @property
    def unresolved(self) -> list[dict[str, Any]]:
        """Open and confirmed findings: what notices list and units must fix."""
        return [r for r in self.records if r["status"] in UNRESOLVED]


def beijing_date(moment: datetime) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BEIJING).date()


def resolve_site(session: Session, site: str | None) -> Site:
    """The one site a report is about: ``--site``, or the only site in the database."""
    rows = list(session.scalars(select(Site).order_by(Site.id)))
    if site:
        row = session.get(Site, site)
        if row is None:
            valid = "、".join(r.id for r in rows) or "无"
            raise ReportError(f"--site {site}：数据库中没有这个站点（可用：{valid}）", 2)
        return row
    if not rows:
        raise ReportError("数据库中还没有站点，请先运行 govwatch scan", 1)
    if len(rows) > 1:
        ids = "、".join(r.id for r in rows)
        raise ReportError(f"数据库中有多个站点（{ids}），请用 --site 指定一个", 2)
    return rows[0]


def load_report_inputs(session: Session, site: str | None, config: Any | None) -> ReportInputs:
    if config is not None and site is None:
        site = config.site.id
    row = resolve_site(session, site)
    scans = latest_scan_ids(session, row.id)
    if not scans:
        raise ReportError(f"站点“{row.id}”还没有完成的扫描，请先运行 govwatch scan", 1)
    scan = session.get(Scan, scans[0])
    assert scan is not None
    records = [finding_record(f) for f in query_findings(session, site=row.id)]
    if config is not None and config.site.id != row.id:
        raise ReportError(f"配置文件是站点“{config.site.id}”的，与 --site {row.id} 不符", 2)
    site_name = config.site.name if config is not None else row.name
    return ReportInputs(
        site_id=row.id,
        site_name=site_name,
        scan_id=scan.id,
        # Scans are stamped by the same clock as "today" (common.clock.now); a scan
        # stamped before a clock was pinned back must still not follow the report.
        scan_date=min(beijing_date(scan.finished_at or scan.started_at), today()),
        records=records,
        settings=ReportSettings.for_site(site_name, config),
        units=[u.name for u in config.units] if config is not None else [],
        detectors=enabled_ids(config),
    )


def chinese_date(day: date) -> str:
    """``2024年11月25日``, as official documents write dates."""
    return f"{day.year}年{day.month}月{day.day}日"
