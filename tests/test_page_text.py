"""Visible text of a page: what is read, what is skipped, where each stretch came from."""

from __future__ import annotations

import lxml.html
import pytest
from lxml import etree

from detectors.page_text import SOURCE_LABELS, PageText, visible_text


def page(body: str, head: str = "") -> PageText:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return visible_text(lxml.html.document_fromstring(html))


def lines(text: PageText) -> list[str]:
    return text.text.split("\n")


def test_inline_elements_do_not_split_words() -> None:
    assert page("<p>各部门要认真布<span>署</span>落实</p>").text == "各部门要认真布署落实"
    assert page("<p>法<b>轮</b><a href='#'>功</a><font color=red>x</font></p>").text == "法轮功x"


@pytest.mark.parametrize(
    "body",
    [
        "<table><tr><td>法</td><td>轮功</td></tr></table>",
        "<p>法</p><p>轮功</p>",
        "<div>法<br>轮功</div>",
        "<ul><li>法</li><li>轮功</li></ul>",
        "<h1>法</h1>轮功",
        "<div>法<div>轮功</div></div>",
    ],
)
def test_blocks_separate_text(body: str) -> None:
    assert lines(page(body)) == ["法", "轮功"]


def test_whitespace_collapses_like_a_browser() -> None:
    text = page("<div>\n   <p>  第一段\n  内容  </p>\n\n  <p>\t第二段&nbsp;&nbsp;内容</p>\n</div>")
    assert lines(text) == ["第一段 内容", "第二段 内容"]
    assert page("<p>甲<a>乙</a> <a>丙</a></p>").text == "甲乙 丙"


def test_nothing_invisible_is_read() -> None:
    body = (
        "<p>可见</p>"
        "<script>var s = '脚本文字';</script>"
        "<style>.x{content:'样式文字'}</style>"
        "<!-- 注释文字 -->"
        "<input type='hidden' value='隐藏值'>"
        "<input type='text' value='输入值'>"
        "<template><p>模板文字</p></template>"
        "<noscript>请启用脚本</noscript>"
        "<div hidden>隐藏属性</div>"
        "<div style='DISPLAY : None'>不显示</div>"
        "<span style='color:red;visibility:hidden'>不可见</span>"
        "<div ng-show='x' class='row ng-hide'>Angular 隐藏的模板</div>"
        "<p>尾部</p>"
    )
    assert lines(page(body)) == ["可见", "尾部"]


def test_only_angulars_own_ng_hide_class_hides() -> None:
    body = (
        "<p class='ng-hide-add'>动画中</p><p class='xng-hide'>相似类名</p>"
        "<p class='NG-HIDE'>大小写不同</p><p ng-hide='x'>只有属性</p><p class='a ng-hide'>藏</p>"
    )
    assert lines(page(body)) == ["动画中", "相似类名", "大小写不同", "只有属性"]


def test_tails_of_skipped_elements_are_visible() -> None:
    body = "<p>前<!-- 注释 -->中<script>x()</script>后<span hidden>藏</span>末</p>"
    assert page(body).text == "前中后末"


def test_title_description_and_alt_with_their_sources() -> None:
    head = (
        "<title>某某市 人民政府</title>"
        "<meta name='keywords' content='关键词'>"
        "<meta name='Description' content='页面 描述'>"
    )
    body = "<p>正文一<img src='a.png' alt=' 图片 说明 '>正文二</p><img src='b.png' alt=''>"
    text = page(body, head)
    assert lines(text) == ["某某市 人民政府", "页面 描述", "正文一", "图片 说明", "正文二"]
    sources = [(text.text[s:e], src) for s, e, src in text.segments]
    assert sources == [
        ("某某市 人民政府", "title"),
        ("页面 描述", "meta"),
        ("正文一", "body"),
        ("图片 说明", "alt"),
        ("正文二", "body"),
    ]
    assert text.source_at(text.text.index("人民")) == "title"
    assert text.source_at(text.text.index("描述")) == "meta"
    assert text.source_at(text.text.index("说明")) == "alt"
    assert text.source_at(text.text.index("正文二")) == "body"
    assert text.label_at(text.text.index("说明")) == "图片说明"
    assert set(SOURCE_LABELS) == {"title", "meta", "alt", "body"}


def test_button_values_are_read() -> None:
    assert lines(page("搜索框<input type='SUBMIT' value='搜索'>")) == ["搜索框", "搜索"]


def test_marker_characters_in_the_page_do_not_confuse_segments() -> None:
    text = page("<p>甲\x01乙\x02丙</p><img alt='图'>")
    assert lines(text) == ["甲乙丙", "图"]
    assert [src for _s, _e, src in text.segments] == ["body", "alt"]


def test_fragment_without_body() -> None:
    root = lxml.html.fragment_fromstring("<div><p>片段</p><p>内容</p></div>")
    assert lines(visible_text(root)) == ["片段", "内容"]


def test_empty_page() -> None:
    text = page("")
    assert text.text == ""
    assert text.segments == ()
    assert text.source_at(0) == "body"


def test_tree_is_not_modified() -> None:
    root = lxml.html.document_fromstring(
        "<html><head><title>t</title></head><body><p>a<script>x</script>"
        "<img alt='b'><div hidden>c</div></p></body></html>"
    )
    before = etree.tostring(root)
    visible_text(root)
    assert etree.tostring(root) == before


def test_text_only_subject_keeps_lines_and_labels_title():
    from detectors.page import PageContext
    from detectors.registry import DETECTORS
    from detectors.runner import run_detectors

    page = PageContext.from_text(
        "http://x/a.pdf", "关于 布署 工作", "第一行  文字\n\n 第二行\u200b"
    )
    assert page.text.text == "关于 布署 工作\n第一行 文字\n第二行\u200b"
    assert page.text.label_at(0) == "标题"
    assert page.text.label_at(12) == "正文"
    assert page.published is None
    # Markup detectors never receive text without markup: the runner skips them.
    hidden = next(d for d in DETECTORS if d.id == "hidden_link")

    class Exploding(hidden):
        def check(self, page):
            raise AssertionError("a markup detector was given plain text")

    result = run_detectors([Exploding(("x",), lambda _text: True)], page)
    assert result.findings == [] and result.failures == []


def test_parse_html_gives_the_detectors_a_plain_tree() -> None:
    """The worker's parse: plain lxml elements (no per-element Python class lookup),
    the same text as ``lxml.html`` gives, ``None`` for a page without elements."""
    from detectors.page import parse_html

    html = "<html><head><title>标题</title></head><body><p>布<span>署</span></p></body></html>"
    root = parse_html(html.encode())
    assert type(root) is etree._Element
    assert visible_text(root) == visible_text(lxml.html.document_fromstring(html))
    assert visible_text(root).text == "标题\n布署"
    assert parse_html(b"") is None
    assert parse_html(b"  <!-- only a comment -->") is None
