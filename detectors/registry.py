"""The one list of detectors. A new detector is one module plus one line in ``DETECTORS``.

Everything that shows findings (exports, notices, the weekly report, the app) asks this
registry what a detector id means; none of them names a detector.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from detectors.base import PAGE_SCOPES, Detector
from detectors.blank_column import BlankColumnDetector
from detectors.broken_link import BrokenLinkDetector
from detectors.expired_document import ExpiredDocumentDetector
from detectors.hidden_link import HiddenLinkDetector
from detectors.home_page_stale import HomePageStaleDetector
from detectors.interaction_unanswered import InteractionUnansweredDetector
from detectors.late_publication import LatePublicationDetector
from detectors.missing_interpretation import MissingInterpretationDetector
from detectors.new_media_stale import NewMediaStaleDetector
from detectors.new_media_unreachable import NewMediaUnreachableDetector
from detectors.open_day import OpenDayNoticeDetector
from detectors.org_info import OrgInfoIncompleteDetector
from detectors.privacy_leak import PrivacyLeakDetector
from detectors.site_unreachable import SiteUnreachableDetector
from detectors.stale_column import StaleColumnDetector
from detectors.term import TermDetector

DETECTORS: list[type[Detector]] = [
    BlankColumnDetector,
    BrokenLinkDetector,
    ExpiredDocumentDetector,
    HiddenLinkDetector,
    HomePageStaleDetector,
    InteractionUnansweredDetector,
    LatePublicationDetector,
    MissingInterpretationDetector,
    NewMediaStaleDetector,
    NewMediaUnreachableDetector,
    OpenDayNoticeDetector,
    OrgInfoIncompleteDetector,
    PrivacyLeakDetector,
    SiteUnreachableDetector,
    StaleColumnDetector,
    TermDetector,
]


def all_detectors() -> list[type[Detector]]:
    """Every registered detector class, in notice order (rank, then id)."""
    return sorted(DETECTORS, key=lambda cls: (cls.rank, cls.id))


def detector_class(detector_id: str) -> type[Detector] | None:
    for cls in DETECTORS:
        if cls.id == detector_id:
            return cls
    return None


def title_of(detector_id: str) -> str:
    """The Chinese name of a detector id (the id itself for one no longer registered)."""
    cls = detector_class(detector_id)
    return cls.title if cls is not None else detector_id


def titles() -> dict[str, str]:
    return {cls.id: cls.title for cls in DETECTORS}


def rank_of(detector_id: str) -> tuple[int, str]:
    """Sort key of a detector's table in notices; unknown ids last."""
    cls = detector_class(detector_id)
    return (cls.rank if cls is not None else 10_000, detector_id)


def _settings_of(config: Any, detector_id: str) -> dict[str, Any]:
    """The site's validated ``detectors: {id: {…}}`` entry (empty when it has none)."""
    section = getattr(config, "detectors", None) or {}
    return dict(section.get(detector_id) or {})


def enabled(config: Any | None, cls: type[Detector]) -> bool:
    """Whether the site's config leaves this detector on (``detectors: {id: {enabled: …}}``)."""
    return config is None or _settings_of(config, cls.id).get("enabled", True) is not False


def enabled_ids(config: Any | None) -> set[str]:
    return {cls.id for cls in DETECTORS if enabled(config, cls)}


def detectors_for(
    config: Any, scopes: str | Iterable[str], ids: Iterable[str] | None = None
) -> list[Detector]:
    """Instances, with the site's settings, of the enabled detectors of ``scopes`` (and
    of ``ids``, when given) that apply to this site config."""
    wanted = {scopes} if isinstance(scopes, str) else set(scopes)
    only = None if ids is None else set(ids)
    found = []
    for cls in DETECTORS:
        if cls.scope not in wanted or not enabled(config, cls):
            continue
        if only is not None and cls.id not in only:
            continue
        options = {k: v for k, v in _settings_of(config, cls.id).items() if k != "enabled"}
        detector = cls.build(config, options)
        if detector.applies_to(config):
            found.append(detector)
    return found


def draft_detectors(config: Any, links: bool = True) -> list[Detector]:
    """What checks one document before publication: the enabled ``markup`` and ``text``
    detectors, and (with ``links``) the ``site`` detectors that declare ``checks_drafts``."""
    found = detectors_for(config, PAGE_SCOPES)
    if links:
        ids = [cls.id for cls in DETECTORS if cls.scope == "site" and cls.checks_drafts]
        found += detectors_for(config, "site", ids)
    return found


def group_records(records: Iterable[dict[str, Any]], group: str) -> list[dict[str, Any]]:
    """The records of the detectors that feed veto group ``group``."""
    feeding = {cls.id for cls in DETECTORS if cls.veto_group == group}
    return [r for r in records if r["detector"] in feeding]


def feeds(group: str, ids: Iterable[str]) -> bool:
    """Whether any of these detector ids feeds veto group ``group``."""
    wanted = set(ids)
    return any(cls.veto_group == group and cls.id in wanted for cls in DETECTORS)


def score_records(records: Iterable[dict[str, Any]], rule_id: str) -> list[dict[str, Any]]:
    """The records of the detectors that count towards score rule ``rule_id``."""
    feeding = {cls.id for cls in DETECTORS if rule_id in cls.score_basis}
    return [r for r in records if r["detector"] in feeding]


def measured_rules(ids: Iterable[str]) -> set[str]:
    """The score rules that some of these detector ids count towards."""
    wanted = set(ids)
    return {rule for cls in DETECTORS if cls.id in wanted for rule in cls.score_basis}


@contextmanager
def registered(cls: type[Detector]) -> Iterator[type[Detector]]:
    """Register a detector for the duration of a block (tests of the contract)."""
    DETECTORS.append(cls)
    try:
        yield cls
    finally:
        DETECTORS.remove(cls)
