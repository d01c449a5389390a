"""Content cannot hide from the detectors behind deep nesting.

libxml2 stopped building the tree at 256 levels (2,048 with ``huge_tree``) and dropped
the rest of the page: behind 300 ``<div>``s a hidden gambling link, a typo and an
unmasked mobile number were silently missed, behind 3,000 even the links were not
extracted. Here the worker's functions and a real scan of a hostile local site find all
three at depth 300 and 5,000, and a page read with its nesting cut says so.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from lxml import etree
from sqlalchemy import select

from crawler import page_detection
from crawler.page_links import extract_links
from detectors import page_text
from detectors.deep_markup import (
    MAX_DEPTH,
    flatten_nesting,
    html_parser,
    parse_bounded,
    too_deep,
)
from detectors.page import parse_html
from govwatch.config import parse_config
from storage.db import open_database
from storage.models import Page, Scan
from tests.hostile_site import HostileSite

CASINO = "http://casino.example.com/"
PLANTED = {("hidden_link", "veto"), ("term", "high"), ("privacy_leak", "high")}


def deep_page(depth: int, tag: str = "div", n: int = 0) -> str:
    """A page whose planted problems sit ``depth`` levels deep, with a link beside them
    and one after the nesting."""
    return (
        f"<html><head><title>通知{n}</title></head><body>"
        + f'<{tag} class="wrap">' * depth
        + "<p>请与区攻府办公室联系，联系人手机13812345678。</p>"
        + f'<div style="display:none"><a href="{CASINO}">澳门赌场</a></div>'
        + f'<p><a href="/inside{n}.html">相关文件</a></p>'
        + f"</{tag}>" * depth
        + f'<p><a href="/after{n}.html">下一篇</a></p></body></html>'
    )


def depth_of(root) -> int:
    return max(sum(1 for _ in el.iterancestors()) + 1 for el in root.iter())


@pytest.fixture
def worker(monkeypatch):
    """The detection worker's functions with every page detector of a site config."""
    config = parse_config("site: {id: t, name: 测试, start_urls: ['http://127.0.0.1:8000/']}")
    monkeypatch.setattr(page_detection, "_detectors", [])
    page_detection._load(config)
    return page_detection


@pytest.mark.parametrize("depth", [300, MAX_DEPTH - 4, 1000, 2100, 5000])
def test_worker_finds_what_deep_nesting_hides(worker, depth):
    found = worker.check_page("http://127.0.0.1:8000/a.html", "通知", {}, deep_page(depth))
    assert not found.failures
    assert {(f.detector, f.severity) for f in found.findings} == PLANTED
    (hidden,) = [f for f in found.findings if f.detector == "hidden_link"]
    assert hidden.details["target_url"] == CASINO


def test_the_text_walk_reads_the_deepest_tree_kept(worker):
    """The walk recurses once per level: the trees stay within MAX_DEPTH."""
    for depth in (MAX_DEPTH - 3, 20_000):
        root = parse_html(deep_page(depth).encode())
        assert depth_of(root) <= MAX_DEPTH
        text = page_text.visible_text(root).text
        assert "区攻府办公室" in text and "下一篇" in text


def test_pages_within_the_limit_are_parsed_exactly():
    html = deep_page(300).encode()
    root, cut = parse_bounded(html, html_parser())
    assert cut is None and depth_of(root) == 2 + 300 + 2  # html, body, the wrappers, div, a
    assert [link.target_url for link in extract_links(root, "http://h/")] == [
        CASINO,
        "http://h/inside0.html",
        "http://h/after0.html",
    ]


@pytest.mark.parametrize("tag", ["div", "span", "font", "section"])
def test_deep_pages_keep_every_text_and_link_and_say_what_was_cut(tag):
    root, cut = parse_bounded(deep_page(5000, tag).encode(), html_parser())
    assert cut is not None and cut.levels >= 5000 and cut.dropped > 0
    assert "标签嵌套 5004 层" in cut.describe()  # html, body, the wrappers, div, a
    assert depth_of(root) <= MAX_DEPTH
    links = [link.target_url for link in extract_links(root, "http://h/")]
    assert links == [CASINO, "http://h/inside0.html", "http://h/after0.html"]
    # the hiding wrapper beside the link is kept, so the link is still hidden
    casino = next(a for a in root.iter("a") if a.get("href") == CASINO)
    assert casino.getparent().get("style") == "display:none"


def test_parsel_trees_cut_by_libxml2_are_recognised():
    from parsel import Selector

    assert not too_deep(Selector(text=deep_page(300)).root)
    cut_short = Selector(text=deep_page(5000)).root  # huge_tree: stops at 2,048 levels
    assert extract_links(cut_short, "http://h/") == []
    assert too_deep(cut_short)


