"""Tests of the bundled sample portal itself (not of the crawler): every trap and planted
fault behaves as specified, the golden file matches the generated pages, and every other
link on the site works. Requests use only the standard library."""

from __future__ import annotations

import http.client
import queue
import re
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

import pytest
from lxml import html as lxml_html

from detectors.registry import detector_class
from sample_portal import SamplePortal, golden
from sample_portal.generate import GBK_SECTION, GBK_TITLE
from sample_portal.precision_traps import SEARCH_PATH
from sample_portal.traps import EXTERNAL_ROUTES, MAIN_ROUTES, TRAPS

pytestmark = pytest.mark.integration  # serves the sample portal on 127.0.0.1

BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Safari/537.36 govwatch/0.1"
)
LINK_ATTRIBUTES = {"a": "href", "img": "src", "script": "src", "link": "href", "iframe": "src"}
IGNORED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")
PAGER_CALL = re.compile(r'createPageHTML\((\d+),\s*(\d+),\s*"(\w+)",\s*"(\w+)"\)')
UNITS = {"/xxgk/sfj/": "市司法局", "/xwzx/": "市融媒体中心", "/zxfw/": "市政务服务中心"}
PDF_PATH = "/xxgk/sfj/P020241105/关于开展法律援助工作的通知.pdf"


@pytest.fixture(scope="module")
def running() -> Iterator[SamplePortal]:
    with SamplePortal() as portal:
        yield portal


@pytest.fixture
def portal(running: SamplePortal) -> SamplePortal:
    running.reset_log()
    return running


# -- helpers ------------------------------------------------------------------------------


def fetch(
    url: str, method: str = "GET", user_agent: str = BROWSER_UA, timeout: float = 3.0
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request, no redirects followed, errors as statuses."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, target, headers={"User-Agent": user_agent})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def fetch_following(url: str, limit: int = 5) -> tuple[int, bytes]:
    for _ in range(limit):
        status, headers, body = fetch(url)
        if status not in (301, 302, 303, 307, 308):
            return status, body
        url = urljoin(url, headers["Location"])
    raise AssertionError(f"too many redirects from {url}")


def canonical(url: str) -> str:
    """A URL as a client requests it: path percent-encoded as UTF-8, no fragment."""
    parts = urlsplit(url)
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme}://{parts.netloc}{path}{query}"


def unit_of(page: str) -> str:
    prefixes = [p for p in UNITS if page.startswith(p)]
    return UNITS[max(prefixes, key=len)] if prefixes else "市政府办"


# ``</body>`` and ``</html>``: a browser ignores them wherever they stand (the HTML5 parser
# closes the document at its end); libxml2 would drop what follows a stray one
# (precision_traps' article whose included header ends with them).
END_OF_DOCUMENT = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)


def pages(portal: SamplePortal) -> dict[str, lxml_html.HtmlElement]:
    """Every generated HTML page of the main site, parsed as a browser reads it, by
    canonical path (/dir/)."""
    assert portal.root is not None
    docroot = portal.root / "main"
    out = {}
    for file in sorted(docroot.rglob("*.html")):
        relative = file.relative_to(docroot).as_posix()
        path = "/" + relative.removesuffix("index.html")
        codec = "gb18030" if path.startswith(GBK_SECTION) else "utf-8"
        text = END_OF_DOCUMENT.sub("", file.read_bytes().decode(codec))
        out[path] = lxml_html.document_fromstring(text)
    return out


def links(page_url: str, document: lxml_html.HtmlElement) -> Iterator[tuple[str, str, str, str]]:
    """(element, raw value, resolved canonical URL, link text) for each link of a page,
    including the pager links createPageHTML writes; ignored schemes are skipped."""
    base = page_url
    for element in document.iter("base"):
        base = urljoin(page_url, element.get("href", ""))
    for element in document.iter(*LINK_ATTRIBUTES):
        value = element.get(LINK_ATTRIBUTES[element.tag])
        if value is None or value.strip().lower().startswith(IGNORED_SCHEMES):
            continue
        if element.tag == "img":
            text = element.get("alt", "")
        elif element.tag == "a":
            text = " ".join(element.text_content().split())
        else:
            text = ""
        yield element.tag, value, canonical(urljoin(base, value.strip())), text
    for script in document.iter("script"):
        for count, _, name, ext in PAGER_CALL.findall(script.text or ""):
            for n in range(int(count)):
                href = f"{name}.{ext}" if n == 0 else f"{name}_{n}.{ext}"
                yield "a", href, canonical(urljoin(base, href)), str(n + 1)


