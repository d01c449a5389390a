"""Page chrome shared by every page of the main site: head metadata, navigation, footer.

The metadata follows 《政府网站网页设计规范》 (2017) as TRS WCM writes it: site tags on every
page, column tags on column pages, article tags on content pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

SITE_NAME = "龙南市人民政府"
SITE_DOMAIN = "www.longnan.gov.cn"
SITE_ID_CODE = "3607270001"
ORGANIZER = "龙南市人民政府办公室"
ICP = "赣ICP备05004388号"

NAV = (
    ("首页", "/"),
    ("新闻中心", "/xwzx/"),
    ("信息公开", "/xxgk/"),
    ("在线服务", "/zxfw/"),
    ("互动交流", "/hdjl/"),
    ("走进龙南", "/zjln/"),
)


@dataclass(frozen=True)
class Column:
    """A column (栏目): its list page path, name and breadcrumb parents."""

    path: str
    name: str
    kind: str
    description: str
    keywords: str
    parents: tuple[tuple[str, str], ...] = ()  # (name, path) from the top down

    def meta(self) -> dict[str, str]:
        return {
            "ColumnName": self.name,
            "ColumnDescription": self.description,
            "ColumnKeywords": self.keywords,
            "ColumnType": self.kind,
        }

    def crumbs(self) -> tuple[tuple[str, str], ...]:
        return (*self.parents, (self.name, self.path))


def meta_tags(meta: dict[str, str]) -> str:
    return "\n".join(f'<meta name="{k}" content="{escape(v)}">' for k, v in meta.items())


def crumb_bar(crumbs: tuple[tuple[str, str], ...]) -> str:
    links = ['<a href="/">首页</a>'] + [f'<a href="{path}">{name}</a>' for name, path in crumbs]
    return f'<div class="crumb">当前位置：{" &gt; ".join(links)}</div>'


def _header() -> str:
    items = "\n".join(f'<li><a href="{path}">{name}</a></li>' for name, path in NAV)
    return f"""<a name="top" id="top"></a>
<div class="header">
<a class="logo" href="/"><img src="/images/logo.png" alt="{SITE_NAME}" width="420" height="80"></a>
</div>
<div class="nav"><ul>
{items}
</ul></div>"""


def _footer() -> str:
    return f"""<div class="footer">
<p><a href="#top">返回顶部</a> | <a href="/zjln/">关于我们</a> |
<a href="/zfwzzc/">政府网站找错</a></p>
<p>主办单位：{ORGANIZER}　承办：龙南市行政审批局</p>
<p>网站标识码：{SITE_ID_CODE}　{ICP}　赣公网安备36072702000123号</p>
<p>地址：龙南市龙南镇金塘大道1号　联系电话：0797-3512991</p>
</div>"""


def page(
    title: str,
    body: str,
    *,
    meta: dict[str, str] | None = None,
    charset: str = "utf-8",
    base_href: str | None = None,
    head_extra: str = "",
) -> str:
    """A complete HTML document with the portal's head, header and footer around ``body``."""
    site_meta = {"SiteName": SITE_NAME, "SiteDomain": SITE_DOMAIN, "SiteIDCode": SITE_ID_CODE}
    base = f'\n<base href="{base_href}">' if base_href else ""
    extra = f"\n{head_extra}" if head_extra else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{charset}">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{escape(title)}</title>{base}
{meta_tags({**site_meta, **(meta or {})})}
<link rel="stylesheet" href="/css/style.css">
<link rel="icon" href="/favicon.ico">
<script src="/js/common.js"></script>{extra}
</head>
<body>
{_header()}
<div class="main">
{body}
</div>
{_footer()}
</body>
</html>
"""
