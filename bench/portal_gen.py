"""Generate a large static portal shaped like a Chinese government site (TRS style).

The portal is a tree of static files meant to be served by nginx for the crawl benchmark:

* ``/`` — home page with every column and its latest articles;
* ``/<col>/index.html``, ``/<col>/index_1.html``, … — paginated list pages, linked by plain
  ``<a>`` pager links and by the TRS ``createPageHTML(count, current, "index", "html")`` call;
* ``/<col>/<YYYYMM>/t<YYYYMMDD>_<id>.html`` — articles with the shared header navigation
  (20 links), a footer, 1–2 images and, in about half of them, attachments (pdf/doc/xls);
* about 5% of the attachment links point to files that are never written. A few of those
  missing files are shared by several articles, so the number of distinct missing URLs is
  smaller than the number of broken (page, target) pairs; both are recorded exactly.

Two shapes (:data:`SHAPES`): ``classic`` as above, and ``issue`` (issue 18's portal): every
article has ~2 KB of text, 19 ``<a>`` links (a shorter header), the site's shared images and
exactly one PDF attachment with a text layer, 5% of them missing.

Everything is deterministic for a given ``seed``. Run standalone to inspect a portal::

    python bench/portal_gen.py --articles 200 --out /tmp/portal [--shape issue]
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

SITE_NAME = "清溪市人民政府"
SITE_ID_CODE = "3607270001"
ARTICLES_PER_LIST_PAGE = 20
HOME_ITEMS_PER_COLUMN = 5
NAV_COLUMNS = 16
MISSING_RATE = 0.05
SHARED_MISSING_SHARE = 0.3
ATTACHMENT_RATE = 0.5
FIRST_ARTICLE_ID = 100000
DATE_START = datetime(2019, 1, 1, 8, 0)
DATE_SPAN_MINUTES = 6 * 365 * 24 * 60

COLUMNS: tuple[tuple[str, str], ...] = (
    ("xwdt", "新闻动态"),
    ("tzgg", "通知公告"),
    ("zwyw", "政务要闻"),
    ("bmdt", "部门动态"),
    ("xzdt", "乡镇动态"),
    ("zcwj", "政策文件"),
    ("zcjd", "政策解读"),
    ("gfxwj", "规范性文件"),
    ("rsxx", "人事信息"),
    ("ghjh", "规划计划"),
    ("czzj", "财政资金"),
    ("zfcg", "政府采购"),
    ("zdxm", "重大项目"),
    ("jyfw", "教育服务"),
    ("ylws", "医疗卫生"),
    ("shbz", "社会保障"),
    ("jycy", "就业创业"),
    ("hjbh", "环境保护"),
    ("aqsc", "安全生产"),
    ("spyp", "食品药品"),
    ("jtys", "交通运输"),
    ("zfjs", "住房建设"),
    ("nyxc", "农业乡村"),
    ("whly", "文化旅游"),
    ("tjxx", "统计信息"),
    ("jytabl", "建议提案办理"),
    ("zfxxgk", "政府信息公开"),
    ("xzxk", "行政许可"),
    ("xzcf", "行政处罚"),
    ("sgs", "双公示"),
    ("yjgl", "应急管理"),
    ("scjg", "市场监管"),
    ("swdt", "商务动态"),
    ("tzzs", "投资招商"),
    ("kjcx", "科技创新"),
    ("mzzj", "民族宗教"),
    ("tyjs", "退役军人"),
    ("gzcy", "公众参与"),
    ("zxft", "在线访谈"),
    ("rdhy", "热点回应"),
)
STATIC_PAGES: tuple[tuple[str, str], ...] = (
    ("wzdt", "网站地图"),
    ("lxwm", "联系我们"),
    ("gywm", "关于我们"),
    ("sybz", "使用帮助"),
    ("ysbh", "隐私保护"),
)
ASSET_BYTES: dict[str, bytes] = {
    "/css/main.css": b"body{font:14px/1.6 'Microsoft YaHei',sans-serif;margin:0}\n",
    "/js/jquery.min.js": b"/*! jQuery stand-in for the benchmark */\n",
    "/js/common.js": (
        b"function createPageHTML(count, current, prefix, suffix) {\n"
        b"  if (count <= 1) { return; }\n"
        b"  for (var i = 0; i < count; i++) {\n"
        b"    var href = i === 0 ? prefix + '.' + suffix : prefix + '_' + i + '.' + suffix;\n"
        b"    document.write(i === current ? '<span>' + (i + 1) + '</span>'\n"
        b"      : '<a href=\"' + href + '\">' + (i + 1) + '</a>');\n"
        b"  }\n"
        b"}\n"
    ),
    "/images/logo.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 256,
    "/images/dzjg.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 128,
    "/favicon.ico": b"\0\0\1\0" + b"\0" * 64,
}
IMAGE_EXTS = ("jpg", "png")
IMAGE_BYTES = b"\xff\xd8\xff\xe0" + b"\0" * 1020
ATTACHMENT_EXTS = ("pdf", "doc", "docx", "xls", "xlsx")
ATTACHMENT_BYTES: dict[str, bytes] = {
    "pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"0" * 480,
    "doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
    "docx": b"PK\x03\x04" + b"\0" * 508,
    "xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
    "xlsx": b"PK\x03\x04" + b"\0" * 508,
}
TITLE_PREFIXES = ("关于", "市政府关于", "市人民政府办公室关于", "县政府办公室关于", "关于印发")
TITLE_TOPICS = (
    "进一步优化营商环境",
    "做好春季农业生产",
    "加强安全生产监督管理",
    "推进乡村振兴战略实施",
    "开展城乡环境综合整治",
    "促进民营经济高质量发展",
    "做好防汛抗旱工作",
    "深化“放管服”改革",
    "加快数字政府建设",
    "做好高校毕业生就业创业",
    "完善社会救助体系",
    "加强食品安全监管",
    "推进老旧小区改造",
    "做好森林防火工作",
    "开展消费帮扶活动",
    "规范政府采购行为",
)
TITLE_SUFFIXES = ("的通知", "的实施意见", "的工作方案", "的公告", "的意见", "实施细则的通知")
SOURCES = ("市政府办公室", "市发展改革委", "市财政局", "市教育局", "市卫生健康委", "市融媒体中心")
PHRASES = (
    "为深入贯彻落实党中央、国务院决策部署，",
    "按照省委、省政府工作要求，",
    "结合我市实际，",
    "坚持以人民为中心的发展思想，",
    "统筹发展和安全，",
    "切实增强工作的系统性、整体性、协同性，",
    "各乡镇人民政府、市政府各部门要高度重视，",
    "加强组织领导，压实工作责任，",
    "确保各项任务落地见效。",
    "现将有关事项通知如下。",
    "进一步提升群众获得感、幸福感、安全感。",
    "强化督查考核，对工作不力的单位予以通报。",
    "请各单位于每月底前报送工作进展情况。",
    "本方案自印发之日起施行。",
    "积极稳妥推进各项改革任务，",
    "持续优化政务服务流程，",
    "推动“一网通办”提质增效，",
    "严格落实值班值守制度，",
    "广泛开展宣传引导，营造良好氛围。",
)


def _pdf_with_text(text: str) -> bytes:
    """A minimal valid one-page PDF whose text layer is ``text`` (ASCII)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@dataclass(frozen=True, slots=True)