# -- addresses and basics -----------------------------------------------------------------


def test_addresses(portal: SamplePortal) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", portal.base_url)
    assert re.fullmatch(r"http://127\.0\.0\.2:\d+/", portal.external_url)
    assert re.fullmatch(r"https://127\.0\.0\.1:\d+/", portal.tls_url)
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", portal.refused_url)
    ports = {urlsplit(u).port for u in (portal.base_url, portal.tls_url, portal.refused_url)}
    assert len(ports) == 3


def test_site_size_and_metadata(portal: SamplePortal) -> None:
    site = pages(portal)
    assert 150 <= len(site) <= 200
    for path, document in site.items():
        if path.startswith("/trap/") or path.endswith("t20240105_0999.html"):
            continue  # trap pages and the soft-404 page are not ordinary pages
        meta = {m.get("name"): m.get("content") for m in document.iter("meta") if m.get("name")}
        assert meta["SiteName"] == "龙南市人民政府", path
        assert re.fullmatch(r"\d{10}", meta["SiteIDCode"]), path
        assert meta["SiteDomain"], path
        assert document.cssselect("div.footer"), path
        if "ArticleTitle" in meta:
            assert re.fullmatch(r"20\d\d-\d\d-\d\d \d\d:\d\d", meta["PubDate"]), path
            assert meta["ContentSource"], path
            assert document.cssselect("div.TRS_Editor"), path
            # TRS paths, but for the planted Hanweb and content_N columns (column_problems)
            assert re.search(
                r"/\d{6}/t\d{8}_\d+\.html$|^/art/\d{4}/\d+/\d+/art_\d+_\d+\.html$|/content_\d+\.html$",
                path,
            ), path
        elif path != SEARCH_PATH:  # the search system's template has no column tags
            assert {"ColumnName", "ColumnType", "ColumnDescription"} <= meta.keys(), path


def test_get_and_head(portal: SamplePortal) -> None:
    status, headers, body = fetch(portal.base_url)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert int(headers["Content-Length"]) == len(body) > 0
    head_status, head_headers, head_body = fetch(portal.base_url, "HEAD")
    assert (head_status, head_body) == (200, b"")
    assert head_headers["Content-Length"] == headers["Content-Length"]
    assert fetch(portal.base_url + "css/style.css")[1]["Content-Type"].startswith("text/css")
    assert fetch(portal.base_url + "images/logo.png")[2].startswith(b"\x89PNG")
    assert fetch(portal.base_url + "favicon.ico")[1]["Content-Type"] == "image/x-icon"


def test_missing_page_is_404_and_directory_redirects(portal: SamplePortal) -> None:
    assert fetch(portal.base_url + "no/such/page.html")[0] == 404
    status, headers, _ = fetch(portal.base_url + "xwzx")
    assert (status, headers["Location"]) == (301, "/xwzx/")


def test_directory_index_pages_are_linked_as_directories(portal: SamplePortal) -> None:
    for path, document in pages(portal).items():
        for element in document.iter("a", "link", "iframe"):
            value = (element.get("href") or element.get("src") or "").strip()
            if value.endswith("index.html"):
                assert value == "/index.html" and path == "/zxfw/", (path, value)


# -- traps --------------------------------------------------------------------------------


def test_flaky_fails_once_and_reset_log_restores_it(portal: SamplePortal) -> None:
    url = portal.base_url + "trap/flaky.html"
    assert fetch(url, "HEAD")[0] == 503
    assert fetch(url)[0] == 200
    assert fetch(url)[0] == 200
    portal.reset_log()
    assert portal.request_count("/trap/flaky.html") == 0
    assert fetch(url)[0] == 503
    assert fetch(url)[0] == 200


def test_busy_asks_to_retry_once(portal: SamplePortal) -> None:
    status, headers, _ = fetch(portal.base_url + "trap/busy.html")
    assert (status, headers["Retry-After"]) == (429, "1")
    assert fetch(portal.base_url + "trap/busy.html")[0] == 200


