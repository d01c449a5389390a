"""机构信息 pages and 政府开放日 previews planted for ``org_info_incomplete`` and
``open_day_notice`` (the city plan's tasks 1 and 12).

机构信息 (``/xxgk/``):

* ``/xxgk/lyj/jgxx/`` 市林业局 机构信息, labelled paragraphs: 主要职责, 内设机构 and 联系电话
  only — reported, missing 办公地址、办公时间、负责人姓名 (unit 市政府办: the config has no
  path rule for 市林业局);
* ``/xxgk/jgxx/`` 市政府办 机构信息, a table that writes 工作时间 for 办公时间, 职能职责 for
  单位职能, 咨询电话 for 联系方式 — trap, complete;
* ``/xxgk/spjgk/`` 市行政审批局 单位概况: 主要职责 and 内设机构, with links to its 领导信息
  and 联系我们 sub-pages, which hold the rest — trap: a hub is judged with its sub-pages.

政府开放日 (linked from 互动交流 ``/hdjl/``), on ``open_days.min_working_days: 15``:

* published Fri 2024-09-20 for Wed 2024-10-16: exactly 15 working days across National Day
  (1–7 Oct off, Sun 29 Sep and Sat 12 Oct worked) — trap, on time;
* published Fri 2024-11-01 for Fri 2024-11-15: 10 working days — reported;
* a report of an activity held (圆满举办), dated the day it was held — trap, no preview.
"""

from __future__ import annotations

from html import escape
from typing import Protocol

from sample_portal.layout import crumb_bar, page

XXGK = ("信息公开", "/xxgk/")
HDJL = ("互动交流", "/hdjl/")

LYJ_JGXX = "/xxgk/lyj/jgxx/"
ZFB_JGXX = "/xxgk/jgxx/"
SPJ_HUB = "/xxgk/spjgk/"
SPJ_LEADERS = "/xxgk/spjgk/ldxx.html"
SPJ_CONTACT = "/xxgk/spjgk/lxwm.html"

OPEN_DAYS = (
    # (id, title, published, body)
    (
        8801,
        "关于举办“政府开放日·走进市司法局”活动的预告",
        "2024-09-20",
        "为增进社会公众对法治政府建设工作的了解，市司法局定于2024年10月16日（星期三）上午"
        "举办“政府开放日”活动，邀请市民代表、企业代表走进市司法局，参观公共法律服务中心。"
        "欢迎广大市民报名参加，报名电话：0797-3522148。",
    ),
    (
        8802,
        "关于举办“政府开放日·走进市自然资源局”活动的预告",
        "2024-11-01",
        "市自然资源局定于2024年11月15日（星期五）开展“政府开放日”活动，邀请人大代表、"
        "政协委员和市民代表实地了解不动产登记“一窗受理”工作。报名电话：0797-3533216。",
    ),
    (
        8803,
        "“政府开放日·走进市司法局”活动圆满举办",
        "2024-10-16",
        "10月16日上午，市司法局举办“政府开放日”活动，20余名市民代表参观了公共法律服务中心，"
        "并就法律援助、人民调解等工作提出意见建议。",
    ),
)


class _Writer(Protocol):
    def html(self, site: str, path: str, text: str, codec: str = "utf-8") -> None: ...


def _open_day_path(item_id: int, day: str) -> str:
    compact = day.replace("-", "")
    return f"/hdjl/zfkfr/{compact[:6]}/t{compact}_{item_id}.html"


def _static(path: str, name: str, crumbs: tuple[tuple[str, str], ...], body: str) -> str:
    article = f'<div class="article">\n<h1>{name}</h1>\n{body}\n</div>'
    html = f"{crumb_bar((*crumbs, (name, path)))}\n{article}"
    # Column tags as every column page has them; typed 机构概况: a static column.
    meta = {
        "ColumnName": name,
        "ColumnType": "机构概况",
        "ColumnDescription": name,
        "ColumnKeywords": name,
    }
    return page(f"{name}_龙南市人民政府", html, meta=meta)


