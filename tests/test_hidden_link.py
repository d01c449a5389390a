"""hidden_link on strings: what a visitor sees (the cascade), and what is 暗链."""

from __future__ import annotations

import dataclasses

import pytest

from detectors.hidden_link import (
    HiddenLinkDetector,
    find_hidden_links,
    find_injected_links,
    registered_domain,
)
from detectors.hidden_link_data import bundled_hidden_link_data
from detectors.page import PageContext, parse_html
from detectors.resources import spam_term

OWN = ("www.longnan.gov.cn",)
URL = "http://www.longnan.gov.cn/xwzx/a.html"
LINK = '<a href="http://x.example.com/">x</a>'
# Enough of the page's own text that a hiding block is never taken for the whole page.
PAGE_TEXT = "<p>" + "龙南市人民政府门户网站正文。" * 30 + "</p>"


def tree(body: str, head: str = ""):
    html = f"<html><head>{head}</head><body>{PAGE_TEXT}{body}</body></html>"
    return parse_html(html.encode())


def hidden(body: str, head: str = "") -> list[tuple[str, str]]:
    """(link text, how it is hidden) of the hidden off-site links."""
    return [(h.link_text, h.how) for h in find_hidden_links(tree(body, head), URL, OWN)]


def is_hidden(body: str, head: str = "") -> bool:
    return bool(hidden(body, head))


def injected(body: str, head: str = "", **kwargs) -> list[tuple[str, str]]:
    """(target, evidence) of the hidden links judged 暗链, with the bundled data."""
    data = bundled_hidden_link_data()
    found = find_injected_links(tree(body, head), URL, OWN, data, spam_term, **kwargs)
    return [(f.target_url, f.signal) for f in found]


def targets(body: str, head: str = "", **kwargs) -> list[str]:
    return [target for target, _ in injected(body, head, **kwargs)]


# --- visibility: the cascade ---------------------------------------------------------------


def test_inline_styles_and_the_hidden_attribute():
    assert hidden(f'<div style="display:none">{LINK}</div>') == [("x", "display:none（行内样式）")]
    assert hidden(f"<div hidden><span>{LINK}</span></div>") == [("x", "hidden 属性")]
    assert hidden(f'<div style="visibility:hidden"><p>{LINK}</p></div>') == [
        ("x", "visibility:hidden")
    ]
    assert not is_hidden(f"<div>{LINK}</div>")
    # aria-hidden hides from screen readers, not from the eye.
    assert not is_hidden(f'<div aria-hidden="true">{LINK}</div>')
    # IE-only hacks are not CSS a browser applies today.
    assert not is_hidden(f'<div style="*display:none">{LINK}</div>')


@pytest.mark.parametrize(
    ("css", "markup"),
    [
        (".gg{display:none}", f'<div class="a gg">{LINK}</div>'),
        ("#gg{display:none}", f'<div id="gg">{LINK}</div>'),
        ("section{display:none}", f"<section>{LINK}</section>"),
        ("#f .box a{display:none}", f'<div id="f"><div class="box">{LINK}</div></div>'),
        ("#f > .box{display:none}", f'<div id="f"><div class="box">{LINK}</div></div>'),
        (".q, .w{display:none}", f'<div class="w">{LINK}</div>'),
        ("div[data-x]{display:none}", f'<div data-x="1">{LINK}</div>'),
    ],
)
def test_page_rules_for_the_selectors_real_sites_use(css, markup):
    assert is_hidden(f"<style>{css}</style>{markup}")


def test_a_selector_that_does_not_match_hides_nothing():
    assert not is_hidden(f'<style>#f > a{{display:none}}</style><div id="f"><p>{LINK}</p></div>')
    assert not is_hidden(f'<style>.gg{{display:none}}</style><div class="ggg">{LINK}</div>')


