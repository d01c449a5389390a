"""Media queries for the desktop and the phone a visitor uses: true, false or unknown."""

from __future__ import annotations

import pytest

from detectors.css_media import DESKTOP, PHONE, media_attribute, tri_and, tri_not, tri_or


@pytest.mark.parametrize(
    ("query", "desktop", "phone"),
    [
        ("", True, True),
        ("all", True, True),
        ("screen", True, True),
        ("print", False, False),
        ("only screen and (max-width: 767px)", False, True),
        ("(min-width: 768px)", True, False),
        ("(max-width: 1200px)", False, True),
        ("(max-device-width: 480px)", False, True),
        ("not screen and (max-width: 767px)", True, False),
        ("print, (max-width: 767px)", False, True),
        ("screen and (orientation: portrait)", False, True),
        ("(width < 768px)", False, True),
        ("(768px <= width)", True, False),
        ("(min-width: 48em)", True, False),
        ("(min-aspect-ratio: 16/10)", True, False),
        ("(-webkit-min-device-pixel-ratio: 2), (min-resolution: 192dpi)", False, True),
        ("(pointer: coarse)", False, True),
        ("(hover)", True, False),
        ("not all and (monochrome)", True, True),
        ("tv", False, False),
        ("screen and", False, False),  # malformed: matches nothing
        ("(max-width: calc(100px + 2em))", None, None),  # cannot evaluate
        ("(light-level: dim)", None, None),
        ("(min-width: 100px) or (unknown)", True, True),
        ("(max-width: 100px) and (unknown)", False, False),
    ],
)
def test_media_queries(query, desktop, phone):
    assert media_attribute(query, DESKTOP) is desktop
    assert media_attribute(query, PHONE) is phone


def test_three_valued_logic():
    assert tri_and([True, None]) is None and tri_and([False, None]) is False
    assert tri_or([False, None]) is None and tri_or([True, None]) is True
    assert tri_not(None) is None and tri_not(True) is False