def test_head_refused_get_served(portal: SamplePortal) -> None:
    for url, refused in (
        (portal.base_url + "upload/guide-head405.doc", 405),
        (portal.external_url + "docs/head501.pdf", 501),
    ):
        status, headers, _ = fetch(url, "HEAD")
        assert (status, headers["Allow"]) == (refused, "GET")
        status, headers, body = fetch(url)
        assert status == 200
        if url.endswith(".pdf"):
            assert headers["Content-Type"] == "application/pdf"
            assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
        else:
            assert headers["Content-Type"] == "application/msword"
            assert body.startswith(b"\xd0\xcf\x11\xe0")


def test_moved(portal: SamplePortal) -> None:
    status, headers, _ = fetch(portal.base_url + "trap/moved")
    assert (status, headers["Location"]) == (301, "/trap/moved-target.html")
    assert fetch(portal.base_url + "trap/moved-target.html")[0] == 200


def test_slow(portal: SamplePortal) -> None:
    started = time.monotonic()
    assert fetch(portal.base_url + "trap/slow.html")[0] == 200
    assert 0.55 <= time.monotonic() - started < 2


@pytest.mark.parametrize(
    ("user_agent", "status"),
    [
        (BROWSER_UA, 200),
        ("Mozilla/5.0 (compatible; Googlebot/2.1)", 403),
        ("Mozilla/5.0 Scrapy/2.19", 403),
        ("Python-urllib/3.11", 403),
        ("curl/8.5.0", 403),
        ("", 403),
    ],
)
def test_browser_only(portal: SamplePortal, user_agent: str, status: int) -> None:
    url = portal.external_url + "trap/browser-only.html"
    assert fetch(url, user_agent=user_agent)[0] == status
    assert fetch(url, "HEAD", user_agent=user_agent)[0] == status


def test_always_429(portal: SamplePortal) -> None:
    for _ in range(3):
        status, headers, _ = fetch(portal.external_url + "trap/always429.html")
        assert (status, headers["Retry-After"]) == (429, "1")


def test_traps_are_linked_where_the_table_says(portal: SamplePortal) -> None:
    assert portal.hosts is not None
    site = pages(portal)
    for trap in TRAPS:
        wanted = portal.hosts.fill(trap.href)
        for page in trap.pages:
            values = {
                element.get(attribute)
                for element in site[page].iter(*LINK_ATTRIBUTES)
                for attribute in ("href", "src")
            }
            assert wanted in values, (trap.key, page)


# -- planted faults -----------------------------------------------------------------------


def test_hang_outlasts_the_timeout(portal: SamplePortal) -> None:
    with pytest.raises(TimeoutError):
        fetch(portal.base_url + "trap/hang.html", timeout=0.3)
    assert portal.request_count("/trap/hang.html") == 1


def test_reset_sends_rst(portal: SamplePortal) -> None:
    with pytest.raises(ConnectionResetError):
        fetch(portal.base_url + "trap/reset.html")
    [record] = [r for r in portal.requests() if r.path == "/trap/reset.html"]
    assert record.status == 0


def test_redirect_loop(portal: SamplePortal) -> None:
    status, headers, _ = fetch(portal.base_url + "trap/loop-a")
    assert (status, headers["Location"]) == (302, "/trap/loop-b")
    status, headers, _ = fetch(portal.base_url + "trap/loop-b")
    assert (status, headers["Location"]) == (302, "/trap/loop-a")


def test_error_statuses(portal: SamplePortal) -> None:
    assert fetch(portal.base_url + "api/broken500")[0] == 500
    assert fetch(portal.base_url + "api/broken500")[0] == 500
    assert fetch(portal.base_url + "xwzx/bmdt/old-notice.html")[0] == 410


def test_soft_404_by_text(portal: SamplePortal) -> None:
    status, _, body = fetch(portal.base_url + "xwzx/ywdt/202401/t20240105_0999.html")
    text = body.decode("utf-8")
    assert status == 200
    assert "<title>页面不存在</title>" in text and "抱歉，您访问的页面不存在或已被删除" in text


def test_external_host_answers_unknown_paths_with_one_200_page(portal: SamplePortal) -> None:
    answers = {
        fetch(portal.external_url + path)[2]
        for path in ("old/zhengce/2019.html", "x9f2k1q7.html", "a/b/c/")
    }
    assert len(answers) == 1
    [soft] = answers
    text = soft.decode("utf-8")
    assert "<title>龙南旅游网 - 提示</title>" in text
    assert not re.search(r"404|不存在|找不到|not found", text, re.IGNORECASE)
    status, body = fetch_following(portal.external_url + "news/2024/content_1.html")
    assert status == 200 and body != soft and len(body) > 1.5 * len(soft)


