"""Scan records: start, heartbeat, finish — one scan of a site at a time, and telling
dead scans from live ones.

A scan starts by claiming its site (:func:`claim_scan`): in one transaction that holds
the site's row lock (PostgreSQL: the ``sites`` row, locked by an update; SQLite: the
database's write lock, which the first write takes), running scans of the site whose
process is gone are marked ``interrupted``, and if one is still alive the new scan is
refused (:class:`ScanBusy`); otherwise its ``running`` row is the claim. Two scans that
start at the same moment are serialised by the lock: the second sees the first's row.
The scan's judgement takes the same lock and checks it still holds its claim
(:func:`assert_claim`), so a scan that was given up for dead never overwrites findings.

A scan killed with SIGKILL leaves a ``running`` row behind. The next run (or
``govwatch status``) marks it ``interrupted`` when its process is gone: on this host,
no such pid (or the pid now belongs to a process younger than the scan); on another
host, no heartbeat for ``STALE_AFTER``. A live scan keeps its heartbeat fresh from a
thread (:class:`Heartbeat`), whatever it is busy with. Its partial pages and
observations stay attached to it; findings are never touched by it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from common.clock import BEIJING, now, today
from storage.models import Scan, Site

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=10)
HEARTBEAT_S = 30.0  # how often a running scan says it is alive (GOVWATCH_HEARTBEAT_S)
# A pid on this host counts as another process, reused, when that process is younger
# than the scan by more than this.
PID_REUSE_SLACK = timedelta(seconds=60)


class ScanBusy(Exception):
    """Another scan of the site is running; the message is for the operator."""

    def __init__(self, scan: Scan):
        self.scan_id = scan.id
        started = _aware(scan.started_at)
        when = started.astimezone(BEIJING) if started else None
        super().__init__(
            f"站点 {scan.site_id} 正在扫描中（扫描 #{scan.id}，主机 {scan.hostname}，"
            f"进程 {scan.pid}"
            + (f"，开始于 {when:%Y-%m-%d %H:%M}" if when else "")
            + "），本次扫描未启动。同一站点同时只能进行一次扫描；"
            "如该进程已不存在，稍后再试即可（会自动标记为中断）。"
        )


class ScanLost(Exception):
    """This scan was given up for dead meanwhile (its claim is gone)."""


def heartbeat_every() -> float:
    return float(os.environ.get("GOVWATCH_HEARTBEAT_S") or HEARTBEAT_S)


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


def _process_age(pid: int) -> timedelta | None:
    """How long process ``pid`` of this host has run (Linux ``/proc``, by the boot
    clock: no wall clock involved), else ``None``."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:
            stat = file.read()
        with open("/proc/uptime", "rb") as file:
            uptime = float(file.read().split()[0])
        ticks = int(stat[stat.rindex(b")") + 2 :].split()[19])
        return timedelta(seconds=uptime - ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return None


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def scan_alive(scan: Scan, host: str | None = None, moment: datetime | None = None) -> bool:
    """Whether the process of a ``running`` scan still runs it."""
    host = host or socket.gethostname()
    moment = moment or now()
    last = _aware(scan.heartbeat_at) or _aware(scan.started_at)
    fresh = last is not None and moment - last <= STALE_AFTER
    if scan.hostname != host:
        return fresh  # another machine: only its heartbeat tells
    if not _pid_alive(scan.pid):
        return False
    if fresh:
        return True
    # There but silent (stopped, blocked): alive, unless the pid now belongs to a
    # process younger than the scan.
    age = _process_age(scan.pid)
    begun = _aware(scan.started_at)
    return age is None or begun is None or age + PID_REUSE_SLACK >= moment - begun


def mark_interrupted_scans(session: Session, site_id: str | None = None) -> list[int]:
    """Mark ``running`` scans whose process is gone as ``interrupted``; return their ids."""
    query = select(Scan).where(Scan.status == "running")
    if site_id is not None:
        query = query.where(Scan.site_id == site_id)
    host = socket.gethostname()
    moment = now()
    marked = []
    for scan in session.scalars(query):
        if not scan_alive(scan, host, moment):
            scan.status = "interrupted"
            scan.finished_at = scan.finished_at or moment
            scan.error = scan.error or "扫描进程意外终止（已标记为中断，未修改任何问题状态）"
            marked.append(scan.id)
    return marked


def lock_site(session: Session, site_id: str, name: str) -> None:
    """Hold the site's lock until the session's transaction ends (creating the site on
    its first scan). Call it first in a fresh session: on SQLite the first write takes
    the database's write lock, and reads before it would see an older snapshot."""
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        session.execute(
            insert(Site)
            .values(id=site_id, name=name, created_at=now())
            .on_conflict_do_nothing(index_elements=["id"])
        )
        session.execute(
            update(Site).where(Site.id == site_id).values(name=name),
            execution_options={"synchronize_session": False},
        )
    else:  # other databases: a row lock where they have one
        ensure_site(session, site_id, name)
        session.flush()
        session.execute(select(Site.id).where(Site.id == site_id).with_for_update())


def claim_scan(session: Session, site_id: str, name: str) -> tuple[Scan, list[int]]:
    """Start a scan of the site unless another one is running: the new ``running`` scan
    and the ids of dead scans marked ``interrupted`` on the way. Raises
    :class:`ScanBusy`. Call it first in a fresh session; the claim holds once the
    session commits."""
    lock_site(session, site_id, name)
    marked = mark_interrupted_scans(session, site_id)
    session.flush()
    running = session.scalars(
        select(Scan).where(Scan.site_id == site_id, Scan.status == "running").order_by(Scan.id)
    ).first()
    if running is not None:
        raise ScanBusy(running)
    return start_scan(session, site_id, name), marked


def assert_claim(session: Session, scan_id: int, site_id: str, name: str) -> Scan:
    """Take the site's lock and check that scan ``scan_id`` is still the running scan of
    its site (else :class:`ScanLost`); call it first in the session that judges it."""
    lock_site(session, site_id, name)
    scan = session.get(Scan, scan_id, populate_existing=True)
    if scan is None or scan.status != "running":
        raise ScanLost(
            f"扫描 #{scan_id} 在此期间已被视为中断（进程长时间没有心跳），"
            "结果未采用，问题状态未改变"
        )
    return scan


def start_scan(session: Session, site_id: str, name: str) -> Scan:
    """A new ``running`` scan row (no claim: :func:`claim_scan` is how scans start)."""
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
                        .values(heartbeat_at=now())
                    )
            except Exception as error:  # busy database: the next beat tries again
                logger.debug("heartbeat of scan %s failed: %r", self.scan_id, error)
