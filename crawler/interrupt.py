"""Stopping a scan on SIGINT/SIGTERM, whatever it is doing.

The scan runner's signal handler calls :func:`request_stop`. A handler runs between
any two bytecodes of the main thread, including while the reactor is blocked waiting
for the detection worker, so :func:`request_stop` only sets a flag and calls the
registered abort callbacks, which must be as simple (set a flag, kill a process: no
locks, no I/O). The crawl's waits and loops check :func:`stop_requested` and wind
down; nothing a stopped scan leaves behind is judged (its scan is recorded as
interrupted). One scan per process, so the state is the process's.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

_reason: str | None = None
_aborts: list[Callable[[], None]] = []


def request_stop(reason: str) -> None:
    """Ask the scan to stop (``reason``: the signal's name); callable from a handler."""
    global _reason
    if _reason is not None:
        return
    _reason = reason
    for abort in list(_aborts):
        with contextlib.suppress(Exception):  # one failing must not stop the others
            abort()


def stop_requested() -> str | None:
    """Why the scan is stopping (the signal's name), or ``None`` while it runs on."""
    return _reason


def on_stop(abort: Callable[[], None]) -> None:
    """Call ``abort`` when a stop is requested (at once if it already was)."""
    _aborts.append(abort)
    if _reason is not None:
        abort()


def forget(abort: Callable[[], None]) -> None:
    if abort in _aborts:
        _aborts.remove(abort)


def reset() -> None:
    """A new scan in this process (tests run several): nothing requested, nobody listening."""
    global _reason
    _reason = None
    _aborts.clear()
