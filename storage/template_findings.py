"""Problems in a site's template reported once per site, not once per page.

A footer or a navigation bar that names an abolished body repeats on every page of the
site: 3,000 findings of one problem that the web team fixes in one place. When a scan
completes, the observations of a detector that words such findings
(``Detector.template_message``) that share their problem and their context (the same
term in the same line of text) on ``TEMPLATE_PAGES`` pages or more become one
observation. It names the template (its message and its ``where``), counts the pages
and lists some of them (``template_pages``); it sits on the site's home page when
that is one of them, else on the first of them by URL, so that it keeps its
fingerprint from scan to scan.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from common.urls import url_key
from common.vocabulary import severity_rank
from detectors.base import Finding
from detectors.registry import DETECTORS
from storage.models import Observation

TEMPLATE_PAGES = 3  # pages that share a line before it is the template's
LISTED_PAGES = 20  # pages a template finding lists
TEMPLATE_WHERE = "网站模板"


def _templated() -> dict[str, Any]:
    """Detectors that word template findings, by id."""
    return {cls.id: cls for cls in DETECTORS if cls.template_message({}, TEMPLATE_PAGES)}


def merge_template_findings(session: Session, scan_id: int, home_key: str) -> int:
    """Merge the scan's observations of template text into one each (see the module);
    the number of observations merged away."""
    detectors = _templated()
    if not detectors:
        return 0
    rows = session.scalars(
        select(Observation).where(
            Observation.scan_id == scan_id, Observation.detector.in_(list(detectors))
        )
    ).all()
    groups: dict[tuple[str, str, str], list[Observation]] = defaultdict(list)
    for row in rows:
        context = str((row.details or {}).get("context") or "")
        if context:
            groups[(row.detector, row.subject_key, context)].append(row)
    merged = 0
    made: set[str] = set()
    for (detector, key, _context), group in sorted(groups.items()):
        pages = sorted({row.page_url for row in group})
        if len(pages) < TEMPLATE_PAGES:
            continue
        home = [row for row in group if row.page_key == home_key]
        first = home[0] if home else min(group, key=lambda row: row.page_url)
        details = dict(first.details or {})
        details.update(
            where=f"{TEMPLATE_WHERE}（{len(pages)} 个页面）",
            template_pages=pages[:LISTED_PAGES],
            pages=len(pages),
        )
        finding = Finding(detector, first.page_url, f"{TEMPLATE_WHERE}\n{key}", first.severity, "")
        if finding.fingerprint in made:
            continue  # the same term in another line of the template: kept per page
        made.add(finding.fingerprint)
        values = {
            "scan_id": scan_id,
            "fingerprint": finding.fingerprint,
            "detector": detector,
            "severity": min((row.severity for row in group), key=severity_rank),
            "unit": first.unit,
            "page_url": first.page_url,
            "page_key": url_key(first.page_url),
            "subject_key": key,
            "message": detectors[detector].template_message(details, len(pages)),
            "details": details,
            "evidence": first.evidence or {},
        }
        session.execute(delete(Observation).where(Observation.id.in_([r.id for r in group])))
        session.execute(insert(Observation), [values])
        merged += len(group) - 1
    return merged
