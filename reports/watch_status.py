"""What the site detectors watch, fine or not, as the scan summary lists it.

Detectors that watch something besides findings (the new-media accounts a scan read)
say so in ``Detector.status_lines``; this asks each enabled site detector, on the site's
latest completed scan as stored.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from common.urls import url_key
from detectors.registry import detectors_for
from storage.queries import latest_scan_ids
from storage.snapshot import ScanSnapshot


def status_lines(session: Session, site: str, config: Any) -> list[str]:
    """Each enabled site detector's block (``政务新媒体账号：`` and a line per account …)
    for the site's latest completed scan (empty when it has none)."""
    scans = latest_scan_ids(session, site)
    if not scans:
        return []
    home = url_key(config.site.home_url or "")
    snapshot = ScanSnapshot(session, scans[0], home, config.site.timeout_s)
    lines: list[str] = []
    for detector in detectors_for(config, "site"):
        lines.extend(detector.status_lines(snapshot))
    return lines
