"""A tiny portal for the review app's end-to-end tests: a home page with a broken link,
an article of 市政府办 and one of 市司法局 with a wrong expression each. A test can fix a
page while it runs (``site.pages[path] = …``, ``site.missing.discard(path)``)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SITE_ID = "mini"
WRONG = "一带一路战略"


def article(title: str, body: str) -> str:
    return (
        f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
        f"<div class='header'><a href='/'>首页</a></div>"
        f"<div class='content'><h1>{title}</h1><p>发布时间：2024-11-20</p>"
        f"<p>{body}</p></div></body></html>"
    )


def default_pages() -> dict[str, str]:
    return {
        "/": (
            "<html><head><meta charset='utf-8'><title>测试市人民政府</title></head><body>"
            "<ul><li><a href='/xwzx/1.html'>全市召开工作会议</a></li>"
            "<li><a href='/xxgk/sfj/1.html'>司法局开展普法活动</a></li>"
            "<li><a href='/old/notice.html'>旧通知</a></li></ul></body></html>"
        ),
        "/xwzx/1.html": article(
            "全市召开工作会议", f"会议要求，各部门要积极参与{WRONG}，推动高质量发展。"
        ),
        "/xxgk/sfj/1.html": article(
            "司法局开展普法活动", f"司法局围绕{WRONG}开展普法宣传，群众反响良好。"
        ),
        "/old/notice.html": article("旧通知", "本通知已过期。"),
    }


class _Handler(BaseHTTPRequestHandler):
    server: ReviewSite.Server

    def log_message(self, *args) -> None:
        pass

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        site = self.server.site
        path = self.path.split("?", 1)[0]
        page = site.pages.get(path)
        if page is None or path in site.missing:
            status, body = 404, "<html><title>404</title><body>页面不存在</body></html>"
        else:
            status, body = 200, page
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


class ReviewSite:
    class Server(ThreadingHTTPServer):
        site: ReviewSite
        daemon_threads = True

    def __init__(self) -> None:
        self.pages = default_pages()
        self.missing = {"/old/notice.html"}
        self.server = self.Server(("127.0.0.1", 0), _Handler)
        self.server.site = self
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def config_yaml(self) -> str:
        return (
            "site:\n"
            f"  id: {SITE_ID}\n"
            "  name: 测试市人民政府\n"
            f"  start_urls: ['{self.url}']\n"
            "  allowed_domains: ['127.0.0.1']\n"
            "  timeout_s: 5\n"
            "units:\n"
            "  - name: 市政府办\n"
            "    default: true\n"
            "  - name: 市司法局\n"
            "    paths: ['/xxgk/sfj/']\n"
        )

    def write_config(self, folder: Path) -> Path:
        path = folder / f"{SITE_ID}.yaml"
        path.write_text(self.config_yaml(), encoding="utf-8")
        return path

    def __enter__(self) -> ReviewSite:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