def test_specificity_and_source_order():
    # #id beats .class whatever the order.
    assert is_hidden(
        f'<style>#i{{display:none}} .c{{display:block}}</style><div id="i" class="c">{LINK}</div>'
    )
    div = f'<div id="i" class="c d">{LINK}</div>'
    assert not is_hidden(f"<style>.c{{display:none}} div#i{{display:block}}</style>{div}")
    # Equal specificity: the later rule wins, across <style> blocks too.
    assert not is_hidden(
        f"<style>.c{{display:none}}</style><style>.d{{display:block}}</style>{div}"
    )
    assert is_hidden(f"<style>.d{{display:block}}</style><style>.c{{display:none}}</style>{div}")


def test_inline_style_overrides_page_rules_unless_important():
    # 011 (nfra.gov.cn): .content{display:none} in the page, style="display:block" on it.
    content = f'<div class="content" style="display: block;">{LINK}</div>'
    assert not is_hidden(f"<style>.content{{display:none}}</style>{content}")
    important = "<style>.c{display:none !important}</style>"
    assert is_hidden(f'{important}<div class="c" style="display:block">{LINK}</div>')
    assert not is_hidden(f'{important}<div class="c" style="display:block !important">{LINK}</div>')


def test_a_child_cannot_show_itself_inside_a_hidden_ancestor():
    # display:none hides the whole subtree: no display value of a child undoes it …
    assert is_hidden(f'<div style="display:none"><p style="display:block">{LINK}</p></div>')
    # … but visibility is inherited, and a child may set it back.
    assert not is_hidden(
        f'<div style="visibility:hidden"><p style="visibility:visible">{LINK}</p></div>'
    )


def test_hidden_attribute_is_the_browsers_rule_and_page_rules_beat_it():
    assert not is_hidden(f'<style>div.s{{display:block}}</style><div class="s" hidden>{LINK}</div>')


def test_framework_classes():
    # AngularJS injects .ng-hide{display:none!important} at run time.
    assert hidden(f'<div class="ng-hide">{LINK}</div>') == [("x", "ng-hide 类（AngularJS）")]
    # Cloaks hide only until the framework starts: never a hidden link.
    cloak = "<style>[ng-cloak],.ng-cloak,[v-cloak]{display:none !important}</style>"
    assert not is_hidden(f"{cloak}<div ng-cloak>{LINK}</div>")
    assert not is_hidden(f'{cloak}<div class="ng-cloak">{LINK}</div>')
    assert not is_hidden(f"{cloak}<div v-cloak>{LINK}</div>")


@pytest.mark.parametrize(
    ("media", "hides"),
    [
        ("(max-width: 768px)", False),  # only the phone layout hides it
        ("screen and (min-width: 769px)", False),  # only the desktop: a phone shows it
        ("print", False),
        ("screen", True),
        ("all and (min-width: 100px)", True),
        ("screen, print", True),
        ("not print", True),
        ("(width >= 200px)", True),
        ("(200px <= width <= 4000px)", True),
        ("(min-resolution: 1dppx)", True),
        ("(-webkit-min-device-pixel-ratio: 3)", False),
        ("(min-width: 40em) and (max-width: 64em)", False),
        ("(orientation: landscape)", False),  # the phone is held upright
        ("(hover: hover)", False),
        ("(prefers-color-scheme: light)", True),
        ("(some-new-feature: 1)", False),  # unknown: may not hide
        ("handheld", False),
    ],
)
def test_media_queries_hide_only_what_no_screen_shows(media, hides):
    markup = f'<style>@media {media} {{ .w {{ display:none }} }}</style><div class="w">{LINK}</div>'
    assert is_hidden(markup) is hides


def test_media_attribute_of_a_style_element():
    assert not is_hidden(
        f'<style media="print">.w{{display:none}}</style><div class="w">{LINK}</div>'
    )
    assert is_hidden(f'<style media="screen">.w{{display:none}}</style><div class="w">{LINK}</div>')


def test_a_mobile_rule_that_shows_a_desktop_hidden_block():
    css = ".m-nav{display:none} @media (max-width: 768px){ .m-nav{display:block} }"
    assert not is_hidden(f'<style>{css}</style><div class="m-nav">{LINK}</div>')


