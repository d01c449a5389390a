"""Issue 16 part A: the city plan's deadlines and the 互动回应差 veto, planted with their traps.

Judged as of ``sample_portal.TODAY`` (2024-11-25) on the default limits: a reply within
20 working days (``interaction.max_reply_working_days``), publication within 3 calendar
days of the 成文日期 (``publication.max_days``).

``interaction_unanswered`` — 市长信箱 (``/hdjl/szxx/``): a list headed 标题 / 留言时间 /
状态 / 回复时间, each message on its own page (留言时间 / 回复单位 / 回复时间 / 回复内容):

* 9001, asked 2024-07-15, 未回复 (暂无回复): more than 3 months → ``unanswered``, veto;
* 9002, asked Thu 2024-08-01, answered 2024-09-20 → ``late`` (35 working days);
* 9003 (trap), asked 2024-08-22 — 95 days ago — answered the next day: neither;
* 9004, answered within the week; 9005, asked 2024-11-18 and 办理中 (5 working days).

The existing 互动交流 page's 在线咨询 link answers 500 (generate.interaction): the channel
does not work → ``no_channel``, veto.

``late_publication`` — 法定主动公开内容 (``/xxgk/fdzdgk/``), Hanweb-style metadata tables:

* 7001, 成文 Tue 2024-10-08, 发布 Mon 2024-10-14: 6 days → reported;
* 7002 (trap), 成文 Fri 2024-11-15, 发布 Mon 2024-11-18: 3 calendar days, on time;
* 7003, 成文 2024-11-19, 发布 2024-11-20.

``expired_document`` — 现行有效规范性文件 (``/xxgk/xxyx/``), a library listed with
文件名称 / 文号 / 有效性 / 有效期至 / 发布日期, each document on its page (the library's
breadcrumb, 有效性 and 有效期至 in its metadata table):

* 6001 shown 有效 with 有效期至 2024-06-30 → reported;
* 6002 shown 失效 in the library → reported;
* 5101 (the 规范性文件 document, 有效期至 2029) listed: fine;
* 6101 (trap) under 已废止失效目录 (``/xxgk/fzsx/``), shown 失效 with 有效期至
  2023-12-31: correctly marked, not reported.

Expected findings: ``expected_findings.yaml`` (the lines the comments there tie to this
module); the pages judged and not reported are its ``not_reported``.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Protocol

from sample_portal import policy_problems
from sample_portal.layout import Column, crumb_bar, page

HDJL = ("互动交流", "/hdjl/")
XXGK = ("信息公开", "/xxgk/")
SZXX = Column("/hdjl/szxx/", "市长信箱", "互动交流", "市长信箱留言选登", "市长信箱", (HDJL,))
FDZDGK = Column(
    "/xxgk/fdzdgk/", "法定主动公开内容", "信息公开", "法定主动公开内容", "主动公开", (XXGK,)
)
XXYX = Column(
    "/xxgk/xxyx/", "现行有效规范性文件", "规范性文件", "现行有效规范性文件库", "规范性文件", (XXGK,)
)
FZSX = Column("/xxgk/fzsx/", "已废止失效目录", "信息公开", "已废止失效目录", "废止失效", (XXGK,))


class _Writer(Protocol):
    def html(self, site: str, path: str, text: str, codec: str = "utf-8") -> None: ...


def _path(column: Column, day: str, number: int) -> str:
    compact = day.replace("-", "")
    return f"{column.path}{compact[:6]}/t{compact}_{number}.html"


def _table(rows: list[tuple[str, str]]) -> str:
    """A Hanweb/大汉-style metadata table: label cell, value cell, two pairs a row."""
    cells = [f"<td>{label}</td><td>{escape(value)}</td>" for label, value in rows]
    lines = ["".join(cells[i : i + 2]) for i in range(0, len(cells), 2)]
    body = "\n".join(f"<tr>{line}</tr>" for line in lines)
    return f'<table class="xxgk-info">\n{body}\n</table>'


def _article(column: Column, title: str, day: str, table: str, text: str) -> str:
    meta = {
        "ColumnName": column.name,
        "ColumnType": column.kind,
        "ArticleTitle": title,
        "PubDate": f"{day} 09:00",
        "ContentSource": "龙南市人民政府",
    }
    body = f"""{crumb_bar(column.crumbs())}
