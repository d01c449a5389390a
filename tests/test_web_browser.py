"""End to end in a real browser: Debian's chromium driven by Playwright against a real
``govwatch serve`` on a database filled by real scans of a small local portal.

The first-run admin logs in and adds a unit editor; the editor lands on their unit's
page, filters the list, dismisses a wrong expression, fixes a broken link and re-checks
it at once; a second scan leaves the dismissal alone. Screenshots of each page go to
``test-output/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from storage.db import open_database
from storage.models import Finding
from storage.users import issue_token
from tests.review_site import ReviewSite
from tests.system import need

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("browser")]

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
GOVWATCH = [sys.executable, "-m", "govwatch"]
EDITOR_PASSWORD = "editor-pass-2024"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scan(config: Path, db_url: str) -> None:
    result = subprocess.run(
        [*GOVWATCH, "scan", "--config", str(config), "--db", db_url],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr


class Serve:
    """``govwatch serve`` in a subprocess, on a free port, until stopped."""

    def __init__(self, db_url: str, config: Path, tmp_path: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp_path / "serve.log"
        self.proc = subprocess.Popen(
            [*GOVWATCH, "serve", "--db", db_url, "--port", str(self.port), "--config", str(config)],
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            env={**os.environ, "GOVWATCH_SECRET_FILE": str(tmp_path / "secret")},
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(self.url + "/login").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert self.proc.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, self.log.read_text()
            time.sleep(0.2)

    def admin_password(self) -> str:
        found = re.search(r"初始密码（只显示这一次）：(\S+)", self.log.read_text())
        assert found, self.log.read_text()
        return found.group(1)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    need(Path(CHROMIUM).is_file(), "needs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def world(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'govwatch.db'}"
    with ReviewSite() as site:
        config = site.write_config(tmp_path)
        scan(config, db_url)
        server = Serve(db_url, config, tmp_path)
        try:
            yield site, config, db_url, server
        finally:
            server.stop()


def finding_id(db_url: str, detector: str, unit: str) -> int:
    db = open_database(db_url)
    with db.session() as session:
        found = session.scalar(
            select(Finding.id).where(Finding.detector == detector, Finding.unit == unit)
        )
    db.dispose()
    assert found is not None
    return found


def status_of(db_url: str, finding: int) -> str:
    db = open_database(db_url)
    with db.session() as session:
        status = session.get(Finding, finding).status
    db.dispose()
    return status


def new_page(browser, base_url: str, problems: list[str]):
    context = browser.new_context(
        base_url=base_url, locale="zh-CN", viewport={"width": 1360, "height": 900}
    )
    page = context.new_page()
    # A CSP violation (inline script or style) or a script error is a failure.
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    return page


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page, name: str, password: str) -> None:
    page.goto("/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def test_review_in_a_real_browser(browser, world):
    site, config, db_url, server = world
    problems: list[str] = []

    # The first-run admin (printed once by `govwatch serve`) adds a unit editor.
    admin = new_page(browser, server.url, problems)
    admin.goto("/login")
    shot(admin, "01-login")
    log_in(admin, "admin", server.admin_password())
    admin.wait_for_url(server.url + "/")
    assert "单项否决项" in admin.content()
    shot(admin, "02-overview")
    admin.goto("/admin/users")
    admin.fill("form.add-user input[name=name]", "editor")
    admin.select_option("form.add-user select[name=role]", "unit")
    admin.fill("form.add-user input[name=unit]", "市政府办")
    admin.fill("form.add-user input[name=password]", EDITOR_PASSWORD)
    admin.click("form.add-user button[type=submit]")
    assert "已添加用户“editor”" in admin.content()
    shot(admin, "03-users")

    # The editor lands on their unit's page and sees only their unit.
    editor = new_page(browser, server.url, problems)
    log_in(editor, "editor", EDITOR_PASSWORD)
    editor.wait_for_url(server.url + "/unit")
    assert "市政府办 · 整改情况" in editor.content()
    shot(editor, "04-unit")
    editor.goto("/findings")
    listed = editor.content()
    assert "市政府办" in listed and "市司法局" not in listed
    assert editor.locator("table.findings tbody tr").count() == 2

    # Filtering: choosing a type submits the form (the static script).
    editor.select_option("select[name=detector]", "term")
    editor.wait_for_url(re.compile(r".*detector=term.*"))
    assert editor.locator("table.findings tbody tr").count() == 1
    shot(editor, "05-findings-filtered")

    # Dismiss the wrong expression with a reason.
    term = finding_id(db_url, "term", "市政府办")
    editor.click(f"table.findings a[href='/findings/{term}'] >> nth=0")
    editor.wait_for_url(f"{server.url}/findings/{term}")
    assert editor.locator("mark").first.inner_text() == "一带一路战略"
    shot(editor, "06-finding-term")
    editor.fill("form.dismiss input[name=reason]", "引用的是文件原标题")
    editor.click("form.dismiss button[type=submit]")
    editor.wait_for_selector("p.flash.ok")
    assert status_of(db_url, term) == "false_positive"
    assert "引用的是文件原标题" in editor.content()

    # Fix the broken link on the site, then "mark fixed and re-check now".
    link = finding_id(db_url, "broken_link", "市政府办")
    editor.goto(f"/findings/{link}")
    site.missing.discard("/old/notice.html")
    editor.click("text=已整改，立即复查")
    editor.wait_for_selector("p.flash")
    assert status_of(db_url, link) == "fixed"
    shot(editor, "07-finding-rechecked")

    # Another scan: the dismissal sticks, the fixed link stays fixed.
    scan(config, db_url)
    assert status_of(db_url, term) == "false_positive"
    assert status_of(db_url, link) == "fixed"
    editor.goto(f"/findings/{term}")
    assert "误报" in editor.locator("dl.facts").inner_text()
    shot(editor, "08-finding-after-second-scan")
    editor.goto("/findings?status=open")
    assert editor.locator("table.findings tbody tr td.empty").count() == 1

    # Admin pages are not the editor's; the admin sees every unit.
    before = len(problems)
    assert editor.goto("/admin/users").status == 403
    shot(editor, "09-forbidden")
    assert [p for p in problems[before:] if "403" not in p] == []  # the 403 itself is logged
    del problems[before:]
    admin.goto("/findings")
    assert "市司法局" in admin.content()
    shot(admin, "10-findings-admin")

    # The same through the API with the editor's token.
    db = open_database(db_url)
    with db.session() as session:
        token = issue_token(session, "editor")
    db.dispose()
    headers = {"Authorization": f"Bearer {token}"}
    body = httpx.get(f"{server.url}/api/findings/{term}", headers=headers).json()
    assert body["status"] == "false_positive"
    other = finding_id(db_url, "term", "市司法局")
    assert httpx.get(f"{server.url}/api/findings/{other}", headers=headers).status_code == 404

    assert problems == []
