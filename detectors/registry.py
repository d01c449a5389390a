"""The one list of detectors. A new detector is one module plus one line here."""

from __future__ import annotations

from detectors.base import Detector
from detectors.blank_column import BlankColumnDetector
from detectors.broken_link import BrokenLinkDetector
from detectors.hidden_link import HiddenLinkDetector
from detectors.home_page_stale import HomePageStaleDetector
from detectors.missing_interpretation import MissingInterpretationDetector
from detectors.new_media_stale import NewMediaStaleDetector
from detectors.new_media_unreachable import NewMediaUnreachableDetector
from detectors.privacy_leak import PrivacyLeakDetector
from detectors.stale_column import StaleColumnDetector
from detectors.term import TermDetector

DETECTORS: tuple[type[Detector], ...] = (
    BlankColumnDetector,
    BrokenLinkDetector,
    HiddenLinkDetector,
    HomePageStaleDetector,
    MissingInterpretationDetector,
    NewMediaStaleDetector,
    NewMediaUnreachableDetector,
    PrivacyLeakDetector,
    StaleColumnDetector,
    TermDetector,
)


def detectors_for(config, scope: str) -> list[Detector]:
    """Instances of the detectors of ``scope`` that apply to this site config."""
    found = []
    for cls in DETECTORS:
        if cls.scope != scope:
            continue
        detector = cls.from_config(config) if hasattr(cls, "from_config") else cls()
        if detector.applies_to(config):
            found.append(detector)
    return found
