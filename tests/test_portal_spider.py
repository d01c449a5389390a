"""The portal spider's callbacks, fed responses built in the test.

What it follows (pages of the allowed domains, pager pages) and what it only checks
(files, other sites), once per URL; soft 404s, redirects, attachments, and how pages and
URL results leave it in ``ScanBatch`` items. Requests are answered by calling their
callback (or errback) as Scrapy's engine would; nothing is downloaded.
"""

from __future__ import annotations

from datetime import date

from scrapy import Request
from scrapy.exceptions import StopDownload

from crawler.fetch_policy import FetchPolicy
from crawler.items import ScanBatch
from crawler.spiders import portal
from crawler.spiders.portal import BATCH_SIZE, CHECK_BODY_LIMIT
from tests.crawler_harness import (
    answer,
    batches,
    bytes_received,
    headers_received,
    html,
    is_probe,
    make_crawler,
    portal_spider,
    requests,
    response,
    start_requests,
)

SITE = "http://www.example.gov.cn"
HOME = f"{SITE}/"
OTHER = "http://www.other.gov.cn"


def page(title: str, body: str = "", meta: str = "") -> str:
    return f"<html><head><title>{title}</title>{meta}</head><body>{body}</body></html>"


def home_with(body: str, **spider_kwargs):
    """A spider whose home page has been answered with ``body``; (spider, its output)."""
    spider = portal_spider(**spider_kwargs)
    (start,) = start_requests(spider)
    return spider, answer(start, html(start, page("首页", body)))


def by_url(outputs) -> dict[str, Request]:
    found: dict[str, Request] = {}
    for request in requests(outputs):
        assert request.url not in found, f"{request.url} requested twice"
        found[request.url] = request
    return found


def probe_of(outputs) -> Request:
    (probe,) = [r for r in requests(outputs) if is_probe(r)]
    return probe


def results(spider) -> dict[str, tuple[str, int | None, str | None]]:
    """What the spider has not emitted yet: URL → (outcome, status, error)."""
    return {r.url: (r.outcome, r.http_status, r.error) for r in spider.drain().results}


# -- following and checking ------------------------------------------------------------------


def test_each_start_url_is_fetched_once_as_a_page():
    spider = portal_spider(start_urls=[HOME, f"{SITE}/#top", f"{SITE}/en/"])
    starts = start_requests(spider)
    assert [(r.method, r.url, r.priority) for r in starts] == [
        ("GET", HOME, 1),
        ("GET", f"{SITE}/en/", 1),
    ]


def test_pages_of_the_site_are_followed_everything_else_only_checked_once():
    _, outputs = home_with(
        '<a href="/a.html">甲</a> <a href="a.html#p2">甲，第二段</a> <a href="/b/">乙</a>'
        '<img src="/img/logo.png" alt="标志"><link rel="stylesheet" href="/css/main.css">'
        '<a href="/files/notice.pdf">通知</a> <a href="http://www.other.gov.cn/x.html">外站</a>'
        '<img src="http://www.other.gov.cn/y.png"> <a href="mailto:ban@example.gov.cn">信箱</a>'
        '<a href="javascript:void(0)">无</a> <a href="#top">顶部</a>'
    )
    requested = {
        url: (r.method, r.priority) for url, r in by_url(outputs).items() if not is_probe(r)
    }
    assert requested == {
        f"{SITE}/a.html": ("GET", 1),  # a page: fetched and parsed
        f"{SITE}/b/": ("GET", 1),
        # the site's own files: HEAD is enough, and before pages (links to them wait)
        f"{SITE}/img/logo.png": ("HEAD", 2),
        f"{SITE}/css/main.css": ("HEAD", 2),
        f"{SITE}/files/notice.pdf": ("HEAD", 2),  # attachments are not read here (limit 0)
        f"{OTHER}/x.html": ("GET", 0),  # another site's page: checked last, never parsed
        f"{OTHER}/y.png": ("HEAD", 0),
    }
    probe = probe_of(outputs)
    assert (probe.method, probe.priority) == ("GET", 10)  # before anything of its host
    assert probe.url.startswith(f"{SITE}/govwatch-probe-")


def test_a_page_item_carries_the_pages_links_title_and_meta():
    spider, _ = home_with(
        '<a href="/a.html">  市政府\n 常务会议 </a><img src="/img/logo.png" alt="标志">',
    )
    (item,) = spider.drain().pages
    assert (item.url, item.final_url, item.status, item.title, item.depth) == (
        HOME,
        HOME,
        200,
        "首页",
        0,
    )
    assert [(link.target_url, link.element, link.text) for link in item.links] == [
        (f"{SITE}/a.html", "a", "市政府 常务会议"),
        (f"{SITE}/img/logo.png", "img", "标志"),
    ]


