"""The one way detectors are run, wherever their subjects come from.

Pages (in the detection worker), attachments, new-media posts and the site after the
crawl all go through :func:`run_detectors`, which isolates each detector (one that
raises is logged and recorded as a :class:`DetectorFailure`, and the others still run)
and gives a markup detector only subjects that have markup. Their findings then go
through one :class:`FindingCollector` per scan, which keeps each problem once (by
fingerprint) and names the unit that answers for it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from detectors.base import Detector, Finding

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DetectorFailure:
    """A detector that raised on a subject: its findings there are unknown."""

    detector: str
    subject: str  # the URL (or name) of what it was checking
    error: str


@dataclass
class Detection:
    findings: list[Finding] = field(default_factory=list)
    failures: list[DetectorFailure] = field(default_factory=list)

    def extend(self, other: Detection) -> None:
        self.findings.extend(other.findings)
        self.failures.extend(other.failures)


def _has_markup(subject: Any) -> bool:
    return getattr(subject, "root", None) is not None


def prepare_batch(detectors: Sequence[Detector], pages: list[Any]) -> None:
    """Let detectors that offer ``prepare`` work on a batch of pages at once; a failure
    only means ``check`` does the work page by page."""
    for detector in detectors:
        prepare = getattr(detector, "prepare", None)
        if prepare is None:
            continue
        mine = pages if detector.scope != "markup" else [p for p in pages if _has_markup(p)]
        try:
            prepare(mine)
        except Exception:
            logger.exception("detector %s could not prepare a batch", detector.id)


def run_detectors(detectors: Iterable[Detector], subject: Any, name: str = "") -> Detection:
    """Every detector's findings on one subject; a detector that raises is skipped (and
    recorded), never the others. ``name`` says what the subject is in logs (its URL)."""
    name = name or str(getattr(subject, "url", "") or type(subject).__name__)
    markup = _has_markup(subject)
    result = Detection()
    for detector in detectors:
        if detector.scope == "markup" and not markup:
            continue  # text without markup (attachment, post): nothing to read there
        try:
            result.findings.extend(detector.check(subject))
        except Exception as error:
            logger.exception("detector %s failed on %s", detector.id, name)
            result.failures.append(DetectorFailure(detector.id, name, repr(error)[:300]))
    return result


class FindingCollector:
    """Keeps each problem of a scan once and names its unit.

    A finding's unit is the one it already carries (a column's configured unit, an
    account's), else the unit of ``owner`` (the page that links an attachment), else
    the unit of its page."""

    def __init__(self, units: Any):
        self.units = units  # common.units.UnitResolver
        self.seen: set[str] = set()
        self.failures: dict[str, int] = {}

    def accept(self, finding: Finding, owner: str | None = None, unit: str | None = None) -> bool:
        """Whether the finding is new to this scan; if so, its ``unit`` is set."""
        if finding.fingerprint in self.seen:
            return False
        self.seen.add(finding.fingerprint)
        finding.unit = finding.unit or unit or self.units.unit_for(owner or finding.page_url)
        return True

    def failed(self, failures: Iterable[DetectorFailure]) -> None:
        for failure in failures:
            self.failures[failure.detector] = self.failures.get(failure.detector, 0) + 1
