"""What keeps the review app safe on an intranet: the session secret, CSRF tokens, the
login rate limit and the response headers.

- The session cookie is signed (Starlette's ``SessionMiddleware``, itsdangerous) with a
  secret kept in a file, so sessions survive a restart: ``GOVWATCH_SECRET_FILE``, else
  ``<database file>.secret`` beside a SQLite database, else ``govwatch-web.secret`` in
  the working directory; created once (mode 0600) when missing.
- Every state-changing form carries the session's CSRF token (``csrf_token`` field or
  ``X-CSRF-Token`` header); :func:`verify_csrf` refuses a POST without it. The JSON API
  authenticates with a bearer token, never the cookie, so it needs none.
- Logins are limited per client address (:class:`LoginLimiter`); the account lockout
  after repeated failures is the domain's (``storage.users.authenticate``).
- Every response carries a CSP without inline script, framing denied, nosniff and a
  same-origin Referrer-Policy (:class:`SecurityHeaders`).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from fastapi import HTTPException, Request
from limits import RateLimitItemPerMinute, storage, strategies
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storage.db import sqlite_path

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}


def secret_file(db_url: str) -> Path:
    """Where the session secret of the app serving ``db_url`` is kept."""
    configured = os.environ.get("GOVWATCH_SECRET_FILE")
    if configured:
        return Path(configured).expanduser()
    path = sqlite_path(db_url)
    if path is not None:
        return path.with_name(path.name + ".secret")
    return Path("govwatch-web.secret")


def load_secret(db_url: str) -> str:
    """The persisted session secret, created on the first start."""
    path = secret_file(db_url)
    if path.is_file():
        value = path.read_text(encoding="ascii").strip()
        if len(value) >= 32:
            return value
    value = secrets.token_urlsafe(48)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(value + "\n")
    return value


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use)."""
    token = request.session.get(CSRF_FIELD)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


async def verify_csrf(request: Request) -> None:
    """Dependency of every page router: a state-changing request must carry the session's
    token (form field or header); else 403."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get(CSRF_FIELD)
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            sent = (await request.form()).get(CSRF_FIELD)
    if not expected or not isinstance(sent, str) or not secrets.compare_digest(sent, expected):
        raise HTTPException(403, "请求缺少有效的安全令牌（CSRF），请刷新页面后重试")


class LoginLimiter:
    """At most ``per_minute`` login attempts a minute from one client address (a moving
    window, in memory: one app process)."""

    def __init__(self, per_minute: int = 10):
        self.item = RateLimitItemPerMinute(per_minute)
        self.limiter = strategies.MovingWindowRateLimiter(storage.MemoryStorage())

    def hit(self, address: str) -> bool:
        """Count an attempt; False when the address is over its limit."""
        return self.limiter.hit(self.item, "login", address)


class SecurityHeaders:
    """ASGI middleware adding :data:`HEADERS` (and ``no-store`` on pages) to responses."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope.get("path", "").startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.decode("latin-1").lower() not in HEADERS
                ]
                headers.extend((k.encode(), v.encode()) for k, v in HEADERS.items())
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
