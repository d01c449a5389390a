"""Re-check now: a local server first serves the problem, then the fix."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from detectors.page import PageContext, parse_html
from detectors.registry import detectors_for
from govwatch.config import load_config
from govwatch.recheck import RecheckError, recheck
from storage.models import Finding
from storage.reviews import history
from tests.review_db import Row, build

pytestmark = pytest.mark.integration  # a local HTTP server

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "site.yaml"
SITE = "longnan"


class Pages:
    """What the server answers: path → (status, content type, body, extra headers)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, str, bytes, dict[str, str]]] = {}
        self.hits: list[str] = []

    def set(
        self, path: str, body: str, status: int = 200, ctype: str = "text/html", **headers: str
    ) -> None:
        self.routes[path] = (status, f"{ctype}; charset=utf-8", body.encode(), headers)


@pytest.fixture
def server() -> Iterator[tuple[str, Pages]]:
    pages = Pages()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            pages.hits.append(f"{self.command} {self.path}")
            status, ctype, body, headers = pages.routes.get(
                self.path, (404, "text/html", b"<title>404 Not Found</title>", {})
            )
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", pages
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "site.yaml"
    shutil.copy(EXAMPLE, path)
    text = path.read_text(encoding="utf-8").replace("timeout_s: 15", "timeout_s: 5")
    path.write_text(text, encoding="utf-8")
    loaded = load_config(path)
    assert loaded.config.site.id == SITE
    return loaded


def article(text: str) -> str:
    return f"<html><head><title>通知</title></head><body><div><p>{text}</p></div></body></html>"


def term_finding(config, url: str, html: str):
    """The term finding a scan would have stored for ``html`` at ``url``."""
    page = PageContext(url=url, title="通知", meta={}, root=parse_html(html.encode()))
    (detector,) = detectors_for(config.config, "text", ids=["term"])
    detector.prepare([page])
    (found,) = [f for f in detector.check(page) if f.details.get("term") == "布署"]
    return found


def stored(db_url, finding_kwargs) -> tuple:
    db, ids = build(db_url, [Row("x")], site=SITE)
    with db.session() as session:
        row = session.get(Finding, ids["x"])
        for key, value in finding_kwargs.items():
            setattr(row, key, value)
    return db, ids["x"]


def run(db, finding_id, config, actor="小王"):
    with db.session() as session:
        outcome = recheck(session, session.get(Finding, finding_id), config, actor=actor)
        assert outcome.fixed == (outcome.result == "fixed")
        return outcome.result, outcome.message, outcome.finding.status


def last_event(db, finding_id) -> dict:
    with db.session() as session:
        return history(session, finding_id)[-1]


def test_a_term_still_on_the_page_then_fixed(sqlite_url, server, config):
    base, pages = server
    url = f"{base}/xxgk/1.html"
    pages.set("/xxgk/1.html", article("各单位要认真布署，落实要求。"))
    found = term_finding(config, url, article("各单位要认真布署，落实要求。"))
    db, fid = stored(
        sqlite_url,
        {
            "detector": "term",
            "fingerprint": found.fingerprint,
            "page_url": url,
            "page_key": found.page_key,
            "details": found.details,
        },
    )
    assert run(db, fid, config) == ("still_there", "复查：问题仍然存在", "open")
    assert last_event(db, fid)["action"] == "comment"
    pages.set("/xxgk/1.html", article("各单位要认真部署，落实要求。"))
    result, message, status = run(db, fid, config)
    assert (result, status) == ("fixed", "fixed")
    assert message.startswith("复查已修复")
    event = last_event(db, fid)
    assert (event["actor"], event["action"], event["reason"], event["to_status"]) == (
        "小王",
        "fixed",
        "复查已修复",
        "fixed",
    )