def test_uncertain_rules_may_reveal_but_never_hide():
    # Conditions we cannot judge …
    assert not is_hidden(
        f"<style>@supports (display:grid) {{ .w {{display:none}} }}</style>"
        f'<div class="w">{LINK}</div>'
    )
    assert not is_hidden(
        f"<style>.w{{display:none}} @supports (display:grid) {{ .w {{display:block}} }}</style>"
        f'<div class="w">{LINK}</div>'
    )
    # … what a visitor does (a drop-down opens on hover) …
    menu = ".m ul{display:none} .m li:hover ul{display:block}"
    assert not is_hidden(
        f'<style>{menu}</style><ul class="m"><li>菜单<ul><li>{LINK}</li></ul></li></ul>'
    )
    assert not is_hidden(f'<style>.m:hover{{display:none}}</style><div class="m">{LINK}</div>')
    # … selectors cssselect cannot evaluate, and pseudo-elements.
    assert not is_hidden(
        f'<style>.m:-moz-anything{{display:none}}</style><div class="m">{LINK}</div>'
    )
    assert not is_hidden(f'<style>.m::before{{display:none}}</style><div class="m">{LINK}</div>')
    # A <style> inside <noscript> applies only without scripts.
    assert not is_hidden(
        f'<noscript><style>.w{{display:none}}</style></noscript><div class="w">{LINK}</div>'
    )


def test_off_screen_positioning():
    assert hidden(f'<div style="position:absolute;left:-9999px">{LINK}</div>') == [
        ("x", "left:-9999px（移出可视区域）")
    ]
    assert is_hidden(f'<div style="position:fixed;top:-3000px">{LINK}</div>')
    assert is_hidden(f'<div style="margin:0 0 0 -3000px">{LINK}</div>')
    assert is_hidden(f'<div style="text-indent:-999em">{LINK}</div>')
    # left has no effect on a box that is not positioned; a small shift is layout.
    assert not is_hidden(f'<div style="left:-9999px">{LINK}</div>')
    assert not is_hidden(f'<div style="position:absolute;top:-4.2rem">{LINK}</div>')
    # Positioned through the page's stylesheet, as injected blocks often are.
    assert is_hidden(
        f"<style>#k9{{position:absolute}} .z{{left:-2000px}}</style>"
        f'<div id="k9" class="z">{LINK}</div>'
    )


def test_zero_size_transparency_and_clipping():
    assert is_hidden(f'<div style="width:0;height:0;overflow:hidden">{LINK}</div>')
    assert is_hidden(f'<div style="height:1px;overflow:hidden">{LINK}</div>')
    assert is_hidden(f'<div style="opacity:0">{LINK}</div>')
    assert is_hidden(f'<div style="position:absolute;clip:rect(0 0 0 0)">{LINK}</div>')
    # height:0 with padding is the responsive-video box: its content shows.
    assert not is_hidden(f'<div style="height:0;padding-bottom:56%;overflow:hidden">{LINK}</div>')
    assert not is_hidden(f'<div style="height:0">{LINK}</div>')  # overflow shows


def test_font_size_zero():
    assert hidden(f'<p style="font-size:0px;line-height:0">{LINK}</p>') == [
        ("x", "font-size:0px（文字大小为 0）")
    ]
    assert is_hidden(f'<p style="font:0/0 a">{LINK}</p>')
    # The inline-block whitespace trick: the items set their own size again.
    assert not is_hidden(f'<ul style="font-size:0"><li style="font-size:14px">{LINK}</li></ul>')
    # … a relative size of 0 stays 0.
    assert is_hidden(f'<ul style="font-size:0"><li style="font-size:1.2em">{LINK}</li></ul>')
    # An image link shows whatever the font size.
    assert not is_hidden(
        '<p style="font-size:0"><a href="http://x.example.com/"><img src="a.png"></a></p>'
    )


def test_marquee_noscript_and_template():
    assert hidden(f'<marquee height="1" width="1">{LINK}</marquee>') == [
        ("x", "极小的滚动字幕（marquee）")
    ]
    assert is_hidden(f'<marquee style="height:1px">{LINK}</marquee>')
    assert not is_hidden(f'<marquee height="24">{LINK}</marquee>')
    assert is_hidden(f"<noscript>{LINK}</noscript>")


