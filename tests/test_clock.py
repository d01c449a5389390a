import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from common.clock import BEIJING, ClockError, now, today
from storage.db import open_database
from storage.models import FindingEvent, Page, Scan
from tests.local_site import LocalSite


def test_pinned_today(monkeypatch):
    monkeypatch.setenv("GOVWATCH_TODAY", "2024-11-25")
    assert today() == date(2024, 11, 25)


def test_bad_pinned_today_names_the_variable(monkeypatch):
    monkeypatch.setenv("GOVWATCH_TODAY", "25/11/2024")
    with pytest.raises(ClockError, match="GOVWATCH_TODAY"):
        today()


def test_unpinned_today_is_a_date(monkeypatch):
    monkeypatch.delenv("GOVWATCH_TODAY", raising=False)
    assert isinstance(today(), date)


def test_now_is_the_pinned_day_at_the_current_time_of_day(monkeypatch):
    monkeypatch.setenv("GOVWATCH_TODAY", "2024-11-25")
    real = datetime.now(BEIJING)
    moment = now()
    assert moment.tzinfo is not None and moment.utcoffset() == timedelta(0)  # stored as UTC
    beijing = moment.astimezone(BEIJING)
    assert beijing.date() == date(2024, 11, 25)
    assert abs(datetime.combine(real.date(), beijing.timetz()) - real) < timedelta(seconds=5)


def test_unpinned_now_is_the_real_moment(monkeypatch):
    monkeypatch.delenv("GOVWATCH_TODAY", raising=False)
    assert abs(now() - datetime.now(UTC)) < timedelta(seconds=5)


@pytest.mark.integration  # a real scan in a subprocess
def test_a_pinned_scan_stamps_its_findings_with_the_pinned_day(tmp_path, monkeypatch):
    """The demo judges as of 2024-11-25; its findings were stamped with the real clock,
    so a notice showed 首次发现 2026 against a 2024 deadline. One clock now: the scan,
    the findings, their history and the notice's 首次发现 all say 2024-11-25."""
    monkeypatch.setenv("GOVWATCH_TODAY", "2024-11-25")
    db_url = f"sqlite:///{tmp_path / 'govwatch.db'}"
    config = tmp_path / "site.yaml"
    with LocalSite(pages=12) as site:
        config.write_text(site.config_yaml(), encoding="utf-8")
        scan = govwatch("scan", "--config", str(config), "--db", db_url)
    assert scan.returncode == 0, scan.stderr
    listed = govwatch("findings", "--db", db_url, "--format", "json")
    records = json.loads(listed.stdout)
    assert records, "the local site has missing files to report"
    for record in records:
        assert record["first_seen"].startswith("2024-11-25T"), record["first_seen"]
        assert record["last_seen"].startswith("2024-11-25T")
    db = open_database(db_url)
    with db.session() as session:
        stamps = [
            *session.scalars(select(Scan.started_at)),
            *session.scalars(select(Scan.finished_at)),
            *session.scalars(select(FindingEvent.at)),
            *session.scalars(select(Page.fetched_at)),
        ]
    db.dispose()
    assert {beijing_day(s) for s in stamps} == {date(2024, 11, 25)}
    out = tmp_path / "notices"
    assert govwatch("report", "notices", "--out", str(out), "--db", db_url).returncode == 0
    (sheet,) = [load_workbook(p).active for p in out.glob("整改通知-*.xlsx")]
    headers = [c.value for c in sheet[1]]
    first_seen = {
        r[headers.index("首次发现")][:10] for r in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert first_seen == {"2024-11-25"}


def beijing_day(moment: datetime) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BEIJING).date()


def govwatch(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "govwatch", *args], capture_output=True, text=True, timeout=300
    )
