"""``hidden_link``: links a visitor cannot see that point off-site — injected "暗链".

Hacked government sites carry blocks of gambling or pornographic links hidden
from visitors but read by search engines (国办秘函〔2019〕19号 单项否决·严重错误:
被攻击篡改、挂暗链). Hiding is recognised from the element and its ancestors:
the ``hidden`` attribute, inline ``display:none``/``visibility:hidden``,
zero size, ``font-size:0``, off-screen positioning or text-indent, a tiny
``<marquee>``, and the same rules in the page's own ``<style>`` blocks for
simple ``.class``/``#id`` selectors.

Precision: responsive sites hide whole menus with ``display:none`` and those
menus link to other government sites. So a link hidden only by
``display:none``/``visibility:hidden``/``hidden`` is reported when its text or
address looks like spam or its host is not a government domain; links hidden
by tricks legitimate sites do not use for links (off-screen, zero size,
``font-size:0``, tiny marquee) are always reported when off-site.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import unquote

from common.urls import base_url, host_of, in_domains, resolve, url_key
from detectors.base import Detector, Finding
from detectors.presentation import PAGE, Column, Evidence, field, raw, url_field
from detectors.veto_groups import SERIOUS_ERRORS

_DECL_RE = re.compile(r"([a-z-]+)\s*:\s*([^;]+)")
_RULE_RE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR_RE = re.compile(r"^[.#][\w-]+$")
_NEG_OFFSET_RE = re.compile(r"^-\s*\d{3,}(?:\.\d+)?(?:px|em|rem|pt|%)?$")
_ZERO_RE = re.compile(r"^0+(?:\.0+)?(?:px|em|rem|pt|%)?$")
GOV_HOST_RE = re.compile(r"(?:^|\.)gov(?:\.cn)?$")

SOFT = "soft"  # display:none and friends: also used legitimately for menus
STRONG = "strong"  # tricks used to hide links from people, not for layout


@dataclass(frozen=True)
class HiddenLink:
    target_url: str
    link_text: str
    how: str  # human description of the hiding technique
    strength: str


def _declarations(style: str) -> dict[str, str]:
    return {m.group(1): m.group(2).strip().lower() for m in _DECL_RE.finditer(style.lower())}


def _hiding(decl: dict[str, str]) -> tuple[str, str] | None:
    """(how, strength) if these CSS declarations hide the element."""
    if decl.get("display") == "none":
        return "display:none", SOFT
    if decl.get("visibility") in ("hidden", "collapse"):
        return "visibility:hidden", SOFT
    if _ZERO_RE.match(decl.get("font-size", "x")):
        return "font-size:0", STRONG
    for side in ("left", "top", "right", "margin-left", "margin-top", "text-indent"):
        if _NEG_OFFSET_RE.match(decl.get(side, "")):
            return f"{side}:{decl[side]}（移出可视区域）", STRONG
    zero_w = _ZERO_RE.match(decl.get("width", "x"))
    zero_h = _ZERO_RE.match(decl.get("height", "x"))
    if (zero_w or zero_h) and decl.get("overflow") == "hidden":
        return "宽或高为 0 且溢出隐藏", STRONG
    return None


def _stylesheet_rules(root: Any) -> dict[str, tuple[str, str]]:
    """Hiding rules of simple ``.class`` and ``#id`` selectors in inline ``<style>`` blocks."""
    rules: dict[str, tuple[str, str]] = {}
    for style in root.iter("style"):
        css = re.sub(r"/\*.*?\*/", "", style.text or "", flags=re.S)
        for selectors, body in _RULE_RE.findall(css):
            hiding = _hiding(_declarations(body))
            if hiding is None:
                continue
            for selector in selectors.split(","):
                selector = selector.strip()
                if _SIMPLE_SELECTOR_RE.match(selector):
                    rules[selector] = hiding
    return rules