def test_a_block_that_holds_the_page_is_not_a_hidden_block():
    # The page would be blank: a script shows it after loading (WeChat's js_content).
    page = "<p>" + "文章正文。" * 300 + "</p>"
    assert not is_hidden(f'<div id="js_content" style="visibility:hidden">{page}{LINK}</div>')
    assert not is_hidden(f'<div id="app" style="display:none">{page}{LINK}</div>')


def test_own_links_and_the_pages_declared_domain_are_never_off_site():
    assert not is_hidden('<div style="display:none"><a href="/xxgk/">信息公开</a></div>')
    own = '<div style="display:none"><a href="http://www.longnan.gov.cn/a/">本站</a></div>'
    assert not is_hidden(own)
    # A saved copy served from elsewhere still names its own site.
    declared = '<meta name="SiteDomain" content="www.nfra.gov.cn">'
    body = '<div style="display:none"><a href="https://www.nfra.gov.cn/cn/">首页</a></div>'
    assert not is_hidden(body, head=declared)
    assert is_hidden(body)


def test_one_hidden_link_per_target():
    body = f'<div style="display:none">{LINK}<a href="http://x.example.com/#b">b</a></div>'
    assert hidden(body) == [("x", "display:none（行内样式）")]


# --- what is 暗链 ---------------------------------------------------------------------------


def test_hidden_links_with_spam_words_are_injected():
    body = (
        '<div style="position:absolute; left:-9999px">'
        '<a href="http://x.example.com/">澳门威尼斯人娱乐城</a></div>'
    )
    assert injected(body) == [("http://x.example.com/", "链接文字含“娱乐城”")]
    assert targets(
        '<div style="display:none"><a href="http://y.example.com/">体育投注平台</a></div>'
    )
    # In the address: a latin word, a whole token, Chinese in the path.
    assert injected(
        '<div style="display:none"><a href="http://www.88casino.example.com/">点击</a></div>'
    ) == [("http://www.88casino.example.com/", "链接地址含“casino”")]
    assert targets('<div style="display:none"><a href="http://z.example.com/bet/">进入</a></div>')
    assert not targets(
        '<div style="display:none"><a href="http://alphabet.example.com/">进入</a></div>'
    )
    baijiale = "http://z.example.com/%E7%99%BE%E5%AE%B6%E4%B9%90/"  # /百家乐/
    assert targets(f'<div style="display:none"><a href="{baijiale}">进入</a></div>')
    # The image's alt and the link's title count as its words.
    image = '<a href="http://i.example.com/"><img src="a.gif" alt="真人百家乐"></a>'
    assert targets(f'<div style="display:none">{image}</div>')
    assert targets(
        '<div style="display:none"><a href="http://t.example.com/" title="百家乐">进入</a></div>'
    )


def test_a_visible_spam_link_is_not_a_hidden_link():
    # (the term detector reports visible spam words)
    assert not targets('<p><a href="http://x.example.com/">澳门赌场</a></p>')


def test_a_legitimate_hidden_menu_is_never_reported():
    menu = (
        '<ul class="menu-sub" style="display:none">'
        '<li><a href="http://www.jiangxi.gov.cn/">江西省人民政府</a></li>'
        '<li><a href="http://www.ganzhou.gov.cn/">赣州市人民政府</a></li>'
        '<li><a href="http://www.gov.cn/">中国政府网</a></li></ul>'
    )
    assert not targets(menu)
    # Off-screen too (a skip-link bar), and to a commercial site without spam words.
    assert not targets(
        '<div style="left:-5000px;position:absolute"><a href="http://www.gov.cn/">中国政府网</a></div>'
    )
    assert not targets(
        '<div style="display:none"><a href="http://shop.example.com/">点击进入</a></div>'
    )


