from __future__ import annotations

from urllib.parse import urljoin

import pytest
from w3lib.url import safe_url_string

from common.urls import looks_like_resource, resolve, same_host, url_key


def test_index_documents_are_their_directory():
    assert url_key("http://h:8000/index.html") == url_key("http://h:8000/")
    assert url_key("http://h/xwzx/index.htm") == url_key("http://h/xwzx/")
    assert url_key("http://h/xwzx/default.shtml") == url_key("http://h/xwzx/")
    assert url_key("http://h/xwzx/index_1.html") != url_key("http://h/xwzx/")


def test_equivalent_spellings():
    assert url_key("HTTP://H:80/a?b=2&a=1#frag") == url_key("http://h/a?a=1&b=2")
    assert url_key("https://h:443/") == url_key("https://h/")
    assert url_key(resolve("http://h/", "/附件/通知.pdf")) == url_key(
        "http://h/%E9%99%84%E4%BB%B6/%E9%80%9A%E7%9F%A5.pdf"
    )


def test_resolve_ignores_what_is_not_a_link():
    for href in (
        "#top",
        "#",
        "mailto:a@b.cn",
        "tel:0797-1234",
        "javascript:void(0)",
        "JavaScript:;",
        "data:image/png;base64,AAAA",
        "   ",
        "",
    ):
        assert resolve("http://h/a/b.html", href) is None, href


def test_resolve_whitespace_protocol_relative_and_fragment():
    assert resolve("http://h/a/b.html", "  /xwzx/  ") == "http://h/xwzx/"
    assert resolve("http://h:81/a/", "//h:81/xxgk/") == "http://h:81/xxgk/"
    assert resolve("http://h/a/", "c.html#part") == "http://h/a/c.html"
    assert resolve("http://h/a/", "ftp://h/x") is None
    assert resolve("http://h/a/", "http://[x/") is None  # urljoin: "Invalid IPv6 URL"


@pytest.mark.parametrize(
    "href",
    [
        "../202411/t20241126_119472.html",
        "./P020241210.pdf",
        "/col/col123/index.html?uid=45&pageNum=2",
        "c.html?a=1&b=%E4%B8%AD",
        "c.html?q=a/b?c;d=(1)!*'",
        "a%zz b.html",  # an invalid escape and a space
        "附件/通知.pdf",
        "http://WWW.Example.GOV.cn/a.html",  # the host is lower-cased
        "http://h?x=1",  # a query without a path gets its slash
        "http://h:80/a",
        "http://h",
        "http://h/a\\b.html",
        "http://[::1]/a",
        "http://user:pw@h/a",
        "c.html#part",
    ],
)
def test_resolve_gives_what_percent_encoding_gives(href):
    """Links that are already safe skip ``safe_url_string``: the result is the same."""
    base = "http://www.example.gov.cn/xwzx/202412/t20241210_1.html"
    expected = safe_url_string(urljoin(base, href)).split("#", 1)[0]
    assert resolve(base, href) == expected


def test_resources():
    assert looks_like_resource("http://h/a/关于.PDF")
    assert looks_like_resource("http://h/js/common.js?v=2")
    assert not looks_like_resource("http://h/a/t20240101_1.html")
    assert not looks_like_resource("http://h/a/")


@pytest.mark.parametrize(
    ("href", "relative"),
    [
        ("/a.html", True),
        ("../b/c.html?x=http://spam.cn", True),
        ("#top", True),
        ("foo/bar:baz", True),  # a colon after a slash is not a scheme
        ("//spam.example.com/", False),
        ("http://spam.example.com/", False),
        (" \x01https://spam.example.com/", False),  # dropped before the scheme, as urlsplit does
        ("ht\ntp://spam.example.com/", False),  # a broken line inside the scheme
        ("javascript:void(0)", False),
    ],
)
def test_a_relative_link_is_known_on_site_without_resolving_it(href, relative):
    assert same_host(href) is relative
