"""Availability probes in the database: storing a round, and reading them back per URL
and Beijing day (:class:`detectors.probe_health.ProbeDay`) for ``site_unreachable``,
the weekly report's 站点无法访问 line and ``govwatch status``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from common.clock import BEIJING
from detectors.probe_health import ProbeDay
from storage.models import Probe
from storage.scans import ensure_site


@dataclass(frozen=True)
class ProbeResult:
    """One probe as the prober saw it."""

    url: str
    probed_at: datetime
    ok: bool
    http_status: int | None
    latency_ms: int | None
    error: str | None  # error class (timeout, dns, connection_refused …) or http_NNN


def store_probes(
    session: Session, site_id: str, site_name: str, results: Iterable[ProbeResult]
) -> int:
    """Store one round of probes of a site (creating the site on its first probe)."""
    ensure_site(session, site_id, site_name)
    session.flush()
    rows = [
        {
            "site_id": site_id,
            "url": r.url,
            "probed_at": r.probed_at,
            "ok": r.ok,
            "http_status": r.http_status,
            "latency_ms": r.latency_ms,
            "error": r.error,
        }
        for r in results
    ]
    if rows:
        session.execute(insert(Probe), rows)
    return len(rows)


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def probe_days(session: Session, site_id: str, since: date) -> list[ProbeDay]:
    """Per URL and Beijing day from ``since`` on: probes, failures, the last failure."""
    start = datetime.combine(since, time(), BEIJING).astimezone(UTC)
    query = (
        select(Probe.url, Probe.probed_at, Probe.ok, Probe.error)
        .where(Probe.site_id == site_id, Probe.probed_at >= start)
        .order_by(Probe.probed_at)
    )
    days: dict[tuple[str, date], list] = {}
    for url, at, ok, error in session.execute(query):
        moment = _aware(at)
        entry = days.setdefault((url, moment.astimezone(BEIJING).date()), [0, 0, None, None])
        entry[0] += 1
        if not ok:
            entry[1] += 1
            entry[2], entry[3] = moment, error
    return [
        ProbeDay(url, day, probes, failures, last, error)
        for (url, day), (probes, failures, last, error) in sorted(days.items())
    ]
