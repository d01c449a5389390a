"""``hidden_link``: links a visitor cannot see that look like injected "暗链".

Hacked government sites carry blocks of gambling, pornographic, loan or pharmacy links
hidden from visitors but read by search engines (国办秘函〔2019〕19号 单项否决·严重错误:
被攻击篡改、挂暗链). Two questions decide a finding, and both must say yes:

1. **Can a visitor see the link?** :mod:`detectors.css_visibility` follows the cascade of
   the page's own CSS (``@media``, specificity, inline styles, ``!important``, the
   ``hidden`` attribute, ``ng-hide`` …) on a desktop and on a phone; a link is hidden
   only when neither shows it.
2. **Does it look like 暗链?** Legitimate pages hide links all the time: responsive
   menus, tab panels, drop-downs, share panels, badges, accessibility toolbars, vendor
   marks. So a hidden off-site link is reported only with evidence of spam:

   - its text (with its ``title`` and image ``alt``) or its address carries spam words:
     the sensitive words of the term base and ``wordlists/hidden_link/spam_words.yaml``
     (text words do not count in a news headline about spam: 打击网上赌场);
   - its host is on ``wordlists/hidden_link/spam_hosts.txt``;
   - its host is not a government host and another hidden link to it on the page has
     the evidence above (one injection points at one spam network);
   - one hidden block holds many (``links_per_host``, default 5) hidden links to one
     foreign host that is not a government host: the link farm of an SEO customer. Not
     when the block has text besides its links (a news list with dates), is one panel
     of a set (beside a visible sibling of its kind, or a drop-down under a menu item),
     is named by the page's own scripts (they show it), or when the page links to that
     site (its registered domain) where visitors see it.

   ``wordlists/hidden_link/benign.yaml`` lists what is never 暗链 (share widgets, the
   党政机关网站标识, 纠错, 适老化/无障碍 toolbars, CMS vendor marks, statistics counters,
   official media), by address or by element, each with its reason.

Links to the site itself are never reported: the site's configured domains, the page's
own host and the host the page declares as its own (``<meta name="SiteDomain">``,
``rel=canonical``, ``og:url``: a saved copy served from elsewhere); other hosts of the
same registered domain (``bbs.example.com.cn`` beside ``www.example.com.cn``) are no
spam network either.

Cost: the evidence is read first, from the links alone; the page's CSS is parsed only
when some off-site link could be reported, so most pages never pay for the cascade.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import unquote

from common.urls import base_url, host_of, in_domains, resolve, same_host, url_key
from detectors.base import Detector, Finding, Option
from detectors.css_visibility import Hiding, PageStyles
from detectors.hidden_link_data import HiddenLinkData, bundled_hidden_link_data
from detectors.presentation import PAGE, Column, Evidence, field, raw, url_field
from detectors.veto_groups import SERIOUS_ERRORS

# Government and public-institution hosts: never a spam network of their own (a hacked
# one hosting spam pages is still caught by the words in its links).
OFFICIAL_HOST_RE = re.compile(
    r"(?:^|\.)(?:gov\.cn|gov|mil\.cn|edu\.cn|xn--zfr164b|xn--55qw42g)$"  # 政务, 公益
)
DEFAULT_LINKS_PER_HOST = 5
_OWN_META = ("sitedomain", "og:url")


@dataclass(frozen=True)
class HiddenLink:
    """An off-site link no visitor sees (whether or not it looks like spam)."""

    element: Any
    target_url: str
    link_text: str
    how: str  # human description of the hiding technique (Chinese)
    block: Any  # the outermost hidden element around it


@dataclass(frozen=True)
class InjectedLink:
    """A hidden link judged to be 暗链, and why."""

    target_url: str
    link_text: str
    how: str
    signal: str  # the evidence (Chinese)


@dataclass
class _Link:
    element: Any
    url: str
    key: str
    host: str
    text: str
    words: str  # text, title and image alt: what the spam words are looked for in
    signal: str | None = None
    hiding: Hiding | None = None
    site: str = ""  # the registered domain of its host


def own_hosts(root: Any, page_url: str, domains: tuple[str, ...]) -> tuple[str, ...]:
    """The configured domains, the page's host and the hosts the page names as its own."""
    hosts = [*domains, host_of(page_url)]
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        if name in _OWN_META:
            content = (meta.get("content") or "").strip()
            hosts.append(host_of(content if "//" in content else f"http://{content}"))
    for link in root.iter("link"):
        if (link.get("rel") or "").strip().lower() == "canonical":
            hosts.append(host_of(resolve(page_url, link.get("href") or "") or ""))
    return tuple(dict.fromkeys(h for h in hosts if h))