def _element_hiding(el: Any, rules: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    if el.tag == "marquee":
        size = [el.get("height", ""), el.get("width", "")]
        if any(_ZERO_RE.match(s) or s.strip() in ("1", "1px") for s in size):
            return "极小的滚动字幕（marquee）", STRONG
    if el.get("hidden") is not None:
        return "hidden 属性", SOFT
    style = el.get("style")
    if style:
        hiding = _hiding(_declarations(style))
        if hiding:
            return hiding
    if rules:
        if (el_id := el.get("id")) and f"#{el_id}" in rules:
            return rules[f"#{el_id}"]
        for cls in (el.get("class") or "").split():
            if f".{cls}" in rules:
                return rules[f".{cls}"]
    return None


def find_hidden_links(root: Any, page_url: str, own_domains: tuple[str, ...]) -> list[HiddenLink]:
    """Off-site links inside hidden elements, once per target, in document order."""
    rules = _stylesheet_rules(root)
    found: dict[str, HiddenLink] = {}
    hidden_cache: dict[Any, tuple[str, str] | None] = {}

    def hidden(el: Any) -> tuple[str, str] | None:
        if el is None or not isinstance(el.tag, str):
            return None
        if el in hidden_cache:
            return hidden_cache[el]
        result = _element_hiding(el, rules) or hidden(el.getparent())
        hidden_cache[el] = result
        return result

    base = base_url(root, page_url)
    for a in root.iter("a", "area"):
        url = resolve(base, a.get("href") or "")
        if url is None or in_domains(url, own_domains):
            continue
        how = hidden(a)
        if how is None:
            continue
        key = url_key(url)
        if key not in found:
            text = " ".join("".join(a.itertext()).split())[:200]
            found[key] = HiddenLink(url, text, how[0], how[1])
    return list(found.values())


class HiddenLinkDetector(Detector):
    id: ClassVar[str] = "hidden_link"
    title: ClassVar[str] = "暗链"
    scope: ClassVar[str] = "markup"
    criterion: ClassVar[str] = "国办秘函〔2019〕19号 单项否决·严重错误（网站被攻击篡改、挂暗链）"
    severity_rule: ClassVar[str] = "被植入暗链属单项否决"
    fields: ClassVar[tuple[str, ...]] = ("target_url", "link_text")
    columns: ClassVar[tuple[Column, ...]] = (
        PAGE,
        Column("暗链地址", url_field("target_url"), 2.0, link=True),
        Column("链接文字", field("link_text"), 1.2),
        Column("隐藏方式", field("hidden_by"), 1.2),
    )
    sheet: ClassVar[dict] = {"问题对象": raw("target_url")}
    evidence: ClassVar[tuple[Evidence, ...]] = (
        Evidence("暗链地址", "target_url", "url"),
        Evidence("链接文字", "link_text"),
        Evidence("隐藏方式", "hidden_by"),
    )
    veto_group: ClassVar[str] = SERIOUS_ERRORS
    rank: ClassVar[int] = 20

    def __init__(self, own_domains: tuple[str, ...], looks_like_spam: Callable[[str], bool]):
        self.own_domains = own_domains
        self.looks_like_spam = looks_like_spam

    @classmethod
    def from_config(cls, config: Any, settings: Any) -> HiddenLinkDetector:
        from detectors.resources import looks_like_spam

        return cls(tuple(config.site.allowed_domains), looks_like_spam)

    def reportable(self, link: HiddenLink) -> bool:
        if link.strength == STRONG:
            return True
        spam = self.looks_like_spam(link.link_text) or self.looks_like_spam(
            unquote(link.target_url)
        )
        return spam or not GOV_HOST_RE.search(host_of(link.target_url))

    def check(self, page: Any) -> Iterator[Finding]:
        for link in find_hidden_links(page.root, page.url, self.own_domains):
            if not self.reportable(link):
                continue
            label = f"“{link.link_text}”" if link.link_text else ""
            yield Finding(
                detector=self.id,
                page_url=page.url,
                key=url_key(link.target_url),
                severity="veto",
                message=(
                    f"页面中有访问者看不到的外部链接{label}（{unquote(link.target_url)}，"
                    f"隐藏方式：{link.how}），疑似被植入暗链，请立即核查删除"
                ),
                details={
                    "target_url": link.target_url,
                    "link_text": link.link_text,
                    "hidden_by": link.how,
                    "criterion": self.criterion,
                },
            )
