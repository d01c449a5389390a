"""The review app's routes: login and sessions, CSRF, headers, access by role (pages,
exports, counts), every review action, hostile page content, exports and the evidence
block built from a detector's declarations."""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import stat
from typing import ClassVar

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from detectors.base import Detector
from detectors.presentation import Evidence
from detectors.registry import registered
from govwatch.web import create_app
from govwatch.web.security import load_secret
from reports.notice_xlsx import HEADERS
from storage.db import open_database
from storage.models import Finding
from tests.report_db import Spec, build
from tests.web_client import (
    HOSTILE_TEXT,
    HOSTILE_TITLE,
    JUSTICE,
    OFFICE,
    PASSWORD,
    csrf_of,
    login,
    post_form,
    review_db,
)

SECRET = "s" * 48


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """One review database per module (migrations and argon2 hashes take seconds), copied
    for each test."""
    path = tmp_path_factory.mktemp("review") / "govwatch.db"
    return review_db(f"sqlite:///{path}"), path


@pytest.fixture
def data(template, tmp_path):
    built, path = template
    copy = tmp_path / "govwatch.db"
    shutil.copyfile(path, copy)
    return dataclasses.replace(built, url=f"sqlite:///{copy}")


@pytest.fixture
def app(data):
    return create_app(data.url, secret_key=SECRET)


def client_as(app, name: str | None) -> TestClient:
    client = TestClient(app)
    if name:
        response = login(client, name)
        assert response.status_code == 303, response.text
    return client


def status_of(url: str, finding_id: int) -> str:
    db = open_database(url)
    with db.session() as session:
        status = session.get(Finding, finding_id).status
    db.dispose()
    return status


# -- sessions, login, headers -----------------------------------------------------------


