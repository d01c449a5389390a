"""Policy documents and interpretations (政策解读) planted for ``missing_interpretation``.

Documents: the four of 政策文件 (``/xxgk/zcwj/``, 文号 in an 信息公开 field) and five
normative documents (规范性文件 ``/xxgk/zcwj/gfxwj/``, a 邯郸-style table list, the 文号
on a line of its own). Interpretations: 政策解读 (``/xxgk/zcjd/``). Every case of the
rule, on ``policy.max_working_days: 3`` and the official holiday calendar:

* linked both ways, on time (relative links; absolute links across National Day:
  Fri 2024-09-27 → Tue 2024-10-08 is 3 working days);
* linked both ways, late: across National Day by one day (→ Wed 2024-10-09, 4 working
  days) and in an ordinary week (Mon 2024-07-22 → Mon 2024-07-29, 5);
* linked one way only, each direction (``not_linked_back``);
* paired only by the quoted title, or only by the quoted 文号 (``not_linked_back``);
* no interpretation at all (``none``).

Expected findings: ``expected_findings.yaml`` → ``missing_interpretation``; the documents
judged and not reported are its ``not_reported``.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Protocol

from sample_portal import precision_traps
from sample_portal.layout import Column, crumb_bar, page

GFXWJ = Column(
    "/xxgk/zcwj/gfxwj/",
    "规范性文件",
    "规范性文件",
    "市政府规范性文件",
    "规范性文件",
    parents=(("信息公开", "/xxgk/"), ("政策文件", "/xxgk/zcwj/")),
)
ZCJD = Column(
    "/xxgk/zcjd/", "政策解读", "政策解读", "政策解读", "政策解读", parents=(("信息公开", "/xxgk/"),)
)


class _Writer(Protocol):
    def html(self, site: str, path: str, text: str, codec: str = "utf-8") -> None: ...


@dataclass(frozen=True)
class Document:
    id: int
    title: str
    number: str
    day: str

    @property
    def path(self) -> str:
        compact = self.day.replace("-", "")
        return f"{GFXWJ.path}{compact[:6]}/t{compact}_{self.id}.html"


@dataclass(frozen=True)
class Interpretation:
    id: int
    title: str
    day: str
    document: str  # path of the document it interprets
    links_document: bool  # has a 原文 link to the document
    linked_back: bool  # the document has a 相关解读 link to it
    absolute: bool = False  # links written with the origin
    quote: str = ""  # a sentence quoting the document (title or 文号)

    @property
    def path(self) -> str:
        compact = self.day.replace("-", "")
        return f"{ZCJD.path}{compact[:6]}/t{compact}_{self.id}.html"


ZCWJ_2001 = "/xxgk/zcwj/202410/t20241015_2001.html"
ZCWJ_2002 = "/xxgk/zcwj/202409/t20240920_2002.html"
ZCWJ_2003 = "/xxgk/zcwj/202407/t20240722_2003.html"

DOCUMENTS = (
    Document(
        5101,
        "龙南市人民政府关于印发龙南市城乡居民医疗救助办法的通知",
        "龙府规〔2024〕3号",
        "2024-09-27",
    ),
    Document(
        5102,
        "龙南市人民政府关于印发龙南市农村住房建设管理办法的通知",
        "龙府规〔2024〕4号",
        "2024-09-27",
    ),
    Document(
        5103, "龙南市人民政府关于印发龙南市养犬管理规定的通知", "龙府规〔2024〕2号", "2024-08-15"
    ),
    Document(
        5104,
        "龙南市人民政府关于印发龙南市城市绿化管理办法的通知",
        "龙府规〔2024〕1号",
        "2024-08-06",
    ),
    Document(
        5105,
        "龙南市人民政府办公室关于印发龙南市公共租赁住房管理办法的通知",
        "龙府办规〔2024〕2号",
        "2024-05-20",
    ),
)
_DOC = {d.id: d.path for d in DOCUMENTS}

INTERPRETATIONS = (
    # on time, both ways, relative links
    Interpretation(8001, "《龙南市城区停车管理办法》政策解读", "2024-10-17", ZCWJ_2001, True, True),
    # paired by the quoted 文号 only
    Interpretation(
        8002,
        "关于进一步加强森林防火工作的政策解读",
        "2024-09-24",
        ZCWJ_2002,
        False,
        False,
        quote="近日，市政府办公室印发了龙府办字〔2024〕48号文件，现就有关内容解读如下。",
    ),
    # late in an ordinary week (5 working days), both ways, absolute links
    Interpretation(
        8003, "《龙南市2024年政务公开工作实施方案》解读", "2024-07-29", ZCWJ_2003, True, True, True
    ),
    # on time across National Day (3 working days), both ways, absolute links
    Interpretation(
        8101, "《龙南市城乡居民医疗救助办法》解读", "2024-10-08", _DOC[5101], True, True, True
    ),
    # late across National Day (4 working days); titled 图解, known by its column
    Interpretation(
        8102, "图解：《龙南市农村住房建设管理办法》", "2024-10-09", _DOC[5102], True, True
    ),
    # links to the document; the document does not link back
    Interpretation(8103, "《龙南市养犬管理规定》政策解读", "2024-08-16", _DOC[5103], True, False),
    # the document links to it; it does not link to the document
    Interpretation(8104, "《龙南市城市绿化管理办法》解读", "2024-08-08", _DOC[5104], False, True),
    # paired by the quoted title only
    Interpretation(
        8105,
        "龙南市公共租赁住房管理政策问答",
        "2024-05-22",
        _DOC[5105],
        False,
        False,
        quote="《龙南市公共租赁住房管理办法》已正式印发，现就申请条件、轮候配租等问题解答如下。",
    ),
)


def interpretation_links(document_path: str, base: str) -> list[tuple[str, str]]:
    """相关解读 links a document page shows; ``base`` is the directory relative links
    resolve against (its ``<base href>``, or its own directory)."""
    links = []
    for interp in INTERPRETATIONS:
        if interp.document == document_path and interp.linked_back:
            href = "{main}" + interp.path if interp.absolute else _relative(base, interp.path)
            links.append((href, f"相关解读：{interp.title}"))
    return links


def _relative(base_dir: str, target: str) -> str:
    up = base_dir.strip("/").count("/") + 1
    return "../" * up + target.lstrip("/")


def _related(links: list[tuple[str, str]]) -> str:
    if not links:
        return ""
    items = "\n".join(f'<li><a href="{h}" target="_blank">{escape(t)}</a></li>' for h, t in links)
    return f'\n<div class="related"><h4>相关链接</h4>\n<ul>\n{items}\n</ul>\n</div>'


def _article(column: Column, title: str, day: str, body: str, related: str) -> str:
    meta = {
        "ColumnName": column.name,
        "ColumnType": column.kind,
        "ArticleTitle": title,
        "PubDate": f"{day} 10:00",
        "ContentSource": "龙南市人民政府",
    }
    html = f"""{crumb_bar(column.crumbs())}
