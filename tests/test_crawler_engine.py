"""A whole portal crawl through Scrapy's engine, in this process, against a fake site.

The scheduler, the downloader with the project's middlewares and the spider run as in a
scan; only the network is replaced (``FakeSiteHandler``: a dict of URLs). What a
subprocess scan of the sample portal shows for links, here in well under a second.
"""

from __future__ import annotations

from collections import Counter

from crawler.fetch_policy import FetchPolicy
from tests.crawler_harness import FakeSite, Reply, crawl

SITE = "http://www.example.gov.cn"
OTHER = "http://www.other.gov.cn"
PDF = "application/pdf"


def page(title: str, body: str = "", meta: str = "") -> str:
    return f"<html><head><title>{title}</title>{meta}</head><body>{body}</body></html>"


def portal() -> FakeSite:
    return FakeSite(
        {
            f"{SITE}/": Reply(
                body=page(
                    "首页",
                    '<a href="/xwzx/index.html">新闻</a> <a href="/old.html">旧址</a>'
                    '<a href="/gone.html">已删除</a> <a href="/missing.html">不存在</a>'
                    '<a href="/busy.html">偶发错误</a> <a href="/slow.html">超时</a>'
                    '<img src="/img/logo.png"> <a href="/files/a.pdf">附件</a>'
                    '<a href="http://www.other.gov.cn/x.html">外站</a>',
                )
            ),
            f"{SITE}/xwzx/index.html": Reply(
                body=page(
                    "新闻",
                    '<a href="/xwzx/1.html">一</a>'
                    '<script>createPageHTML(2, 0, "index", "html");</script>',
                )
            ),
            f"{SITE}/xwzx/index_1.html": Reply(body=page("新闻", '<a href="/xwzx/2.html">二</a>')),
            f"{SITE}/xwzx/1.html": Reply(body=page("一", '<a href="/">首页</a>')),
            f"{SITE}/xwzx/2.html": Reply(body=page("二", '<img src="/img/logo.png">')),
            f"{SITE}/old.html": Reply(301, headers={"Location": "/new.html"}),
            f"{SITE}/new.html": Reply(body=page("新址")),
            f"{SITE}/gone.html": Reply(body=page("页面不存在")),
            f"{SITE}/busy.html": [Reply(503), Reply(body=page("偶发"))],
            f"{SITE}/slow.html": Reply(body=page("慢"), delay_s=5),
            f"{SITE}/img/logo.png": Reply(content_type="image/png", body=b"\x89PNG"),
            f"{SITE}/files/a.pdf": [Reply(405), Reply(content_type=PDF, body=b"%PDF-1.4")],
            f"{OTHER}/x.html": Reply(body=page("外站", '<a href="/never.html">不抓</a>')),
        }
    )


def test_a_crawl_follows_the_site_checks_the_rest_and_emits_each_url_once():
    site = portal()
    run = crawl(
        site,
        settings={"DOWNLOAD_TIMEOUT": 0.1},
        start_urls=[f"{SITE}/"],
        allowed_domains=["www.example.gov.cn"],
        policy=FetchPolicy(retries=1, backoff_s=0.01),
    )
    assert run.finish_reason == "finished"
    outcomes = {url: (r.outcome, r.http_status, r.error) for url, r in run.results.items()}
    assert outcomes == {
        f"{SITE}/": ("ok", 200, None),
        f"{SITE}/xwzx/index.html": ("ok", 200, None),
        f"{SITE}/xwzx/index_1.html": ("ok", 200, None),
        f"{SITE}/xwzx/1.html": ("ok", 200, None),
        f"{SITE}/xwzx/2.html": ("ok", 200, None),
        f"{SITE}/old.html": ("ok", 200, None),
        f"{SITE}/new.html": ("ok", 200, None),
        f"{SITE}/gone.html": ("broken", 200, "soft_404"),
        f"{SITE}/missing.html": ("broken", 404, "http_404"),
        f"{SITE}/busy.html": ("ok", 200, None),
        f"{SITE}/slow.html": ("broken", None, "timeout"),
        f"{SITE}/img/logo.png": ("ok", 200, None),
        f"{SITE}/files/a.pdf": ("ok", 200, None),
        f"{OTHER}/x.html": ("ok", 200, None),
    }
    assert sorted(p.url for p in run.pages) == sorted(
        [
            f"{SITE}/",
            f"{SITE}/xwzx/index.html",
            f"{SITE}/xwzx/index_1.html",
            f"{SITE}/xwzx/1.html",
            f"{SITE}/xwzx/2.html",
            f"{SITE}/old.html",
            f"{SITE}/busy.html",
        ]
    )
    # Each URL fetched once, but for a retry, a HEAD refused, and one probe per host.
    fetched = Counter(url for _, url in site.log if "/govwatch-probe-" not in url)
    assert {url: n for url, n in fetched.items() if n > 1} == {
        f"{SITE}/busy.html": 2,
        f"{SITE}/slow.html": 2,
        f"{SITE}/files/a.pdf": 2,
    }
    assert site.requested(f"{SITE}/files/a.pdf") == ["HEAD", "GET"]
    assert f"{OTHER}/never.html" not in fetched
    probes = {url.split("/govwatch-probe-")[0] for _, url in site.log if "probe" in url}
    assert probes == {SITE, OTHER}


def test_a_crawl_reads_the_sites_attachments_up_to_the_limit():
    body = b"%PDF-1.4 " + b"0" * 1000
    site = FakeSite(
        {
            f"{SITE}/": Reply(
                body=page(
                    "通知",
                    '<a href="/small.pdf">小</a><a href="/big.pdf">大</a>'
                    '<a href="/stream.pdf">未声明大小</a>'
                    '<a href="http://www.other.gov.cn/law.pdf">外站</a>',
                    '<meta name="PubDate" content="2024-11-18">',
                )
            ),
            f"{SITE}/small.pdf": Reply(content_type=PDF, body=body),
            f"{SITE}/big.pdf": Reply(content_type=PDF, body=body * 1100),
            f"{SITE}/stream.pdf": Reply(content_type=PDF, body=body * 1100, declare_length=False),
            f"{OTHER}/law.pdf": Reply(content_type=PDF, body=body),
        }
    )
    run = crawl(
        site,
        start_urls=[f"{SITE}/"],
        allowed_domains=["www.example.gov.cn"],
        attachment_max_bytes=1024 * 1024,
    )
    attachments = {a.url: a for b in run.batches for a in b.attachments}
    assert sorted(attachments) == [f"{SITE}/big.pdf", f"{SITE}/small.pdf", f"{SITE}/stream.pdf"]
    small = attachments[f"{SITE}/small.pdf"]
    assert (small.body, small.skipped, small.linked_from) == (body, None, f"{SITE}/")
    for url in (f"{SITE}/big.pdf", f"{SITE}/stream.pdf"):
        assert attachments[url].body == b""
        assert attachments[url].skipped == "文件超过 1 MB，未检查内容"
    assert attachments[f"{SITE}/big.pdf"].size == len(body) * 1100
    assert site.requested(f"{OTHER}/law.pdf") == ["HEAD"]
    assert all(r.outcome == "ok" for r in run.results.values())