class Shape:
    """What an article carries: header links, text length, images, attachments."""

    name: str
    nav_columns: int  # column links in the shared header (besides 首页)
    nav_static: int  # static-page links in the shared header
    attachment_rate: float  # share of articles with attachments
    attachments: tuple[int, int]  # attachments per such article (min, max)
    attachment_exts: tuple[str, ...]
    shared_images: tuple[str, ...]  # site images every article shows (else its own 1–2)
    paragraphs: tuple[int, int]
    phrases: tuple[int, int]  # per paragraph
    pdf: bytes = ATTACHMENT_BYTES["pdf"]


SHAPES: dict[str, Shape] = {
    "classic": Shape(
        "classic",
        nav_columns=NAV_COLUMNS,
        nav_static=3,
        attachment_rate=ATTACHMENT_RATE,
        attachments=(1, 3),
        attachment_exts=ATTACHMENT_EXTS,
        shared_images=(),
        paragraphs=(3, 7),
        phrases=(4, 9),
    ),
    "issue": Shape(
        "issue",
        nav_columns=6,
        nav_static=0,
        attachment_rate=1.0,
        attachments=(1, 1),
        attachment_exts=("pdf",),
        shared_images=("/images/banner.jpg", "/images/ewm.png"),
        paragraphs=(5, 6),
        phrases=(8, 10),
        pdf=_pdf_with_text("Qingxi municipal government attachment: statistics table 2024."),
    ),
}