<div class="article">
<h1>{escape(title)}</h1>
<div class="info">发布时间：{day} 10:00　来源：龙南市人民政府</div>
<div class="TRS_Editor" id="zoom">
{body}
</div>{related}
</div>"""
    return page(title, html, meta=meta)


def _documents_list() -> str:
    rows = "\n".join(
        f"<tr><td>11360727MB0000000X/2024-{d.id:05d}</td>"
        f'<td><a href="./{d.path.removeprefix(GFXWJ.path)}">{escape(d.title)}</a></td>'
        f"<td>龙南市人民政府</td><td>{d.number}</td><td>{d.day}</td></tr>"
        for d in DOCUMENTS
    )
    table = (
        '<table class="xxgk-list"><tr><th>索引号</th><th>名称</th><th>发布机构</th>'
        f"<th>文号</th><th>发布日期</th></tr>\n{rows}\n</table>"
    )
    heading = '<div class="column">\n<h2>规范性文件</h2>'
    body = f"{crumb_bar(GFXWJ.crumbs())}\n{heading}\n{table}\n</div>{precision_traps.sidebar()}"
    return page("规范性文件_龙南市人民政府", body, meta=GFXWJ.meta())


def _interpretations_list() -> str:
    rows = "\n".join(
        f'<li><a href="./{i.path.removeprefix(ZCJD.path)}">{escape(i.title)}</a>'
        f"<span>{i.day}</span></li>"
        for i in sorted(INTERPRETATIONS, key=lambda i: i.day, reverse=True)
    )
    body = (
        f'{crumb_bar(ZCJD.crumbs())}\n<div class="column">\n<h2>政策解读</h2>\n'
        f'<ul class="list">\n{rows}\n</ul>\n</div>{precision_traps.sidebar()}'
    )
    return page("政策解读_龙南市人民政府", body, meta=ZCJD.meta())


def write(site: _Writer) -> None:
    site.html("main", GFXWJ.path, _documents_list())
    site.html("main", ZCJD.path, _interpretations_list())
    for doc in DOCUMENTS:
        body = (
            f'<p class="wh" style="text-align:center">{doc.number}</p>\n'
            "<p>各乡镇人民政府，市政府各部门：</p>\n"
            "<p>现将有关办法印发给你们，请认真贯彻执行。</p>"
        )
        base = doc.path.rsplit("/", 1)[0] + "/"
        related = _related(interpretation_links(doc.path, base))
        site.html("main", doc.path, _article(GFXWJ, doc.title, doc.day, body, related))
    for interp in INTERPRETATIONS:
        body = f"<p>{escape(interp.quote or interp.title + '，现解读如下。')}</p>\n"
        body += "<p>一、出台背景。二、主要内容。三、适用范围。</p>"
        links = []
        if interp.links_document:
            if interp.absolute:
                href = "{main}" + interp.document
            else:
                href = _relative(interp.path.rsplit("/", 1)[0] + "/", interp.document)
            links.append((href, "原文：" + _document_title(interp.document)))
        html = _article(ZCJD, interp.title, interp.day, body, _related(links))
        site.html("main", interp.path, html)


def _document_title(path: str) -> str:
    from sample_portal.content import stories

    for doc in DOCUMENTS:
        if doc.path == path:
            return doc.title
    for story in stories()["zcwj"]:
        if story.url_path("/xxgk/zcwj/") == path:
            return story.title
    return ""
