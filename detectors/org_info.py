"""``org_info_incomplete``: a unit's 机构信息 page that lacks items the plan requires.

The city's plan (《龙南市2024年政务公开工作实施方案》, 龙府办字〔2024〕36号, task 1) asks
each unit's 机构信息 on the portal to show 机构设置、单位职能、办公地址、办公时间、
联系方式、负责人姓名. This detector finds those pages (a headline, column name or
breadcrumb ending in 机构信息/机构职能/领导信息/单位概况 and their usual variants) and reads
their content (site chrome skipped) as the fragments a reader sees: a table cell, a
heading, a labelled paragraph (``办公时间：…``, ``<strong>联系电话：</strong>…``). An item
is present when a fragment starts with one of its labels, synonyms included (工作时间 for
办公时间, 联系电话/咨询电话 for 联系方式, 主要职责/职能职责 for 单位职能, 内设机构 for
机构设置, 地址/通讯地址 for 办公地址, 领导/负责人 lines or "姓名 职务" lines for 负责人姓名);
a telephone number counts as 联系方式.

Precision first: a false "missing" is worse than a miss. So an item is never reported
missing when the page links to a page that would hold it (a hub of 机构职能 / 领导信息 /
联系我们 sub-pages is judged only on what it does not link to); a page is judged only
when it is an overview (at least ``MIN_PRESENT`` items shown; a narrow sub-page such as
领导信息 only when it shows ``MIN_PRESENT_NARROW``, i.e. serves as the overview itself);
never when its content is loaded by a script or frame.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

from common.urls import base_url, resolve, url_key
from detectors.base import Detector, Finding
from detectors.page_facts import (
    _ARTICLE_URL_RE,
    _CHROME_RE,
    _CHROME_TAGS,
    _CRUMB_CLASS_RE,
    _DYNAMIC_RE,
    _WIDGET_TAGS,
    _crumbs,
)
from detectors.presentation import PAGE, Column, Evidence, field

ITEMS = ("机构设置", "单位职能", "办公地址", "办公时间", "联系方式", "负责人姓名")

_TITLES = (
    r"局长|副局长|主任|副主任|党组书记|党委书记|书记|副书记|镇长|乡长|县长|市长|区长|处长|科长"
    r"|院长|所长|站长|队长|部长|主席|秘书长|总经理|行长|负责人|党组成员|班子成员"
)
# What a fragment starts with when it is that item (labels, headings, table cells).
_LABELS: dict[str, str] = {
    "机构设置": r"机构设置|内设机构|内设科室|内设股室|科室设置|股室设置|组织机构|机构组成"
    r"|组成部门|下属单位|下属机构|直属单位|直属机构|所属单位|所属机构|下设",
    "单位职能": r"单位职能|机构职能|部门职能|主要职能|主要职责|职能职责|职责职能|工作职责|部门职责"
    r"|单位职责|机构职责|职能配置|职能|职责",
    "办公地址": r"办公地址|单位地址|机关地址|通讯地址|通信地址|联系地址|办公地点|地址",
    "办公时间": r"办公时间|工作时间|上班时间|对外办公时间|受理时间|服务时间|接待时间",
    "联系方式": r"联系方式|联系电话|咨询电话|办公电话|值班电话|监督电话|投诉电话|服务电话|联系我们"
    r"|电话|传真|电子邮箱|邮箱|E-?mail",
    "负责人姓名": r"负责人|主要负责人|单位负责人|领导信息|领导班子|领导成员|领导简介"
    r"|领导分工|单位领导|现任领导|班子成员|领导|姓名|" + _TITLES,
}
_LEAD_RE = re.compile(r"^[\s\d一二三四五六七八九十、.．()（）【】\[\]·•●■◆▪\-—]*")
_LABEL_RES = {
    # A label ends the fragment or is followed by a colon, a bracket, a list mark or a
    # conjunction (内设机构及职责, 领导班子和分工).
    item: re.compile(rf"^(?:{pattern})(?:[\s:：（(、及和与]|$)", re.IGNORECASE)
    for item, pattern in _LABELS.items()
}
# "张三　局长", "李四，党组书记、主任": a name line of the leaders' list.
_NAME_LINE_RE = re.compile(
    rf"^[\u4e00-\u9fa5·]{{2,4}}[\s,，:：]+(?:[\u4e00-\u9fa5、]{{0,12}})(?:{_TITLES})"
)
_PHONE_RE = re.compile(r"(?<!\d)(?:0\d{2,3}[-－—\s]?\d{7,8}|12345|400-?\d{3}-?\d{4})(?!\d)")

# Link texts of the sub-pages that hold items (a hub's items are judged there), and the
# alt texts of pictures that may show them.
_SUBPAGE_LINKS: tuple[tuple[re.Pattern, tuple[str, ...]], ...] = (
    (re.compile(r"领导|负责人|班子"), ("负责人姓名",)),
    (re.compile(r"职能|职责"), ("单位职能", "机构设置")),
    (re.compile(r"内设|机构设置|科室|股室|下属|直属|所属|组织|架构|机构图"), ("机构设置",)),
    (re.compile(r"联系|地址|电话|办公时间|工作时间"), ("联系方式", "办公地址", "办公时间")),
    (re.compile(r"机构信息|机构概况|单位概况|单位简介|机构简介|部门概况"), ITEMS),
)

_OVERVIEW = (
    r"机构信息|机构概况|机构简介|单位概况|单位简介|单位信息|部门概况|部门简介|部门信息|机构职能"
)
_NARROW = r"领导信息|领导简介|领导班子|机构设置|内设机构"
_PAGE_NAME_RE = re.compile(rf"(?:{_OVERVIEW}|{_NARROW})$")
_NARROW_RE = re.compile(rf"(?:{_NARROW})$")
MIN_PRESENT = 2
MIN_PRESENT_NARROW = 3
MAX_FRAGMENT = 200  # longer fragments are prose, not labels
_SPACE_RE = re.compile(r"\s+")


def page_name(headline: str, column_name: str = "", crumbs: list[str] | None = None) -> str | None:
    """The 机构信息-like name the page carries (its headline, else its column name or the
    last breadcrumb), or None when it is no such page."""
    for candidate in (headline, column_name, *(crumbs or [])[-1:]):
        name = _SPACE_RE.sub("", candidate or "")
        if name and len(name) <= 30 and _PAGE_NAME_RE.search(name):
            return name
    return None


def read_content(root: Any, url: str = "") -> tuple[list[str], list[str], bool]:
    """The page's content (chrome skipped) as text fragments in order; the texts of all
    its links but those to the page itself, and the alt/title texts of its content images
    (an org chart or a leader's photo shown as a picture: what they may hold is never
    reported missing); and whether a script or frame may load part of its content."""
    fragments: list[str] = []
    links: list[str] = []
    dynamic = False
    body = root.find("body") if root is not None else None
    stack: list[Any] = [body if body is not None else root]
    while stack:
        el = stack.pop()
        if isinstance(el, str):
            fragments.append(el)
            continue
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag:
            continue
        if tag == "script":
            dynamic = dynamic or (not el.get("src") and bool(_DYNAMIC_RE.search(el.text or "")))
            continue
        classes = f"{el.get('class') or ''} {el.get('id') or ''}"
        if tag in _CHROME_TAGS or (classes.strip() and _CHROME_RE.search(classes)):
            continue
        if tag in _WIDGET_TAGS and tag != "form":
            dynamic = True
        if tag == "img":
            links.append(_SPACE_RE.sub("", f"{el.get('alt') or ''}{el.get('title') or ''}"))
        if el.text:
            fragments.append(el.text)
        for child in reversed(el):
            if child.tail:
                stack.append(child.tail)
            stack.append(child)
    # Links anywhere, the site's navigation and sidebars included: a sub-page they
    # reach may hold an item (never a false "missing").
    own = url_key(url) if url else None
    base = base_url(root, url) if url else ""
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if own and href and url_key(resolve(base, href) or "") == own:
            continue  # the breadcrumb's last link, a tab of this very page
        links.append(_SPACE_RE.sub("", "".join(anchor.itertext())))
    cleaned = [_SPACE_RE.sub(" ", f).strip() for f in fragments]
    return [f for f in cleaned if f], [t for t in links if t], dynamic


def items_shown(fragments: list[str]) -> set[str]:
    """The items the fragments show (labels at a fragment's start, name lines, phones)."""
    found: set[str] = set()
    for fragment in fragments:
        if len(fragment) > MAX_FRAGMENT:
            if _PHONE_RE.search(fragment):
                found.add("联系方式")
            continue
        line = _LEAD_RE.sub("", fragment)
        for item, label in _LABEL_RES.items():
            if label.match(line):
                found.add(item)
        if _NAME_LINE_RE.match(line):
            found.add("负责人姓名")
        if _PHONE_RE.search(line):
            found.add("联系方式")
    return found


def items_linked(links: list[str]) -> set[str]:
    """The items that sub-pages the page links to would hold (judged there, not here)."""
    covered: set[str] = set()
    for text in links:
        if len(text) > 30:
            continue
        for pattern, items in _SUBPAGE_LINKS:
            if pattern.search(text):
                covered.update(items)
    return covered


def missing_items(name: str, fragments: list[str], links: list[str]) -> list[str] | None:
    """The items missing from a 机构信息 page named ``name``, in the plan's order; None
    when the page is not to be judged (too little of it is an overview)."""
    shown = items_shown([f for f in fragments if _SPACE_RE.sub("", f) != name])
    needed = MIN_PRESENT_NARROW if _NARROW_RE.search(name) else MIN_PRESENT
    if len(shown) < needed:
        return None
    covered = shown | items_linked(links)
    return [item for item in ITEMS if item not in covered]


def _page_name_of(page: Any) -> str | None:
    """The page's 机构信息-like name. An article (``ArticleTitle``/``PubDate``, a TRS or
    Hanweb article URL) is one only by its own headline: one listed under a 机构信息
    column (a notice on 职能配置、内设机构) is not the unit's 机构信息."""
    meta = {k.lower(): v for k, v in (page.meta or {}).items()}
    if "articletitle" in meta or "pubdate" in meta or _ARTICLE_URL_RE.search(page.url):
        return page_name(page.headline)
    found = page_name(page.headline, meta.get("columnname", ""))
    if found is not None:
        return found
    for el in page.root.iter("div", "p", "span", "td"):
        if _CRUMB_CLASS_RE.search(f"{el.get('class') or ''} {el.get('id') or ''}"):
            return page_name("", crumbs=_crumbs(el))
    return None


class OrgInfoIncompleteDetector(Detector):
    id: ClassVar[str] = "org_info_incomplete"
    title: ClassVar[str] = "机构信息不全"
    scope: ClassVar[str] = "markup"
    severity_rule: ClassVar[str] = "机构信息缺项为中"
    fields: ClassVar[tuple[str, ...]] = ("missing",)
    columns: ClassVar[tuple[Column, ...]] = (
        PAGE,
        Column("页面", field("page_name"), 1.2),
        Column("缺少的信息", field("missing"), 2.4),
    )
    sheet: ClassVar[dict] = {"问题对象": lambda r: "、".join(r.get("missing") or [])}
    evidence: ClassVar[tuple[Evidence, ...]] = (
        Evidence("页面", "page_name"),
        Evidence("缺少的信息", "missing", "list"),
        Evidence("已有的信息", "present", "list"),
    )
    rank: ClassVar[int] = 74
    criterion: ClassVar[str] = (
        "《龙南市2024年政务公开工作实施方案》（龙府办字〔2024〕36号）第1项：集中公开单位信息，"
        "包含机构设置、单位职能、办公地址、办公时间、联系方式、负责人姓名等信息"
    )

    def check(self, page: Any) -> Iterator[Finding]:
        if page.root is None:
            return
        name = _page_name_of(page)
        if name is None:
            return
        fragments, links, dynamic = read_content(page.root, page.url)
        links = [t for t in links if t != name]
        if dynamic:
            return
        missing = missing_items(name, fragments, links)
        if not missing:
            return
        present = [item for item in ITEMS if item in items_shown(fragments)]
        yield Finding(
            detector=self.id,
            page_url=page.url,
            key="org_info",
            severity="medium",
            message=(
                f"“{name}”页面缺少{'、'.join(missing)}；按政务公开工作实施方案，单位信息应包含"
                "机构设置、单位职能、办公地址、办公时间、联系方式、负责人姓名"
            ),
            details={
                "missing": missing,
                "page_name": name,
                "present": present,
                "criterion": self.criterion,
            },
        )
