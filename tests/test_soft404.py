from __future__ import annotations

from crawler.soft404 import PageSignature, matches_probe, says_not_found


def test_marker_in_title_or_short_body():
    assert says_not_found("页面不存在", None)
    assert says_not_found("404 Not Found", None)
    assert says_not_found("提示", "抱歉，您访问的页面不存在或已被删除")
    assert not says_not_found("关于做好2024年度404项重点工程的通知", None)
    long_article = "市政府召开常务会议。" * 100 + "已删除违规信息。"
    assert not says_not_found("市政府常务会议", long_article)


def test_probe_match():
    nav = "首页 新闻中心 信息公开 在线服务 " * 5
    probe = PageSignature.of(
        "http://x/p123.html", "旅游网 - 提示", nav + "您要找的内容可能已经移走"
    )
    same = PageSignature.of(
        "http://x/old/a.html", "旅游网 - 提示", nav + "您要找的内容可能已经移走"
    )
    real = PageSignature.of("http://x/news/1.html", "旅游网 - 新闻", nav + "景区开放时间调整" * 30)
    assert matches_probe("http://x/old/a.html", same, probe)
    assert not matches_probe("http://x/news/1.html", real, probe)
    assert not matches_probe("http://x/", same, probe)  # home page is never a soft 404


def test_probe_redirect_to_same_error_page():
    probe = PageSignature.of("http://x/error.html", "错误", "")
    page = PageSignature.of("http://x/error.html", "错误", "")
    assert matches_probe("http://x/old.html", page, probe)
    assert not matches_probe("http://x/error.html", page, probe)
