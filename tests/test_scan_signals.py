"""SIGINT and SIGTERM stop a real ``govwatch scan`` within seconds in every phase, and
the scan is recorded as interrupted; a second signal ends it at once; the heartbeat
beats while the scan waits for long work.

The phases are made long with the test-only hooks of ``common/test_hooks.py`` (a slow
detection worker, slow site detectors) and found in the scan's ``-v`` log.
"""

from __future__ import annotations

import signal
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from storage import scans as scan_records
from storage.db import open_database
from storage.models import Scan
from tests.local_site import LocalSite
from tests.scan_process import ScanProcess, scan_rows, write_config

pytestmark = pytest.mark.integration  # govwatch subprocesses against a local site

SPIDER_OPENED = "Spider opened"
WAITING_FOR_WORKER = "waiting for page detection"
SITE_DETECTORS = "site detectors of scan"
EXIT_WITHIN_S = 10  # generous: two busy cores; an unfixed scan waits a minute or forever

PHASES = {
    # a crawl that has plenty left to do
    "crawl": dict(pages=3000, delay_s=0.05, env={}, marker=SPIDER_OPENED, settle=2.0),
    # the crawl held back because the worker lags (every attachment is a task)
    "crawl, worker lagging": dict(
        pages=40,
        delay_s=0.0,
        env={"GOVWATCH_TEST_SLOW_WORKER": "120"},
        marker=SPIDER_OPENED,
        settle=3.0,
        attachments=True,
    ),
    # the crawl is over; the reactor waits for the worker's last task
    "waiting for the worker": dict(
        pages=40,
        delay_s=0.0,
        env={"GOVWATCH_TEST_SLOW_WORKER": "120"},
        marker=WAITING_FOR_WORKER,
        settle=0.5,
    ),
    # the site detectors
    "site detectors": dict(
        pages=40,
        delay_s=0.0,
        env={"GOVWATCH_TEST_SLOW_SITE": "120"},
        marker=SITE_DETECTORS,
        settle=0.5,
    ),
}


def _start(tmp_path, site: LocalSite, phase: dict, db_url: str, **env: str) -> ScanProcess:
    config = write_config(tmp_path, site, attachment_max_mb=20 if phase.get("attachments") else 0)
    scan = ScanProcess(config, db_url, **phase["env"], **env)
    scan.wait_for(phase["marker"])
    time.sleep(phase["settle"])
    return scan


@pytest.mark.parametrize(
    ("phase", "signum", "group"),
    [
        ("crawl", signal.SIGINT, True),
        ("crawl, worker lagging", signal.SIGTERM, False),
        ("crawl, worker lagging", signal.SIGINT, True),
        ("waiting for the worker", signal.SIGINT, True),
        ("waiting for the worker", signal.SIGTERM, False),
        ("site detectors", signal.SIGINT, True),
        ("site detectors", signal.SIGTERM, False),
    ],
)
def test_a_signal_stops_the_scan_in_every_phase(tmp_path, sqlite_url, phase, signum, group):
    """``group``: sent to the scan's process group, as Ctrl-C on a terminal is, so the
    detection worker receives it too: still an interruption, not a worker crash."""
    spec = PHASES[phase]
    with (
        LocalSite(pages=spec["pages"], delay_s=spec["delay_s"]) as site,
        _start(tmp_path, site, spec, sqlite_url) as scan,
    ):
        scan.send(signum, group=group)
        code = scan.exit_within(EXIT_WITHIN_S)
    name = signal.Signals(signum).name
    assert code == 128 + signum, scan.output[-2000:]
    assert f"已中断（收到 {name}），已保存的问题状态未改变" in scan.output
    assert "Traceback" not in scan.output
    assert [(s.status, s.error) for s in scan_rows(sqlite_url)] == [
        ("interrupted", f"扫描被中止（收到 {name}）")
    ]


def test_a_second_signal_ends_the_scan_at_once(tmp_path, sqlite_url):
    """The first SIGINT lets downloads in flight finish (here: answers take 4 s); the
    second does not wait for them."""
    with LocalSite(pages=3000, delay_s=4.0) as site:
        config = write_config(tmp_path, site, attachment_max_mb=0)
        with ScanProcess(config, sqlite_url) as scan:
            scan.wait_for(SPIDER_OPENED)
            time.sleep(1.0)
            scan.send(signal.SIGINT)
            time.sleep(0.3)
            started = time.monotonic()
            scan.send(signal.SIGINT)
            code = scan.exit_within(EXIT_WITHIN_S)
            assert time.monotonic() - started < 3.5, "the second signal waited for downloads"
    assert code == 130
    assert [(s.status, s.error) for s in scan_rows(sqlite_url)] == [
        ("interrupted", "扫描被强制中止（再次收到 SIGINT）")
    ]


@pytest.mark.parametrize("phase", ["waiting for the worker", "site detectors"])
def test_the_heartbeat_beats_during_long_work(tmp_path, db_url, monkeypatch, phase):
    """A live scan busy for longer than ``STALE_AFTER`` is not taken for dead by another
    host (here ``STALE_AFTER`` is 2 s and the scan beats every 0.5 s)."""
    spec = PHASES[phase]
    with (
        LocalSite(pages=spec["pages"]) as site,
        _start(tmp_path, site, spec, db_url, GOVWATCH_HEARTBEAT_S="0.5") as scan,
    ):
        db = open_database(db_url, migrate=False)
        try:
            with db.session() as session:
                first = session.scalar(select(Scan.heartbeat_at))
            time.sleep(3.0)
            monkeypatch.setattr(scan_records, "STALE_AFTER", timedelta(seconds=2))
            monkeypatch.setattr(scan_records.socket, "gethostname", lambda: "another-host")
            with db.session() as session:
                later = session.scalar(select(Scan.heartbeat_at))
                marked = scan_records.mark_interrupted_scans(session)
                status = session.scalar(select(Scan.status))
        finally:
            db.dispose()
        assert later > first
        assert marked == [] and status == "running"
        assert scan.proc.poll() is None


def test_sigterm_to_a_scan_of_several_sites_stops_it(tmp_path, sqlite_url):
    """``govwatch scan`` with two configs runs each in a subprocess: a SIGTERM to it
    (systemd stopping a service) stops the scan under way, and no further one starts."""
    with LocalSite(pages=40) as site:
        first = write_config(tmp_path, site, "a.yaml", attachment_max_mb=0)
        second = tmp_path / "b.yaml"
        second.write_text(site.config_yaml(site_id="other", attachment_max_mb=0), "utf-8")
        with ScanProcess([first, str(second)], sqlite_url, GOVWATCH_TEST_SLOW_SITE="120") as scan:
            scan.wait_for(SITE_DETECTORS)
            scan.send(signal.SIGTERM)
            code = scan.exit_within(EXIT_WITHIN_S)
    assert code == 143, scan.output[-2000:]
    assert [(s.site_id, s.status) for s in scan_rows(sqlite_url)] == [("local", "interrupted")]