def test_news_about_spam_is_not_spam():
    tab = (
        '<ul style="display:none"><li><a href="http://www.ganzhou.gov.cn/a.html">'
        "我市开展严厉打击网上赌场专项行动</a></li>"
        '<li><a href="http://news.example.com/b.html">警惕“刷单返利”“六合彩”骗局</a></li></ul>'
    )
    assert not targets(tab)


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("代开发票", "https://etax.jiangxi.chinatax.gov.cn/dkfp/"),  # a tax office's service
        ("澳门博彩业收入回升", "http://www.gov.mo/zh-hans/news/1/"),
        ("竞彩足球投注指南", "https://www.lottery.gov.cn/jc/"),
        ("彩民中彩金额创新高", "http://www.zhcw.com/xinwen/1.shtml"),
        ("网贷平台备案查询", "http://jrj.example.com/wdba/"),
        ("小微企业无抵押贷款", "http://www.bank.example.com/xw/"),
        ("菠菜价格行情", "http://nc.example.com/bocai/"),
        ("棋牌运动管理中心", "http://qipai.sport.example.org.cn/"),
        ("揭批法轮功邪教的罪恶本质", "http://www.chinafxj.cn/a.html"),
    ],
)
def test_what_government_sites_themselves_say_is_not_spam(text, href):
    assert not targets(f'<ul style="display:none"><li><a href="{href}">{text}</a></li></ul>')


def test_spam_host_list():
    body = '<div style="display:none"><a href="https://www.bet365.com/zh-chs/">足球</a></div>'
    assert injected(body) == [
        ("https://www.bet365.com/zh-chs/", "网站 bet365.com 在暗链网站名单中")
    ]


def test_other_hidden_links_to_an_incriminated_host():
    # The sample portal's planted block: an innocent-looking link to the host of the
    # casino links hidden on the same page.
    body = (
        "<style>.gg-box{display:none}</style>"
        '<div style="position:absolute; top:-1200px; left:-1200px;">'
        '<a href="http://127.0.0.2:8001/yl/bjl.html">真人百家乐</a></div>'
        '<div class="gg-box"><a href="http://127.0.0.2:8001/shop/">点击进入</a></div>'
        '<p>了解龙南旅游资讯，请访问<a href="http://127.0.0.2:8001/">龙南旅游网</a>。</p>'
    )
    assert injected(body) == [
        ("http://127.0.0.2:8001/yl/bjl.html", "链接文字含“真人百家乐”"),
        ("http://127.0.0.2:8001/shop/", "页面上指向 127.0.0.2 的其他隐藏链接带暗链特征"),
    ]
    # A government host is never incriminated by another link's words.
    gov = (
        '<div style="display:none"><a href="http://www.xx.gov.cn/upload/c.html">澳门赌场</a>'
        '<a href="http://www.xx.gov.cn/">某县人民政府</a></div>'
    )
    assert targets(gov) == ["http://www.xx.gov.cn/upload/c.html"]


def farm(n: int, attrs: str = 'style="display:none"', host: str = "www.zx.example.com") -> str:
    links = "".join(f'<a href="http://{host}/p{i}/">装修公司{i}</a>' for i in range(n))
    return f"<div {attrs}>{links}</div>"


def test_many_hidden_links_to_one_foreign_host():
    assert len(targets(farm(5))) == 5
    assert injected(farm(5))[0][1] == "同一隐藏区块中有 5 个链接指向外部网站 www.zx.example.com"
    assert not targets(farm(4))
    assert len(targets(farm(4), links_per_host=3)) == 4
    # Government hosts are exempt: a hidden list of departments' sites is navigation.
    assert not targets(farm(8, host="www.jxedu.gov.cn"))
    # Spread over separate hidden blocks, they are not one injected block.
    assert not targets(farm(3) + farm(3))


def test_a_host_the_page_links_to_openly_is_not_a_link_farm():
    # A saved copy served from elsewhere: its hidden sub-menus link to its real host,
    # and so do its visible menus.
    nav = '<p><a href="http://www.zx.example.com/">首页</a></p>'
    assert not targets(nav + farm(6))
    assert len(targets(farm(6))) == 6


def test_a_site_the_page_links_to_openly_under_another_host_is_not_a_link_farm():
    # A mobile menu to m.zxw.com.cn on a page whose visible links go to www.zxw.com.cn:
    # one registered domain, one site.
    nav = '<p><a href="http://www.zxw.com.cn/">首页</a></p>'
    assert not targets(nav + farm(6, host="m.zxw.com.cn"))
    assert len(targets(nav + farm(6, host="m.jzgs.com.cn"))) == 6


