"""One place that turns download failures into govwatch's error classes.

Scrapy changed its exception types in 2.15 (Twisted errors wrapped into
``scrapy.exceptions.Download*``) and Twisted nests the real cause inside
``ResponseFailed.reasons``; classifying by walking the whole cause chain keeps
the answer stable across versions.
"""

from __future__ import annotations

from collections.abc import Iterator

# Class names (any module) mapped to an error class; checked most specific first.
_BY_NAME: tuple[tuple[str, str], ...] = (
    ("CannotResolveHostError", "dns"),
    ("DNSLookupError", "dns"),
    ("gaierror", "dns"),
    ("DownloadTimeoutError", "timeout"),
    ("TimeoutError", "timeout"),
    ("TCPTimedOutError", "timeout"),
    ("UserTimeoutError", "timeout"),
    ("DownloadConnectionRefusedError", "connection_refused"),
    ("ConnectionRefusedError", "connection_refused"),
    ("VerificationError", "ssl"),
    ("CertificateError", "ssl"),
    ("SSLError", "ssl"),
    ("Error", "ssl"),  # OpenSSL.SSL.Error; only when the module is OpenSSL (see below)
    ("ConnectionLost", "connection_reset"),
    ("ConnectionDone", "connection_reset"),
    ("ConnectionResetError", "connection_reset"),
    ("ConnectionAborted", "connection_reset"),
    ("ResponseNeverReceived", "connection_reset"),
    ("ResponseDataLossError", "connection_reset"),
    ("_DataLoss", "connection_reset"),
    ("PotentialDataLoss", "connection_reset"),
)

# Scrapy's words when a body exceeds DOWNLOAD_MAXSIZE (received, declared or unpacked).
_TOO_LARGE_WORDS = ("max size", "download_maxsize", "decompressed so far")

TRANSIENT_ERRORS = frozenset({"timeout", "connection_refused", "connection_reset", "connection"})


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error, its causes, and the reasons Twisted nests inside ``ResponseFailed``."""
    stack = [error]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for reason in getattr(current, "reasons", None) or ():
            value = getattr(reason, "value", reason)
            if isinstance(value, BaseException):
                stack.append(value)
        for attr in ("__cause__", "__context__"):
            nested = getattr(current, attr, None)
            if isinstance(nested, BaseException):
                stack.append(nested)


def _is_ssl(error: BaseException) -> bool:
    module = type(error).__module__ or ""
    return (
        module.startswith(("OpenSSL", "ssl", "service_identity")) or "SSL" in type(error).__name__
    )


def classify_error(error: BaseException) -> str:
    """Error class of a failed download: ``timeout``, ``dns``, ``connection_refused``,
    ``connection_reset``, ``ssl``, ``too_large`` (the body exceeded the download limit:
    the server answered) or ``connection`` (anything else at the network level)."""
    chain = list(_chain(error))
    if any(word in str(e).lower() for e in chain for word in _TOO_LARGE_WORDS):
        return "too_large"
    if any(_is_ssl(e) for e in chain):
        return "ssl"
    for name, kind in _BY_NAME:
        if kind == "ssl":
            continue
        if any(type(e).__name__ == name for e in chain):
            return kind
    text = " ".join(str(e) for e in chain).lower()
    if "certificate" in text or "ssl" in text or "tls" in text:
        return "ssl"
    return "connection"


def ignored_reason(error: BaseException) -> str:
    """Why Scrapy dropped a request (``IgnoreRequest``): ``robots_txt`` (its robots.txt
    middleware), ``too_large`` (a compressed body that unpacks beyond the download
    limit, a "gzip bomb": the server did answer) or ``ignored``."""
    text = str(error).lower()
    if "robots.txt" in text:
        return "robots_txt"
    if any(word in text for word in _TOO_LARGE_WORDS):
        return "too_large"
    return "ignored"