def test_untrusted_certificate(portal: SamplePortal) -> None:
    url = portal.tls_url + "bsdt/"
    with pytest.raises(urllib.error.URLError) as failure:
        urllib.request.urlopen(url, timeout=3)
    assert isinstance(failure.value.reason, ssl.SSLCertVerificationError)
    unverified = ssl.create_default_context()
    unverified.check_hostname = False
    unverified.verify_mode = ssl.CERT_NONE
    with urllib.request.urlopen(url, timeout=3, context=unverified) as response:
        assert response.status == 200
        assert "网上办事大厅" in response.read().decode("utf-8")


def test_refused(portal: SamplePortal) -> None:
    with pytest.raises(ConnectionRefusedError):
        fetch(portal.refused_url + "zwfw/")


# -- encodings and Chinese paths ----------------------------------------------------------


def test_gbk_section(portal: SamplePortal) -> None:
    assert "镕" in GBK_TITLE
    with pytest.raises(UnicodeEncodeError):
        GBK_TITLE.encode("gb2312")
    status, headers, body = fetch(portal.base_url + "xxgk/sfj/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=gb2312"
    assert b'<meta charset="gb2312">' in body
    assert GBK_TITLE in body.decode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        body.decode("gb2312")
    assert GBK_TITLE.encode("gb18030") in body
    # a story whose body holds a four-byte GB18030 character: not even GBK decodes it
    article = fetch(portal.base_url + "xxgk/sfj/202409/t20240919_4004.html")[2]
    assert "王𠮷" in article.decode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        article.decode("gbk")


def test_chinese_attachment_by_encoded_and_raw_path(portal: SamplePortal) -> None:
    status, headers, body = fetch(portal.base_url.rstrip("/") + quote(PDF_PATH))
    assert (status, headers["Content-Type"]) == (200, "application/pdf")
    assert body.startswith(b"%PDF-")
    # lowercase hex is the same path
    assert (
        fetch(
            portal.base_url.rstrip("/")
            + quote(PDF_PATH).lower().replace("/xxgk/sfj/p", "/xxgk/sfj/P")
        )[0]
        == 200
    )
    assert portal.request_count(PDF_PATH) == 2
    assert portal.request_count(quote(PDF_PATH)) == 2
    assert portal.requests()[0].path == quote(PDF_PATH)
    docx = fetch(
        portal.base_url.rstrip("/") + quote("/xxgk/sfj/P020241105/行政复议申请书样式.docx")
    )
    assert docx[0] == 200 and docx[2].startswith(b"PK")


# -- pagination ---------------------------------------------------------------------------


def test_pager_pages_reachable_only_through_the_script(portal: SamplePortal) -> None:
    status, _, body = fetch(portal.base_url + "xwzx/ywdt/")
    assert 'createPageHTML(3, 0, "index", "html");' in body.decode("utf-8")
    common = fetch(portal.base_url + "js/common.js")[2].decode("utf-8")
    assert "function createPageHTML(" in common and "document.write" in common
    for n in (1, 2):
        status, _, body = fetch(portal.base_url + f"xwzx/ywdt/index_{n}.html")
        assert status == 200
        assert f'createPageHTML(3, {n}, "index", "html");' in body.decode("utf-8")
    # no plain link to index_1/index_2, and index_2's stories are linked from there only
    site = pages(portal)
    index_2 = site["/xwzx/ywdt/index_2.html"]
    only_there = {a.get("href") for a in index_2.cssselect("ul.list a")}
    assert "./202406/t20240618_1012.html" in only_there
    for path, document in site.items():
        hrefs = {a.get("href") for a in document.iter("a") if a.get("href")}
        assert not any("index_" in h for h in hrefs), path
        if path != "/xwzx/ywdt/index_2.html":
            resolved = {urljoin(portal.base_url + path.lstrip("/"), h) for h in hrefs}
            targets = {urljoin(portal.base_url + "xwzx/ywdt/", h) for h in only_there}
            assert not resolved & targets, path


# -- request log --------------------------------------------------------------------------


def test_request_log(portal: SamplePortal) -> None:
    fetch(portal.base_url)
    fetch(portal.base_url, "HEAD")
    fetch(portal.base_url, user_agent="probe/1.0")
    fetch(portal.external_url + "news/2024/content_1.html")
    assert portal.request_count("/") == 3
    assert portal.request_count("/", method="HEAD") == 1
    assert portal.request_count("/", host=urlsplit(portal.base_url).netloc) == 3
    assert portal.request_count("/", host="127.0.0.2") == 0
    assert portal.request_count("/news/2024/content_1.html", host="127.0.0.2") == 1
    records = portal.requests()
    assert [r.method for r in records] == ["GET", "HEAD", "GET", "GET"]
    assert records[2].user_agent == "probe/1.0"
    assert records[0].host == urlsplit(portal.base_url).netloc
    assert records[0].status == 200
    portal.reset_log()
    assert portal.requests() == []


# -- golden file --------------------------------------------------------------------------


def test_golden_file_is_normalised() -> None:
    """One record per finding, each with exactly its detector's fields in order, sorted by
    line and unique: what :func:`golden.normalise` makes of a scan's findings."""
    findings = golden.load().findings
    for record in findings:
        assert tuple(record) == golden.keys(record["detector"], "account" in record), record
        assert detector_class(record["detector"]) is not None, record
    lines = [golden.line(r) for r in findings]
    assert lines == sorted(set(lines))
    assert len(findings) == 84  # what govwatch demo reports: 76 on the portal, 8 on accounts
    assert sum("account" in r for r in findings) == 8


def test_normalise_puts_placeholders_and_sorts() -> None:
    origins = {"{main}": "http://127.0.0.1:8000", "{mirror}": "http://127.0.0.1:80"}
    findings = [
        {
            "detector": "term",
            "page_url": "http://127.0.0.1:80/s/1",
            "unit": "市政府办",
            "severity": "medium",
            "account": "龙南发布",
            "term": "贯切",
            "category": "typo",
            "context": "…【贯切】…",
            "id": 2,
        },
        {
            "detector": "blank_column",
            "page_url": "http://127.0.0.1:8000/xxgk/gzjh/",
            "unit": "市政府办",
            "severity": "high",
        },
    ]
    assert golden.normalise(findings, origins) == [
        {
            "detector": "blank_column",
            "page": "{main}/xxgk/gzjh/",
            "unit": "市政府办",
            "severity": "high",
            "column_name": golden.ABSENT,
        },
        {
            "detector": "term",
            "page": "{mirror}/s/1",
            "unit": "市政府办",
            "severity": "medium",
            "account": "龙南发布",
            "term": "贯切",
            "category": "typo",
            "suggestion": golden.ABSENT,
            "context": "…【贯切】…",
            "offset": golden.ABSENT,
        },
    ]
    expected = golden.normalise(findings, origins)
    assert golden.diff(expected, expected) == ""
    lines = golden.diff(expected, expected[1:]).splitlines()
    assert [line for line in lines[2:] if not line.startswith("@@")] == [
        "-" + golden.line(expected[0])
    ]


def broken_links(portal: SamplePortal) -> list[dict]:
    """The golden broken links of the portal, absolute, each with ``path`` (its page's)."""
    records = [
        portal.absolute(f) for f in portal.expected_findings() if f["detector"] == "broken_link"
    ]
    return [{**r, "path": r["page"].removeprefix(portal.base_url.rstrip("/"))} for r in records]


def test_expected_broken_links(portal: SamplePortal) -> None:
    findings = broken_links(portal)
    assert Counter(f["error"] for f in findings) == {
        "http_404": 8,
        "soft_404": 2,
        "http_500": 1,
        "http_410": 1,
        "timeout": 1,
        "dns": 1,
        "connection_refused": 1,
        "connection_reset": 1,
        "too_many_redirects": 1,
        "ssl": 1,
    }
    origins = (portal.base_url, portal.external_url, portal.tls_url, portal.refused_url)
    for finding in findings:
        assert not any("{" in str(value) for value in finding.values())
        assert finding["target_url"].startswith((*origins, "http://www.longnan-old.invalid/"))
        assert finding["target_url"] == canonical(finding["target_url"])
        assert finding["page"] == portal.base_url + finding["path"].lstrip("/")
        assert finding["unit"] == unit_of(finding["path"])
        assert finding["on_home_page"] == (finding["path"] == "/")
        assert finding["severity"] == ("high" if finding["on_home_page"] else "medium")
        assert finding["element"] in LINK_ATTRIBUTES
    pairs = [(f["path"], f["target_url"]) for f in findings]
    assert len(pairs) == len(set(pairs))
    [inconclusive] = portal.expected_inconclusive()
    assert inconclusive["target_url"] == portal.external_url + "trap/always429.html"
    assert inconclusive["reason"] == "rate_limited"


def test_golden_links_are_on_their_pages(portal: SamplePortal) -> None:
    site = pages(portal)
    for finding in broken_links(portal):
        found = {
            (element, target, text)
            for element, _, target, text in links(finding["page"], site[finding["path"]])
        }
        assert (finding["element"], finding["target_url"], finding["link_text"]) in found, finding


def test_every_other_link_works(portal: SamplePortal) -> None:
    """Self-consistency: a link that is not planted works (trap routes are tested above)."""
    planted = {(f["path"], f["target_url"]) for f in broken_links(portal)}
    skip = {i["target_url"] for i in portal.expected_inconclusive()}
    main, external = portal.base_url.rstrip("/"), portal.external_url.rstrip("/")
    targets: dict[str, str] = {}
    for path, document in pages(portal).items():
        for _, _, target, _ in links(portal.base_url + path.lstrip("/"), document):
            if (path, target) not in planted and target not in skip:
                targets.setdefault(target, path)
    assert portal.root is not None
    css = (portal.root / "main" / "css" / "style.css").read_text(encoding="utf-8")
    for ref in re.findall(r"url\(([^)]+)\)", css):
        targets.setdefault(canonical(urljoin(portal.base_url + "css/style.css", ref)), "css")
    soft = fetch(portal.external_url + "no-such-page")[2]
    checked = 0
    for target, page in sorted(targets.items()):
        path = unquote(urlsplit(target).path)
        if target.startswith(main + "/"):
            if path in MAIN_ROUTES:
                continue
            status, _ = fetch_following(target)
            assert status == 200, (page, target)
        elif target.startswith(external + "/"):
            if path in EXTERNAL_ROUTES:
                continue
            status, body = fetch_following(target)
            assert status == 200 and body != soft, (page, target)
        else:
            raise AssertionError(f"{page} links {target}, which is not in the golden file")
        checked += 1
    assert checked >= 50


# -- config and command line --------------------------------------------------------------


def test_site_config_yaml(portal: SamplePortal) -> None:
    text = portal.site_config_yaml()
    config_module = pytest.importorskip("govwatch.config")
    config = config_module.parse_config(text, "sample-portal.yaml")
    assert config.site.start_urls == [portal.base_url]
    assert config.site.allowed_domains == ["127.0.0.1"]
    assert config.site.timeout_s == 2
    assert {u.name: u.paths for u in config.units} == {
        "市政府办": [],
        "市司法局": ["/xxgk/sfj/"],
        "市融媒体中心": ["/xwzx/"],
        "市政务服务中心": ["/zxfw/"],
    }


def test_close_is_prompt_even_while_a_handler_hangs(tmp_path: Path) -> None:
    portal = SamplePortal(tmp_path)
    portal.start()
    assert (tmp_path / "main" / "index.html").is_file()
    outcome: list[BaseException] = []

    def request_hang() -> None:
        try:
            fetch(portal.base_url + "trap/hang.html", timeout=5)
        except (OSError, http.client.HTTPException) as error:  # dropped at close
            outcome.append(error)

    hanging = threading.Thread(target=request_hang, daemon=True)
    hanging.start()
    deadline = time.monotonic() + 2
    while portal.request_count("/trap/hang.html") == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    portal.close()
    assert time.monotonic() - started < 1
    hanging.join(2)
    assert not hanging.is_alive() and outcome
    with pytest.raises(ConnectionRefusedError):
        fetch(portal.base_url)


def test_python_m_serves_in_the_foreground() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "sample_portal", "--quiet"],
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in process.stdout or ()], daemon=True
    ).start()
    try:
        first = lines.get(timeout=10)
        url = re.search(r"http://127\.0\.0\.1:\d+/", first)
        assert first.startswith("main site:") and url
        assert fetch(url.group(0))[0] == 200
    finally:
        process.terminate()
        process.wait(5)
