"""URL identity: which spellings of a URL are the same resource.

A portal links one page as ``/``, ``/index.html``, ``//host/`` and
``/%E6%96%B0%E9%97%BB/`` versus ``/新闻/``; the crawler fetches it once and
every link shares that one result. The key is for identity only; requests
are sent to the URL as the page wrote it (resolved and percent-encoded).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, safe_url_string

IGNORED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:", "callto:", "about:", "file:")

# Directory index documents that servers serve for ``/dir/``.
_INDEX_RE = re.compile(r"/(?:index|default)\.(?:html?|shtml|jsp|php|aspx?)$", re.IGNORECASE)

# Extensions of things that are not HTML pages: checked (HEAD), never parsed.
RESOURCE_EXTENSIONS = frozenset(
    [
        "pdf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "wps",
        "et",
        "dps",
        "ofd",
        "txt",
        "rtf",
        "csv",
        "xml",
        "json",
        "zip",
        "rar",
        "7z",
        "gz",
        "tar",
        "bz2",
        "jpg",
        "jpeg",
        "png",
        "gif",
        "bmp",
        "webp",
        "svg",
        "ico",
        "tif",
        "tiff",
        "mp3",
        "mp4",
        "avi",
        "wmv",
        "flv",
        "mov",
        "mkv",
        "wav",
        "swf",
        "apk",
        "exe",
        "msi",
        "dmg",
        "iso",
        "css",
        "js",
        "woff",
        "woff2",
        "ttf",
        "eot",
        "otf",
        "ceb",
        "caj",
    ]
)


_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_C0_OR_SPACE = "".join(map(chr, range(0x21)))


def _clean_href(href: str) -> str:
    """``href`` as a browser reads it: outer whitespace and inner tabs and breaks dropped."""
    href = href.strip()
    if "\n" in href or "\r" in href or "\t" in href:
        href = href.replace("\n", "").replace("\r", "").replace("\t", "")
    return href


def same_host(href: str) -> bool:
    """Whether ``href`` resolves against its base's host (no scheme, not ``//host``), as
    :func:`resolve` reads it: known without resolving it."""
    href = _clean_href(href).lstrip(_C0_OR_SPACE)  # urlsplit drops these too
    return not href.startswith("//") and not _SCHEME_RE.match(href)


def resolve(base: str, href: str, encoding: str = "utf-8") -> str | None:
    """Absolute, percent-encoded URL for ``href`` on a page at ``base``; None if ignored."""
    href = _clean_href(href)
    if not href or href[0] == "#":
        return None
    if href[:12].lower().startswith(IGNORED_SCHEMES):
        return None
    # Navigation repeats the same root-relative and absolute links on every page:
    # resolve those against the origin only, so the cache answers them.
    if href[0] == "/" and not href.startswith("//"):
        slash = base.find("/", base.find("//") + 2)
        base = base[: slash + 1] if slash > 0 else base + "/"
    elif "://" in href[:12]:
        base = ""
    return _resolve(base, href, encoding)


# A URL that percent-encoding would leave as it is: http(s), a lower-case ASCII host, a
# path, and only characters left unescaped in both a path and a query (no quote mark,
# no fragment, no spaces, no backslash, nothing beyond ASCII). Most links of a page are
# like this, and ``safe_url_string`` costs more than resolving them.
_ALREADY_SAFE_RE = re.compile(
    r"https?://[a-z0-9.-]+(?::[0-9]+)?(?:/[A-Za-z0-9\-._~!$&()*+,;=:@/?%]*)?"
)


@lru_cache(maxsize=65536)
def _resolve(base: str, href: str, encoding: str) -> str | None:
    try:
        joined = urljoin(base, href) if base else href
        if _ALREADY_SAFE_RE.fullmatch(joined):
            return joined
        url = safe_url_string(joined, encoding=encoding)
    except ValueError:  # "Invalid IPv6 URL" and the like: not a link a browser follows
        return None
    scheme = url.split(":", 1)[0].lower()
    if scheme not in ("http", "https"):
        return None
    return url.split("#", 1)[0]


@lru_cache(maxsize=262144)
def url_key(url: str) -> str:
    """Canonical identity of a URL: scheme/host lower-case, default port dropped,
    query sorted, percent-encoding normalised, fragment dropped, and a
    directory index document folded into its directory."""
    canon = canonicalize_url(url, keep_fragments=False)
    parts = urlsplit(canon)
    netloc = parts.netloc.lower()
    if (parts.scheme == "http" and netloc.endswith(":80")) or (
        parts.scheme == "https" and netloc.endswith(":443")
    ):
        netloc = netloc.rsplit(":", 1)[0]
    path = _INDEX_RE.sub("/", parts.path) or "/"
    return urlunsplit((parts.scheme, netloc, path, parts.query, ""))


@lru_cache(maxsize=16384)
def host_of(url: str) -> str:
    """Lower-case host of ``url`` (cached: every page's links repeat the navigation, and
    the hidden-link detector asks for the host of each of them)."""
    return (urlsplit(url).hostname or "").lower()


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def extension_of(url: str) -> str:
    path = urlsplit(url).path
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def looks_like_resource(url: str) -> bool:
    """True for URLs that name a file (image, attachment, script) rather than a page."""
    return extension_of(url) in RESOURCE_EXTENSIONS


def in_domains(url: str, domains: list[str] | tuple[str, ...]) -> bool:
    host = host_of(url)
    return any(host == d or host.endswith("." + d) for d in domains)


def base_url(root: Any, page_url: str) -> str:
    """Where a page's relative links point: its first ``<base href>``, else its URL
    (``root`` is a parsed tree with lxml's ``iter``)."""
    for base in root.iter("base"):
        href = base.get("href")
        if href:
            resolved = resolve(page_url, href)
            if resolved:
                return resolved
    return page_url