def _article(item_id: int, title: str, day: str, text: str) -> str:
    path = _open_day_path(item_id, day)
    meta = {"ArticleTitle": title, "PubDate": f"{day} 09:30", "ContentSource": "龙南市人民政府"}
    html = f"""{crumb_bar((HDJL, ("政府开放日", path)))}
<div class="article">
<h1>{escape(title)}</h1>
<div class="info">发布时间：{day} 09:30　来源：龙南市人民政府</div>
<div class="TRS_Editor" id="zoom">
<p>{escape(text)}</p>
</div>
</div>"""
    return page(title, html, meta=meta)


def nav_links(parent: str) -> str:
    """Links to these pages under ``parent`` (``/xxgk/`` or ``/hdjl/``)."""
    found = {
        "/xxgk/": [
            (ZFB_JGXX, "机构信息"),
            (LYJ_JGXX, "林业局机构信息"),
            (SPJ_HUB, "行政审批局单位概况"),
        ],
        "/hdjl/": [(_open_day_path(i, day), title) for i, title, day, _ in OPEN_DAYS],
    }[parent]
    return " ".join(f'<a href="{path}">{escape(name)}</a>' for path, name in found)


def write(site: _Writer) -> None:
    # Reported: no address, no office hours, no leader.
    lyj = """<p><strong>主要职责：</strong>负责全市林业和湿地资源的监督管理，组织开展植树造林、
森林防火和林业有害生物防治工作。</p>
<p><strong>内设机构：</strong>办公室、资源管理股、生态修复股、森林防火股。</p>
<p><strong>联系电话：</strong>0797-3524416</p>"""
    site.html("main", LYJ_JGXX, _static(LYJ_JGXX, "机构信息", (XXGK,), lyj))

    # Trap: complete, in other words (工作时间, 职能职责, 咨询电话).
    zfb = """<table class="jgxx">
<tr><th>单位名称</th><td>龙南市人民政府办公室</td></tr>
<tr><th>职能职责</th><td>负责市政府会议的组织工作，协助市政府领导同志处理市政府日常工作。</td></tr>
<tr><th>内设机构</th><td>秘书科、综合科、督查科、政务公开科</td></tr>
<tr><th>办公地址</th><td>龙南市龙南镇金塘大道1号市行政中心</td></tr>
<tr><th>工作时间</th><td>周一至周五 上午8:00—12:00，下午14:30—17:30（法定节假日除外）</td></tr>
<tr><th>咨询电话</th><td>0797-3512991</td></tr>
<tr><th>负责人</th><td>刘志远（主任）</td></tr>
</table>"""
    site.html("main", ZFB_JGXX, _static(ZFB_JGXX, "机构信息", (XXGK,), zfb))

    # Trap: a hub whose sub-pages hold the leaders and the contact details.
    hub = f"""<p>一、主要职责</p>
<p>负责全市行政审批制度改革，统筹推进政务服务和政务公开工作。</p>
<p>二、内设机构</p>
<p>办公室、审批服务股、政务公开股、网站管理股。</p>
<ul class="sub">
<li><a href="{SPJ_LEADERS}">领导信息</a></li>
<li><a href="{SPJ_CONTACT}">联系我们</a></li>
</ul>"""
    site.html("main", SPJ_HUB, _static(SPJ_HUB, "单位概况", (XXGK,), hub))
    leaders = """<p>局长：陈立新</p>
<p>主持局全面工作，分管办公室、审批服务股。</p>
<p>副局长：黄文斌</p>
<p>负责政务公开、网站管理工作，分管政务公开股、网站管理股。</p>"""
    crumbs = (XXGK, ("单位概况", SPJ_HUB))
    site.html("main", SPJ_LEADERS, _static(SPJ_LEADERS, "领导信息", crumbs, leaders))
    contact = """<p>办公地址：龙南市龙南镇金塘大道8号市民服务中心</p>
<p>办公时间：周一至周五 8:00—12:00，14:30—17:30</p>
<p>联系电话：0797-3531001</p>"""
    site.html("main", SPJ_CONTACT, _static(SPJ_CONTACT, "联系我们", crumbs, contact))

    for item_id, title, day, text in OPEN_DAYS:
        site.html("main", _open_day_path(item_id, day), _article(item_id, title, day, text))
