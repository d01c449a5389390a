"""What a scan says about what it could not read is true: a file larger than the page
limit is not a network failure, a gzip bomb is not robots.txt, a healthy attachment
above Scrapy's default 32 MB is read when ``attachment_max_mb`` allows it, a damaged
PDF is not a scan, and reaching ``max_pages`` is recorded and said."""

from __future__ import annotations

import contextlib
import gzip
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import create_engine, text

from tests import hostile_files

pytestmark = pytest.mark.integration  # a local server and a govwatch subprocess

HOME = """<html><head><title>首页</title></head><body>
<a href="/huge.html">年鉴全文</a> <a href="/bomb.html">专题</a>
<a href="/a.html">甲</a> <a href="/b.html">乙</a> <a href="/c.html">丙</a>
<a href="/big.pdf">汇编.pdf</a> <a href="/broken.pdf">通知.pdf</a>
</body></html>"""
BIG_PDF = hostile_files.pdf_padded("Annual report, contact 13807971234", 40)
BOMB = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=1)
HUGE_PAGE = b"<html><head><title>x</title></head><body>" + b"x" * (34 * 1024 * 1024)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # a body without Content-Length ends when the server closes

    def log_message(self, *args) -> None:
        pass

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        headers = {"Content-Type": "text/html; charset=utf-8"}
        if self.path == "/":
            body = HOME.encode()
        elif self.path in ("/a.html", "/b.html", "/c.html"):
            body = b"<html><head><title>page</title></head><body>text</body></html>"
        elif self.path == "/huge.html":  # no Content-Length: cut while reading
            body, headers = HUGE_PAGE, {"Content-Type": "text/html"}
        elif self.path == "/bomb.html":
            body = BOMB
            headers["Content-Encoding"] = "gzip"
        elif self.path == "/big.pdf":
            body, headers = BIG_PDF, {"Content-Type": "application/pdf"}
        elif self.path == "/broken.pdf":
            body, headers = hostile_files.pdf_undecodable(), {"Content-Type": "application/pdf"}
        else:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        for name, value in headers.items():
            self.send_header(name, value)
        if self.path != "/huge.html":
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            with contextlib.suppress(OSError):  # the client stopped reading: as it should
                self.wfile.write(body)


def test_what_could_not_be_read_is_said_truly(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    config = tmp_path / "site.yaml"
    config.write_text(
        f"""site:
  id: big
  name: 大文件测试
  start_urls: ["{base}"]
  timeout_s: 20
  max_pages: 4
  attachment_max_mb: 50
units:
  - {{name: 市政府办, default: true}}
""",
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 'g.db'}"
    try:
        result = subprocess.run(
            [sys.executable, "-m", "govwatch", "scan", "--config", str(config), "--db", db],
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stderr
    engine = create_engine(db)
    with engine.connect() as conn:
        checks = {
            r.url.rsplit("/", 1)[1]: (r.outcome, r.error)
            for r in conn.execute(text("SELECT url, outcome, error FROM url_checks"))
        }
        attachments = {
            r.url.rsplit("/", 1)[1]: (r.chars, r.error)
            for r in conn.execute(text("SELECT url, chars, error FROM attachments"))
        }
        broken = conn.execute(
            text("SELECT page_url FROM findings WHERE detector = 'broken_link'")
        ).all()
        stats = json.loads(conn.execute(text("SELECT stats FROM scans")).scalar())
    engine.dispose()
    # A page above the page limit answers: not a broken link, and it says why unread.
    assert checks["huge.html"] == ("ok", "too_large")
    # A gzip bomb is not robots.txt: unconfirmed, because it unpacks beyond the limit.
    assert checks["bomb.html"] == ("inconclusive", "too_large")
    assert "bomb.html  文件过大（解压后超过下载上限）" in result.stdout
    assert broken == []
    # 40 MB with attachment_max_mb: 50 is read, not a network failure (a URL that simply
    # works has no check row: only failures and results with something to tell do).
    assert "big.pdf" not in checks
    assert attachments["big.pdf"][0] > 0 and attachments["big.pdf"][1] is None
    # A damaged PDF is not a scanned one.
    assert attachments["broken.pdf"] == (0, "PDF 文件已损坏（页面内容无法读取）")
    # max_pages: /, huge, bomb and a are pages; b and c were only link-checked.
    assert stats["max_pages"] == 4 and stats["pages_beyond_max_pages"] == 2
    assert stats["too_large"] == 2
    assert "已达到页面上限（site.max_pages = 4），另有 2 个页面只检查了链接" in result.stdout
    assert "2 个页面或文件过大" in result.stdout