def test_the_sites_own_registered_domain_is_never_a_link_farm():
    own = ("www.jxnews.com.cn",)
    data = bundled_hidden_link_data()
    root = tree(farm(6, host="bbs.jxnews.com.cn"))
    url = "http://www.jxnews.com.cn/a.html"
    assert find_injected_links(root, url, own, data, spam_term) == []
    assert find_injected_links(tree(farm(6, host="bbs.jx.example.com")), url, own, data, spam_term)


def test_registered_domains():
    assert registered_domain("news.example.com.cn") == "example.com.cn"
    assert registered_domain("www.example.js.cn") == "example.js.cn"
    assert registered_domain("m.sina.cn") == "sina.cn"
    assert registered_domain("guba.sina.com.cn") == "sina.com.cn"
    assert registered_domain("a.b.example.com") == "example.com"
    assert registered_domain("www.bbc.co.uk") == "bbc.co.uk"
    assert registered_domain("127.0.0.2") == "127.0.0.2"
    assert registered_domain("localhost") == "localhost"


def test_a_block_the_pages_own_script_shows_is_not_a_link_farm():
    # Rotating panels of old portals: hidden, and shown by the script right after them.
    panel = farm(6, 'id="PublicRelation1" style="DISPLAY:none"')
    assert not targets(f'{panel}<script>PublicRelation1.style.display="";</script>')
    assert not targets(f"{panel}<script>$('#PublicRelation1').show();</script>")
    assert targets(f"{panel}<script>var PublicRelation10 = 1;</script>")
    assert targets(f'{panel}<script src="/js/PublicRelation1.js"></script>')


def test_a_block_that_is_not_just_links_is_not_a_link_farm():
    items = "".join(
        f'<li><a href="http://www.rmt.example.com/{i}.html">县融媒体新闻标题第{i}条</a>'
        f"<span>2024-11-{10 + i}</span></li>"
        for i in range(8)
    )
    assert not targets(f'<ul style="display:none">{items}</ul>')


def test_place_names_in_addresses_are_not_spam_words():
    # 都昌县 (www.duchang.gov.cn), 博白县 …: pinyin that only looks like gambling words.
    menu = '<ul style="display:none"><li><a href="http://www.duchang.gov.cn/">都昌县人民政府</a></li></ul>'
    assert not targets(menu)


def test_a_hidden_tab_panel_or_drop_down_is_not_a_link_farm():
    visible = farm(6, 'class="tab-con"', "www.lnrmt.example.com")
    panel = farm(6, 'class="tab-con" style="display:none"', "www.lnrmt.example.com")
    assert not targets(f"<div>{visible}{panel}</div>")
    by_id = farm(6, 'id="con_1"', "a.example.com") + farm(
        6, 'id="con_2" style="display:none"', "a.example.com"
    )
    assert not targets(f"<div>{by_id}</div>")
    drop_down = (
        f"<ul><li>县融媒体{farm(6, 'style=display:none', 'www.lnrmt.example.com')}</li></ul>"
    )
    assert not targets(drop_down)
    # Two hidden panels side by side with no visible one: still a farm.
    assert targets(f"<div>{panel}{panel}</div>")


JIUCUO = (
    "http://121.43.68.40/exposure/jiucuo.html?site_code=3300000020"
    "&url=http%3A%2F%2Fwww.zjdpc.gov.cn%2F"
)
CONAC = "https://bszs.conac.cn/sitename?method=show&id=1800CB4DBB7B99F0E06310291AAC09C6"
WEIBO_SHARE = "http://service.weibo.com/share/share.php?url=x&title=%E6%BE%B3%E9%97%A8"
QZONE_SHARE = "http://sns.qzone.qq.com/cgi-bin/qzshare/cgi_qzshare_onekey?url=x"
CNZZ = "https://www.cnzz.com/stat/website.php?web_id=1000"


