"""hidden_link on saved real government pages, clean and with injected 暗链.

``tests/pages/`` holds the 17 real pages of the
shared corpus (TRS, Hanweb, 江西集约化, Angular, legacy CMSs; share widgets, conac and
纠错 badges, vendor marks, hidden tab panels, @media rules): by the hand-checked truth
none of them carries a hidden link, so every finding on them is false. Each is judged
as the scan sees it at its real address, and as a local copy (served from 127.0.0.1,
where links to its own real host are off-site).

``tests/data/hidden_link/injected/`` holds blocks of 暗链 as the inspection notices and
public write-ups describe them; each is inserted into real pages and must be found,
every link of it, and nothing else.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from w3lib.encoding import html_to_unicode

from detectors.hidden_link import HiddenLinkDetector
from detectors.page import PageContext, parse_html
from detectors.resources import spam_term
from tests.page_corpus import page_bytes

DATA = Path(__file__).parent / "data" / "hidden_link"
PAGES = yaml.safe_load((DATA / "realpages" / "pages.yaml").read_text(encoding="utf-8"))["pages"]
INJECTED = sorted((DATA / "injected").glob("*.html"))
BODY_RE = re.compile(rb"<body[^>]*>", re.I)


def as_utf8(raw: bytes) -> bytes:
    """The page as the crawler hands it to the detectors: decoded, then UTF-8."""
    return html_to_unicode(None, raw)[1].encode("utf-8")


def where(page: dict, local: bool) -> tuple[str, tuple[str, ...]]:
    """(page URL, the site's domains) at its real address or as a local copy."""
    if not local:
        return page["url"], (page["host"],)
    parts = urlsplit(page["url"])
    query = f"?{parts.query}" if parts.query else ""
    return f"http://127.0.0.1:8000{parts.path}{query}", ("127.0.0.1",)


def findings(html: bytes, url: str, domains: tuple[str, ...]) -> list:
    page = PageContext(url=url, title="", meta={}, root=parse_html(html))
    return list(HiddenLinkDetector(domains, spam_term).check(page))


def test_the_corpus_is_complete():
    assert len(PAGES) == 17
    assert all(page["hidden_link"] == [] for page in PAGES)


@pytest.mark.parametrize("local", [False, True], ids=["real-host", "local-copy"])
@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{p['id']}-{p['platform']}")
def test_real_pages_have_no_hidden_link_finding(page, local):
    url, domains = where(page, local)
    found = findings(as_utf8(page_bytes(page["id"])), url, domains)
    assert [f.message for f in found] == []


# Pages of different platforms to inject into: Hanweb article with badges and a vendor
# mark, the Angular page with share widgets, a TRS list, a 江西集约化 article.
HOSTS = ["001", "011", "017", "033"]


def inject(raw: bytes, block: bytes) -> bytes:
    match = BODY_RE.search(raw)
    assert match is not None
    return raw[: match.end()] + block + raw[match.end() :]


@pytest.mark.parametrize("host_page", HOSTS)
@pytest.mark.parametrize("fixture", INJECTED, ids=lambda p: p.stem)
def test_injected_blocks_are_found_on_real_pages(fixture, host_page):
    page = next(p for p in PAGES if p["id"] == host_page)
    block = fixture.read_text(encoding="utf-8")
    planted = re.findall(r'href="([^"]+)"', block)
    assert len(planted) >= 4
    html = inject(as_utf8(page_bytes(host_page)), block.encode("utf-8"))
    for local in (False, True):
        url, domains = where(page, local)
        found = findings(html, url, domains)
        assert sorted(f.details["target_url"] for f in found) == sorted(planted)
        assert all(f.severity == "veto" and f.details["signal"] for f in found)


def test_injected_fixtures_are_the_ones_described():
    names = {p.stem for p in INJECTED}
    assert {"offscreen_casino", "marquee_porn", "seo_farm_display_none"} <= names


def test_cost_per_page():
    """The detector runs on every page: on these pages it stays far below the time a
    page takes to fetch (generous bound for a loaded test machine)."""
    pages = [(as_utf8(page_bytes(p["id"])), *where(p, True)) for p in PAGES]
    for html, url, domains in pages:  # warm the per-process caches (as a scan does)
        findings(html, url, domains)
    started = time.perf_counter()
    for html, url, domains in pages:
        findings(html, url, domains)
    per_page = (time.perf_counter() - started) / len(pages)
    assert per_page < 0.25
