"""Dynamic answers of the sample portal: traps (links that only look broken) and the
planted faults that need more than a missing file.

A route is a function from an :class:`Exchange` (one request) to a :class:`Reply`; it may
answer with the static file (``exchange.static()``), later, or not at all. ``TRAPS`` lists
every trap a correct link checker must NOT report, and where the pages link it.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from http import HTTPStatus
from urllib.parse import parse_qs

from sample_portal.assets import PIXEL_DATA_URI

# -- replies and per-trap state -----------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """What a server answers; the server adds Content-Length and omits the body for HEAD."""

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    delay: float = 0.0  # seconds to wait before answering
    reset: bool = False  # drop the connection with a TCP RST instead of answering


def status_page(status: int, *headers: tuple[str, str]) -> Reply:
    """An nginx-style error page."""
    phrase = f"{status} {HTTPStatus(status).phrase}"
    body = (
        f"<html>\r\n<head><title>{phrase}</title></head>\r\n<body>\r\n"
        f"<center><h1>{phrase}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    ).encode("ascii")
    return Reply(status, (("Content-Type", "text/html; charset=utf-8"), *headers), body)


class TrapState:
    """How often each stateful trap has been hit (reset between scans)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hits: Counter[str] = Counter()

    def hit(self, key: str) -> int:
        """Count one more hit of ``key``; return how many hits came before it."""
        with self._lock:
            earlier = self._hits[key]
            self._hits[key] += 1
            return earlier

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()


@dataclass(frozen=True)
class Exchange:
    """One request as a route sees it."""

    method: str
    path: str  # percent-decoded
    user_agent: str
    static: Callable[[], Reply]  # the answer for the file at this path (or the host's 404)
    state: TrapState
    query: str = ""  # the raw query string (without "?")
    file: Callable[[str], Reply] | None = None  # the answer for the file at another path


Route = Callable[[Exchange], Reply]


# -- route factories ----------------------------------------------------------------------


def fails_first(status: int, *headers: tuple[str, str]) -> Route:
    """The first request (any method) fails with ``status``; later ones get the page."""

    def route(exchange: Exchange) -> Reply:
        if exchange.state.hit(exchange.path) == 0:
            return status_page(status, *headers)
        return exchange.static()

    return route


def refuses_head(status: int) -> Route:
    """HEAD is refused with ``status``; GET gets the file."""

    def route(exchange: Exchange) -> Reply:
        if exchange.method == "HEAD":
            return status_page(status, ("Allow", "GET"))
        return exchange.static()

    return route


def delayed(seconds: float) -> Route:
    def route(exchange: Exchange) -> Reply:
        return replace(exchange.static(), delay=seconds)

    return route


def redirect(status: int, location: str) -> Route:
    def route(exchange: Exchange) -> Reply:
        return status_page(status, ("Location", location))

    return route


def always(status: int, *headers: tuple[str, str]) -> Route:
    def route(exchange: Exchange) -> Reply:
        return status_page(status, *headers)

    return route


def by_id(folder: str, param: str = "id") -> Route:
    """A legacy CMS's dynamic page (``show.asp?id=1523``): the stored file
    ``<folder><id>.asp``; no id, or an id without a file, gets the host's 404."""

    def route(exchange: Exchange) -> Reply:
        values = parse_qs(exchange.query).get(param, [])
        if len(values) == 1 and values[0].isdigit() and exchange.file is not None:
            return exchange.file(f"{folder}{values[0]}.asp")
        return exchange.static()

    return route


def reset_connection(exchange: Exchange) -> Reply:
    return Reply(0, reset=True)


BOT_WORDS = ("python", "scrapy", "curl", "bot", "spider")


def looks_like_browser(user_agent: str) -> bool:
    lowered = user_agent.lower()
    return user_agent.startswith("Mozilla/") and not any(word in lowered for word in BOT_WORDS)


def browsers_only(exchange: Exchange) -> Reply:
    """403 for clients that do not look like a browser, as bot-blocking firewalls do."""
    if looks_like_browser(exchange.user_agent):
        return exchange.static()
    return status_page(403)


RETRY_AFTER = ("Retry-After", "1")

MAIN_ROUTES: dict[str, Route] = {
    # traps
    "/trap/flaky.html": fails_first(503),
    "/trap/busy.html": fails_first(429, RETRY_AFTER),
    "/upload/guide-head405.doc": refuses_head(405),
    "/trap/moved": redirect(301, "/trap/moved-target.html"),
    "/trap/slow.html": delayed(0.6),
    # planted faults
    "/trap/hang.html": delayed(4.0),
    "/trap/reset.html": reset_connection,
    "/trap/loop-a": redirect(302, "/trap/loop-b"),
    "/trap/loop-b": redirect(302, "/trap/loop-a"),
    "/api/broken500": always(500),
    "/xwzx/bmdt/old-notice.html": always(410),
    # issue 12's precision traps: a legacy ASP news system beside the TRS site
    # (precision_traps.legacy_news)
    "/xwzx/show.asp": by_id("/xwzx/show/"),
}