@pytest.mark.parametrize(
    "link",
    [
        # 001 (Hanweb): the 纠错 badge on an IP address and the vendor mark.
        f'<a style="display:none;" href="{JIUCUO}"><img style="display:none;" src="j.png"></a>',
        '<a href="http://www.hanweb.com" style="display:none">'
        "Produced By 大汉网络 大汉版通发布系统</a>",
        # 党政机关网站标识
        f'<div style="display:none"><span id="_ideConac"><a href="{CONAC}"><img src="r.png"></a>'
        "</span></div>",
        # Share links carry the page's own title.
        f'<div style="display:none"><a href="{WEIBO_SHARE}">微博</a></div>',
        f'<table class="share-more-all" style="display:none"><tr><td><a href="{QZONE_SHARE}">'
        "QQ空间</a></td></tr></table>",
        # A counter's icon the site hides.
        f'<span id="cnzz_stat_icon_1000" style="display:none"><a href="{CNZZ}" title="站长统计">'
        "站长统计</a></span>",
        # A share box found by its element, to a host the list does not name.
        '<div class="bshare-custom" style="display:none"><a href="http://s.example.com/x">分享</a></div>',
    ],
)
def test_badges_share_widgets_and_vendor_marks_are_never_findings(link):
    # Judged as strictly as can be (one hidden link to a foreign host is a "farm") …
    assert targets(link, links_per_host=1) == []
    # … and only the data keeps them out: without it, the same link is reported.
    bare = dataclasses.replace(bundled_hidden_link_data(), benign=())
    assert find_injected_links(tree(link), URL, OWN, bare, spam_term, links_per_host=1)
    # On a page that also carries injected spam, that one is still found.
    spam = '<div style="display:none"><a href="http://c.example.com/">真人百家乐</a></div>'
    assert targets(link + spam) == ["http://c.example.com/"]


def test_share_panels_with_many_links_to_the_widget_host():
    panel = "".join(f'<a href="http://www.bshare.cn/share?site={i}">平台{i}</a>' for i in range(12))
    assert not targets(
        f'<div id="bsPanelHolder"><div id="bsPanel" style="display:none">{panel}</div></div>'
    )


def test_a_benign_element_does_not_cover_spam_words():
    box = '<div class="bshare-custom" style="display:none">{}</div>'
    assert targets(box.format('<a href="http://c.example.com/">澳门新葡京</a>'))


def test_the_detector_reports_veto_findings_with_their_evidence():
    body = (
        '<div style="position:absolute; top:-1200px; left:-1200px;">'
        '<a href="http://127.0.0.2:8001/yl/home.html">澳门威尼斯人娱乐城</a></div>'
    )
    page = PageContext(url=URL, title="", meta={}, root=tree(body))
    [finding] = HiddenLinkDetector(OWN, spam_term).check(page)
    assert finding.severity == "veto"
    assert finding.key == "http://127.0.0.2:8001/yl/home.html"
    assert finding.details == {
        "target_url": "http://127.0.0.2:8001/yl/home.html",
        "link_text": "澳门威尼斯人娱乐城",
        "hidden_by": "left:-1200px（移出可视区域）",
        "signal": "链接文字含“娱乐城”",
        "criterion": HiddenLinkDetector.criterion,
    }
    assert finding.message == (
        "页面中有访问者看不到的外部链接“澳门威尼斯人娱乐城”（http://127.0.0.2:8001/yl/home.html，"
        "隐藏方式：left:-1200px（移出可视区域）；链接文字含“娱乐城”），疑似被植入暗链，请立即核查删除"
    )


def test_the_links_per_host_option():
    class Site:
        allowed_domains = ("www.longnan.gov.cn",)

    class Config:
        site = Site

    detector = HiddenLinkDetector.build(Config(), {"links_per_host": 3})
    page = PageContext(url=URL, title="", meta={}, root=tree(farm(3)))
    assert len(list(detector.check(page))) == 3
    default = HiddenLinkDetector.build(Config(), {})
    assert list(default.check(PageContext(url=URL, title="", meta={}, root=tree(farm(3))))) == []
