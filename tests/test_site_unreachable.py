"""``site_unreachable``: the veto needs a whole week of enough probes at 5 %, the early
warning 3 % over the days with enough probes, nothing without them; real probe rounds
against a local server that starts failing end in a finding, and the weekly report's
站点无法访问 line reads the probes."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from detectors.probe_health import ProbeDay
from detectors.site_unreachable import SiteUnreachableDetector
from detectors.veto_groups import SITE_UNREACHABLE, VETO_GROUPS, VetoInputs
from govwatch.config import parse_config
from storage.db import open_database
from storage.probes import ProbeResult, probe_days, store_probes

TODAY = date(2024, 11, 25)
HOME = "http://127.0.0.1:8000/"
KEY = "http://127.0.0.1:8000/xxgk/"


class Days:
    def __init__(self, days: list[ProbeDay]):
        self.days = days

    def probe_days(self, since: date) -> list[ProbeDay]:
        return [d for d in self.days if d.day >= since]


def week(url: str, per_day: int, failures: list[int], end: date = TODAY) -> list[ProbeDay]:
    """Days ending ``end``, oldest first, ``failures[i]`` failed probes on day i."""
    first = end - timedelta(days=len(failures) - 1)
    return [ProbeDay(url, first + timedelta(days=i), per_day, f) for i, f in enumerate(failures)]


def findings(days: list[ProbeDay]):
    detector = SiteUnreachableDetector(HOME, TODAY, 15)
    return list(detector.check(Days(days)))


def test_five_percent_over_a_full_week_of_home_probes_is_a_veto():
    (finding,) = findings(week(HOME, 20, [1, 1, 1, 1, 1, 1, 1]))  # 7 of 140 = 5 %
    assert finding.severity == "veto"
    assert finding.details["probes"] == 140
    assert finding.details["failures"] == 7
    assert finding.details["window_days"] == 7
    assert "单项否决线" in finding.message and "15 秒" in finding.message


def test_just_under_five_percent_is_an_early_warning():
    (finding,) = findings(week(HOME, 20, [1, 1, 1, 1, 1, 1, 0]))  # 6 of 140 = 4.3 %
    assert finding.severity == "high"
    assert "预警线" in finding.message


def test_under_three_percent_is_nothing():
    assert findings(week(HOME, 40, [1, 1, 1, 1, 1, 1, 1])) == []  # 2.5 %


def test_the_veto_needs_every_day_of_the_week_measured():
    # six days of enough probes at 10 %: a warning, not a veto
    (finding,) = findings(week(HOME, 20, [2, 2, 2, 2, 2, 2]))
    assert finding.severity == "high"
    # and a day of 19 probes does not count
    days = week(HOME, 20, [2, 2, 2, 2, 2, 2, 2])
    days[3] = ProbeDay(HOME, days[3].day, 19, 2)
    (finding,) = findings(days)
    assert finding.severity == "high"
    assert finding.details["probes"] == 120


def test_no_finding_without_a_day_of_enough_probes():
    assert findings(week(HOME, 19, [19, 19, 19, 19, 19, 19, 19])) == []


def test_probes_before_the_window_do_not_count():
    old = week(HOME, 20, [20] * 7, end=TODAY - timedelta(days=7))
    assert findings(old + week(HOME, 20, [0] * 7)) == []


def test_a_key_page_is_never_a_veto():
    (finding,) = findings(week(KEY, 20, [5] * 7))
    assert finding.severity == "high"
    (finding,) = findings(week(KEY, 20, [1, 1, 1, 1, 1, 0, 0]))  # 5 of 140 = 3.6 %
    assert finding.severity == "medium"


def test_options_move_the_lines():
    detector = SiteUnreachableDetector(HOME, TODAY, 15, {"veto_percent": 10.0, "warn_percent": 8.0})
    assert list(detector.check(Days(week(HOME, 20, [1] * 7)))) == []


def _group(records, days):
    group = next(g for g in VETO_GROUPS if g.id == SITE_UNREACHABLE)
    return group.assess(VetoInputs(records, Days(days), TODAY))


def test_the_veto_line_is_grey_without_enough_probes_and_green_with_them():
    assert _group([], []).state == "grey"
    assert _group([], week(HOME, 10, [0] * 7)).state == "grey"
    green = _group([], week(HOME, 20, [0] * 7))
    assert green.state == "green"
    assert "140" in green.summary
    veto = {"severity": "veto", "failures": 7, "probes": 140}
    assert _group([veto], []).state == "red"
    assert _group([{**veto, "severity": "high"}], []).state == "amber"


class _Flaky(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        status = 503 if self.server.failing else 200  # type: ignore[attr-defined]
        body = "<title>首页</title>".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def flaky_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    server.failing = False  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _config(url: str, extra: str = ""):
    return parse_config(
        f'site:\n  id: flaky\n  name: 测试站点\n  start_urls: ["{url}"]\n  timeout_s: 2\n'
        "units:\n  - {name: 办公室, default: true}\n"
        "schedule:\n  probe_every_minutes: 10\n" + extra
    )


@pytest.mark.integration
def test_real_probes_of_a_server_that_starts_failing_produce_the_finding(flaky_server, db_url):
    from govwatch.scheduler.probe import probe_site

    url = f"http://127.0.0.1:{flaky_server.server_address[1]}/"
    config = _config(url)
    db = open_database(db_url)
    # six earlier days of clean probes (stored as the scheduler would have)
    with db.session() as session:
        for back in range(1, 7):
            moment = datetime.combine(TODAY - timedelta(days=back), datetime.min.time(), UTC)
            store_probes(
                session,
                "flaky",
                "测试站点",
                [
                    ProbeResult(url, moment + timedelta(hours=4, minutes=i), True, 200, 5, None)
                    for i in range(20)
                ],
            )
    for _ in range(12):
        assert probe_site(config, db).failures == 0
    flaky_server.failing = True
    for _ in range(8):
        (result,) = probe_site(config, db).results
        assert not result.ok and result.error == "http_503" and result.http_status == 503
    with db.session() as session:
        days = probe_days(session, "flaky", TODAY - timedelta(days=6))
    assert [(d.day, d.probes, d.failures) for d in days][-1] == (TODAY, 20, 8)
    (finding,) = SiteUnreachableDetector(url, TODAY, 2).check(Days(days))
    # 8 of 140 over a full week: 5.7 %
    assert finding.severity == "veto"
    assert (finding.details["probes"], finding.details["failures"]) == (140, 8)
    assert finding.details["last_error"] == "http_503"
    db.dispose()


@pytest.mark.integration
def test_a_refused_connection_is_a_failure(db_url):
    from govwatch.scheduler.probe import probe_site

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    port = server.server_address[1]
    server.server_close()  # nothing listens there now
    db = open_database(db_url)
    (result,) = probe_site(_config(f"http://127.0.0.1:{port}/"), db).results
    assert not result.ok and result.error == "connection_refused"
    db.dispose()


def test_the_scan_summary_lists_each_probed_page_and_nothing_without_probes():
    detector = SiteUnreachableDetector(HOME, TODAY, 15)
    assert detector.status_lines(Days([])) == []
    days = week(HOME, 20, [0] * 6 + [1])
    days[-1] = ProbeDay(HOME, TODAY, 20, 1, datetime(2024, 11, 25, 2, 5, tzinfo=UTC), "timeout")
    assert detector.status_lines(Days(days + week(KEY, 5, [0]))) == [
        "可用性探测：",
        f"  {HOME}：近7天失败率 0.7%（1/140 次，7 天达到每天20次）；"
        "最近一次失败 2024-11-25 10:05（timeout）",
        f"  {KEY}：近7天没有一天达到20次探测，暂不判断；没有失败",
    ]


@pytest.mark.integration
def test_a_scan_turns_a_week_of_failing_probes_into_a_veto_the_weekly_report_shows(
    tmp_path, sqlite_url
):
    import json
    import subprocess
    import sys

    from tests.local_site import LocalSite

    with LocalSite(pages=5) as site:
        db = open_database(sqlite_url)
        with db.session() as session:
            for back in range(7):
                moment = datetime.combine(TODAY - timedelta(days=back), datetime.min.time(), UTC)
                store_probes(
                    session,
                    "local",
                    "测试站点",
                    [
                        ProbeResult(
                            site.url,
                            moment + timedelta(hours=4, minutes=i),
                            i >= 2,
                            None if i < 2 else 200,
                            15000,
                            "timeout" if i < 2 else None,
                        )
                        for i in range(20)
                    ],
                )
        db.dispose()
        config = tmp_path / "site.yaml"
        config.write_text(site.config_yaml(), encoding="utf-8")

        def govwatch(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run(
                [sys.executable, "-m", "govwatch", *args, "--db", sqlite_url],
                capture_output=True,
                text=True,
            )

        scan = govwatch("scan", "--config", str(config))
        assert scan.returncode == 0, scan.stderr
        assert "站点无法访问" in scan.stdout
    found = govwatch("findings", "--detector", "site_unreachable", "--format", "json")
    (finding,) = json.loads(found.stdout)
    assert finding["severity"] == "veto" and finding["page_url"] == site.url
    assert (finding["failures"], finding["probes"], finding["window_days"]) == (14, 140, 7)
    weekly = govwatch("report", "weekly", "--out", str(tmp_path / "周报.html"))
    assert weekly.returncode == 0, weekly.stderr
    html = (tmp_path / "周报.html").read_text(encoding="utf-8")
    row = next(line for line in html.splitlines() if "<td>站点无法访问</td>" in line)
    assert 'class="red"' in row and "近期探测失败率 10.0%" in row


@pytest.mark.integration
def test_probe_command_runs_one_round_now(flaky_server, tmp_path, sqlite_url):
    import subprocess
    import sys

    url = f"http://127.0.0.1:{flaky_server.server_address[1]}/"
    config = tmp_path / "site.yaml"
    config.write_text(
        f'site:\n  id: flaky\n  name: 测试站点\n  start_urls: ["{url}"]\n  timeout_s: 2\n'
        f'schedule:\n  probe_urls: ["{url}xxgk/"]\n',
        encoding="utf-8",
    )
    flaky_server.failing = True
    result = subprocess.run(
        [sys.executable, "-m", "govwatch", "probe", "--config", str(config), "--db", sqlite_url],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert f"flaky {url}：失败（http_503），HTTP 503" in result.stdout
    assert f"flaky {url}xxgk/：失败（http_503）" in result.stdout
    assert "本轮探测完成，失败 2 次。" in result.stdout
    db = open_database(sqlite_url, migrate=False)
    with db.session() as session:
        days = probe_days(session, "flaky", TODAY)
    db.dispose()
    assert sorted((d.url, d.probes, d.failures) for d in days) == [
        (url, 1, 1),
        (f"{url}xxgk/", 1, 1),
    ]
