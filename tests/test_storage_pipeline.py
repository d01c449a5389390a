"""The storage pipeline at its item interface: ScanBatch items in, rows in a SQLite file.

Only what Scrapy calls (``from_crawler``, ``open_spider``, ``process_item``,
``close_spider``) is used, directly or through an in-process crawl, so the tests hold
whatever the pipeline does inside.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured
from sqlalchemy import select

from crawler.fetch_policy import Attempt, UrlResult
from crawler.items import AttachmentItem, PageItem, ScanBatch
from crawler.page_links import PageLink
from crawler.pipelines import StoragePipeline
from storage.db import open_database
from storage.models import Attachment, Link, Page, Scan, UrlCheck, unpack_keys
from storage.scans import start_scan
from tests.crawler_harness import FakeSite, Reply, crawl, make_crawler

SITE = "http://www.example.gov.cn"


@pytest.fixture
def scan(tmp_path: Path) -> tuple[str, int]:
    """A migrated SQLite database with one running scan: (url, scan id)."""
    url = f"sqlite:///{tmp_path / 'govwatch.db'}"
    db = open_database(url)
    with db.session() as session:
        scan_id = start_scan(session, "t", "测试市人民政府").id
    db.dispose()
    return url, scan_id


def rows(url: str, model, *columns):
    db = open_database(url, migrate=False)
    try:
        with db.session() as session:
            if columns:
                return sorted(tuple(r) for r in session.execute(select(*columns)))
            return session.scalars(select(model)).all()
    finally:
        db.dispose()


def link(url: str, element: str = "a", text: str = "") -> PageLink:
    return PageLink(url.split("#")[0], url, element, text)


def result(url: str, outcome: str = "ok", status: int | None = 200, error=None, tries=1):
    attempts = [Attempt(url, "GET", status, error, 5) for _ in range(tries)]
    return UrlResult(
        url, url, url if status else None, outcome, status, error, 5 * tries, "", attempts
    )


def test_without_a_scan_to_write_to_it_stays_off():
    with pytest.raises(NotConfigured):
        StoragePipeline.from_crawler(make_crawler())


def test_batches_become_pages_links_checks_and_attachments(scan):
    url, scan_id = scan
    crawler = make_crawler(GOVWATCH_DB_URL=url, GOVWATCH_SCAN_ID=scan_id)
    pipeline = StoragePipeline.from_crawler(crawler)
    home = PageItem(
        key=f"{SITE}/",
        url=f"{SITE}/",
        final_url=f"{SITE}/",
        status=200,
        title="首页",
        encoding="utf-8",
        depth=0,
        meta={"SiteName": "测试市人民政府"},
        links=[
            link(f"{SITE}/a.html", text="甲"),
            link(f"{SITE}/logo.png", "img"),
            link(f"{SITE}/slow.html", text="慢"),
        ],
        html="<html>…</html>",
    )
    article = PageItem(
        f"{SITE}/a.html", f"{SITE}/a.html", f"{SITE}/a.html", 200, "甲", "gbk", 1, {}, []
    )
    first = ScanBatch(
        [home],
        [result(f"{SITE}/"), result(f"{SITE}/logo.png", "broken", 404, "http_404")],
    )
    second = ScanBatch(
        [article],
        [result(f"{SITE}/a.html", tries=2), result(f"{SITE}/slow.html", "broken", None, "timeout")],
        [
            AttachmentItem(
                f"{SITE}/big.pdf",
                f"{SITE}/big.pdf",
                "pdf",
                f"{SITE}/a.html",
                size=9,
                skipped="文件超过 1 MB，未检查内容",
            )
        ],
    )
    pipeline.open_spider()
    for batch in (first, second):
        assert asyncio.run(pipeline.process_item(batch)) is batch
    pipeline.close_spider()

    assert rows(url, Page, Page.url, Page.title, Page.encoding, Page.depth, Page.scan_id) == [
        (f"{SITE}/", "首页", "utf-8", 0, scan_id),
        (f"{SITE}/a.html", "甲", "gbk", 1, scan_id),
    ]
    (stored_home,) = [p for p in rows(url, Page) if p.depth == 0]
    assert stored_home.meta == {"SiteName": "测试市人民政府"}
    # Every <a> target of a page, packed in its row, in page order.
    assert unpack_keys(stored_home.outlinks) == [f"{SITE}/a.html", f"{SITE}/slow.html"]
    # Link rows only for targets that failed: one known when the page came, one that
    # failed a batch later; the link to a.html (ok) is not stored.
    assert rows(url, Link, Link.page_id, Link.target_url, Link.element, Link.text) == [
        (stored_home.id, f"{SITE}/logo.png", "img", ""),
        (stored_home.id, f"{SITE}/slow.html", "a", "慢"),
    ]
    checks = {c.url: c for c in rows(url, UrlCheck)}
    # URL results with something to tell: failures, and a URL that took two attempts.
    assert {u: (c.outcome, c.http_status, c.error) for u, c in checks.items()} == {
        f"{SITE}/logo.png": ("broken", 404, "http_404"),
        f"{SITE}/a.html": ("ok", 200, None),
        f"{SITE}/slow.html": ("broken", None, "timeout"),
    }
    # The trail of attempts is kept as evidence where there is something to show.
    assert len(checks[f"{SITE}/a.html"].attempts) == 2
    assert checks[f"{SITE}/logo.png"].attempts[0]["status"] == 404
    assert rows(url, Attachment, Attachment.url, Attachment.linked_from, Attachment.error) == [
        (f"{SITE}/big.pdf", f"{SITE}/a.html", "文件超过 1 MB，未检查内容")
    ]
    (stored_scan,) = rows(url, Scan)
    # The summary counts everything seen, stored or not.
    assert (stored_scan.pages_crawled, stored_scan.urls_checked, stored_scan.links_found) == (
        2,
        4,
        3,
    )
    assert stored_scan.heartbeat_at is not None


def test_links_waiting_for_a_late_result_are_stored_as_the_pages_had_them(scan):
    """A footer page linked from every page is checked late: every link to it waits
    (the same text as a page id alone), and when it fails each comes out as it was."""
    url, scan_id = scan
    crawler = make_crawler(GOVWATCH_DB_URL=url, GOVWATCH_SCAN_ID=scan_id)
    pipeline = StoragePipeline.from_crawler(crawler)
    footer = f"{SITE}/wzdt/"

    def page(n: int, *links: PageLink) -> PageItem:
        address = f"{SITE}/p{n}.html"
        return PageItem(address, address, address, 200, f"页{n}", "utf-8", 1, {}, list(links))

    pages = [
        page(1, link(footer, text="网站地图")),
        page(2, link(footer, text="网站地图"), link(footer, "img", "")),
        page(3, link(f"{footer}#top", text="地图")),  # another URL and text for the target
        page(4, link(footer, text="网站地图")),
    ]
    pipeline.open_spider()
    for n, item in enumerate(pages):  # one flush each: the links wait across batches
        asyncio.run(pipeline.process_item(ScanBatch([item], [result(f"{SITE}/p{n + 1}.html")])))
        pipeline.flush()
    assert len(pipeline.pending[footer].links) == 5
    asyncio.run(pipeline.process_item(ScanBatch([], [result(footer, "broken", 404, "http_404")])))
    pipeline.close_spider()

    ids = {p.url: p.id for p in rows(url, Page)}
    stored = rows(url, Link, Link.id, Link.page_id, Link.target_url, Link.element, Link.text)
    assert [row[1:] for row in stored] == [
        (ids[f"{SITE}/p1.html"], footer, "a", "网站地图"),
        (ids[f"{SITE}/p2.html"], footer, "a", "网站地图"),
        (ids[f"{SITE}/p2.html"], footer, "img", ""),
        (ids[f"{SITE}/p3.html"], f"{footer}#top", "a", "地图"),
        (ids[f"{SITE}/p4.html"], footer, "a", "网站地图"),
    ]
    assert footer not in pipeline.pending


def test_a_crawl_stores_every_url_that_failed_including_what_was_left_at_close(scan):
    url, scan_id = scan
    site = FakeSite(
        {
            f"{SITE}/": Reply(
                body='<title>首页</title><a href="/a.html">甲</a><a href="/x">缺</a>'
            ),
            f"{SITE}/a.html": Reply(body="<title>甲</title>"),
        }
    )
    run = crawl(
        site,
        settings={
            "ITEM_PIPELINES": {"crawler.pipelines.StoragePipeline": 300},
            "GOVWATCH_DB_URL": url,
            "GOVWATCH_SCAN_ID": scan_id,
        },
        start_urls=[f"{SITE}/"],
        allowed_domains=["www.example.gov.cn"],
    )
    assert run.finish_reason == "finished"
    assert rows(url, UrlCheck, UrlCheck.url, UrlCheck.outcome, UrlCheck.http_status) == [
        (f"{SITE}/x", "broken", 404),
    ]
    assert rows(url, Page, Page.url, Page.title) == [(f"{SITE}/", "首页"), (f"{SITE}/a.html", "甲")]
    assert rows(url, Link, Link.target_url, Link.text) == [(f"{SITE}/x", "缺")]
    (stored_scan,) = rows(url, Scan)
    assert (stored_scan.urls_checked, stored_scan.links_found) == (3, 2)
