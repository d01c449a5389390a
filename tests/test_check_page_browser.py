"""The page 发布前检查 in a real browser (Debian's chromium driven by Playwright) against the
review app under uvicorn: an editor pastes a draft, sees each problem marked in place
with its suggestion, accepts one into the corrected copy; and uploads a Word document.
Screenshots go to ``test-output/screenshots/`` for a person to look at."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from govwatch.web import create_app
from storage.db import open_database
from storage.users import add_user
from tests.drafts import MOBILE, OUTDATED, TYPO, docx_draft
from tests.system import need

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("browser")]

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "editor-pass-2024"
DRAFT = (
    "关于做好冬季安全生产工作的通知\n"
    f"各乡镇：现就进一步{TYPO}冬季安全生产工作通知如下。\n"
    f"一、请按{OUTDATED}要求开展隐患排查。\n"
    f"二、联系人：张某，电话 {MOBILE}。"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    url = f"sqlite:///{tmp_path_factory.mktemp('page') / 'govwatch.db'}"
    db = open_database(url)
    with db.session() as session:
        add_user(session, "editor", "unit", "市政府办", password=PASSWORD)
    db.dispose()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(url, secret_key="p" * 48)
    served = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not served.started:
        assert time.monotonic() < deadline and thread.is_alive()
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    served.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def page(server):
    need(Path(CHROMIUM).is_file(), "needs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on(
            "console",
            lambda m: (
                errors.append(m.text)
                if m.type == "error" and "Failed to load resource" not in m.text  # the favicon
                else None
            ),
        )
        page.goto(server + "/login")
        page.fill("input[name=name]", "editor")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        page.errors = errors  # type: ignore[attr-defined]
        yield page
        browser.close()


def test_pasted_draft_is_marked_and_a_suggestion_accepted(server, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(server + "/check")
    page.click("text=发布前检查")  # in the navigation of every logged-in role
    page.fill("textarea[name=draft]", DRAFT)
    page.click("button:has-text('开始检查')")
    page.wait_for_selector("mark.problem")
    marks = page.locator("mark.problem").all_inner_texts()
    assert marks == [TYPO, OUTDATED, MOBILE]
    assert page.locator(".problems tr").count() == 4  # heading and three problems
    page.screenshot(path=str(SHOTS / "check-marked.png"), full_page=True)
    corrected = page.locator("#corrected")
    assert f"进一步{TYPO}" in corrected.input_value()
    page.locator(".suggestion", has_text="部署").locator("button.accept").click()
    text = corrected.input_value()
    assert "进一步部署冬季" in text and TYPO not in text
    assert text.splitlines()[0] == "关于做好冬季安全生产工作的通知"  # one line a block
    page.locator(".suggestion", has_text="应急管理部").locator("button.accept").click()
    assert "请按应急管理部要求" in corrected.input_value()
    page.screenshot(path=str(SHOTS / "check-accepted.png"), full_page=True)
    assert page.errors == []  # type: ignore[attr-defined]  (no CSP violation, no script error)


def test_uploaded_word_document_is_marked_by_paragraph_and_cell(server, page, tmp_path):
    draft = tmp_path / "通知.docx"
    draft.write_bytes(docx_draft())
    page.goto(server + "/check")
    page.set_input_files("input[name=file]", str(draft))
    page.click("button:has-text('开始检查')")
    page.wait_for_selector("mark.problem")
    locations = page.locator(".problems td:first-child").all_inner_texts()
    assert locations == ["第 2 段", "第 3 段", "表格 1 第 2 行第 3 列"]
    page.screenshot(path=str(SHOTS / "check-docx.png"), full_page=True)
