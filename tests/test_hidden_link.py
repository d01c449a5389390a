from __future__ import annotations

from lxml import html

from detectors.hidden_link import HiddenLinkDetector, find_hidden_links
from detectors.page import PageContext

OWN = ("www.longnan.gov.cn",)
URL = "http://www.longnan.gov.cn/xwzx/a.html"


def hidden(body: str) -> list[tuple[str, str]]:
    root = html.fromstring(f"<html><head></head><body>{body}</body></html>")
    return [(h.target_url, h.link_text) for h in find_hidden_links(root, URL, OWN)]


def findings(body: str, spam=lambda text: "娱乐城" in text) -> list[str]:
    root = html.fromstring(f"<html><head></head><body>{body}</body></html>")
    page = PageContext(url=URL, title="", meta={}, root=root)
    return [f.details["target_url"] for f in HiddenLinkDetector(OWN, spam).check(page)]


def test_classic_injected_blocks():
    assert hidden(
        '<div style="position:absolute; left:-9999px"><a href="http://x.com/">澳门娱乐城</a></div>'
    ) == [("http://x.com/", "澳门娱乐城")]
    assert hidden('<p style="font-size:0px"><a href="http://y.com/">买球</a></p>') == [
        ("http://y.com/", "买球")
    ]
    assert hidden('<marquee height="1" width="1"><a href="http://z.com/">z</a></marquee>') == [
        ("http://z.com/", "z")
    ]
    assert hidden('<div style="text-indent:-999em"><a href="http://t.com/">t</a></div>') == [
        ("http://t.com/", "t")
    ]
    assert hidden(
        '<div style="width:0;height:0;overflow:hidden"><a href="http://w.com/">w</a></div>'
    ) == [("http://w.com/", "w")]


def test_stylesheet_rules_and_hidden_attribute():
    body = '<style>.xx{display:none}</style><div class="a xx"><a href="http://s.com/">s</a></div>'
    assert hidden(body) == [("http://s.com/", "s")]
    assert hidden('<div hidden><span><a href="http://h.com/">h</a></span></div>') == [
        ("http://h.com/", "h")
    ]


def test_visible_and_own_links_are_not_hidden_links():
    assert hidden('<div><a href="http://x.com/">友情链接</a></div>') == []
    assert hidden('<div style="display:none"><a href="/xxgk/">信息公开</a></div>') == []
    assert (
        hidden('<div style="display:none"><a href="http://www.longnan.gov.cn/a/">本站</a></div>')
        == []
    )


def test_hidden_menus_to_government_sites_are_not_reported():
    menu = '<ul style="display:none"><li><a href="http://www.jiangxi.gov.cn/">江西省人民政府</a></li></ul>'
    assert findings(menu) == []
    spam = (
        '<ul style="display:none"><li><a href="http://www.jiangxi.gov.cn/">澳门娱乐城</a></li></ul>'
    )
    assert findings(spam) == ["http://www.jiangxi.gov.cn/"]
    commercial = '<div style="display:none"><a href="http://shop.example.com/">点击</a></div>'
    assert findings(commercial) == ["http://shop.example.com/"]
    offscreen_gov = '<div style="left:-5000px"><a href="http://www.gov.cn/">中国政府网</a></div>'
    assert findings(offscreen_gov) == ["http://www.gov.cn/"]


def test_one_finding_per_target():
    body = '<div style="display:none"><a href="http://x.com/">a</a><a href="http://x.com/#b">b</a></div>'
    assert hidden(body) == [("http://x.com/", "a")]
