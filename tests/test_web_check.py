"""The pre-publication check in the review app: ``POST /api/check`` and the page 发布前检查."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from govwatch.config import LoadedConfig, parse_config
from govwatch.web import create_app
from storage.db import open_database
from storage.users import add_user, issue_token
from tests.drafts import HTML_PREVIEW, MOBILE, OUTDATED, TYPO, docx_draft
from tests.web_client import PASSWORD, bearer, csrf_of, login

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _config(site_id: str, allow: list[str]) -> LoadedConfig:
    text = (
        f"site: {{id: {site_id}, name: 龙南市人民政府, start_urls: ['http://127.0.0.1:8000/']}}\n"
        f"terms: {{allow: {allow}}}\n"
    )
    return LoadedConfig(path=None, config=parse_config(text))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def app_data(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('check') / 'govwatch.db'}"
    db = open_database(url)
    tokens = {}
    with db.session() as session:
        for name, role, unit in (("ops", "operator", None), ("editor", "unit", "市政府办")):
            add_user(session, name, role, unit, password=PASSWORD)
            tokens[name] = issue_token(session, name)
    db.dispose()
    return url, tokens


@pytest.fixture(scope="module")
def client(app_data):
    url, _ = app_data
    configs = [_config("longnan", []), _config("lenient", [TYPO])]
    with TestClient(create_app(url, configs=configs, secret_key="s" * 48)) as client:
        yield client


def test_api_checks_json_text_and_html(client, app_data):
    token = app_data[1]["editor"]
    text = f"各乡镇：进一步{TYPO}工作。\n联系电话 {MOBILE}"
    response = client.post(
        "/api/check", json={"text": text, "title": "通知", "site": "longnan"}, headers=bearer(token)
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [(f["detector"], f["location"]) for f in body["findings"]] == [
        ("term", "第 1 行"),
        ("privacy_leak", "第 2 行"),
    ]
    assert body["checked"]["site"] == "longnan" and body["checked"]["links"] is None
    assert MOBILE not in str(body["findings"][1])  # masked (the draft is not echoed)
    # the site's allow list applies
    response = client.post(
        "/api/check", json={"text": text, "site": "lenient"}, headers=bearer(token)
    )
    assert [f["detector"] for f in response.json()["findings"]] == ["privacy_leak"]
    response = client.post(
        "/api/check", json={"html": HTML_PREVIEW, "site": "longnan"}, headers=bearer(token)
    )
    assert [(f["detector"], f["location"]) for f in response.json()["findings"]] == [
        ("term", "正文第 3 段"),
        ("privacy_leak", "正文第 4 段"),
        ("hidden_link", "正文第 5 段"),
    ]


def test_api_checks_an_uploaded_file(client, app_data):
    response = client.post(
        "/api/check",
        files={"file": ("通知.docx", docx_draft(), DOCX)},
        data={"site": "longnan"},
        headers=bearer(app_data[1]["ops"]),
    )
    assert response.status_code == 200, response.text
    assert [f["location"] for f in response.json()["findings"]] == [
        "第 2 段",
        "第 3 段",
        "表格 1 第 2 行第 3 列",
    ]


def test_api_as_of(client, app_data):
    headers = bearer(app_data[1]["ops"])
    text = f"请按{OUTDATED}要求执行。"
    old = client.post(
        "/api/check", json={"text": text, "as_of": "2018-01-01", "site": "longnan"}, headers=headers
    )
    new = client.post("/api/check", json={"text": text, "site": "longnan"}, headers=headers)
    assert old.json()["findings"] == []
    assert [f["term"] for f in new.json()["findings"]] == [OUTDATED]
    late = client.post(
        "/api/check", json={"text": text, "as_of": "2099-01-01", "site": "longnan"}, headers=headers
    )
    assert late.status_code == 400


def test_api_refuses_without_a_token_and_bad_requests(client, app_data):
    assert client.post("/api/check", json={"text": "x"}).status_code == 401
    assert client.post("/api/check", json={"text": "x"}, headers=bearer("nope")).status_code == 401
    headers = bearer(app_data[1]["ops"])
    assert (
        client.post(
            "/api/check", json={"text": "x", "site": "nowhere"}, headers=headers
        ).status_code
        == 400
    )
    assert (
        client.post("/api/check", json={"html": "x", "text": "y"}, headers=headers).status_code
        == 400
    )
    assert client.post("/api/check", content=b"not json", headers=headers).status_code == 400
    unnamed = client.post("/api/check", json={"text": "x"}, headers=headers)  # two sites served
    assert unnamed.status_code == 400 and "longnan" in unnamed.json()["detail"]
    bomb = client.post(
        "/api/check",
        files={"file": ("x.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 10, "application/pdf")},
        data={"site": "longnan"},
        headers=headers,
    )
    assert bomb.status_code == 422 and "PDF" in bomb.json()["detail"]


def test_api_refuses_a_20_mb_upload_with_a_clear_message(client, app_data):
    big = b"a" * (20 * 1024 * 1024)
    response = client.post(
        "/api/check",
        files={"file": ("big.txt", big, "text/plain")},
        headers=bearer(app_data[1]["ops"]),
    )
    assert response.status_code == 413
    assert response.json()["detail"].startswith("草稿过大（20.0 MB），发布前检查最多接受 10 MB")
    # declared or not, a text over the limit is refused too
    response = client.post(
        "/api/check",
        json={"text": "字" * (4 * 1024 * 1024)},
        headers=bearer(app_data[1]["ops"]),
    )
    assert response.status_code == 413 and "草稿过大" in response.json()["detail"]


def test_paste_page_marks_problems_in_place_for_every_role(client):
    for name in ("editor", "ops"):
        client.cookies.clear()
        login(client, name)
        page = client.get("/check")
        assert page.status_code == 200 and "发布前检查" in page.text
        assert 'src="/static/check.js"' in page.text and "<script>" not in page.text
        token = csrf_of(client, "/check")
        response = client.post(
            "/check",
            data={
                "csrf_token": token,
                "draft": f"各乡镇：\n进一步{TYPO}工作。",
                "kind": "text",
                "site": "longnan",
            },
        )
        assert response.status_code == 200, response.text
        marked = re.search(r'<mark class="problem[^"]*"[^>]*>([^<]*)</mark>', response.text)
        assert marked and marked.group(1) == TYPO
        assert 'data-suggestion="部署"' in response.text
        assert "第 2 行" in response.text


def test_paste_page_needs_login_and_csrf(client):
    client.cookies.clear()
    assert client.get("/check", follow_redirects=False).status_code == 303
    login(client, "editor")
    refused = client.post("/check", data={"draft": "x"}, follow_redirects=False)
    assert refused.status_code == 403


def test_paste_page_shows_hostile_text_as_text(client):
    client.cookies.clear()
    login(client, "editor")
    token = csrf_of(client, "/check")
    hostile = f'<img src=x onerror="alert(1)">进一步{TYPO}'
    response = client.post(
        "/check", data={"csrf_token": token, "draft": hostile, "kind": "text", "site": "longnan"}
    )
    assert "<img src=x" not in response.text
    assert "&lt;img src=x onerror=" in response.text


def test_api_stores_nothing(client, app_data):
    from sqlalchemy import func, select

    from storage.models import Finding, Scan

    url, tokens = app_data
    client.post(
        "/api/check",
        json={"text": f"进一步{TYPO}", "site": "longnan"},
        headers=bearer(tokens["ops"]),
    )
    db = open_database(url)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Finding)) == 0
        assert session.scalar(select(func.count()).select_from(Scan)) == 0
    db.dispose()


def test_paste_page_refuses_a_20_mb_upload_with_a_clear_message(client):
    client.cookies.clear()
    login(client, "editor")
    token = csrf_of(client, "/check")
    response = client.post(
        "/check",
        data={"csrf_token": token},
        files={"file": ("big.pdf", b"%PDF" + b"a" * (20 * 1024 * 1024), "application/pdf")},
    )
    assert response.status_code == 413
    assert "草稿过大（20.0 MB），发布前检查最多接受 10 MB" in response.text