@dataclass(frozen=True, slots=True)
class Column:
    """A list column: URL slug (``/<slug>/``) and display name."""

    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """One attachment link of an article; ``file`` is the site path it resolves to."""

    href: str
    file: str
    label: str
    exists: bool


@dataclass(slots=True)
class Article:
    """One planned article page with everything needed to render it."""

    aid: int
    column: Column
    published: datetime
    title: str
    source: str
    images: list[str]
    attachments: list[Attachment]
    month: str = ""
    file_name: str = ""
    path: str = ""

    def __post_init__(self) -> None:
        self.month = f"{self.published:%Y%m}"
        self.file_name = f"t{self.published:%Y%m%d}_{self.aid}.html"
        self.path = f"/{self.column.slug}/{self.month}/{self.file_name}"  # site path


@dataclass(slots=True)
class Portal:
    """A generated portal and the ground truth needed to score a crawl of it."""

    root: Path
    articles: int
    columns: int
    list_pages: int
    html_urls: set[str] = field(default_factory=set)
    other_urls: set[str] = field(default_factory=set)
    missing_urls: set[str] = field(default_factory=set)
    broken_pairs: set[tuple[str, str]] = field(default_factory=set)
    attachment_links: int = 0
    files_written: int = 0
    bytes_written: int = 0
    seconds: float = 0.0

    def summary(self) -> dict[str, int | float]:
        """Counts for printing or JSON output."""
        return {
            "articles": self.articles,
            "columns": self.columns,
            "list_pages": self.list_pages,
            "html_urls": len(self.html_urls),
            "other_urls": len(self.other_urls),
            "attachment_links": self.attachment_links,
            "missing_urls": len(self.missing_urls),
            "broken_pairs": len(self.broken_pairs),
            "files_written": self.files_written,
            "bytes_written": self.bytes_written,
            "seconds": round(self.seconds, 3),
        }


# --------------------------------------------------------------------------- planning


def _column_sizes(total: int, count: int, rng: random.Random) -> list[int]:
    """Split ``total`` articles over ``count`` columns with uneven, realistic sizes."""
    weights = [rng.uniform(0.3, 1.7) for _ in range(count)]
    scale = total / sum(weights)
    sizes = [int(w * scale) for w in weights]
    for i in range(total - sum(sizes)):
        sizes[i % count] += 1
    return sizes


def _title(rng: random.Random) -> str:
    return rng.choice(TITLE_PREFIXES) + rng.choice(TITLE_TOPICS) + rng.choice(TITLE_SUFFIXES)


def _attachments(
    rng: random.Random,
    stamp: str,
    aid: int,
    dir_path: str,
    shared_missing: list[str],
    shape: Shape,
) -> list[Attachment]:
    """Plan the article's attachments; about ``MISSING_RATE`` of them point to files never
    written."""
    if rng.random() >= shape.attachment_rate:
        return []
    planned = []
    for k in range(rng.randint(*shape.attachments)):
        ext = rng.choice(shape.attachment_exts)
        name = f"P0{stamp}{aid}{k}.{ext}"
        label = f"附件{k + 1}：{rng.choice(TITLE_TOPICS)}情况统计表.{ext}"
        if rng.random() >= MISSING_RATE:
            planned.append(Attachment(f"./{name}", f"{dir_path}/{name}", label, True))
        elif rng.random() < SHARED_MISSING_SHARE:
            target = rng.choice(shared_missing)
            planned.append(Attachment(target, target, label, False))
        else:
            planned.append(Attachment(f"./{name}", f"{dir_path}/{name}", label, False))
    return planned