def _text(el: Any) -> str:
    return " ".join("".join(el.itertext()).split())[:200]


def _words(el: Any, text: str) -> str:
    extra = [el.get("title") or ""]
    extra.extend(img.get("alt") or "" for img in el.iter("img"))
    return " ".join([text, *extra]).strip()


def _off_site_links(root: Any, page_url: str, own: tuple[str, ...]) -> list[_Link]:
    base = base_url(root, page_url)
    base_own = in_domains(base, own)
    links: list[_Link] = []
    for a in root.iter("a", "area"):
        href = a.get("href") or ""
        if base_own and same_host(href):
            continue  # the base's own host: no need to resolve it to know
        url = resolve(base, href)
        if url is None or in_domains(url, own):
            continue
        text = _text(a)
        links.append(_Link(a, url, url_key(url), host_of(url), text, _words(a, text)))
    return links


def find_hidden_links(root: Any, page_url: str, own_domains: tuple[str, ...]) -> list[HiddenLink]:
    """Every off-site link no visitor sees, once per target, in document order (spam or
    not: what the cascade alone says)."""
    styles = PageStyles(root)
    found: dict[str, HiddenLink] = {}
    for link in _off_site_links(root, page_url, own_hosts(root, page_url, own_domains)):
        if link.key in found:
            continue
        hiding = styles.hiding(link.element)
        if hiding is not None:
            found[link.key] = HiddenLink(
                link.element, link.url, link.text, hiding.how, hiding.block
            )
    return list(found.values())


def _is_panel(block: Any, styles: PageStyles) -> bool:
    """A hidden block that is one of a set a visitor switches between: a tab panel or
    slide beside a visible sibling of its kind, or a drop-down under a menu item."""
    parent = block.getparent()
    if parent is None:
        return False
    if parent.tag == "li" and block.tag in ("ul", "ol", "div", "dl"):
        return True
    kind = (block.get("class") or "").split()
    stem = re.sub(r"\d+", "", block.get("id") or "")
    for sibling in parent:
        if sibling is block or sibling.tag != block.tag:
            continue
        same_class = kind and (sibling.get("class") or "").split() == kind
        same_id = stem and re.sub(r"\d+", "", sibling.get("id") or "") == stem
        if (same_class or same_id) and all(
            styles.own_hiding(sibling, screen) is None for screen in (0, 1)
        ):
            return True
    return False