def test_a_url_linked_again_from_another_page_is_not_fetched_again():
    spider, outputs = home_with('<a href="/a.html">甲</a><img src="/img/logo.png">')
    a = by_url(outputs)[f"{SITE}/a.html"]
    again = answer(a, html(a, page("甲", '<a href="/">首页</a><img src="/img/logo.png">')))
    assert requests(again) == []  # its host is already probed; its links already scheduled
    pages = spider.drain().pages
    assert [p.url for p in pages] == [HOME, f"{SITE}/a.html"]
    assert pages[1].depth == 1
    assert [link.target_url for link in pages[1].links] == [HOME, f"{SITE}/img/logo.png"]


def test_another_sites_page_is_checked_but_its_links_are_not_followed():
    spider, outputs = home_with('<a href="http://www.other.gov.cn/x.html">外站</a>')
    other = by_url(outputs)[f"{OTHER}/x.html"]
    spider.drain()
    followed = answer(other, html(other, page("外站", '<a href="/y.html">Y</a>')))
    # Only the other host's soft-404 probe: none of its links, and no page item.
    assert [r.url.startswith(f"{OTHER}/govwatch-probe-") for r in requests(followed)] == [True]
    assert spider.drain().pages == []


def test_a_trs_pager_script_expands_into_the_list_pages():
    spider, outputs = home_with('<a href="/xwzx/index.html">新闻</a>')
    column = by_url(outputs)[f"{SITE}/xwzx/index.html"]
    listed = answer(
        column,
        html(column, page("新闻", '<script>createPageHTML(3, 0, "index", "html");</script>')),
    )
    assert {url: r.priority for url, r in by_url(listed).items()} == {
        f"{SITE}/xwzx/index_1.html": 1,
        f"{SITE}/xwzx/index_2.html": 1,
    }
    column_item = spider.drain().pages[-1]
    assert [(link.target_url, link.text) for link in column_item.links] == [
        (f"{SITE}/xwzx/index.html", "第1页"),
        (f"{SITE}/xwzx/index_1.html", "第2页"),
        (f"{SITE}/xwzx/index_2.html", "第3页"),
    ]


def test_past_max_pages_pages_are_only_checked():
    spider, outputs = home_with(
        '<a href="/a.html">甲</a><a href="/b.html">乙</a><a href="/c.html">丙</a>', max_pages=2
    )
    priorities = {url: r.priority for url, r in by_url(outputs).items() if not is_probe(r)}
    # beyond the limit a page of the site is only checked, as its files are
    assert priorities == {f"{SITE}/a.html": 1, f"{SITE}/b.html": 2, f"{SITE}/c.html": 2}
    b = by_url(outputs)[f"{SITE}/b.html"]
    assert requests(answer(b, html(b, page("乙", '<a href="/d.html">丁</a>')))) == []
    assert [p.url for p in spider.drain().pages] == [HOME]


def test_a_page_that_is_not_html_is_not_parsed():
    spider, outputs = home_with('<a href="/readme">说明</a>')
    readme = by_url(outputs)[f"{SITE}/readme"]
    spider.drain()
    assert answer(readme, 200, b"<a href='/z.html'>z</a>", {"Content-Type": "text/plain"}) == []
    drained = spider.drain()
    assert drained.pages == []
    assert [(r.url, r.outcome) for r in drained.results] == [(f"{SITE}/readme", "ok")]


def test_a_gbk_page_is_read_in_its_encoding():
    spider = portal_spider()
    (start,) = start_requests(spider)
    body = page("县人民政府", '<a href="/a.html">政务公开</a>').encode("gbk")
    answer(start, response(start, 200, body, {"Content-Type": "text/html; charset=GBK"}))
    (item,) = spider.drain().pages
    assert (item.title, item.links[0].text) == ("县人民政府", "政务公开")
    assert item.encoding in ("gbk", "gb18030")


# -- what counts as broken -------------------------------------------------------------------


def test_a_200_page_that_says_not_found_is_a_soft_404_and_not_parsed():
    spider, outputs = home_with('<a href="/gone.html">旧闻</a>')
    gone = by_url(outputs)[f"{SITE}/gone.html"]
    spider.drain()
    answer(gone, html(gone, page("页面不存在", '<a href="/z.html">z</a>')))
    drained = spider.drain()
    assert drained.pages == []
    assert [(r.url, r.outcome, r.error) for r in drained.results] == [
        (f"{SITE}/gone.html", "broken", "soft_404")
    ]


