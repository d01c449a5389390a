"""Finding lifecycle across scans, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import insert, select

from common.clock import now
from detectors.base import Finding as DetectorFinding
from storage.db import open_database
from storage.lifecycle import merge_observations
from storage.models import Finding, FindingEvent, Observation, Scan
from storage.scans import start_scan


def detector_finding(page: str, target: str) -> DetectorFinding:
    return DetectorFinding(
        "broken_link", page, target, "medium", f"{page} → {target}", {"target_url": target}
    )


A = detector_finding("http://h/a.html", "http://h/x.pdf")
B = detector_finding("http://h/b.html", "http://h/y.pdf")


def scan_with(db, seen: list[DetectorFinding], covered: set[str], inconclusive=frozenset()):
    with db.session() as session:
        scan = start_scan(session, "t", "测试")
        if seen:
            session.execute(
                insert(Observation),
                [
                    {
                        "scan_id": scan.id,
                        "fingerprint": f.fingerprint,
                        "detector": f.detector,
                        "severity": f.severity,
                        "unit": "办公室",
                        "page_url": f.page_url,
                        "page_key": f.page_key,
                        "subject_key": f.key,
                        "message": f.message,
                        "details": f.details,
                        "evidence": {},
                    }
                    for f in seen
                ],
            )
        scan.finished_at = now()
        summary = merge_observations(session, scan, covered, set(inconclusive))
        scan.status = "completed"
    return summary


def statuses(db) -> dict[str, str]:
    with db.session() as session:
        rows = session.scalars(select(Finding))
        return {f.page_url: f.status for f in rows}


def test_open_fixed_reopened_and_dismissals_stick(db_url):
    db = open_database(db_url)
    both = {A.page_key, B.page_key}

    s1 = scan_with(db, [A, B], both)
    assert (s1.new, s1.fixed) == (2, 0)
    assert statuses(db) == {A.page_url: "open", B.page_url: "open"}

    s2 = scan_with(db, [A], both)
    assert (s2.new, s2.still_open, s2.fixed) == (0, 1, 1)
    assert statuses(db) == {A.page_url: "open", B.page_url: "fixed"}

    # B seen again after being fixed: open again. A's page not crawled: A stays open.
    s3 = scan_with(db, [B], {B.page_key})
    assert (s3.reopened, s3.fixed) == (1, 0)
    assert statuses(db) == {A.page_url: "open", B.page_url: "open"}

    with db.session() as session:
        finding = session.scalars(select(Finding).where(Finding.page_url == A.page_url)).one()
        finding.status = "false_positive"
    scan_with(db, [A, B], both)
    assert statuses(db)[A.page_url] == "false_positive"

    # B's target could not be checked this time (rate limited): not declared fixed.
    scan_with(db, [], both, inconclusive={B.key})
    assert statuses(db)[B.page_url] == "open"

    with db.session() as session:
        b = session.scalars(select(Finding).where(Finding.page_url == B.page_url)).one()
        assert b.reopened_count == 1
        events = session.scalars(
            select(FindingEvent.to_status)
            .where(FindingEvent.finding_id == b.id)
            .order_by(FindingEvent.id)
        ).all()
        assert events == ["open", "fixed", "open"]
        assert session.scalar(select(Scan).order_by(Scan.id.desc())).status == "completed"
    db.dispose()


def test_fingerprint_is_stable_and_specific():
    again = detector_finding("http://h/a.html", "http://h/x.pdf")
    assert again.fingerprint == A.fingerprint
    assert detector_finding("http://h/a.html", "http://h/z.pdf").fingerprint != A.fingerprint
    assert (
        detector_finding("http://h/index.html", "t").fingerprint
        == detector_finding("http://h/", "t").fingerprint
    )