def plan_articles(
    total: int, seed: int, shape: Shape = SHAPES["classic"]
) -> dict[Column, list[Article]]:
    """Plan every article (newest first per column); all randomness happens here."""
    rng = random.Random(seed)
    columns = [Column(slug, name) for slug, name in COLUMNS]
    per_article = shape.attachment_rate * sum(shape.attachments) / 2
    pool_size = max(3, int(total * per_article * MISSING_RATE * SHARED_MISSING_SHARE / 4))
    shared_missing = [
        f"/uploads/fj/{2019 + i % 6}/P0{i:04d}{rng.randrange(10**8):08d}.{ext}"
        for i, ext in enumerate(rng.choice(("pdf", "xls")) for _ in range(pool_size))
    ]
    plans: dict[Column, list[Article]] = {}
    aid = FIRST_ARTICLE_ID
    for column, size in zip(columns, _column_sizes(total, len(columns), rng), strict=True):
        minutes = sorted((rng.randrange(DATE_SPAN_MINUTES) for _ in range(size)), reverse=True)
        articles = []
        for offset in minutes:
            published = DATE_START + timedelta(minutes=offset)
            stamp = f"{published:%Y%m%d}"
            dir_path = f"/{column.slug}/{published:%Y%m}"
            images = list(shape.shared_images) or [
                f"W0{stamp}{aid}{k}.{IMAGE_EXTS[k % 2]}" for k in range(rng.randint(1, 2))
            ]
            attachments = _attachments(rng, stamp, aid, dir_path, shared_missing, shape)
            title, source = _title(rng), rng.choice(SOURCES)
            articles.append(Article(aid, column, published, title, source, images, attachments))
            aid += 1
        plans[column] = articles
    return plans


# --------------------------------------------------------------------------- rendering


def _head(title: str, metas: dict[str, str]) -> str:
    meta_tags = "".join(f'<meta name="{k}" content="{v}">\n' for k, v in metas.items())
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="X-UA-Compatible" content="IE=edge">\n'
        f"<title>{title}</title>\n{meta_tags}"
        '<link rel="stylesheet" href="/css/main.css">\n<link rel="icon" href="/favicon.ico">\n'
        '<script src="/js/jquery.min.js"></script>\n<script src="/js/common.js"></script>\n'
        "</head>\n"
    )


@functools.cache
def nav_html(shape: Shape) -> str:
    """The header shared by every page: logo and the navigation links (20 for the classic
    shape)."""
    links = ['<li><a href="/">首页</a></li>']
    links += [
        f'<li><a href="/{slug}/">{name}</a></li>' for slug, name in COLUMNS[: shape.nav_columns]
    ]
    links += [
        f'<li><a href="/{s}/index.html">{name}</a></li>'
        for s, name in STATIC_PAGES[: shape.nav_static]
    ]
    return (
        '<body>\n<div class="header"><a href="/"><img src="/images/logo.png" alt="'
        f'{SITE_NAME}"></a>\n<div class="nav"><ul>{"".join(links)}</ul></div></div>\n'
    )


def _footer_html() -> str:
    links = " | ".join(f'<a href="/{slug}/index.html">{name}</a>' for slug, name in STATIC_PAGES)
    return (
        f'<div class="footer"><p>{links} | <a href="mailto:zfb@qingxi.gov.cn">意见箱</a></p>\n'
        f"<p>主办：{SITE_NAME}办公室　承办：清溪市大数据中心　网站标识码：{SITE_ID_CODE}</p>\n"
        '<p>赣ICP备05001234号　<img src="/images/dzjg.png" alt="党政机关"></p></div>\n'
        "</body>\n</html>\n"
    )


FOOTER_HTML = _footer_html()
NAV_PATHS = ["/"] + [f"/{slug}/index.html" for slug, _ in STATIC_PAGES]  # columns: per column


def _paragraphs(rng: random.Random, count: int, phrases: tuple[int, int]) -> list[str]:
    return [
        f"<p>{''.join(rng.choices(PHRASES, k=rng.randint(*phrases)))}</p>" for _ in range(count)
    ]


def _article_link(article: Article, href: str) -> str:
    return f'<a href="{href}" title="{article.title}">{article.title}</a>'


