"""Alerts through Apprise to a real SMTP server (aiosmtpd) and a local webhook receiver:
once per problem, retried on the channel that failed, held in quiet hours; what
triggers them (new veto findings, an empty scan, a failed scan, the unreachable lines)
and ``govwatch alert test``."""

from __future__ import annotations

import email
import json
import socket
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from common.clock import BEIJING, now
from govwatch.config import LoadedConfig, parse_config
from govwatch.scheduler import jobs
from govwatch.scheduler.alerts import Alerter, in_quiet_hours
from storage.db import open_database
from storage.models import AlertSent, Finding, Scan, Site
from storage.probes import ProbeResult, store_probes

pytestmark = pytest.mark.integration

HOME = "http://127.0.0.1:9/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def bodies(self) -> list[str]:
        return [m.get_body(("plain",)).get_content() for m in self.messages]


@pytest.fixture
def smtp():
    mailbox = _Mailbox()
    port = _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    mailbox.url = (  # type: ignore[attr-defined]
        f"mailto://127.0.0.1:{port}?from=govwatch@example.org&to=ops@example.org&mode=insecure"
    )
    yield mailbox
    controller.stop()


class _Hook(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        status = self.server.status  # type: ignore[attr-defined]
        if status == 200:
            self.server.received.append(json.loads(body))  # type: ignore[attr-defined]
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def webhook():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    server.received = []  # type: ignore[attr-defined]
    server.status = 200  # type: ignore[attr-defined]
    server.url = f"json://127.0.0.1:{server.server_address[1]}/hook"  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _config(channels: list[str], alerts: str = "", schedule: str = ""):
    listed = ", ".join(f'"{c}"' for c in channels)
    return parse_config(
        f'site:\n  id: longnan\n  name: 龙南市人民政府\n  start_urls: ["{HOME}"]\n'
        "units:\n  - {name: 市政府办, default: true}\n"
        f"alerts:\n  channels: [{listed}]\n  review_url: http://review.example/app/\n{alerts}"
        + (f"schedule:\n{schedule}" if schedule else "")
    )


@pytest.fixture
def db(db_url):
    database = open_database(db_url)
    yield database
    database.dispose()


def _alerts(db) -> list[AlertSent]:
    with db.session() as session:
        return list(session.scalars(select(AlertSent).order_by(AlertSent.id)))


def test_an_alert_reaches_smtp_and_the_webhook_once(smtp, webhook, db):
    alerter = Alerter(_config([smtp.url, webhook.url]), db)
    assert alerter.raise_alert("veto", "veto:abc", "【龙南市人民政府】发现单项否决问题：暗链")
    assert smtp.bodies() == ["【龙南市人民政府】发现单项否决问题：暗链"]
    assert [m["message"] for m in webhook.received] == ["【龙南市人民政府】发现单项否决问题：暗链"]
    assert smtp.messages[0]["Subject"] == "govwatch 监测提醒"
    # the same problem again: nothing
    assert not alerter.raise_alert("veto", "veto:abc", "【龙南市人民政府】发现单项否决问题：暗链")
    assert len(smtp.messages) == 1 and len(webhook.received) == 1
    (stored,) = _alerts(db)
    assert (stored.status, stored.pending_channels) == ("sent", [])


def test_a_failing_channel_is_retried_alone_and_never_raises(smtp, webhook, db):
    webhook.status = 500
    alerter = Alerter(_config([smtp.url, webhook.url]), db)
    assert alerter.raise_alert("scan_failed", "scan_failed:1", "定时扫描失败")
    assert len(smtp.messages) == 1 and webhook.received == []
    (stored,) = _alerts(db)
    assert (stored.status, stored.pending_channels, stored.attempts) == ("pending", [1], 1)
    webhook.status = 200
    assert alerter.deliver_pending() == 1
    assert [m["message"] for m in webhook.received] == ["定时扫描失败"]
    assert len(smtp.messages) == 1  # the mail that went out is not sent again
    assert _alerts(db)[0].status == "sent"


def test_an_unknown_channel_fails_without_stopping_anything(webhook, db):
    alerter = Alerter(_config(["nosuchscheme://x", webhook.url]), db)
    assert alerter.raise_alert("veto", "veto:x", "消息")
    assert len(webhook.received) == 1
    assert _alerts(db)[0].pending_channels == [0]


def test_quiet_hours_hold_alerts_until_they_end(webhook, db):
    local = now().astimezone(BEIJING)
    start, end = local - timedelta(hours=1), local + timedelta(hours=1)
    quiet = f"{start:%H:%M}-{end:%H:%M}"
    assert in_quiet_hours(quiet, now())
    held = Alerter(_config([webhook.url], f"  quiet_hours: {quiet}\n"), db)
    assert held.raise_alert("veto", "veto:q", "夜间的问题")
    assert webhook.received == []
    assert _alerts(db)[0].status == "pending"
    Alerter(_config([webhook.url]), db).deliver_pending()  # the hours are over
    assert [m["message"] for m in webhook.received] == ["夜间的问题"]


def test_quiet_hours_across_midnight():
    night = datetime(2024, 11, 25, 23, 30, tzinfo=BEIJING)
    assert in_quiet_hours("22:00-07:00", night)
    assert in_quiet_hours("22:00-07:00", night + timedelta(hours=7))
    assert not in_quiet_hours("22:00-07:00", night + timedelta(hours=8))
    assert not in_quiet_hours(None, night)


def test_an_event_not_switched_on_does_not_alert(webhook, db):
    alerter = Alerter(_config([webhook.url], "  on: [veto]\n"), db)
    assert not alerter.raise_alert("scan_empty", "scan_empty:1", "空")
    assert webhook.received == [] and _alerts(db) == []


def _scan(session, scan_id: int, pages: int) -> None:
    moment = datetime(2024, 11, 25, 2, tzinfo=UTC)
    session.add(
        Scan(
            id=scan_id,
            site_id="longnan",
            status="completed",
            started_at=moment,
            finished_at=moment,
            pages_crawled=pages,
            stats={},
        )
    )


def test_a_scan_alerts_its_new_veto_findings_and_an_empty_crawl(webhook, db):
    config = _config([webhook.url])
    with db.session() as session:
        session.add(Site(id="longnan", name="龙南市人民政府", created_at=now()))
        _scan(session, 1, 3200)
        _scan(session, 2, 0)
        session.flush()
        for n, (detector, severity) in enumerate(
            [("hidden_link", "veto"), ("broken_link", "high")]
        ):
            session.add(
                Finding(
                    site_id="longnan",
                    fingerprint=f"fp{n}",
                    detector=detector,
                    severity=severity,
                    unit="市融媒体中心",
                    page_url="http://h/a.html",
                    page_key="http://h/a.html",
                    subject_key="k",
                    status="open",
                    message="页面含有暗链",
                    details={},
                    evidence={},
                    first_seen=now(),
                    last_seen=now(),
                    first_scan_id=2,
                    scan_id=2,
                )
            )
    with db.session() as session:
        veto_id = session.scalars(select(Finding.id).where(Finding.fingerprint == "fp0")).one()
    loaded = LoadedConfig(Path("site.yaml"), config)
    jobs.alert_after_scan(loaded, db, Alerter(config, db), 2)
    messages = [m["message"] for m in webhook.received]
    assert len(messages) == 2
    (empty,) = [m for m in messages if "扫描 #2" in m]
    (veto,) = [m for m in messages if m != empty]
    assert "没有抓取到任何页面" in empty and "3200" in empty
    assert "【龙南市人民政府】发现单项否决问题：暗链" in veto
    assert "责任单位：市融媒体中心" in veto
    assert f"http://review.example/app/findings/{veto_id}" in veto
    jobs.alert_after_scan(loaded, db, Alerter(config, db), 2)  # looked at again: no repeat
    assert len(webhook.received) == 2


def test_a_failed_scan_alerts(webhook, sqlite_url, tmp_path, monkeypatch):
    path = tmp_path / "site.yaml"
    path.write_text(
        f'site:\n  id: longnan\n  name: 龙南市人民政府\n  start_urls: ["{HOME}"]\n'
        f'alerts:\n  channels: ["{webhook.url}"]\n',
        encoding="utf-8",
    )
    open_database(sqlite_url).dispose()
    monkeypatch.setattr(
        jobs, "run_scan_process", lambda *a, **k: ("exited", 1, "错误：数据库写入失败\n")
    )
    jobs.scan_job(str(path), sqlite_url, "longnan")
    (message,) = [m["message"] for m in webhook.received]
    assert "【龙南市人民政府】定时扫描失败：扫描进程退出码 1" in message
    assert "数据库写入失败" in message


def _probes(db, failures: int, total: int) -> None:
    base = now() - timedelta(seconds=total + 1)
    with db.session() as session:
        store_probes(
            session,
            "longnan",
            "龙南市人民政府",
            [
                ProbeResult(
                    HOME,
                    base + timedelta(seconds=i),
                    i >= failures,
                    None,
                    15000,
                    None if i >= failures else "timeout",
                )
                for i in range(total)
            ],
        )


def test_crossing_the_unreachable_line_alerts_once_and_again_after_recovery(webhook, db):
    config = _config([webhook.url], schedule="  probe_every_minutes: 10\n")
    loaded = LoadedConfig(Path("site.yaml"), config)
    _probes(db, 1, 20)  # 5 % of one day's 20: the early warning (a veto needs a week)
    jobs.alert_unreachable(loaded, db)
    jobs.alert_unreachable(loaded, db)
    (first,) = [m["message"] for m in webhook.received]
    assert "站点无法访问已达到预警线" in first and "责任单位：市政府办" in first
    _probes(db, 0, 80)  # 1 of 100: back under the line
    jobs.alert_unreachable(loaded, db)
    assert len(webhook.received) == 1 and _alerts(db) == []
    _probes(db, 5, 20)  # 6 of 120 = 5 %: crossed again
    jobs.alert_unreachable(loaded, db)
    assert len(webhook.received) == 2


def test_alert_test_command_says_which_channel_worked(webhook, tmp_path):
    dead = f"json://127.0.0.1:{_free_port()}/hook"
    path = tmp_path / "site.yaml"
    path.write_text(
        f'site:\n  id: longnan\n  name: 龙南市人民政府\n  start_urls: ["{HOME}"]\n'
        f'alerts:\n  channels: ["{webhook.url}", "{dead}"]\n',
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "govwatch", "alert", "test", "--config", str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    port = webhook.server_address[1]
    assert f"longnan json://127.0.0.1:{port}/…：发送成功" in result.stdout
    assert "：发送失败" in result.stdout
    assert "1 个通知渠道发送失败" in result.stderr
    (received,) = webhook.received
    assert "测试消息" in received["message"] and "龙南市人民政府" in received["message"]


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ("alerts:\n  quiet_hours: 25:00-07:00\n", "alerts.quiet_hours"),
        ("alerts:\n  review_url: review\n", "alerts.review_url"),
        ("alerts:\n  on: [veto, sometimes]\n", "alerts.on"),
        ("schedule:\n  scan_time_limit_hours: 0\n", "schedule.scan_time_limit_hours"),
        ("schedule:\n  probe_urls: [xxgk]\n", "schedule.probe_urls"),
        ("schedule:\n  weekly_report_format: txt\n", "schedule.weekly_report_format"),
    ],
)
def test_check_config_names_the_bad_key(tmp_path, section, key):
    path = tmp_path / "site.yaml"
    path.write_text(
        f'site:\n  id: longnan\n  name: 龙南市人民政府\n  start_urls: ["{HOME}"]\n{section}',
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "govwatch", "check-config", str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert key in result.stderr


def test_many_new_veto_findings_make_one_message(webhook, db):
    config = _config([webhook.url])
    with db.session() as session:
        session.add(Site(id="longnan", name="龙南市人民政府", created_at=now()))
        _scan(session, 1, 3200)
        session.flush()
        for n in range(5):
            detector, unit = ("term", "市政府办") if n < 3 else ("hidden_link", "市融媒体中心")
            session.add(
                Finding(
                    site_id="longnan",
                    fingerprint=f"fp{n}",
                    detector=detector,
                    severity="veto",
                    unit=unit,
                    page_url=f"http://h/{n}.html",
                    page_key=f"http://h/{n}.html",
                    subject_key="k",
                    status="open",
                    message="问题",
                    details={},
                    evidence={},
                    first_seen=now(),
                    last_seen=now(),
                    first_scan_id=1,
                    scan_id=1,
                )
            )
    alerter = Alerter(config, db)
    jobs.alert_after_scan(LoadedConfig(Path("site.yaml"), config), db, alerter, 1)
    (message,) = [m["message"] for m in webhook.received]
    assert message == (
        "【龙南市人民政府】扫描 #1 新发现单项否决问题 5 个\n"
        "暗链：市融媒体中心 2 个\n错敏词：市政府办 3 个\n"
        "http://review.example/app/findings?site=longnan&scan=1&severity=veto"
    )
    # each finding is spoken for: none alerts on its own later
    assert not alerter.raise_alert("veto", "veto:fp4", "再次")
    assert len(webhook.received) == 1
