"""One scan of a site at a time: a second one is refused while the first runs, the
claim is atomic, a killed scan's claim is recovered, and a scan given up for dead
never completes — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from common.clock import now
from govwatch.config import LoadedConfig, parse_config
from govwatch.scan import _judge
from storage import scans as scan_records
from storage.db import open_database
from storage.models import Finding, Scan
from storage.scans import ScanBusy, ScanLost, claim_scan, scan_alive, start_scan
from tests.local_site import LocalSite
from tests.scan_process import GOVWATCH, ScanProcess, scan_rows, write_config

WAITING_FOR_WORKER = "waiting for page detection"


def govwatch(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*GOVWATCH, *args], capture_output=True, text=True, timeout=timeout)


@pytest.mark.integration
def test_a_second_scan_of_a_running_site_is_refused(tmp_path, db_url):
    """A cron job and a hand-run at once: the second is refused with a clear message
    and leaves no trace; the first completes, and its findings are the latest."""
    with LocalSite(pages=40) as site:
        config = write_config(tmp_path, site, attachment_max_mb=0)
        # The first scan's worker takes 6 s per task: the scan is surely still running.
        with ScanProcess(config, db_url, GOVWATCH_TEST_SLOW_WORKER="6") as first:
            first.wait_for(WAITING_FOR_WORKER)
            second = govwatch("scan", "--config", config, "--db", db_url)
            assert first.exit_within(120) == 0, first.output[-2000:]
    # What the operator then reads is the scan that completed last.
    found = govwatch("findings", "--db", db_url, "--format", "json")
    records = json.loads(found.stdout)
    (scan,) = scan_rows(db_url)
    assert records and len(records) == scan.findings_count  # the broken links of the site
    assert {r["scan_id"] for r in records} == {1}
    notices = govwatch("report", "notices", "--out", str(tmp_path / "out"), "--db", db_url)
    assert notices.returncode == 0, notices.stderr
    assert "没有待整改的问题" not in notices.stdout
    # Because the second scan was refused, with a clear message, and left no trace.
    assert second.returncode == 1, second.stderr
    assert "错误：站点 local 正在扫描中（扫描 #1，主机 " in second.stderr
    assert "本次扫描未启动" in second.stderr
    assert "Traceback" not in second.stderr
    assert [(s.id, s.status) for s in scan_rows(db_url)] == [(1, "completed")]


@pytest.mark.integration
def test_a_killed_scan_does_not_hold_the_site(tmp_path, db_url):
    """kill -9 leaves a running scan behind; the next scan sees its process is gone,
    records it as interrupted and runs."""
    with LocalSite(pages=40) as site:
        config = write_config(tmp_path, site, attachment_max_mb=0)
        with ScanProcess(config, db_url, GOVWATCH_TEST_SLOW_WORKER="60") as killed:
            killed.wait_for(WAITING_FOR_WORKER)
            os.killpg(killed.proc.pid, signal.SIGKILL)
            killed.proc.wait()
        assert [s.status for s in scan_rows(db_url)] == ["running"]
        again = govwatch("scan", "--config", config, "--db", db_url)
    assert again.returncode == 0, again.stderr
    assert [(s.id, s.status) for s in scan_rows(db_url)] == [(1, "interrupted"), (2, "completed")]


def test_the_claim_is_atomic(db_url, monkeypatch):
    """Two scans that start at the same moment: the second waits for the first's claim
    and is refused (without the lock both would see no running scan and start)."""
    db = open_database(db_url)
    checking = threading.Barrier(2, timeout=30)
    original = scan_records.mark_interrupted_scans

    def slow_check(session, site_id=None):
        marked = original(session, site_id)
        time.sleep(1.0)  # inside the claim: plenty of time for the other to slip in
        return marked

    monkeypatch.setattr(scan_records, "mark_interrupted_scans", slow_check)
    results: list[object] = []

    def claim() -> None:
        checking.wait()
        try:
            with db.session() as session:
                results.append(claim_scan(session, "t", "测试")[0].id)
        except ScanBusy as busy:
            results.append(busy)

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    with db.session() as session:
        running = list(session.scalars(select(Scan.id).where(Scan.status == "running")))
    db.dispose()
    assert len(running) == 1
    assert sorted(map(type, results), key=str) == sorted([int, ScanBusy], key=str)
    busy = next(r for r in results if isinstance(r, ScanBusy))
    assert busy.scan_id == running[0]


def _running(session, **values) -> Scan:
    scan = start_scan(session, "t", "测试")
    for key, value in values.items():
        setattr(scan, key, value)
    session.flush()
    return scan


def test_stale_claims_are_recovered_live_ones_kept(db_url):
    db = open_database(db_url)
    host = socket.gethostname()
    old = now() - timedelta(hours=1)
    with db.session() as session:
        dead_pid = _running(session, pid=2**22 + 12345)  # no such process here
        elsewhere_silent = _running(session, hostname="another-host", heartbeat_at=old)
        elsewhere_alive = _running(session, hostname="another-host")
        # pid 1 lives, but is younger than this silent scan: the pid was reused
        reused = _running(session, pid=1, started_at=old - timedelta(days=30000), heartbeat_at=old)
        # this process, silent for an hour (busy, or stopped): alive
        silent_here = _running(session, heartbeat_at=old)
        ids = [dead_pid.id, elsewhere_silent.id, elsewhere_alive.id, reused.id, silent_here.id]
        alive = [scan_alive(session.get(Scan, i), host) for i in ids]
    db.dispose()
    assert alive == [False, False, True, False, True]


def test_a_scan_given_up_for_dead_does_not_complete(db_url):
    """Its process was frozen for longer than ``STALE_AFTER`` (another host took it for
    dead and marked it interrupted); when it wakes up its results are not used."""
    db = open_database(db_url)
    with db.session() as session:
        scan_id = start_scan(session, "t", "测试").id
    with db.session() as session:
        session.execute(update(Scan).where(Scan.id == scan_id).values(status="interrupted"))
    config = LoadedConfig(
        Path("site.yaml"),
        parse_config(
            'site: {id: t, name: 测试, start_urls: ["http://127.0.0.1:8000/"]}\n'
            "units:\n  - {name: 办公室, default: true}\n"
        ),
    )
    with pytest.raises(ScanLost, match="结果未采用"):
        _judge(config, db, scan_id, {})
    with db.session() as session:
        assert session.scalar(select(Scan.status).where(Scan.id == scan_id)) == "interrupted"
        assert session.scalars(select(Finding)).all() == []
    db.dispose()