def render_article(
    article: Article,
    prev: Article | None,
    nxt: Article | None,
    rng: random.Random,
    shape: Shape = SHAPES["classic"],
) -> str:
    """Full HTML of one article page."""
    col = article.column
    pub = f"{article.published:%Y-%m-%d %H:%M}"
    head = _head(
        f"{article.title}_{col.name}_{SITE_NAME}",
        {
            "SiteName": SITE_NAME,
            "SiteDomain": "127.0.0.1",
            "SiteIDCode": SITE_ID_CODE,
            "ColumnName": col.name,
            "ColumnType": col.name,
            "ArticleTitle": article.title,
            "PubDate": pub,
            "ContentSource": article.source,
            "Keywords": col.name,
            "Description": article.title,
        },
    )
    body = _paragraphs(rng, rng.randint(*shape.paragraphs), shape.phrases)
    for image in article.images:
        src = image if image.startswith("/") else f"./{image}"
        body.insert(
            rng.randint(1, len(body)),
            f'<p style="text-align:center"><img src="{src}" '
            f'alt="{article.title}" border="0"></p>',
        )
    parts = [
        head,
        nav_html(shape),
        f'<div class="crumb">当前位置：<a href="../../">首页</a> &gt; <a href="../">{col.name}</a>'
        " &gt; 正文</div>\n",
        f'<div class="article"><h1>{article.title}</h1>\n<div class="info">发布时间：{pub}　'
        f'来源：{article.source}　【字体：<a href="javascript:void(0)">大</a> '
        '<a href="javascript:void(0)">中</a> <a href="javascript:void(0)">小</a>】</div>\n',
        '<div class="TRS_Editor">',
        "\n".join(body),
        "</div>\n",
    ]
    if article.attachments:
        items = "".join(f'<li><a href="{a.href}">{a.label}</a></li>' for a in article.attachments)
        parts.append(f'<div class="fj"><p>附件：</p><ul>{items}</ul></div>\n')
    prev_html = _article_link(prev, f"../{prev.month}/{prev.file_name}") if prev else "没有了"
    next_html = _article_link(nxt, f"../{nxt.month}/{nxt.file_name}") if nxt else "没有了"
    parts.append(
        f'<div class="pn"><p>上一篇：{prev_html}</p><p>下一篇：{next_html}</p></div>\n'
        '<div class="tools"><a href="javascript:window.print()">打印本页</a> '
        '<a href="javascript:window.close()">关闭窗口</a></div></div>\n'
    )
    parts.append(FOOTER_HTML)
    return "".join(parts)


def _pager(count: int, current: int) -> str:
    """TRS pager: the ``createPageHTML`` script plus plain ``<a>`` links for crawlers."""

    def href(i: int) -> str:
        return "index.html" if i == 0 else f"index_{i}.html"

    links = [f'<a href="{href(0)}">首页</a>']
    if current > 0:
        links.append(f'<a href="{href(current - 1)}">上一页</a>')
    for i in range(max(0, current - 3), min(count, current + 4)):
        here = i == current
        links.append(f"<span>{i + 1}</span>" if here else f'<a href="{href(i)}">{i + 1}</a>')
    if current < count - 1:
        links.append(f'<a href="{href(current + 1)}">下一页</a>')
    links.append(f'<a href="{href(count - 1)}">尾页</a>')
    return (
        '<div class="page"><script type="text/javascript">'
        f'createPageHTML({count}, {current}, "index", "html");</script>\n'
        f"{' '.join(links)} <span>共{count}页</span></div>\n"
    )