EXTERNAL_ROUTES: dict[str, Route] = {
    "/docs/head501.pdf": refuses_head(501),
    "/trap/browser-only.html": browsers_only,
    "/trap/always429.html": always(429, RETRY_AFTER),  # inconclusive, not a finding
}


# -- the table of traps -------------------------------------------------------------------


@dataclass(frozen=True)
class Trap:
    key: str
    summary: str
    href: str  # exactly as written in the pages (placeholders allowed)
    pages: tuple[str, ...]  # paths of main-site pages that carry the link


_YWDT_1001 = "/xwzx/ywdt/202411/t20241120_1001.html"
_BMDT_1101 = "/xwzx/bmdt/202411/t20241118_1101.html"
_TZGG_3005 = "/xxgk/tzgg/202410/t20241008_3005.html"
_SFJ_4003 = "/xxgk/sfj/202410/t20241010_4003.html"
_PDF_RAW = "/xxgk/sfj/P020241105/关于开展法律援助工作的通知.pdf"
_PDF_ENCODED = (
    "/xxgk/sfj/P020241105/%E5%85%B3%E4%BA%8E%E5%BC%80%E5%B1%95%E6%B3%95%E5%BE%8B"
    "%E6%8F%B4%E5%8A%A9%E5%B7%A5%E4%BD%9C%E7%9A%84%E9%80%9A%E7%9F%A5.pdf"
)

TRAPS: tuple[Trap, ...] = (
    Trap("flaky", "first request 503, then 200", "/trap/flaky.html", ("/zxfw/",)),
    Trap("busy", "first request 429 Retry-After: 1, then 200", "/trap/busy.html", ("/zxfw/",)),
    Trap(
        "head405",
        "HEAD 405 (Allow: GET), GET 200 application/msword (a file whose text is not read)",
        "/upload/guide-head405.doc",
        ("/zxfw/",),
    ),
    Trap(
        "head501",
        "external host: HEAD 501, GET 200 application/pdf",
        "{external}/docs/head501.pdf",
        ("/zxfw/",),
    ),
    Trap("moved", "301 to /trap/moved-target.html, which is 200", "/trap/moved", ("/zxfw/",)),
    Trap("slow", "200 after 0.6 s (timeout_s is 2)", "/trap/slow.html", ("/zxfw/",)),
    Trap(
        "browser_only",
        "external host: 403 unless the User-Agent looks like a browser",
        "{external}/trap/browser-only.html",
        ("/zxfw/",),
    ),
    Trap("fragment_top", "fragment-only link", "#top", ("/", "/zxfw/", _YWDT_1001)),
    Trap("fragment_empty", 'href="#"', "#", ("/", "/zxfw/")),
    Trap("fragment_page", "a fragment of a page that exists", "/xwzx/#main", ("/",)),
    Trap(
        "protocol_relative",
        "//host:port/ link to the main host",
        "//{main_netloc}/xxgk/",
        ("/zxfw/",),
    ),
    Trap(
        "base_href",
        'relative links resolved against <base href="/xxgk/zcwj/">',
        "202410/t20241015_2001.html",
        ("/xxgk/zcwj/", "/xxgk/zcwj/202406/t20240612_2004.html"),
    ),
    Trap(
        "attachment_encoded",
        "Chinese file name, percent-encoded UTF-8",
        _PDF_ENCODED,
        (_TZGG_3005,),
    ),
    Trap("attachment_raw", "the same file, raw Chinese in a GBK page", _PDF_RAW, ("/xxgk/sfj/",)),
    Trap(
        "attachment_raw_relative",
        "the same file, raw and relative, in a GBK page",
        "../P020241105/关于开展法律援助工作的通知.pdf",
        (_SFJ_4003,),
    ),
    Trap("mailto", "mailto: link (ignored)", "mailto:szxx@longnan.gov.cn", ("/hdjl/",)),
    Trap("tel", "tel: link (ignored)", "tel:12345", ("/hdjl/",)),
    Trap("javascript", "javascript: link (ignored)", "javascript:void(0)", ("/hdjl/",)),
    Trap("data_uri", "data: image (ignored)", PIXEL_DATA_URI, ("/",)),
    Trap("whitespace", "href with spaces around it", "  /xwzx/  ", ("/",)),
    Trap("index_html", "/index.html is the home page /", "/index.html", ("/zxfw/",)),
    Trap(
        "external_page",
        "an existing page on the external host, linked from several pages",
        "{external}/news/2024/content_1.html",
        ("/", _YWDT_1001, _BMDT_1101),
    ),
    Trap(
        "always429",
        "external host: always 429 Retry-After: 1 -> inconclusive, no finding",
        "{external}/trap/always429.html",
        ("/zxfw/",),
    ),
)