def test_a_page_that_does_not_answer_proves_nothing(sqlite_url, server, config):
    base, pages = server
    url = f"{base}/xxgk/gone.html"
    found = term_finding(config, url, article("各单位要认真布署。"))
    db, fid = stored(
        sqlite_url, {"detector": "term", "fingerprint": found.fingerprint, "page_url": url}
    )
    result, message, status = run(db, fid, config)
    assert (result, status) == ("inconclusive", "open")
    assert "页面无法读取" in message and "HTTP 404" in message
    # a soft 404 (200, but the page says it does not exist) neither
    pages.set("/xxgk/gone.html", "<html><head><title>页面不存在</title></head><body></body></html>")
    assert run(db, fid, config)[0] == "inconclusive"


def test_a_broken_link_fixed_by_the_target_or_by_removing_the_link(sqlite_url, server, config):
    base, pages = server
    page, target = f"{base}/list.html", f"{base}/files/a.pdf"
    pages.set("/list.html", article('<a href="/files/a.pdf">附件</a>'))
    db, fid = stored(sqlite_url, {"page_url": page, "details": {"target_url": target}})
    result, message, status = run(db, fid, config)
    assert (result, status) == ("still_there", "open")
    assert message == "复查：链接仍无法访问（页面不存在（HTTP 404））"
    assert "HEAD /files/a.pdf" in pages.hits and "GET /files/a.pdf" in pages.hits  # HEAD, GET
    pages.set("/files/a.pdf", "%PDF-1.4", ctype="application/pdf")
    assert run(db, fid, config)[:2] == ("fixed", "复查已修复：链接已可以正常访问")

    db2, fid2 = stored(
        sqlite_url.replace("govwatch.db", "other.db"),
        {"page_url": page, "details": {"target_url": f"{base}/files/b.pdf"}},
    )
    pages.set("/list.html", article("附件已撤下"))
    assert run(db2, fid2, config)[:2] == ("fixed", "复查已修复：页面上已删除该链接")


def test_redirects_are_followed_and_soft_404_targets_stay_broken(sqlite_url, server, config):
    base, pages = server
    pages.set("/list.html", article('<a href="/old.html">旧链接</a>'))
    pages.set("/old.html", "", status=301, Location="/moved.html")
    pages.set("/moved.html", "<html><head><title>您访问的页面不存在</title></head></html>")
    db, fid = stored(
        sqlite_url, {"page_url": f"{base}/list.html", "details": {"target_url": f"{base}/old.html"}}
    )
    result, message, _status = run(db, fid, config)
    assert result == "still_there" and "软 404" in message
    pages.set("/moved.html", article("新的页面"))
    assert run(db, fid, config)[0] == "fixed"


def test_only_http_urls_are_fetched(sqlite_url, server, config):
    base, pages = server
    pages.set("/list.html", article('<a href="/r.html">跳转</a>'))
    pages.set("/r.html", "", status=302, Location="file:///etc/passwd")
    db, fid = stored(
        sqlite_url, {"page_url": f"{base}/list.html", "details": {"target_url": f"{base}/r.html"}}
    )
    assert run(db, fid, config)[0] == "still_there"
    for target in ("file:///etc/passwd", "javascript:alert(1)", "gopher://127.0.0.1/"):
        db2, fid2 = stored(
            sqlite_url.replace("govwatch.db", f"{abs(hash(target))}.db"),
            {"page_url": target, "details": {"target_url": target}},
        )
        result, message, status = run(db2, fid2, config)
        assert (result, status) == ("inconclusive", "open")
        assert "不是 http(s) 网址" in message
    assert all("passwd" not in hit for hit in pages.hits)


def test_site_level_findings_wait_for_a_scan_and_resolved_ones_are_refused(
    sqlite_url, server, config
):
    base, _pages = server
    db, fid = stored(
        sqlite_url,
        {
            "detector": "stale_column",
            "page_url": f"{base}/col/",
            "details": {"column_name": "通知公告"},
        },
    )
    assert run(db, fid, config)[:2] == ("inconclusive", "该类问题需等待下次完整扫描复查")
    with db.session() as session:
        session.scalars(select(Finding)).one().status = "false_positive"
    with pytest.raises(RecheckError, match="只有待整改或已确认的问题可以复查"):
        run(db, fid, config)