def render_list_page(
    column: Column,
    articles: list[Article],
    current: int,
    count: int,
    shape: Shape = SHAPES["classic"],
) -> str:
    """One page of a column list (``index.html`` or ``index_<n>.html``)."""
    head = _head(
        f"{column.name}_{SITE_NAME}",
        {
            "SiteName": SITE_NAME,
            "SiteDomain": "127.0.0.1",
            "SiteIDCode": SITE_ID_CODE,
            "ColumnName": column.name,
            "ColumnType": column.name,
            "ColumnDescription": column.name,
            "ColumnKeywords": column.name,
        },
    )
    items = "".join(
        f"<li>{_article_link(a, f'./{a.month}/{a.file_name}')}"
        f"<span>{a.published:%Y-%m-%d}</span></li>\n"
        for a in articles
    )
    return "".join(
        (
            head,
            nav_html(shape),
            '<div class="crumb">当前位置：<a href="/">首页</a> &gt; ',
            f'<a href="./">{column.name}</a></div>\n',
            f'<div class="list"><h2>{column.name}</h2><ul>\n{items}</ul>\n',
            _pager(count, current),
            "</div>\n",
            FOOTER_HTML,
        )
    )


def render_home(plans: dict[Column, list[Article]], shape: Shape = SHAPES["classic"]) -> str:
    """The home page: every column with its latest articles and a “more” link."""
    head = _head(
        SITE_NAME,
        {
            "SiteName": SITE_NAME,
            "SiteDomain": "127.0.0.1",
            "SiteIDCode": SITE_ID_CODE,
            "ColumnName": "首页",
        },
    )
    blocks = []
    for column, articles in plans.items():
        items = "".join(
            f"<li>{_article_link(a, a.path)}<span>{a.published:%m-%d}</span></li>"
            for a in articles[:HOME_ITEMS_PER_COLUMN]
        )
        blocks.append(
            f'<div class="lm"><h3><a href="/{column.slug}/">{column.name}</a>'
            f'<a class="more" href="/{column.slug}/">更多&gt;&gt;</a></h3><ul>{items}</ul></div>\n'
        )
    nav = nav_html(shape)
    return "".join((head, nav, '<div class="main">\n', *blocks, "</div>\n", FOOTER_HTML))


def render_static_page(slug: str, name: str, shape: Shape = SHAPES["classic"]) -> str:
    """网站地图 lists every column; the other static pages carry a short text."""
    head = _head(f"{name}_{SITE_NAME}", {"SiteName": SITE_NAME, "ColumnName": name})
    if slug == "wzdt":
        content = "".join(f'<li><a href="/{s}/">{n}</a></li>' for s, n in COLUMNS)
        content = f"<ul>{content}</ul>"
    else:
        content = f"<p>{name}：{SITE_NAME}办公室，联系电话：0797-1234567。</p>"
    return "".join(
        (head, nav_html(shape), f'<div class="main"><h2>{name}</h2>{content}</div>\n', FOOTER_HTML)
    )


# --------------------------------------------------------------------------- writing


def _write_file(path: str, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)


