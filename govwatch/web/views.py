"""Rendering pages: one Jinja2 environment (autoescape on for every template) and the
filters templates use to show what came from crawled pages — always as text, and only
http(s) URLs as links."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader

from common.clock import BEIJING
from common.vocabulary import SEVERITY_NAMES, STATUS_NAMES
from detectors.registry import title_of
from govwatch.web.security import csrf_token

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


def link_url(value: Any) -> str | None:
    """``value`` when it is an absolute http(s) URL with a host (what may become a
    link); None for anything else (``javascript:``, ``data:``, relative, garbage)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(c in value for c in "\r\n\t\x00 "):
        return None
    return value


def text_fragment_url(url: str | None, term: str | None) -> str | None:
    """The live page's URL with a ``#:~:text=`` fragment that makes the browser
    highlight ``term`` (None when the URL may not be a link)."""
    url = link_url(url)
    if url is None:
        return None
    if not term:
        return url
    base = url.split("#", 1)[0]
    return f"{base}#:~:text={quote(term, safe='')}"


def moment(value: Any) -> str:
    """A stored moment in Beijing time, ``2024-11-25 10:30``; dates as they are."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return f"{value.astimezone(BEIJING):%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def moment_iso(value: datetime | None) -> str | None:
    """A stored moment as ISO 8601 in Beijing time (as the findings export writes them)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(BEIJING).isoformat(timespec="seconds")


def readable_url(value: Any) -> str:
    """A URL as people read it (percent-encoded Chinese decoded); text only."""
    return unquote(str(value)) if value else "—"


environment = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.filters.update(
    link_url=link_url,
    moment=moment,
    readable_url=readable_url,
    severity_name=lambda s: SEVERITY_NAMES.get(s, s),
    status_name=lambda s: STATUS_NAMES.get(s, s),
    detector_title=title_of,
)


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    user = getattr(request.state, "user", None)
    context.setdefault("flashes", request.session.pop("flash", []))
    body = environment.get_template(template).render(
        request=request,
        user=user,
        csrf_token=csrf_token(request),
        nav=getattr(request.app.state, "nav", []),
        **context,
    )
    return HTMLResponse(body, status_code=status_code)
