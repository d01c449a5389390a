"""Finding lifecycle: merge what a completed scan observed into the findings.

* observed and new → ``open``; observed again → last_seen/scan updated;
  observed after ``fixed`` → ``open`` again (reopened);
* ``confirmed`` and ``false_positive`` are people's decisions and stay
  (a dismissal sticks across scans);
* a person's reassignment (``assigned_unit``) is never touched: only ``unit``, the unit
  the detector named, follows the page;
* each finding gets its rectification deadline (:func:`rectification_deadline`) when
  first seen (and, for findings stored before deadlines existed, when next seen);
* open/confirmed and not observed → ``fixed`` — but only when this scan
  actually looked: its page was crawled, and the thing it is about was not
  left inconclusive (e.g. a rate-limited link). An interrupted or failed scan
  never gets here, so it fixes nothing.

Every change is a :class:`~storage.models.FindingEvent`. Runs in the caller's
transaction: all of it lands, or none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.clock import BEIJING, now
from common.vocabulary import SEVERITIES, UNRESOLVED
from detectors.holiday_schedule import official_calendar
from storage.models import Finding, FindingEvent, Observation, Scan

# Working days a unit has to rectify a finding, from the (Beijing) day it was first seen:
# the notices' and the weekly report's (config ``reports.deadline_working_days`` and
# ``reports.veto_deadline_working_days``, which the scan passes in; these are their
# defaults: a single-veto problem 2 working days, any other 5), so the review app's
# deadline and "overdue" say what the notices say.
DEADLINE_WORKING_DAYS: dict[str, int] = {"veto": 2, "high": 5, "medium": 5, "low": 5}
DEFAULT_DEADLINE_DAYS = 5


def deadline_days(general: int, veto: int) -> dict[str, int]:
    """Working days per severity from the two settings of the reports."""
    return {severity: veto if severity == "veto" else general for severity in SEVERITIES}


def rectification_deadline(
    first_seen: datetime, severity: str, days: Mapping[str, int] | None = None
) -> date:
    """The last day to rectify a finding first seen at ``first_seen``, on the official
    working-day calendar (``common.workdays``, 调休 included); ``days`` per severity
    (default :data:`DEADLINE_WORKING_DAYS`)."""
    if first_seen.tzinfo is None:
        first_seen = first_seen.replace(tzinfo=UTC)
    start = first_seen.astimezone(BEIJING).date()
    return _deadline(start, (days or DEADLINE_WORKING_DAYS).get(severity, DEFAULT_DEADLINE_DAYS))


@lru_cache(maxsize=1024)
def _deadline(start: date, count: int) -> date:
    """(A scan's new findings share a handful of first days.)"""
    return official_calendar().add_working_days(start, count)


@dataclass
class LifecycleSummary:
    new: int = 0
    still_open: int = 0
    reopened: int = 0
    fixed: int = 0
    dismissed_seen: int = 0


def merge_observations(
    session: Session,
    scan: Scan,
    covered_page_keys: set[str],
    inconclusive_keys: set[str],
    deadline_days: Mapping[str, int] | None = None,
) -> LifecycleSummary:
    """Merge ``scan``'s observations (module docstring); ``deadline_days``: working days
    per severity for new findings' deadlines (default :data:`DEADLINE_WORKING_DAYS`)."""
    moment = scan.finished_at or now()
    summary = LifecycleSummary()
    observations = {
        o.fingerprint: o
        for o in session.scalars(select(Observation).where(Observation.scan_id == scan.id))
    }
    findings = {
        f.fingerprint: f
        for f in session.scalars(select(Finding).where(Finding.site_id == scan.site_id))
    }

    def event(finding: Finding, before: str | None, after: str, note: str | None = None) -> None:
        session.add(
            FindingEvent(
                finding=finding,
                scan_id=scan.id,
                at=moment,
                from_status=before,
                to_status=after,
                actor="scan",
                action="scan",
                note=note,
            )
        )

    for fingerprint, obs in observations.items():
        finding = findings.get(fingerprint)
        if finding is None:
            finding = Finding(
                site_id=scan.site_id,
                fingerprint=fingerprint,
                detector=obs.detector,
                severity=obs.severity,
                unit=obs.unit,
                page_url=obs.page_url,
                page_key=obs.page_key,
                subject_key=obs.subject_key,
                status="open",
                message=obs.message,
                details=obs.details,
                evidence=obs.evidence,
                first_seen=moment,
                last_seen=moment,
                first_scan_id=scan.id,
                scan_id=scan.id,
                deadline=rectification_deadline(moment, obs.severity, deadline_days),
            )
            session.add(finding)
            event(finding, None, "open", "首次发现")
            summary.new += 1
            continue
        finding.severity, finding.unit, finding.message = obs.severity, obs.unit, obs.message
        finding.page_url, finding.details, finding.evidence = (
            obs.page_url,
            obs.details,
            obs.evidence,
        )
        finding.last_seen, finding.scan_id = moment, scan.id
        if finding.deadline is None:
            finding.deadline = rectification_deadline(
                finding.first_seen, finding.severity, deadline_days
            )
        if finding.status == "fixed":
            event(finding, "fixed", "open", "整改后再次出现")
            finding.status, finding.fixed_at = "open", None
            finding.reopened_count += 1
            summary.reopened += 1
        elif finding.status == "false_positive":
            summary.dismissed_seen += 1
        else:
            summary.still_open += 1

    for fingerprint, finding in findings.items():
        if fingerprint in observations or finding.status not in UNRESOLVED:
            continue
        if finding.page_key not in covered_page_keys or finding.subject_key in inconclusive_keys:
            continue  # this scan did not look, so it cannot say the problem is gone
        event(finding, finding.status, "fixed", "本次扫描未再发现")
        finding.status, finding.fixed_at = "fixed", moment
        summary.fixed += 1
    return summary


def observation_row(scan_id: int, finding: Any) -> dict[str, Any]:
    """An ``observations`` row for a detector's finding (``detectors.base.Finding``)
    whose unit has been named (``detectors.runner.FindingCollector``)."""
    return {
        "scan_id": scan_id,
        "fingerprint": finding.fingerprint,
        "detector": finding.detector,
        "severity": finding.severity,
        "unit": finding.unit,
        "page_url": finding.page_url,
        "page_key": finding.page_key,
        "subject_key": finding.key,
        "message": finding.message,
        "details": finding.details,
        "evidence": finding.evidence,
    }