class _Writer:
    """Writes the files of a site under ``root`` and counts them.

    Creating an inode is the slow part (about 0.7 ms on this VM's ext4, 15 µs on tmpfs), so
    contents that repeat (images, attachments) are hard links to one stored copy.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = 0
        self.bytes = 0
        self._blobs: dict[bytes, str] = {}
        self._blob_dir = f"{root}/.blobs"
        self._can_link = True

    def make_dirs(self, site_dirs: Iterable[str]) -> None:
        """Create every directory (``/a/b``) up front."""
        for site_dir in site_dirs:
            os.makedirs(f"{self.root}{site_dir}", exist_ok=True)

    def write(self, site_path: str, text: str) -> None:
        """Write ``text`` (UTF-8) at ``site_path``; a trailing ``/`` means ``index.html``."""
        if site_path.endswith("/"):
            site_path += "index.html"
        raw = text.encode("utf-8")
        _write_file(f"{self.root}{site_path}", raw)
        self.files += 1
        self.bytes += len(raw)

    def place(self, site_path: str, data: bytes) -> None:
        """Put a file whose content repeats across the site: a hard link to one copy."""
        full = f"{self.root}{site_path}"
        self.files += 1
        self.bytes += len(data)
        blob = self._blobs.get(data)
        if blob is None:
            os.makedirs(self._blob_dir, exist_ok=True)
            blob = self._blobs[data] = f"{self._blob_dir}/{len(self._blobs)}"
            _write_file(blob, data)
        if self._can_link:
            try:
                os.link(blob, full)
                return
            except OSError:
                self._can_link = False
        _write_file(full, data)

    def close(self) -> None:
        """Drop the stored copies (the links keep the data)."""
        shutil.rmtree(self._blob_dir, ignore_errors=True)


def _write_column(
    writer: _Writer,
    portal: Portal,
    column: Column,
    articles: list[Article],
    rng: random.Random,
    shape: Shape,
) -> None:
    """Write a column's list pages and articles and record the URLs they link."""
    count = max(1, -(-len(articles) // ARTICLES_PER_LIST_PAGE))
    base = f"/{column.slug}/"
    portal.html_urls.update((base, f"{base}index.html"))
    for page in range(count):
        chunk = articles[page * ARTICLES_PER_LIST_PAGE : (page + 1) * ARTICLES_PER_LIST_PAGE]
        name = "index.html" if page == 0 else f"index_{page}.html"
        writer.write(base + name, render_list_page(column, chunk, page, count, shape))
        portal.html_urls.add(base + name)
    portal.list_pages += count
    for i, article in enumerate(articles):
        nxt = articles[i - 1] if i > 0 else None  # newer
        prev = articles[i + 1] if i + 1 < len(articles) else None  # older
        writer.write(article.path, render_article(article, prev, nxt, rng, shape))
        portal.html_urls.add(article.path)
        directory = article.path.rpartition("/")[0]
        for image in article.images:
            if not image.startswith("/"):  # shared images are written once
                writer.place(f"{directory}/{image}", IMAGE_BYTES)
                portal.other_urls.add(f"{directory}/{image}")
        for att in article.attachments:
            portal.attachment_links += 1
            portal.other_urls.add(att.file)
            if att.exists:
                ext = att.file.rpartition(".")[2]
                writer.place(att.file, shape.pdf if ext == "pdf" else ATTACHMENT_BYTES[ext])
            else:
                portal.missing_urls.add(att.file)
                portal.broken_pairs.add((article.path, att.file))


def _site_dirs(plans: dict[Column, list[Article]]) -> list[str]:
    """Every directory the portal needs, parents first."""
    dirs = {path.rpartition("/")[0] for path in ASSET_BYTES}
    dirs.update(f"/{slug}" for slug, _ in STATIC_PAGES)
    for column, articles in plans.items():
        dirs.add(f"/{column.slug}")
        dirs.update(a.path.rpartition("/")[0] for a in articles)
        dirs.update(
            att.file.rpartition("/")[0] for a in articles for att in a.attachments if att.exists
        )
    dirs.discard("")
    return sorted(dirs, key=lambda d: (d.count("/"), d))


def generate_portal(
    root: Path, articles: int = 20000, seed: int = 20241125, shape: str = "classic"
) -> Portal:
    """Write the whole portal of ``shape`` (a key of :data:`SHAPES`) under ``root`` (must be
    empty or absent) and return its truth."""
    started = time.perf_counter()
    form = SHAPES[shape]
    plans = plan_articles(articles, seed, form)
    rng = random.Random(seed + 1)
    portal = Portal(root=root, articles=articles, columns=len(plans), list_pages=0)
    writer = _Writer(root)
    writer.make_dirs(_site_dirs(plans))
    for path, data in ASSET_BYTES.items():
        writer.place(path, data)
        portal.other_urls.add(path)
    for path in form.shared_images:
        writer.place(path, IMAGE_BYTES)
        portal.other_urls.add(path)
    writer.write("/", render_home(plans, form))
    for slug, name in STATIC_PAGES:
        writer.write(f"/{slug}/index.html", render_static_page(slug, name, form))
    portal.html_urls.update(NAV_PATHS)
    for column, column_articles in plans.items():
        _write_column(writer, portal, column, column_articles, rng, form)
    writer.close()
    portal.files_written = writer.files
    portal.bytes_written = writer.bytes
    portal.seconds = time.perf_counter() - started
    return portal


def main() -> None:
    """Standalone entry point: generate a portal and print its summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=20241125)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--shape", choices=sorted(SHAPES), default="classic")
    args = parser.parse_args()
    portal = generate_portal(args.out, args.articles, args.seed, args.shape)
    for key, value in portal.summary().items():
        print(f"{key:>18}: {value}")


if __name__ == "__main__":
    main()
