"""A scan reads the site's own attachments: size cap (declared or not), ownership, lifecycle."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import create_engine, text

from sample_portal import assets

pytestmark = pytest.mark.integration  # a local server and a govwatch subprocess

PAGE = """<html><head><title>通知</title><meta name="PubDate" content="2024-11-18 09:00"></head>
<body><div class="article"><p>附件：</p>
<a href="/small.pdf">通知.pdf</a> <a href="/big.pdf">汇编.pdf</a>
<a href="/big-declared.pdf">年鉴.pdf</a>
</div></body></html>"""
SMALL = assets.pdf_chinese(["关于布署冬季安全生产工作的通知"])
BIG = assets.pdf_chinese(["各单位要认真布署。"]) + b"%" + b"0" * (1536 * 1024) + b"\n"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # a body without Content-Length ends when the server closes

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/":
            body, kind, length = PAGE.encode(), "text/html; charset=utf-8", True
        elif self.path == "/small.pdf":
            body, kind, length = SMALL, "application/pdf", True
        elif self.path in ("/big.pdf", "/big-declared.pdf"):
            body, kind, length = BIG, "application/pdf", self.path == "/big-declared.pdf"
        else:
            body, kind, length = b"not found", "text/plain", True
            self.send_response(404)
        if self.path in ("/", "/small.pdf", "/big.pdf", "/big-declared.pdf"):
            self.send_response(200)
        self.send_header("Content-Type", kind)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client stopped reading: what the test wants
            self.wfile.write(body)


def test_attachments_read_up_to_the_limit(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    config = tmp_path / "site.yaml"
    config.write_text(
        f"""site:
  id: att
  name: 附件测试
  start_urls: ["{base}"]
  timeout_s: 5
  attachment_max_mb: 1
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
            timeout=120,
        )
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr
    engine = create_engine(db)
    with engine.connect() as conn:
        rows = {
            r.url.rsplit("/", 1)[1]: r
            for r in conn.execute(text("SELECT url, size, chars, error FROM attachments"))
        }
        findings = conn.execute(
            text("SELECT page_url, subject_key, unit FROM findings WHERE detector = 'term'")
        ).all()
        broken = conn.execute(
            text("SELECT count(*) FROM findings WHERE detector = 'broken_link'")
        ).scalar()
    assert rows["small.pdf"].error is None and rows["small.pdf"].chars > 0
    for name in ("big.pdf", "big-declared.pdf"):  # undeclared size is cut while reading
        assert rows[name].error == "文件超过 1 MB，未检查内容"
        assert rows[name].size > 1024 * 1024
    assert [(f.page_url, f.subject_key, f.unit) for f in findings] == [
        (base + "small.pdf", "布署", "市政府办")
    ]
    assert broken == 0  # a file too large to read is not a broken link
