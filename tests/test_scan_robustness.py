"""A scan must fail clearly and never corrupt what is stored: kills, bad URLs, full disks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.db import open_database
from storage.models import Finding, Page, Scan
from tests.local_site import LocalSite
from tests.system import need

pytestmark = pytest.mark.integration  # govwatch subprocesses against local sites

GOVWATCH = [sys.executable, "-m", "govwatch"]


def govwatch(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*GOVWATCH, *args], capture_output=True, text=True, timeout=120, **kwargs)


def write_config(tmp_path: Path, site: LocalSite, **extra) -> str:
    path = tmp_path / "site.yaml"
    path.write_text(site.config_yaml(**extra), encoding="utf-8")
    return str(path)


def scans(db_url: str) -> list[tuple[int, str]]:
    db = open_database(db_url)
    with db.session() as session:
        rows = [(s.id, s.status) for s in session.scalars(select(Scan).order_by(Scan.id))]
    db.dispose()
    return rows


def findings(db_url: str) -> list[dict]:
    result = govwatch("findings", "--db", db_url, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_sigkill_mid_scan_leaves_database_consistent(tmp_path, db_url):
    with LocalSite(pages=40) as fast:
        config = write_config(tmp_path, fast)
        first = govwatch("scan", "--config", config, "--db", db_url)
        assert first.returncode == 0, first.stderr
        before = findings(db_url)
        # files 0, 10, 20, 30 are missing; nothing dates the home page's content (no
        # dates on it, in its links or on its pages): no evidence for a 首页不更新 veto
        assert sorted(f["detector"] for f in before) == ["broken_link"] * 4

    with LocalSite(pages=3000, delay_s=0.05) as slow:
        config = write_config(tmp_path, slow, site_id="local")
        proc = subprocess.Popen(
            [*GOVWATCH, "scan", "--config", config, "--db", db_url],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        db = open_database(db_url)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # wait until the second scan has stored pages
            with db.session() as session:
                stored = session.scalar(
                    select(func.count()).select_from(Page).where(Page.scan_id == 2)
                )
            if stored:
                break
            time.sleep(0.2)
        db.dispose()
        assert stored, "the scan never stored a page"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()

    assert scans(db_url) == [(1, "completed"), (2, "running")]
    status = govwatch("status", "--db", db_url)
    assert status.returncode == 0, status.stderr
    assert scans(db_url) == [(1, "completed"), (2, "interrupted")]
    # Findings still those of the completed scan, untouched by the killed one.
    assert findings(db_url) == before
    db = open_database(db_url)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Finding)) == len(before)
        assert set(session.scalars(select(Finding.status))) == {"open"}
    db.dispose()


def test_unreachable_start_url_fails_clearly(tmp_path, sqlite_url):
    config = tmp_path / "site.yaml"
    config.write_text(
        'site: {id: gone, name: 站点, start_urls: ["http://127.0.0.1:9/"], retries: 0}\n',
        encoding="utf-8",
    )
    result = govwatch("scan", "--config", str(config), "--db", sqlite_url)
    assert result.returncode == 1
    assert "起始网址无法访问：http://127.0.0.1:9/（connection_refused）" in result.stderr
    assert "Traceback" not in result.stderr
    assert scans(sqlite_url) == [(1, "failed")]


@pytest.mark.parametrize(
    ("url", "code", "message"),
    [
        ("nonsense", 2, "数据库地址格式无效：nonsense"),
        ("mysql+nosuchdriver://x/y", 2, "不支持的数据库类型"),
        ("sqlite:////nonexistent-dir/x.db", 1, "数据库所在目录不存在"),
        ("postgresql+psycopg://nobody@127.0.0.1:9/x", 1, "无法连接数据库服务器"),
    ],
)
def test_bad_database_urls(tmp_path, url, code, message):
    result = govwatch("findings", "--db", url)
    assert result.returncode == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_full_disk_fails_clearly_and_keeps_database(tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    # Room for the schema and the scan's row, not for 3,000 pages' rows.
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1200k", "tmpfs", str(mount)], capture_output=True
    )
    need(made.returncode == 0, f"cannot mount a small tmpfs here: {made.stderr!r}")
    try:
        db_url = f"sqlite:///{mount / 'govwatch.db'}"
        with LocalSite(pages=3000) as site:
            config = write_config(tmp_path, site)
            result = govwatch("scan", "--config", config, "--db", db_url)
        assert result.returncode == 1
        assert "磁盘空间已满" in result.stderr
        assert "Traceback" not in result.stderr
        db = open_database(db_url)  # still opens: nothing half-written
        with db.session() as session:
            assert session.scalar(select(Scan.status)) in ("failed", "running")
        db.dispose()
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)