def test_markup_that_only_looks_deep_is_left_alone():
    """Tags inside scripts, styles, comments, titles and textareas do not nest; nor do
    void, self-closed and auto-closed elements; an end tag does not leave a cell."""
    fake = (
        "<html><head><title>" + "<div>" * 3000 + "</title>"
        "<script>var s = '" + "<div>" * 3000 + "';</script></head><body>"
        "<!--" + "<div>" * 3000 + "-->"
        "<textarea>"
        + "<div>" * 3000
        + "</textarea>"
        + "<br><img src=x.png><div/>" * 3000
        + "<table><tr><td>"
        + "</div>" * 10
        + "x</td></tr></table>"
        "</body></html>"
    ).encode()
    flat, cut = flatten_nesting(fake, 100, 300)
    assert cut is None and flat == fake
    _root, cut = parse_bounded(fake, html_parser())
    assert cut is None


def test_flattening_keeps_the_outer_and_inner_levels():
    html = ("<div>" * 1000 + "<b>x</b>" + "</div>" * 1000).encode()
    flat, cut = flatten_nesting(html, 10, 20)
    assert cut is not None and cut.levels == 1001
    root = etree.fromstring(flat, parser=html_parser())
    assert depth_of(root) <= 10 + 20 + 2  # html and body
    assert root.findtext(".//b") == "x"


def test_markup_that_misleads_the_tokenizer_is_cut_in_the_tree(monkeypatch):
    from detectors import deep_markup

    monkeypatch.setattr(deep_markup, "flatten_nesting", lambda html, outer, inner: (html, None))
    root, cut = parse_bounded(deep_page(1000).encode(), html_parser())
    assert cut is not None and depth_of(root) <= MAX_DEPTH
    assert [link.target_url for link in extract_links(root, "http://h/")] == [
        CASINO,
        "http://h/inside0.html",
        "http://h/after0.html",
    ]
    assert "区攻府办公室" in page_text.visible_text(root).text


# -- a real scan of a hostile local site ---------------------------------------------------


@pytest.mark.integration  # a govwatch scan subprocess against a local site
def test_scan_of_deep_pages_finds_the_planted_problems(tmp_path):
    pages = {
        "/": '<html><body><a href="/d300.html">浅</a><a href="/d5000.html">深</a></body></html>',
        "/d300.html": deep_page(300, n=300),
        "/d5000.html": deep_page(5000, n=5000),
    }
    for n in (300, 5000):
        pages[f"/inside{n}.html"] = "<html><body><p>正文</p></body></html>"
        pages[f"/after{n}.html"] = "<html><body><p>正文</p></body></html>"
    db_url = f"sqlite:///{tmp_path / 'govwatch.db'}"
    with HostileSite(pages) as site:
        config = tmp_path / "site.yaml"
        config.write_text(site.config_yaml(), encoding="utf-8")
        scan = subprocess.run(
            [sys.executable, "-m", "govwatch", "scan", "--config", str(config), "--db", db_url],
            capture_output=True,
            text=True,
            timeout=180,
        )
        base = site.url.rstrip("/")
    assert scan.returncode == 0, scan.stderr
    found = json.loads(
        subprocess.run(
            [sys.executable, "-m", "govwatch", "findings", "--db", db_url, "--format", "json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    for n in (300, 5000):
        on_page = {
            (f["detector"], f["severity"]) for f in found if f["page_url"] == f"{base}/d{n}.html"
        }
        assert on_page >= PLANTED, n  # (and the casino link is broken: it does not resolve)
    db = open_database(db_url)
    with db.session() as session:
        crawled = set(session.scalars(select(Page.url)))
        stats = session.scalars(select(Scan.stats)).one()
    db.dispose()
    for n in (300, 5000):  # the links inside and after the nesting were extracted
        assert {f"{base}/inside{n}.html", f"{base}/after{n}.html"} <= crawled
    # the deeper page was read with its nesting cut, and the scan says so
    assert stats["deep_pages"] == {"count": 1, "urls": [f"{base}/d5000.html"]}
    assert f"注意：1 个页面的标签嵌套超过 {MAX_DEPTH} 层" in scan.stdout
    assert f"{base}/d5000.html" in scan.stdout


@pytest.mark.parametrize("depth", [300, 5000])
def test_new_media_posts_and_articles_hide_nothing_in_deep_nesting(depth):
    from datetime import datetime

    from common.clock import BEIJING
    from crawler.new_media.posts import body_from_html
    from crawler.new_media.wechat import parse_article

    inner = (
        '<div class="w">' * depth
        + "<p>请与区攻府办公室联系，联系人手机13812345678。</p>"
        + '<p><a href="http://127.0.0.1/a.html">原文</a></p>'
        + "</div>" * depth
        + "<p>结尾</p>"
    )
    post = body_from_html(inner, "http://mirror/post/1")
    assert "区攻府办公室" in post.text and "13812345678" in post.text and "结尾" in post.text
    assert [link.target_url for link in post.links] == ["http://127.0.0.1/a.html"]
    page = (
        '<html><head><title>文章</title></head><body><h1 id="activity-name">标题</h1>'
        f'<div id="js_content">{inner}</div><script>var ct = "1732271400";</script></body></html>'
    )
    article = parse_article(page, "http://mirror/s/1", datetime(2024, 11, 25, tzinfo=BEIJING))
    assert article.state == "article" and "区攻府办公室" in article.text
    assert [link.target_url for link in article.links] == ["http://127.0.0.1/a.html"]
