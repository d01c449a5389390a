"""Test-only hooks: make one phase of a scan slow, so that tests can send a signal to a
real ``govwatch scan`` while it is in that phase.

Never set these in production. ``GOVWATCH_TEST_SLOW_WORKER=seconds``: the detection
worker sleeps that long before each task; ``GOVWATCH_TEST_SLOW_SITE=seconds``: the scan
sleeps that long before each site detector.
"""

from __future__ import annotations

import os
import time


def slow_phase(phase: str) -> None:
    """Sleep as long as ``GOVWATCH_TEST_SLOW_<PHASE>`` says (tests only; unset: return)."""
    value = os.environ.get(f"GOVWATCH_TEST_SLOW_{phase.upper()}")
    if value:
        time.sleep(float(value))
