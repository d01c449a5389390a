"""A stray ``</html>`` or ``</body>`` (an included header that is a whole document) must
not cost the page its body: libxml2 drops what follows ``</html>`` and puts what follows
``</body>`` outside the body, a browser shows both."""

from __future__ import annotations

from lxml import etree
from scrapy.http import HtmlResponse

from crawler.page_links import extract_links, page_meta
from crawler.spiders.portal import _page_root
from detectors.page import parse_html, premature_end, repair_html
from detectors.page_text import visible_text

# A header include whose file ends the document (its start tags were trimmed, its end tags
# kept); libxml2 would drop everything after it. (A whole nested document is survived:
# libxml2 counts the nested <html>.)
HEADER = '<div class="top"><a href="/">首页</a></div></body></html>'
NESTED = (
    "<html><head><title>页头</title></head><body>"
    '<div class="top"><a href="/">首页</a></div></body></html>'
)
ARTICLE = (
    '<div class="content"><h1>关于开展安全检查的通知</h1>'
    "<p>各乡镇人民政府：为切实做好安全生产工作，现将有关事项通知如下。</p></div>"
    '<a href="/xxgk/202411/t20241115_1.html">相关文件</a>'
)


def page(middle: str) -> str:
    return (
        '<html><head><title>通知</title><meta name="ArticleTitle" content="关于开展安全检查的通知">'
        f"</head><body>{middle}</body></html>\n"
    )


def test_text_after_an_included_documents_end_is_read():
    for header in (HEADER, NESTED):
        html = page(header + ARTICLE).encode()
        assert premature_end(html) is not None
        text = visible_text(parse_html(html)).text
        assert "为切实做好安全生产工作" in text and "首页" in text


def test_text_after_a_stray_body_end_tag_is_in_the_body():
    html = page('<div class="top">页头</div></BODY>' + ARTICLE).encode()
    assert "为切实做好安全生产工作" in visible_text(parse_html(html)).text


def test_a_normal_end_is_left_alone():
    for tail in ("", "\n<!-- 统计 -->\n", "<script>var _hmt = [];</script>\n", "\n</text>\n"):
        html = page(ARTICLE) + tail
        assert premature_end(html) is None and repair_html(html) is html
        assert premature_end(html.encode()) is None


def test_end_tags_inside_a_script_are_not_the_end():
    html = page('<script>document.write("</body></html>");</script>' + ARTICLE)
    assert premature_end(html) is None
    assert "为切实做好安全生产工作" in visible_text(parse_html(html.encode())).text


def test_str_and_bytes_agree():
    html = "<html><body><p>head</p></body></html>\n<p>body</p></body></html>"
    assert premature_end(html) == premature_end(html.encode()) == 23
    assert repair_html(html) == "<html><body><p>head</p>\n<p>body</p>"
    assert repair_html(html.encode()) == repair_html(html).encode()


def test_the_crawl_follows_links_after_a_stray_end():
    html = page(HEADER + ARTICLE)
    response = HtmlResponse(url="http://www.example.gov.cn/a.html", body=html.encode())
    root, _cut = _page_root(response)
    targets = {link.target_url for link in extract_links(root, response.url)}
    assert "http://www.example.gov.cn/xxgk/202411/t20241115_1.html" in targets
    assert page_meta(root)["ArticleTitle"] == "关于开展安全检查的通知"
    # an ordinary page reads as Scrapy's own tree would
    plain = HtmlResponse(url=response.url, body=page(ARTICLE).encode())
    root, cut = _page_root(plain)
    assert cut is None
    assert etree.tostring(root) == etree.tostring(plain.selector.root)
