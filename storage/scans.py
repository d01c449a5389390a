"""Scan records: start, heartbeat, finish — and telling dead scans from live ones.

A scan killed with SIGKILL leaves a ``running`` row behind. The next run (or
``govwatch status``) marks it ``interrupted`` when its process is gone: same
host and no such pid, or no heartbeat for ``STALE_AFTER``. Its partial pages
and observations stay attached to it; findings are never touched by it.
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.clock import now
from storage.models import Scan, Site

STALE_AFTER = timedelta(minutes=10)


def ensure_site(session: Session, site_id: str, name: str) -> Site:
    site = session.get(Site, site_id)
    if site is None:
        site = Site(id=site_id, name=name, created_at=now())
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
    moment = now()
    marked = []
    for scan in session.scalars(query):
        if scan.pid == os.getpid() and scan.hostname == host:
            continue
        last = _aware(scan.heartbeat_at) or _aware(scan.started_at)
        dead = (scan.hostname == host and not _pid_alive(scan.pid)) or (
            last is not None and moment - last > STALE_AFTER
        )
        if dead:
            scan.status = "interrupted"
            scan.finished_at = scan.finished_at or moment
            scan.error = scan.error or "扫描进程意外终止（已标记为中断，未修改任何问题状态）"
            marked.append(scan.id)
    return marked


def start_scan(session: Session, site_id: str, name: str) -> Scan:
    from common.clock import today

    ensure_site(session, site_id, name)
    moment = now()
    scan = Scan(
        site_id=site_id,
        status="running",
        started_at=moment,
        as_of=today(),
        heartbeat_at=moment,
        hostname=socket.gethostname(),
        pid=os.getpid(),
        stats={},
    )
    session.add(scan)
    session.flush()
    return scan