def find_injected_links(
    root: Any,
    page_url: str,
    own_domains: tuple[str, ...],
    data: HiddenLinkData,
    spam_term: Callable[[str], Any] = lambda _text: None,
    links_per_host: int = DEFAULT_LINKS_PER_HOST,
) -> list[InjectedLink]:
    """The hidden off-site links of a page that look like 暗链, once per target, in
    document order."""
    own = own_hosts(root, page_url, own_domains)
    links = [link for link in _off_site_links(root, page_url, own) if not data.benign_url(link.url)]
    if not links:
        return []
    # Hosts of the site's own registered domain (news.example.com.cn beside
    # www.example.com.cn) and government hosts are never a spam network.
    own_sites = {registered_domain(host) for host in own}
    per_host: dict[str, set[str]] = defaultdict(set)
    for link in links:
        link.signal = _signal(link, data, spam_term)
        link.site = registered_domain(link.host)
        if link.site not in own_sites and not OFFICIAL_HOST_RE.search(link.host):
            per_host[link.host].add(link.key)
    suspects = {link.host for link in links if link.signal and link.host in per_host}
    crowded = {host for host, keys in per_host.items() if len(keys) >= links_per_host}
    crowded_sites = {registered_domain(host) for host in crowded}
    candidates = [
        link for link in links if link.signal or link.host in suspects or link.site in crowded_sites
    ]
    if not candidates:
        return []
    styles = PageStyles(root)
    hidden: list[_Link] = []
    shown_sites: set[str] = set()
    for link in candidates:
        link.hiding = styles.hiding(link.element)
        if link.hiding is None:
            shown_sites.add(link.site)
        # A link found only by its element (a share box, a badge) is legitimate unless
        # its own words are spam.
        elif link.signal or not data.benign_element(link.element):
            hidden.append(link)
    incriminated = {link.host for link in hidden if link.signal and link.host in suspects}
    # A site the page also links to where visitors see it is not a hidden link farm (a
    # saved copy's own site, a partner whose news fills a hidden tab, a mobile menu).
    farmed = {host for host in crowded if registered_domain(host) not in shown_sites}
    scripted = _ScriptedBlocks(root)
    by_block: dict[tuple[Any, str], set[str]] = defaultdict(set)
    for link in hidden:
        if link.host in farmed and link.hiding is not None:
            by_block[(link.hiding.block, link.host)].add(link.key)
    found: dict[str, InjectedLink] = {}
    for link in hidden:
        assert link.hiding is not None
        signal = link.signal
        if signal is None and link.host in incriminated:
            signal = f"页面上指向 {link.host} 的其他隐藏链接带暗链特征"
        if signal is None and link.host in farmed:
            block = link.hiding.block
            count = len(by_block[(block, link.host)])
            if (
                count >= links_per_host
                and _only_links(block)
                and not _is_panel(block, styles)
                and not scripted(block)
            ):
                signal = f"同一隐藏区块中有 {count} 个链接指向外部网站 {link.host}"
        if signal is not None and link.key not in found:
            found[link.key] = InjectedLink(link.url, link.text, link.hiding.how, signal)
    return list(found.values())


_SECOND_LEVEL = frozenset({"com", "net", "org", "gov", "edu", "ac", "mil", "co", "or", "ne"})
# Chinese provincial second-level domains (www.example.js.cn)
_CN_PROVINCES = frozenset(
    {
        "bj", "sh", "tj", "cq", "he", "sx", "nm", "ln", "jl", "hl", "js", "zj", "ah", "fj",
        "jx", "sd", "ha", "hb", "hn", "gd", "gx", "hi", "sc", "gz", "yn", "xz", "sn", "gs",
        "qh", "nx", "xj", "tw", "hk", "mo",
    }
)  # fmt: skip


def registered_domain(host: str) -> str:
    """The domain a host was registered under: ``news.example.com.cn`` →
    ``example.com.cn`` (an IP address is its own)."""
    labels = host.lower().rstrip(".").split(".")
    if len(labels) <= 2 or all(label.isdigit() for label in labels):
        return host.lower()
    second, top = labels[-2], labels[-1]
    if len(top) == 2 and (second in _SECOND_LEVEL or (top == "cn" and second in _CN_PROVINCES)):
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


