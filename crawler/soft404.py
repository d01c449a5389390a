"""Soft 404s: pages that answer 200 but tell the visitor the page does not exist.

Two signs, either is enough: the title (or a short body) says so, or the page
is the same page the host serves for a URL that certainly does not exist (one
random probe per host, compared by final URL or by a similarity hash).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

NOT_FOUND_RE = re.compile(
    r"页面不存在|页面未找到|找不到(?:该|此|您要访问的|您访问的)?(?:页面|网页)|页面已(?:被)?删除"
    r"|(?:信息|内容|文章|稿件|网页)(?:已被|已经被|已)删除|(?:该|此)(?:页面|信息|内容|文章)已(?:被)?(?:删除|撤销|下线)"
    r"|您访问的(?:页面|网页|内容)不存在|访问的页面不存在|页面出错|404\s*(?:not\s*found|错误|页面)"
    r"|(?:错误|error)\s*404|page\s+not\s+found|file\s+not\s+found|^\s*404\s*$",
    re.IGNORECASE,
)
# Cheap substring test before the regex: most pages contain none of these.
_HINTS = ("不存在", "未找到", "找不到", "删除", "撤销", "下线", "出错", "404", "ound")
SHORT_BODY_CHARS = 600


def may_say_not_found(text: str) -> bool:
    """Fast pre-check on raw page text; False means ``says_not_found`` cannot be true."""
    return any(hint in text for hint in _HINTS)


_WS_RE = re.compile(r"\s+")
_DIGITS_RE = re.compile(r"\d+")


def says_not_found(title: str, body_text: str | None) -> bool:
    """The title, or a short visible body, says the page does not exist."""
    if title and NOT_FOUND_RE.search(title.strip()):
        return True
    if body_text is not None:
        text = _WS_RE.sub(" ", body_text).strip()
        if len(text) <= SHORT_BODY_CHARS and NOT_FOUND_RE.search(text):
            return True
    return False


def simhash(text: str, width: int = 64) -> int:
    """64-bit similarity hash over character 3-grams (digits folded, so dates don't count)."""
    text = _DIGITS_RE.sub("0", _WS_RE.sub("", text))[:1500]
    if len(text) < 3:
        return zlib.crc32(text.encode()) & ((1 << width) - 1)
    weights = [0] * width
    for i in range(len(text) - 2):
        gram = text[i : i + 3].encode()
        h = zlib.crc32(gram) | (zlib.crc32(gram[::-1]) << 32)
        for bit in range(width):
            weights[bit] += 1 if (h >> bit) & 1 else -1
    return sum(1 << bit for bit in range(width) if weights[bit] > 0)


@dataclass(frozen=True)
class PageSignature:
    """What a page looks like, enough to compare it with a host's "not found" page."""

    final_url: str
    title: str
    length: int
    text: str = field(repr=False)

    @classmethod
    def of(cls, final_url: str, title: str, text: str) -> PageSignature:
        compact = _WS_RE.sub("", text)
        return cls(final_url, title.strip(), len(compact), compact[:1500])

    @cached_property
    def hash(self) -> int:
        return simhash(self.text)


def matches_probe(requested_url: str, page: PageSignature, probe: PageSignature) -> bool:
    """Whether ``page`` is the host's page for nonexistent URLs (cheap tests first)."""
    path = urlsplit(requested_url).path
    if path in ("", "/") or requested_url == probe.final_url:
        return False  # the home page, or a direct link to the error page itself
    if page.final_url == probe.final_url and page.final_url != requested_url:
        return True  # both redirected to the same error page
    if page.title != probe.title:
        return False
    if min(page.length, probe.length) < 0.8 * max(page.length, probe.length):
        return False
    return bin(page.hash ^ probe.hash).count("1") <= 6