<div class="article">
<h1>{escape(title)}</h1>
{table}
<div class="TRS_Editor" id="zoom">
{text}
</div>
</div>"""
    return page(title, body, meta=meta)


def _list(column: Column, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """A column's list: a headed table, the first cell linking the row's page."""
    head = "".join(f"<th>{h}</th>" for h in header)
    lines = []
    for href, *cells in rows:
        first, rest = cells[0], cells[1:]
        tds = "".join(f"<td>{escape(c)}</td>" for c in rest)
        lines.append(f'<tr><td><a href="{href}">{escape(first)}</a></td>{tds}</tr>')
    table = f'<table class="list">\n<tr>{head}</tr>\n' + "\n".join(lines) + "\n</table>"
    heading = f'<div class="column">\n<h2>{column.name}</h2>'
    body = f"{crumb_bar(column.crumbs())}\n{heading}\n{table}\n</div>"
    return page(f"{column.name}_龙南市人民政府", body, meta=column.meta())


# -- 市长信箱 ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Letter:
    id: int
    title: str
    asked: str
    answered: str  # "" when not answered
    status: str
    reply: str

    @property
    def path(self) -> str:
        return _path(SZXX, self.asked, self.id)


LETTERS = (
    Letter(9001, "关于龙南大道部分路灯不亮的问题", "2024-07-15", "", "未回复", ""),
    Letter(
        9002,
        "咨询城区义务教育学校招生划片范围",
        "2024-08-01",
        "2024-09-20",
        "已回复",
        "您好！城区义务教育学校招生划片范围已在市教育局网站公布，请登录查询。",
    ),
    Letter(
        9003,
        "询问新生儿医保参保办理流程",
        "2024-08-22",
        "2024-08-23",
        "已回复",
        "您好！新生儿可在出生后凭出生医学证明到市政务服务中心医保窗口办理参保登记。",
    ),
    Letter(
        9004,
        "反映渡江路人行道砖块松动",
        "2024-11-04",
        "2024-11-08",
        "已回复",
        "您好！市城管局已安排人员对渡江路人行道进行修复，感谢您的监督。",
    ),
    Letter(9005, "咨询老旧小区改造申报时间", "2024-11-18", "", "办理中", ""),
)


def _letter_page(letter: Letter) -> str:
    table = _table(
        [
            ("留言标题", letter.title),
            ("留言时间", f"{letter.asked} 10:21"),
            ("回复单位", "市政府办公室" if letter.answered else ""),
            ("回复时间", letter.answered),
        ]
    )
    reply = letter.reply or "暂无回复"
    text = (
        f"<p>留言内容：{escape(letter.title)}，请有关部门帮助解决，谢谢。</p>\n"
        f'<table class="reply"><tr><td>回复内容</td><td>{escape(reply)}</td></tr></table>'
    )
    return _article(SZXX, letter.title, letter.asked, table, text)


def mailbox(site: _Writer) -> None:
    rows = [
        (m.path.removeprefix(SZXX.path), m.title, m.asked, m.status, m.answered)
        for m in sorted(LETTERS, key=lambda m: m.asked, reverse=True)
    ]
    site.html("main", SZXX.path, _list(SZXX, ("标题", "留言时间", "状态", "回复时间"), rows))
    for letter in LETTERS:
        site.html("main", letter.path, _letter_page(letter))


# -- 法定主动公开内容 -------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    id: int
    title: str
    number: str
    issued: str
    published: str

    @property
    def path(self) -> str:
        return _path(FDZDGK, self.published, self.id)


NOTICES = (
    Notice(
        7001,
        "龙南市人民政府办公室关于做好2024年冬春季森林防火工作的通知",
        "龙府办字〔2024〕61号",
        "2024-10-08",
        "2024-10-14",
    ),
    Notice(
        7002,
        "龙南市人民政府办公室关于开展2024年度政务公开工作考核的通知",
        "龙府办字〔2024〕66号",
        "2024-11-15",
        "2024-11-18",
    ),
    Notice(
        7003,
        "龙南市人民政府办公室关于做好2025年元旦春节期间市场保供工作的通知",
        "龙府办字〔2024〕68号",
        "2024-11-19",
        "2024-11-20",
    ),
)


def disclosure(site: _Writer) -> None:
    rows = [
        (n.path.removeprefix(FDZDGK.path), n.title, n.number, n.published)
        for n in sorted(NOTICES, key=lambda n: n.published, reverse=True)
    ]
    site.html("main", FDZDGK.path, _list(FDZDGK, ("标题", "文号", "发布日期"), rows))
    for notice in NOTICES:
        table = _table(
            [
                ("发文机关", "龙南市人民政府办公室"),
                ("文　　号", notice.number),
                ("成文日期", notice.issued),
                ("发布日期", notice.published),
            ]
        )
        text = (
            "<p>各乡镇人民政府，市政府各部门：</p>\n<p>现将有关事项通知如下，请认真抓好落实。</p>"
        )
        site.html(
            "main", notice.path, _article(FDZDGK, notice.title, notice.published, table, text)
        )


# -- 现行有效规范性文件 -------------------------------------------------------------------------


@dataclass(frozen=True)
class Normative:
    id: int
    title: str
    number: str
    day: str
    status: str
    valid_until: str
    column: Column

    @property
    def path(self) -> str:
        return _path(self.column, self.day, self.id)


NORMATIVES = (
    Normative(
        6001,
        "龙南市城区临时占道管理办法",
        "龙府规〔2019〕2号",
        "2019-07-01",
        "有效",
        "2024-06-30",
        XXYX,
    ),
    Normative(
        6002,
        "龙南市城市生活垃圾分类管理暂行办法",
        "龙府规〔2020〕1号",
        "2020-03-16",
        "失效",
        "2023-12-31",
        XXYX,
    ),
    Normative(
        6101,
        "龙南市农贸市场管理暂行办法",
        "龙府规〔2018〕5号",
        "2018-05-10",
        "失效",
        "2023-12-31",
        FZSX,
    ),
)


def library(site: _Writer) -> None:
    current = policy_problems.DOCUMENTS[0]  # 龙府规〔2024〕3号, its page under 规范性文件
    header = ("文件名称", "文号", "有效性", "有效期至", "发布日期")
    rows = [
        (
            "../zcwj/gfxwj/" + current.path.removeprefix(policy_problems.GFXWJ.path),
            current.title,
            current.number,
            "有效",
            "2029-09-26",
            current.day,
        )
    ]
    for doc in NORMATIVES:
        if doc.column is XXYX:
            href = doc.path.removeprefix(XXYX.path)
            rows.append((href, doc.title, doc.number, doc.status, doc.valid_until, doc.day))
    site.html("main", XXYX.path, _list(XXYX, header, rows))
    void = [
        (d.path.removeprefix(FZSX.path), d.title, d.number, d.status, d.day)
        for d in NORMATIVES
        if d.column is FZSX
    ]
    site.html("main", FZSX.path, _list(FZSX, ("文件名称", "文号", "有效性", "发布日期"), void))
    for doc in NORMATIVES:
        table = _table(
            [
                ("发布机构", "龙南市人民政府"),
                ("文　　号", doc.number),
                ("有效性", doc.status),
                ("有效期至", doc.valid_until),
            ]
        )
        text = "<p>第一条　为加强管理，根据有关法律法规，结合本市实际，制定本办法。</p>"
        site.html("main", doc.path, _article(doc.column, doc.title, doc.day, table, text))


def write(site: _Writer) -> None:
    mailbox(site)
    disclosure(site)
    library(site)


def nav_links(parent: str) -> str:
    """Links to this module's columns under ``parent`` (``/xxgk/`` or ``/hdjl/``)."""
    found = {
        "/xxgk/": [FDZDGK, XXYX, FZSX],
        "/hdjl/": [SZXX],
    }[parent]
    return " ".join(f'<a href="{c.path}">{c.name}</a>' for c in found)