def test_pages_wait_for_their_hosts_probe_and_those_like_it_are_soft_404s():
    nav = "首页 新闻中心 信息公开 在线服务 " * 5
    missing = page("旅游网 - 提示", f"{nav}您要找的内容可能已经移走")
    spider, outputs = home_with('<a href="/old/a.html">旧</a><a href="/news/1.html">新</a>')
    linked = by_url(outputs)
    for url, text in (
        (f"{SITE}/old/a.html", missing),
        (f"{SITE}/news/1.html", page("旅游网 - 新闻", nav + "景区开放时间调整" * 30)),
    ):
        answer(linked[url], html(linked[url], text))
    assert results(spider) == {}  # parked until the probe answers
    probe = probe_of(outputs)
    answer(probe, html(probe, missing))
    assert results(spider) == {
        HOME: ("ok", 200, None),  # the home page is never a soft 404
        f"{SITE}/old/a.html": ("broken", 200, "soft_404"),
        f"{SITE}/news/1.html": ("ok", 200, None),
    }


def test_an_honest_404_probe_releases_the_parked_pages_as_they_are():
    spider, outputs = home_with("")
    probe = probe_of(outputs)
    assert answer(probe, 404, b"", {"Content-Type": "text/html"}) == []
    assert results(spider) == {HOME: ("ok", 200, None)}


def test_a_redirect_is_followed_and_its_target_gets_its_own_result():
    spider, outputs = home_with('<a href="/old.html">旧址</a><a href="/linked.html">直链</a>')
    linked = by_url(outputs)
    answer(probe_of(outputs), 404)
    spider.drain()
    (follow,) = answer(linked[f"{SITE}/old.html"], 301, b"", {"Location": "/new.html"})
    assert (follow.method, follow.url) == ("GET", f"{SITE}/new.html")
    answer(follow, html(follow, page("新址")))
    drained = spider.drain()
    assert {(r.url, r.final_url, r.outcome) for r in drained.results} == {
        (f"{SITE}/old.html", f"{SITE}/new.html", "ok"),
        (f"{SITE}/new.html", f"{SITE}/new.html", "ok"),
    }
    assert [(p.url, p.final_url) for p in drained.pages] == [
        (f"{SITE}/old.html", f"{SITE}/new.html")
    ]
    # A redirect to a URL already linked adds no second result for it.
    (follow,) = answer(linked[f"{SITE}/linked.html"], 302, b"", {"Location": "/old.html"})
    answer(follow, html(follow, page("旧址")))
    assert [r.url for r in spider.drain().results] == [f"{SITE}/linked.html"]


def test_a_broken_link_is_emitted_after_its_retries():
    spider, outputs = home_with('<a href="/busy.html">忙</a>', policy=FetchPolicy(retries=1))
    busy = by_url(outputs)[f"{SITE}/busy.html"]
    spider.drain()
    (again,) = answer(busy, 503)
    assert answer(again, 503) == []
    assert results(spider) == {f"{SITE}/busy.html": ("broken", 503, "http_503")}


# -- attachments and bodies not worth reading ------------------------------------------------

MB = 1024 * 1024
PUBDATE = '<meta name="PubDate" content="2024-11-18 09:00">'


def article_with_attachments(**spider_kwargs):
    """The spider, and the requests for the attachments linked from an article page."""
    crawler = make_crawler()
    spider = portal_spider(crawler, attachment_max_bytes=MB, **spider_kwargs)
    (start,) = start_requests(spider)
    outputs = answer(
        start,
        html(
            start,
            page(
                "通知",
                '<a href="/files/notice.pdf">通知.pdf</a><a href="/files/big.pdf">汇编.pdf</a>'
                '<a href="http://www.other.gov.cn/law.pdf">法规.pdf</a>',
                PUBDATE,
            ),
        ),
    )
    spider.drain()
    return crawler, spider, by_url(outputs)


def test_own_attachments_are_read_with_get_other_sites_files_only_checked():
    _, _, linked = article_with_attachments()
    assert linked[f"{SITE}/files/notice.pdf"].method == "GET"
    assert linked[f"{OTHER}/law.pdf"].method == "HEAD"


def test_an_attachment_is_emitted_with_its_batch_owned_by_the_page_linking_it():
    crawler, spider, linked = article_with_attachments()
    pdf = linked[f"{SITE}/files/notice.pdf"]
    body = b"%PDF-1.4 small"
    headers = {"Content-Type": "application/pdf", "Content-Length": str(len(body))}
    assert headers_received(crawler, pdf, headers, len(body)) is None
    assert batches(answer(pdf, 200, body, headers)) == []  # small: it waits for its batch
    batch = spider.drain()
    (item,) = batch.attachments
    assert (item.url, item.kind, item.linked_from, item.linked_published) == (
        f"{SITE}/files/notice.pdf",
        "pdf",
        HOME,
        date(2024, 11, 18),
    )
    assert (item.size, item.body, item.skipped) == (len(body), body, None)
    assert [r.url for r in batch.results] == [f"{SITE}/files/notice.pdf"]


