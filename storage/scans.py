"""Scan records: start, heartbeat, finish — and telling dead scans from live ones.

A scan killed with SIGKILL leaves a ``running`` row behind. The next run (or
``govwatch status``) marks it ``interrupted`` when its process is gone: same
host and no such pid, or no heartbeat for ``STALE_AFTER``. A live scan keeps its
heartbeat fresh from a thread (:class:`Heartbeat`), whatever it is busy with. Its
partial pages and observations stay attached to it; findings are never touched by it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from storage.models import Scan, Site

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=10)
HEARTBEAT_S = 30.0  # how often a running scan says it is alive (GOVWATCH_HEARTBEAT_S)


def now_utc() -> datetime:
    return datetime.now(UTC)


def heartbeat_every() -> float:
    return float(os.environ.get("GOVWATCH_HEARTBEAT_S") or HEARTBEAT_S)


def ensure_site(session: Session, site_id: str, name: str) -> Site:
    site = session.get(Site, site_id)
    if site is None:
        site = Site(id=site_id, name=name, created_at=now_utc())
        session.add(site)
    elif site.name != name:
        site.name = name
    return site


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def mark_interrupted_scans(session: Session, site_id: str | None = None) -> list[int]:
    """Mark ``running`` scans whose process is gone as ``interrupted``; return their ids."""
    query = select(Scan).where(Scan.status == "running")
    if site_id is not None:
        query = query.where(Scan.site_id == site_id)
    host = socket.gethostname()
    now = now_utc()
    marked = []
    for scan in session.scalars(query):
        if scan.pid == os.getpid() and scan.hostname == host:
            continue
        last = _aware(scan.heartbeat_at) or _aware(scan.started_at)
        dead = (scan.hostname == host and not _pid_alive(scan.pid)) or (
            last is not None and now - last > STALE_AFTER
        )
        if dead:
            scan.status = "interrupted"
            scan.finished_at = scan.finished_at or now
            scan.error = scan.error or "扫描进程意外终止（已标记为中断，未修改任何问题状态）"
            marked.append(scan.id)
    return marked


def start_scan(session: Session, site_id: str, name: str) -> Scan:
    from common.clock import today

    ensure_site(session, site_id, name)
    now = now_utc()
    scan = Scan(
        site_id=site_id,
        status="running",
        started_at=now,
        as_of=today(),
        heartbeat_at=now,
        hostname=socket.gethostname(),
        pid=os.getpid(),
        stats={},
    )
    session.add(scan)
    session.flush()
    return scan


class Heartbeat:
    """Refreshes a running scan's ``heartbeat_at`` every ``heartbeat_every()`` seconds
    from its own thread, so that no long step (waiting for the detection worker, the
    site detectors) makes a live scan look dead to another host."""

    def __init__(self, engine: Engine, scan_id: int):
        self.engine = engine
        self.scan_id = scan_id
        self.every = heartbeat_every()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="govwatch-heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                with self.engine.begin() as conn:
                    conn.execute(
                        update(Scan)
                        .where(Scan.id == self.scan_id, Scan.status == "running")
                        .values(heartbeat_at=now_utc())
                    )
            except Exception as error:  # busy database: the next beat tries again
                logger.debug("heartbeat of scan %s failed: %r", self.scan_id, error)