def test_pages_need_a_login(app):
    client = TestClient(app)
    for path in ("/", "/findings", "/findings/1", "/unit", "/admin/users"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


def test_login_lands_each_role_on_its_page_and_logout_ends_the_session(app):
    client = TestClient(app)
    assert login(client, "editor").headers["location"] == "/unit"
    assert client.get("/unit").status_code == 200
    post_form(client, "/logout", {}, page="/unit")
    assert client.get("/unit", follow_redirects=False).status_code == 303
    assert login(TestClient(app), "boss").headers["location"] == "/"


def test_login_returns_only_to_a_local_path(app):
    client = TestClient(app)
    token = csrf_of(client)
    form = {"name": "boss", "password": PASSWORD, "csrf_token": token}
    evil = client.post("/login", data={**form, "next": "//evil.example/"}, follow_redirects=False)
    assert evil.headers["location"] == "/"
    client = TestClient(app)
    form["csrf_token"] = csrf_of(client)
    back = client.post("/login", data={**form, "next": "/findings?unit=x"}, follow_redirects=False)
    assert back.headers["location"] == "/findings?unit=x"


def test_wrong_password_fails_and_the_account_locks(app):
    client = TestClient(app)
    for _ in range(5):
        assert login(client, "editor", "wrong-password").status_code == 401
    refused = login(client, "editor")  # the right password, on a locked account
    assert refused.status_code == 401
    assert "锁定" in refused.text


def test_logins_are_rate_limited_per_address(data):
    app = create_app(data.url, secret_key=SECRET, login_per_minute=3)
    client = TestClient(app)
    codes = [login(client, "nobody", "whatever-pass").status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    assert "过于频繁" in login(client, "boss").text  # even the right password waits


def test_session_cookie_is_signed_httponly_and_samesite(app):
    client = TestClient(app)
    response = login(client, "boss")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    forged = TestClient(app)
    forged.cookies.set("govwatch_session", client.cookies["govwatch_session"][:-4] + "AAAA")
    assert forged.get("/", follow_redirects=False).status_code == 303


def test_behind_https_the_session_cookie_is_secure(data):
    app = create_app(data.url, secret_key=SECRET, secure_cookies=True)
    client = TestClient(app, base_url="https://testserver")
    assert "secure" in login(client, "boss").headers["set-cookie"].lower()


def test_security_headers_on_pages_api_and_static_files(app):
    client = client_as(app, "boss")
    for response in (
        client.get("/"),
        client.get("/login"),
        client.get("/static/app.js"),
        client.get("/api/findings"),
    ):
        headers = response.headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"


def test_pages_carry_no_inline_script(app):
    client = client_as(app, "boss")
    for path in ("/", "/findings", "/findings/1", "/unit", "/admin/users", "/login"):
        html = client.get(path).text
        assert "<script>" not in html
        assert " onclick=" not in html and " onload=" not in html


def test_the_session_secret_is_kept_across_starts(tmp_path, monkeypatch):
    monkeypatch.delenv("GOVWATCH_SECRET_FILE", raising=False)
    url = f"sqlite:///{tmp_path / 'g.db'}"
    first = load_secret(url)
    assert load_secret(url) == first and len(first) >= 32
    path = tmp_path / "g.db.secret"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_session_survives_a_restart_of_the_app(data, tmp_path, monkeypatch):
    monkeypatch.setenv("GOVWATCH_SECRET_FILE", str(tmp_path / "secret"))
    client = TestClient(create_app(data.url))
    login(client, "boss")
    restarted = TestClient(create_app(data.url))
    restarted.cookies.update(client.cookies)
    assert restarted.get("/", follow_redirects=False).status_code == 200


# -- CSRF -------------------------------------------------------------------------------


def test_a_post_without_the_csrf_token_is_refused(app, data):
    client = client_as(app, "boss")
    path = f"/findings/{data.office_term}/review"
    missing = client.post(path, data={"action": "dismiss", "reason": "误报"})
    wrong = client.post(path, data={"action": "dismiss", "reason": "误报", "csrf_token": "x"})
    assert missing.status_code == 403 and wrong.status_code == 403
    assert status_of(data.url, data.office_term) == "open"
    ok = post_form(client, path, {"action": "dismiss", "reason": "误报"})
    assert ok.status_code == 303
    assert status_of(data.url, data.office_term) == "false_positive"


def test_a_script_may_send_the_csrf_token_as_a_header(app, data):
    client = client_as(app, "boss")
    token = csrf_of(client, "/findings")
    path = f"/findings/{data.office_link}/review"
    sent = client.post(
        path, data={"action": "confirm"}, headers={"X-CSRF-Token": token}, follow_redirects=False
    )
    assert sent.status_code == 303
    assert status_of(data.url, data.office_link) == "confirmed"
    forged = client.post(path, data={"action": "reopen"}, headers={"X-CSRF-Token": "forged"})
    assert forged.status_code == 403


def test_login_and_logout_need_the_csrf_token_too(app):
    client = TestClient(app)
    client.get("/login")
    assert client.post("/login", data={"name": "boss", "password": PASSWORD}).status_code == 403
    login(client, "boss")
    assert client.post("/logout").status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200


def test_every_state_changing_form_carries_the_token(app, data):
    client = client_as(app, "boss")
    for path in ("/findings", f"/findings/{data.office_term}", "/admin/users"):
        html = client.get(path).text
        forms = html.count('method="post"')
        assert forms and html.count('name="csrf_token"') == forms, path


# -- access by role ---------------------------------------------------------------------


def test_a_unit_editor_sees_only_their_unit(app, data):
    client = client_as(app, "editor")
    listed = client.get("/findings").text
    assert "首页链接无法访问" in listed
    assert "司法局页面链接无法访问" not in listed
    assert JUSTICE not in client.get("/").text
    assert JUSTICE not in client.get("/unit?name=" + JUSTICE).text
    assert client.get(f"/findings/{data.justice_link}").status_code == 404
    assert client.get(f"/findings/{data.office_link}").status_code == 200
    exported = client.get("/findings/export.csv").text
    assert "司法局页面链接无法访问" not in exported and "首页链接无法访问" in exported


def test_a_unit_editor_cannot_act_on_another_units_finding(app, data):
    client = client_as(app, "editor")
    path = f"/findings/{data.justice_link}/review"
    assert post_form(client, path, {"action": "dismiss", "reason": "x"}).status_code == 404
    bulk = post_form(
        client,
        "/findings/bulk",
        {"action": "confirm", "ids": [data.justice_link, data.office_link]},
    )
    assert bulk.status_code == 303
    assert status_of(data.url, data.justice_link) == "open"
    assert status_of(data.url, data.office_link) == "confirmed"


def test_admin_pages_are_403_for_everyone_but_admins(app):
    for name in ("editor", "ops"):
        client = client_as(app, name)
        assert client.get("/admin/users").status_code == 403
        assert post_form(client, "/admin/users/editor/token", {}, page="/").status_code == 403
    assert client_as(app, "boss").get("/admin/users").status_code == 200


def test_operators_and_admins_see_every_unit(app, data):
    for name in ("ops", "boss"):
        client = client_as(app, name)
        listed = client.get("/findings").text
        assert "司法局页面链接无法访问" in listed and "首页链接无法访问" in listed
        assert client.get(f"/findings/{data.justice_link}").status_code == 200


# -- actions ----------------------------------------------------------------------------


def test_each_action_changes_the_finding_and_shows_in_its_history(app, data):
    client = client_as(app, "ops")
    page = f"/findings/{data.office_link}"
    path = page + "/review"
    steps = [
        ({"action": "confirm"}, "confirmed"),
        ({"action": "fixed"}, "fixed"),
        ({"action": "reopen", "reason": "仍可见"}, "open"),
        ({"action": "dismiss", "reason": "测试环境链接"}, "false_positive"),
        ({"action": "comment", "reason": "已与信息中心核实"}, "false_positive"),
    ]
    for form, expected in steps:
        assert post_form(client, path, form, page=page).status_code == 303
        assert status_of(data.url, data.office_link) == expected
    html = client.get(page).text
    for text in ("仍可见", "测试环境链接", "已与信息中心核实", "ops"):
        assert text in html
    for name in ("确认", "标记已整改", "重新打开", "标记误报", "评论"):
        assert name in html


def test_dismiss_without_a_reason_is_refused_with_a_message(app, data):
    client = client_as(app, "editor")
    page = f"/findings/{data.office_term}"
    response = post_form(client, page + "/review", {"action": "dismiss"}, page=page)
    assert response.status_code == 303
    assert status_of(data.url, data.office_term) == "open"
    assert "须填写原因" in client.get(page).text


def test_reassign_moves_a_finding_to_another_units_view(app, data):
    ops = client_as(app, "ops")
    page = f"/findings/{data.office_link}"
    post_form(ops, page + "/review", {"action": "reassign", "unit": JUSTICE}, page=page)
    assert client_as(app, "judge").get(page).status_code == 200
    assert client_as(app, "editor").get(page).status_code == 404
    assert f"{OFFICE} → {JUSTICE}" in ops.get(page).text


def test_a_unit_editor_is_not_offered_reassignment(app, data):
    html = client_as(app, "editor").get(f"/findings/{data.office_link}").text
    assert 'value="reassign"' not in html


def test_bulk_actions_apply_to_the_selected_findings(app, data):
    client = client_as(app, "boss")
    response = post_form(
        client,
        "/findings/bulk",
        {
            "action": "dismiss",
            "reason": "批量误报",
            "ids": [data.office_link, data.justice_link],
            "back": "/findings?status=open",
        },
    )
    assert response.headers["location"] == "/findings?status=open"
    assert status_of(data.url, data.office_link) == "false_positive"
    assert status_of(data.url, data.justice_link) == "false_positive"
    assert status_of(data.url, data.office_term) == "open"
    assert "已标记误报 2 条问题" in client.get("/findings").text


def site_config(tmp_path):
    from govwatch.config import load_config

    path = tmp_path / "longnan.yaml"
    path.write_text(
        "site:\n  id: longnan\n  name: 龙南市人民政府\n"
        "  start_urls: ['http://www.longnan.gov.cn/']\n"
        "  allowed_domains: ['www.longnan.gov.cn']\n"
        f"units:\n  - name: {OFFICE}\n    default: true\n"
        f"  - name: {JUSTICE}\n    paths: ['/xxgk/sfj/']\n  - name: 市财政局\n",
        encoding="utf-8",
    )
    return load_config(str(path))


def test_dismissing_a_term_can_add_it_to_the_sites_allow_list(data, tmp_path):
    config = site_config(tmp_path)
    app = create_app(data.url, secret_key=SECRET, configs=[config])
    client = client_as(app, "editor")
    page = f"/findings/{data.office_term}"
    assert "加入本站允许词表" in client.get(page).text
    form = {"action": "dismiss", "reason": "引用文件原标题", "allow_term": "1"}
    post_form(client, page + "/review", form, page=page)
    assert status_of(data.url, data.office_term) == "false_positive"
    allow_file = tmp_path / "longnan.allow.txt"
    assert "一带一路战略" in allow_file.read_text(encoding="utf-8").splitlines()
    assert "已将“一带一路战略”加入本站允许词表" in client.get(page).text


def test_a_link_is_not_offered_for_the_allow_list_nor_without_a_config(app, data, tmp_path):
    client = client_as(app, "editor")
    assert "加入本站允许词表" not in client.get(f"/findings/{data.office_term}").text
    with_config = create_app(data.url, secret_key=SECRET, configs=[site_config(tmp_path)])
    html = client_as(with_config, "editor").get(f"/findings/{data.office_link}").text
    assert "加入本站允许词表" not in html


def test_reassignment_offers_the_configs_units(data, tmp_path):
    app = create_app(data.url, secret_key=SECRET, configs=[site_config(tmp_path)])
    html = client_as(app, "ops").get(f"/findings/{data.office_link}").text
    assert '<option value="市财政局">' in html


def test_recheck_without_the_sites_config_says_so(app, data):
    client = client_as(app, "editor")
    page = f"/findings/{data.office_link}"
    assert post_form(client, page + "/recheck", {}, page=page).status_code == 303
    assert "未加载该站点的配置文件" in client.get(page).text
    assert status_of(data.url, data.office_link) == "open"
    other = f"/findings/{data.justice_link}/recheck"
    assert post_form(client, other, {}, page=page).status_code == 404


def test_the_page_offers_the_actions_the_status_allows(app, data):
    client = client_as(app, "ops")
    page = f"/findings/{data.office_link}"
    html = client.get(page).text
    assert "确认问题" in html and "标为误报" in html and "立即复查" in html
    assert "重新打开" not in html
    post_form(client, page + "/review", {"action": "dismiss", "reason": "外链"}, page=page)
    html = client.get(page).text
    assert "重新打开" in html and "确认问题" in html
    assert "标为误报" not in html and "立即复查" not in html


def test_a_bulk_action_on_the_whole_filtered_list(app, data):
    from urllib.parse import quote

    client = client_as(app, "ops")
    form = {"action": "confirm", "scope": "all", "back": f"/findings?unit={quote(OFFICE)}"}
    assert post_form(client, "/findings/bulk", form).status_code == 303
    assert status_of(data.url, data.office_term) == "confirmed"
    assert status_of(data.url, data.office_link) == "confirmed"
    assert status_of(data.url, data.justice_link) == "open"
    editor = client_as(app, "editor")
    everything = {"action": "dismiss", "reason": "全部误报", "scope": "all", "back": "/findings"}
    post_form(editor, "/findings/bulk", everything)
    assert status_of(data.url, data.office_link) == "false_positive"
    assert status_of(data.url, data.justice_link) == "open"  # not the editor's to touch


# -- the list ---------------------------------------------------------------------------


def test_the_list_filters_searches_and_pages(app, data):
    client = client_as(app, "boss")
    assert "司法局页面" not in client.get("/findings", params={"unit": OFFICE}).text
    by_detector = client.get("/findings", params={"detector": "term"}).text
    assert "一带一路" in by_detector and "首页链接无法访问" not in by_detector
    searched = client.get("/findings", params={"q": "司法局"}).text
    assert "司法局页面链接无法访问" in searched and "一带一路" not in searched
    bad = client.get("/findings", params={"severity": "urgent"})
    assert bad.status_code == 400 and "严重程度" in bad.text
    assert "第 1 / 1 页" in client.get("/findings").text
    page = f"/findings/{data.office_link}"
    post_form(client, page + "/review", {"action": "confirm"}, page=page)
    still = client.get("/findings", params={"status": "unresolved", "unit": OFFICE}).text
    assert "首页链接无法访问" in still and "一带一路" in still  # confirmed and open
    assert "首页链接无法访问" not in client.get("/findings", params={"status": "open"}).text


def test_the_list_shows_overdue_findings(app, data):
    from datetime import date

    db = open_database(data.url)
    with db.session() as session:
        session.get(Finding, data.office_link).deadline = date(2024, 11, 20)
    db.dispose()
    client = client_as(app, "editor")
    overdue = client.get("/findings", params={"overdue": "1"}).text
    assert "首页链接无法访问" in overdue and "一带一路" not in overdue
    assert "已超期" in client.get("/unit").text


def test_the_overview_counts_only_what_the_reader_may_see(app):
    assert "共 3 条" in client_as(app, "boss").get("/").text
    editor = client_as(app, "editor").get("/").text
    assert "共 2 条" in editor and "单项否决项" in editor
    assert "严重错误" in editor and "否决风险" in editor  # the veto-level wrong expression


def test_the_overview_follows_each_review_at_once(app, data):
    editor = client_as(app, "editor")
    assert "共 2 条" in editor.get("/").text
    page = f"/findings/{data.office_term}"
    post_form(editor, page + "/review", {"action": "dismiss", "reason": "原标题"}, page=page)
    html = editor.get("/").text
    assert "共 1 条" in html
    assert "未发现严重错误表述" in html  # the veto line is no longer crossed


def test_the_unit_page_shows_open_overdue_and_fixed(app, data):
    ops = client_as(app, "ops")
    page = f"/findings/{data.office_link}"
    post_form(ops, page + "/review", {"action": "fixed"}, page=page)
    html = client_as(app, "editor").get("/unit").text
    assert "待整改 1 条，其中已超期 0 条；已整改 1 条" in html
    other = ops.get("/unit", params={"name": JUSTICE}).text
    assert f"{JUSTICE} · 整改情况" in other and "司法局页面链接无法访问" in other
    assert JUSTICE not in client_as(app, "editor").get("/unit", params={"name": JUSTICE}).text


# -- hostile content --------------------------------------------------------------------


def test_hostile_page_content_is_shown_as_text(app, data):
    client = client_as(app, "boss")
    for path in ("/findings", f"/findings/{data.office_term}", f"/findings/{data.office_link}"):
        html = client.get(path).text
        assert HOSTILE_TITLE not in html and HOSTILE_TEXT not in html
    assert "&lt;script&gt;" in client.get("/findings").text
    assert "&lt;img src=x onerror=" in client.get(f"/findings/{data.office_term}").text


def test_only_http_urls_become_links(app, data):
    html = client_as(app, "boss").get(f"/findings/{data.office_link}").text
    assert 'href="javascript:' not in html
    assert "javascript:alert(document.cookie)" in html  # shown, as text


# -- the finding page -------------------------------------------------------------------


def test_a_term_links_to_the_live_page_with_a_text_fragment_and_is_highlighted(app, data):
    html = client_as(app, "boss").get(f"/findings/{data.office_term}").text
    fragment = "#:~:text=%E4%B8%80%E5%B8%A6%E4%B8%80%E8%B7%AF%E6%88%98%E7%95%A5"
    assert f'href="http://www.longnan.gov.cn/xwzx/1.html{fragment}"' in html
    assert 'rel="noopener noreferrer"' in html
    assert "<mark>一带一路战略</mark>" in html
    assert "一带一路倡议" in html  # the suggested fix
    assert "不规范政治表述" in html and "wrong_expression" not in html  # as the notices say


def test_the_evidence_block_follows_the_detectors_declaration(sqlite_url):
    class Throwaway(Detector):
        id = "throwaway_rule"
        title = "临时检测项"
        scope = "site"
        criterion = "测试"
        severity_rule = "一律为低"
        fields = ("widget",)
        evidence: ClassVar = (
            Evidence("部件名称", "widget"),
            Evidence("部件地址", "widget_url", "url"),
            Evidence("超期天数", "late", "days"),
        )

    spec = Spec(
        "throwaway_rule",
        OFFICE,
        "low",
        "/a.html",
        "部件有问题",
        [("2024-11-25", None, "open")],
        {"widget": "轮播图", "widget_url": "https://www.longnan.gov.cn/w", "late": 3},
    )
    build(sqlite_url, [spec]).dispose()
    db = open_database(sqlite_url)
    with db.session() as session:
        from storage.users import add_user

        add_user(session, "boss", "admin", password=PASSWORD)
    db.dispose()
    with registered(Throwaway):
        client = client_as(create_app(sqlite_url, secret_key=SECRET), "boss")
        html = client.get("/findings/1").text
    assert "临时检测项" in html
    for text in ("部件名称", "轮播图", "部件地址", "3 天"):
        assert text in html
    assert 'href="https://www.longnan.gov.cn/w"' in html


def test_the_broken_link_page_lists_every_attempt(app, data):
    db = open_database(data.url)
    with db.session() as session:
        finding = session.get(Finding, data.justice_link)
        finding.evidence = {
            "attempts": [
                {
                    "url": "http://x/gone.html",
                    "method": "HEAD",
                    "status": 405,
                    "error": None,
                    "elapsed_ms": 12,
                },
                {
                    "url": "http://x/gone.html",
                    "method": "GET",
                    "status": 404,
                    "error": None,
                    "elapsed_ms": 30,
                },
            ]
        }
    db.dispose()
    html = client_as(app, "boss").get(f"/findings/{data.justice_link}").text
    assert "每次尝试" in html and "HEAD" in html and "405" in html and "GET" in html


# -- exports ----------------------------------------------------------------------------


def test_exports_carry_the_notices_columns_and_keep_page_text_inert(app):
    client = client_as(app, "boss")
    book = load_workbook(io.BytesIO(client.get("/findings/export.xlsx").content))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [title for title, _ in HEADERS]
    assert len(rows) == 4
    formula_cells = [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formula_cells == []
    csv_text = client.get("/findings/export.csv", params={"unit": JUSTICE}).text
    assert csv_text.count("\n") == 2
    assert "\"'=HYPERLINK(" in csv_text  # a quote before a formula: text, never run


# -- admin users page -------------------------------------------------------------------


def test_admin_adds_a_user_issues_and_revokes_tokens(app):
    client = client_as(app, "boss")
    form = {"name": "newbie", "role": "unit", "unit": OFFICE, "password": "long-password-1"}
    assert post_form(client, "/admin/users", form, page="/admin/users").status_code == 303
    assert "newbie" in client.get("/admin/users").text
    assert login(TestClient(app), "newbie", "long-password-1").status_code == 303
    bad = post_form(client, "/admin/users", {**form, "name": "x2", "unit": ""}, "/admin/users")
    assert bad.status_code == 303 and "必须" in client.get("/admin/users").text

    shown = post_form(client, "/admin/users/newbie/token", {}, page="/admin/users")
    assert shown.status_code == 200
    token = shown.text.split('<code class="token">')[1].split("</code>")[0].strip()
    api = TestClient(app)
    headers = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/findings", headers=headers).status_code == 200
    post_form(client, "/admin/users/newbie/revoke", {}, page="/admin/users")
    assert api.get("/api/findings", headers=headers).status_code == 401


# -- both databases ---------------------------------------------------------------------


def test_every_page_export_and_the_api_on_each_database(db_url):
    built = review_db(db_url)
    app = create_app(db_url, secret_key=SECRET)
    editor = client_as(app, "editor")
    for path in (
        "/",
        "/findings",
        "/findings?q=一带&sort=severity&asc=1",
        "/findings?overdue=1&scan=latest",
        "/unit",
        f"/findings/{built.office_term}",
        "/findings/export.xlsx",
    ):
        assert editor.get(path).status_code == 200, path
    assert editor.get(f"/findings/{built.justice_link}").status_code == 404
    exported = editor.get("/findings/export.csv").text
    assert "首页链接无法访问" in exported and "司法局页面" not in exported
    api = TestClient(app)
    headers = {"Authorization": f"Bearer {built.tokens['editor']}"}
    assert api.get("/api/findings", headers=headers).json()["total"] == 2
    page = f"/findings/{built.office_term}"
    post_form(editor, page + "/review", {"action": "dismiss", "reason": "原标题"}, page=page)
    assert status_of(db_url, built.office_term) == "false_positive"
    assert client_as(app, "boss").get("/admin/users").status_code == 200


def test_the_package_ships_every_template_and_static_file():
    import fnmatch
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    patterns = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["*"]
    web = root / "govwatch" / "web"
    files = [p for d in ("templates", "static") for p in (web / d).iterdir() if p.is_file()]
    assert files
    for path in files:
        assert any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns), path.name