def test_attachments_bodies_beyond_the_batch_limit_go_at_once(monkeypatch):
    monkeypatch.setattr(portal, "BATCH_ATTACHMENT_BYTES", 20)
    crawler, spider, linked = article_with_attachments()
    headers = {"Content-Type": "application/pdf"}
    small, big = linked[f"{SITE}/files/notice.pdf"], linked[f"{SITE}/files/big.pdf"]
    for request in (small, big):
        assert headers_received(crawler, request, headers, None) is None
    assert batches(answer(small, 200, b"%PDF-1.4 small", headers)) == []
    (batch,) = batches(answer(big, 200, b"%PDF-1.4 a little larger", headers))
    assert [a.url for a in batch.attachments] == [small.url, big.url]
    assert spider.drain().attachments == []


def test_an_attachment_declared_too_large_is_not_downloaded_but_still_listed():
    crawler, spider, linked = article_with_attachments()
    pdf = linked[f"{SITE}/files/big.pdf"]
    size = 5 * MB
    headers = {"Content-Type": "application/pdf", "Content-Length": str(size)}
    stop = headers_received(crawler, pdf, headers, size)
    assert isinstance(stop, StopDownload) and not stop.fail
    answer(pdf, 200, b"", headers, flags=["download_stopped"])
    batch = spider.drain()
    (item,) = batch.attachments
    assert (item.size, item.body) == (size, b"")
    assert item.skipped == "文件超过 1 MB，未检查内容"
    assert batch.results[0].outcome == "ok"  # too large to read is not broken


def test_an_attachment_of_undeclared_size_is_cut_off_at_the_limit():
    crawler, spider, linked = article_with_attachments()
    pdf = linked[f"{SITE}/files/big.pdf"]
    assert headers_received(crawler, pdf, {"Content-Type": "application/pdf"}, None) is None
    chunk = b"0" * (256 * 1024)
    stops = [bytes_received(crawler, pdf, chunk) for _ in range(5)]
    assert stops[:4] == [None] * 4 and isinstance(stops[4], StopDownload)
    answer(pdf, 200, chunk * 5, {}, flags=["download_stopped"])
    batch = spider.drain()
    assert batch.attachments[0].skipped == "文件超过 1 MB，未检查内容"
    assert batch.attachments[0].size == 5 * 256 * 1024


def test_bodies_nobody_reads_are_not_downloaded():
    spider, outputs = home_with(
        '<a href="http://www.other.gov.cn/report">报告</a><a href="/a.html">甲</a>'
        '<a href="http://www.other.gov.cn/huge.html">大页</a>'
    )
    crawler = spider.crawler
    linked = by_url(outputs)
    # A link that turns out to be a file: its body would tell nothing more.
    stop = headers_received(crawler, linked[f"{OTHER}/report"], {"Content-Type": "image/png"}, 9)
    assert isinstance(stop, StopDownload) and not stop.fail
    # Another site's huge HTML page: checked, not read.
    too_big = CHECK_BODY_LIMIT + 1
    huge = headers_received(
        crawler, linked[f"{OTHER}/huge.html"], {"Content-Type": "text/html"}, too_big
    )
    assert isinstance(huge, StopDownload)
    # A page of the site is read whatever its size.
    own = headers_received(
        crawler, linked[f"{SITE}/a.html"], {"Content-Type": "text/html"}, too_big
    )
    assert own is None


# -- items -----------------------------------------------------------------------------------


def test_pages_and_results_leave_in_batches_and_the_rest_is_drained_at_close():
    images = [f"{OTHER}/img/{n}.png" for n in range(150)]
    spider, outputs = home_with("".join(f'<img src="{url}">' for url in images))
    linked = by_url(outputs)
    emitted: list[ScanBatch] = batches(answer(probe_of(outputs), 404))
    for url in images:
        emitted += batches(answer(linked[url], 200, b"", {"Content-Type": "image/png"}))
    assert [len(b.pages) + len(b.results) for b in emitted] == [BATCH_SIZE]
    emitted.append(spider.drain())
    assert spider.drain() == ScanBatch([], [], [])  # drained once: nothing twice
    urls = [r.url for batch in emitted for r in batch.results]
    assert sorted(urls) == sorted([HOME, *images])
    assert [p.url for batch in emitted for p in batch.pages] == [HOME]
