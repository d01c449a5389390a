"""HTTP servers of the sample portal: static files, trap routes and a request log.

Each server is a ``ThreadingHTTPServer`` on a loopback address; handler threads are daemon
threads and every delay waits on a shared ``stopping`` event, so shutting down is prompt
even while a handler is "hanging".
"""

from __future__ import annotations

import contextlib
import posixpath
import socket
import socketserver
import ssl
import struct
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from sample_portal.traps import Exchange, Reply, Route, TrapState, status_page

CONTENT_TYPES = {
    ".html": "text/html",
    ".asp": "text/html",  # a legacy CMS's pages, stored as files (traps.by_id)
    ".css": "text/css",
    ".js": "application/javascript",
    ".txt": "text/plain",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
TEXT_TYPES = {"text/html", "text/css", "application/javascript", "text/plain"}


def decode_path(target: str) -> str:
    """The percent-decoded (UTF-8) path of a request target as ``http.server`` hands it
    over (decoded as Latin-1, so raw UTF-8 bytes in the request line survive too)."""
    path = urlsplit(target).path or "/"
    return unquote_to_bytes(path.encode("latin-1", "replace")).decode("utf-8", "replace")


# -- request log --------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestRecord:
    host: str  # host:port of the server that answered
    method: str
    path: str  # request target as received (percent-encoded)
    user_agent: str
    status: int  # 0 when the connection was reset instead of answered


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[RequestRecord] = []

    def add(self, record: RequestRecord) -> None:
        with self._lock:
            self._records.append(record)

    def records(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._records)

    def clear(self) -> None:
        with self._lock:
            self._records.clear()

    def count(self, path: str, method: str | None = None, host: str | None = None) -> int:
        """Requests for ``path`` (compared percent-decoded; the query is ignored unless
        ``path`` has one). ``host`` is ``host:port``, or a bare host matching any port."""
        wanted = unquote(path)
        with_query = "?" in path

        def matches(record: RequestRecord) -> bool:
            got = record.path if with_query else urlsplit(record.path).path
            if unquote(got) != wanted:
                return False
            if method is not None and record.method != method.upper():
                return False
            if host is not None:
                return record.host == host if ":" in host else record.host.split(":")[0] == host
            return True

        return sum(1 for record in self.records() if matches(record))


# -- static files -------------------------------------------------------------------------


@dataclass(frozen=True)
class StaticSite:
    """Files under ``docroot``; ``missing`` answers paths with no file."""

    docroot: Path
    missing: Callable[[], Reply]
    charset_for: Callable[[str], str] = lambda path: "utf-8"

    def reply(self, path: str) -> Reply:
        clean = posixpath.normpath("/" + path.lstrip("/"))
        target = self.docroot / clean.lstrip("/")
        if target.is_dir():
            if not path.endswith("/"):
                return status_page(301, ("Location", clean.rstrip("/") + "/"))
            target = target / "index.html"
        if not target.is_file():
            return self.missing()
        relative = "/" + target.relative_to(self.docroot).as_posix()
        return file_reply(target, self.charset_for(relative))


def file_reply(file: Path, charset: str, status: int = 200) -> Reply:
    kind = CONTENT_TYPES.get(file.suffix.lower(), "application/octet-stream")
    if kind in TEXT_TYPES:
        kind = f"{kind}; charset={charset}"
    return Reply(status, (("Content-Type", kind),), file.read_bytes())


# -- servers ------------------------------------------------------------------------------


class PortalServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(
        self,
        address: tuple[str, int],
        *,
        site: StaticSite,
        routes: dict[str, Route],
        log: RequestLog,
        stopping: threading.Event,
        ssl_context: ssl.SSLContext | None = None,
        verbose: bool = False,
    ) -> None:
        super().__init__(address, PortalHandler)
        self.site = site
        self.routes = routes
        self.log = log
        self.stopping = stopping
        self.state = TrapState()
        self.verbose = verbose
        self.label = f"{self.server_address[0]}:{self.server_address[1]}"
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        if ssl_context is not None:
            # The handshake happens in the handler thread, never in the accept loop.
            self.socket = ssl_context.wrap_socket(
                self.socket, server_side=True, do_handshake_on_connect=False
            )

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls socket.getfqdn(), a reverse DNS lookup: skip it.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name=f"sample-portal {self.label}",
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop accepting, close the listening socket and every open connection."""
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
            self._thread = None
        self.server_close()
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def track(self, connection: socket.socket, open_: bool) -> None:
        with self._connections_lock:
            if open_:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that hang up, time out or reject the certificate are expected here;
        # anything else is a bug in the portal and is printed.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class PortalHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""
    timeout = 30  # an idle keep-alive connection is closed after this
    server: PortalServer

    def setup(self) -> None:
        self.server.track(self.request, True)
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(5)
            self.request.do_handshake()
        super().setup()

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.request, False)

    def do_GET(self) -> None:
        self._answer()

    def do_HEAD(self) -> None:
        self._answer()

    def _answer(self) -> None:
        server = self.server
        path = decode_path(self.path)
        user_agent = self.headers.get("User-Agent", "")
        exchange = Exchange(
            method=self.command,
            path=path,
            user_agent=user_agent,
            static=lambda: server.site.reply(path),
            state=server.state,
            query=urlsplit(self.path).query,
            file=server.site.reply,
        )
        route = server.routes.get(path)
        reply = route(exchange) if route else exchange.static()
        raw = self.path.encode("latin-1", "replace").decode("utf-8", "replace")
        status = 0 if reply.reset else reply.status
        server.log.add(RequestRecord(server.label, self.command, raw, user_agent, status))
        if reply.delay and server.stopping.wait(reply.delay):
            self.close_connection = True
            return
        if reply.reset:
            self._reset()
            return
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    def _reset(self) -> None:
        """Close with SO_LINGER 0: the kernel sends RST instead of FIN."""
        self.close_connection = True
        self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()  # drop the makefile() reference so close() really closes
        self.request.close()

    def log_message(self, format: str, *args: object) -> None:
        if self.server.verbose:
            super().log_message(format, *args)
