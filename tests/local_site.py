"""A tiny generated site for tests that need many pages or slow answers.

``/p/N.html`` links to a few following pages and to ``/files/N.pdf`` (missing
for every tenth N), so a crawl of it has plenty to do and findings to store.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    server: LocalSite.Server

    def log_message(self, *args) -> None:
        pass

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        site = self.server.site
        time.sleep(site.delay_s)
        path = self.path.split("?", 1)[0]
        if path in ("/", "/index.html"):
            n = 0
        elif path.startswith("/p/") and path.endswith(".html"):
            n = int(path[3:-5])
        elif path.startswith("/files/"):
            n = int(path[7:-4])
            if n % 10 == 0:
                self._send(404, b"missing", "text/plain")
            else:
                self._send(200, b"%PDF-1.4", "application/pdf")
            return
        else:
            self._send(404, b"<title>404</title>", "text/html")
            return
        if n >= site.pages:
            self._send(404, b"<title>404</title>", "text/html")
            return
        links = "".join(
            f'<li><a href="/p/{m}.html">第{m}篇</a></li>'
            for m in range(n * 3 + 1, n * 3 + 4)
            if m < site.pages
        )
        body = (
            f"<html><head><title>第{n}篇</title></head><body><ul>{links}</ul>"
            f'<a href="/files/{n}.pdf">附件{n}</a></body></html>'
        ).encode()
        self._send(200, body, "text/html; charset=utf-8")


class LocalSite:
    class Server(ThreadingHTTPServer):
        daemon_threads = True
        site: LocalSite

        def handle_error(self, request, client_address) -> None:
            pass  # a client that hangs up (a scan stopped mid-download) is not news

    def __init__(self, pages: int = 100, delay_s: float = 0.0):
        self.pages = pages
        self.delay_s = delay_s
        self.server = self.Server(("127.0.0.1", 0), _Handler)
        self.server.site = self
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LocalSite:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def config_yaml(self, site_id: str = "local", **site: object) -> str:
        extra = "".join(f"  {k}: {v}\n" for k, v in site.items())
        return (
            f'site:\n  id: {site_id}\n  name: 测试站点\n  start_urls: ["{self.url}"]\n'
            f"  timeout_s: 5\n  retries: 1\n{extra}"
            "units:\n  - {name: 办公室, default: true}\n"
        )
