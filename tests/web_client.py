"""A review-app database and clients for the web tests: findings of two units (one of
them carrying hostile page content), the four kinds of user, and helpers to log in and
post forms with the page's CSRF token."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fastapi.testclient import TestClient

from storage.models import Finding
from storage.users import add_user, issue_token
from tests.report_db import BASE, Spec, build

PASSWORD = "correct-horse-9"
OFFICE = "市政府办"
JUSTICE = "市司法局"
HOSTILE_TITLE = '<script>alert("xss")</script>'
HOSTILE_TEXT = '<img src=x onerror="alert(1)">'
NEW = [("2024-11-25", None, "open")]


def specs() -> list[Spec]:
    return [
        Spec(
            "term",
            OFFICE,
            "veto",
            "/xwzx/1.html",
            f"正文中出现错误表述“一带一路战略”{HOSTILE_TITLE}",
            NEW,
            {
                "term": "一带一路战略",
                "category": "wrong_expression",
                "suggestion": "一带一路倡议",
                "context": f"积极参与一带一路战略建设{HOSTILE_TEXT}",
                "offset": 6,
            },
        ),
        Spec(
            "broken_link",
            OFFICE,
            "high",
            "/",
            "首页链接无法访问",
            NEW,
            {
                "target_url": "javascript:alert(document.cookie)",
                "link_text": HOSTILE_TEXT,
                "element": "a",
                "http_status": None,
                "error": "dns",
                "on_home_page": True,
            },
        ),
        Spec(
            "broken_link",
            JUSTICE,
            "medium",
            "/xxgk/sfj/2.html",
            '=HYPERLINK("http://evil.example/","司法局页面链接无法访问")',
            NEW,
            {
                "target_url": f"{BASE}/gone.html",
                "link_text": '=HYPERLINK("http://evil","点击")',
                "element": "a",
                "http_status": 404,
                "error": "http_404",
                "on_home_page": False,
            },
        ),
    ]


@dataclass
class ReviewDb:
    url: str
    office_term: int  # 市政府办's term finding (hostile context)
    office_link: int  # 市政府办's broken link (javascript: target)
    justice_link: int  # 市司法局's broken link
    tokens: dict[str, str]  # user name → API token


USERS = [
    ("boss", "admin", None),
    ("ops", "operator", None),
    ("editor", "unit", OFFICE),
    ("judge", "unit", JUSTICE),
]


def review_db(url: str) -> ReviewDb:
    """Build the review database at ``url``."""
    db = build(url, specs())
    tokens = {}
    with db.session() as session:
        for name, role, unit in USERS:
            add_user(session, name, role, unit, password=PASSWORD)
            tokens[name] = issue_token(session, name)
        ids = {f.unit + f.detector: f.id for f in session.query(Finding)}
    db.dispose()
    return ReviewDb(
        url,
        ids[OFFICE + "term"],
        ids[OFFICE + "broken_link"],
        ids[JUSTICE + "broken_link"],
        tokens,
    )


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    found = CSRF.search(page.text)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def login(client: TestClient, name: str, password: str = PASSWORD):
    token = csrf_of(client, "/login")
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


def post_form(client: TestClient, path: str, data: dict, page: str = "/findings"):
    """POST a form as the browser does: with the token the page gave."""
    return client.post(
        path, data={**data, "csrf_token": csrf_of(client, page)}, follow_redirects=False
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