class _ScriptedBlocks:
    """Whether the page's own scripts name a hidden block (by its ``id`` or ``name``):
    a block a script shows (a tab, a rotating panel: ``PublicRelation1.style.display=""``)
    is no link farm. Read once per page, when first asked."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self._text: str | None = None

    def __call__(self, block: Any) -> bool:
        names = [n for n in (block.get("id"), block.get("name")) if n and n.strip()]
        if not names:
            return False
        if self._text is None:
            self._text = "\n".join(
                "".join(script.itertext())
                for script in self.root.iter("script")
                if not script.get("src")
            )
        return any(
            re.search(rf"(?<![\w-]){re.escape(name.strip())}(?![\w-])", self._text)
            for name in names
        )


def _only_links(block: Any) -> bool:
    """Whether the block's text is (almost) all link text, as in a link farm; a list of
    news with their dates, a panel with headings and paragraphs is not."""

    def size(texts: list[str]) -> int:
        return sum(len("".join(t.split())) for t in texts)

    total = size(block.xpath(".//text()[not(ancestor::script or ancestor::style)]"))
    linked = size(block.xpath(".//text()[ancestor::a or ancestor::area]"))
    return linked >= total * 0.9  # a block of image links has no text at all


def _signal(link: _Link, data: HiddenLinkData, spam_term: Callable[[str], Any]) -> str | None:
    """The evidence, from the link alone, that it is spam (None: none)."""
    listed = data.spam_host(link.host)
    if listed is not None:
        return f"网站 {listed} 在暗链网站名单中"
    word = data.url_word(link.url)
    if word is not None:
        return f"链接地址含“{word}”"
    if link.words and not data.voided(link.words):
        term = spam_term(link.words) or data.text_word(link.words)
        if term:
            named = f"“{term}”" if isinstance(term, str) else "赌博、色情等敏感词"
            return f"链接文字含{named}"
    return None


class HiddenLinkDetector(Detector):
    id: ClassVar[str] = "hidden_link"
    title: ClassVar[str] = "暗链"
    scope: ClassVar[str] = "markup"
    criterion: ClassVar[str] = "国办秘函〔2019〕19号 单项否决·严重错误（网站被攻击篡改、挂暗链）"
    severity_rule: ClassVar[str] = "被植入暗链属单项否决"
    fields: ClassVar[tuple[str, ...]] = ("target_url", "link_text")
    options: ClassVar[dict[str, Option]] = {
        "links_per_host": Option(
            DEFAULT_LINKS_PER_HOST,
            "同一隐藏区块中指向同一外部网站（非政府网站）的链接达到多少个即判为暗链",
            3,
            100,
        )
    }
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
        Evidence("判定依据", "signal"),
    )
    veto_group: ClassVar[str] = SERIOUS_ERRORS
    rank: ClassVar[int] = 20

    def __init__(
        self,
        own_domains: tuple[str, ...],
        spam_term: Callable[[str], Any] | None = None,
        data: HiddenLinkData | None = None,
        links_per_host: int = DEFAULT_LINKS_PER_HOST,
    ):
        self.own_domains = own_domains
        self.spam_term = spam_term or (lambda _text: None)
        self.data = data if data is not None else bundled_hidden_link_data()
        self.links_per_host = links_per_host

    @classmethod
    def from_config(cls, config: Any, settings: Any) -> HiddenLinkDetector:
        from detectors.resources import spam_term

        per_host = int(settings.get("links_per_host", DEFAULT_LINKS_PER_HOST))
        return cls(tuple(config.site.allowed_domains), spam_term, links_per_host=per_host)

    def check(self, page: Any) -> Iterator[Finding]:
        injected = find_injected_links(
            page.root, page.url, self.own_domains, self.data, self.spam_term, self.links_per_host
        )
        for link in injected:
            label = f"“{link.link_text}”" if link.link_text else ""
            yield Finding(
                detector=self.id,
                page_url=page.url,
                key=url_key(link.target_url),
                severity="veto",
                message=(
                    f"页面中有访问者看不到的外部链接{label}（{unquote(link.target_url)}，"
                    f"隐藏方式：{link.how}；{link.signal}），疑似被植入暗链，请立即核查删除"
                ),
                details={
                    "target_url": link.target_url,
                    "link_text": link.link_text,
                    "hidden_by": link.how,
                    "signal": link.signal,
                    "criterion": self.criterion,
                },
            )
