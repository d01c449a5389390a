"""A local site that serves exactly the bytes a test gives it: hostile pages and feeds.

``HostileSite({"/": page, "/feed.xml": (b"...", "application/rss+xml")})`` serves each
path with its body (``str`` bodies as UTF-8 HTML); any other path is a 404 page.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Body = str | bytes | tuple[str | bytes, str]


class _Handler(BaseHTTPRequestHandler):
    server: HostileSite.Server

    def log_message(self, *args) -> None:
        pass

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        found = self.server.site.paths.get(self.path.split("?", 1)[0])
        status = 200 if found is not None else 404
        body, ctype = found if isinstance(found, tuple) else (found, "text/html; charset=utf-8")
        if body is None:
            body = "<html><head><title>404</title></head><body>页面不存在</body></html>"
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


class HostileSite:
    class Server(ThreadingHTTPServer):
        daemon_threads = True
        site: HostileSite

    def __init__(self, paths: dict[str, Body]):
        self.paths = paths
        self.server = self.Server(("127.0.0.1", 0), _Handler)
        self.server.site = self
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> HostileSite:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def config_yaml(self, name: str = "测试站点", unit: str = "办公室", extra: str = "") -> str:
        """A site config for this site (names as YAML double-quoted strings)."""
        return (
            f'site:\n  id: hostile\n  name: "{name}"\n  start_urls: ["{self.url}"]\n'
            f"  timeout_s: 5\n  retries: 0\n"
            f'units:\n  - {{name: "{unit}", default: true}}\n{extra}'
        )
