"""``expired_document``: 有效性 against 有效期至, and 失效 documents in a 现行有效 library."""

from __future__ import annotations

from datetime import date

from detectors.expired_document import ExpiredDocumentDetector, shown_status, valid_until
from detectors.page import PageContext, parse_html

URL = "http://www.example.gov.cn/xxgk/gfxwj/202001/t20200101_1.html"
TITLE = "某市人民政府关于印发某市养犬管理规定的通知"
TODAY = date(2024, 11, 25)
LIBRARY_CRUMB = (
    "<div class='position'>当前位置：<a href='/'>首页</a> &gt; "
    "<a href='/xxgk/xxyx/'>现行有效规范性文件</a></div>"
)
ORDINARY_CRUMB = (
    "<div class='position'>当前位置：<a href='/'>首页</a> &gt; "
    "<a href='/xxgk/gfxwj/'>规范性文件</a></div>"
)


def page(body: str, meta: dict | None = None) -> PageContext:
    html = f"<html><head><title>{TITLE}</title></head><body>{body}</body></html>"
    return PageContext(url=URL, title=TITLE, meta=meta or {}, root=parse_html(html.encode()))


def table(status: str | None, until: str | None) -> str:
    rows = "<tr><td>文号</td><td>某府规〔2020〕1号</td></tr>"
    if status is not None:
        rows += f"<tr><td>有效性</td><td>{status}</td></tr>"
    if until is not None:
        rows += f"<tr><td>有效期至</td><td>{until}</td></tr>"
    return f"<table>{rows}</table><h1>{TITLE}</h1>"


def findings(body: str, meta: dict | None = None) -> list:
    return list(ExpiredDocumentDetector(TODAY).check(page(body, meta)))


def test_shown_valid_after_its_end_date():
    (finding,) = findings(table("有效", "2023-12-31"))
    assert finding.details == {
        "document_title": TITLE,
        "document_number": "某府规〔2020〕1号",
        "valid_until": "2023-12-31",
        "shown_status": "有效",
        "document_url": URL,
        "criterion": ExpiredDocumentDetector.criterion,
    }
    assert finding.severity == "medium"


def test_still_in_force_or_open_ended_is_fine():
    assert findings(table("有效", "2025-12-31")) == []
    assert findings(table("现行有效", "长期")) == []
    assert findings(table("有效", None)) == []


def test_expired_document_correctly_shown_void_is_not_reported():
    assert findings(ORDINARY_CRUMB + table("失效", "2023-12-31")) == []
    assert findings(table("已废止", None)) == []


def test_void_document_listed_as_current_is_reported():
    (finding,) = findings(LIBRARY_CRUMB + table("失效", "2023-12-31"))
    assert finding.details["shown_status"] == "失效"
    assert "现行有效" in finding.message
    (by_meta,) = findings(table("废止", None), {"ColumnName": "现行有效规范性文件库"})
    assert by_meta.details["valid_until"] is None


def test_library_page_without_status_past_its_end_date():
    (finding,) = findings(LIBRARY_CRUMB + table(None, "2020年1月1日至2024年6月30日"))
    assert finding.details["valid_until"] == "2024-06-30"
    assert finding.details["shown_status"] == "现行有效（所在栏目）"
    assert findings(ORDINARY_CRUMB + table(None, "2020年1月1日至2024年6月30日")) == []


def test_library_list_rows_without_a_page_of_their_own():
    rows = (
        "<table><tr><th>文件名称</th><th>文号</th><th>有效性</th><th>有效期至</th></tr>"
        "<tr><td>甲办法</td><td>某府规〔2019〕1号</td><td>有效</td><td>2025-01-01</td></tr>"
        "<tr><td>乙办法</td><td>某府规〔2018〕2号</td><td>已失效</td><td>2023-01-01</td></tr>"
        "<tr><td>丙办法</td><td>某府规〔2017〕3号</td><td>有效</td><td>2024-01-01</td></tr>"
        "<tr><td><a href='d.html'>丁办法</a></td><td>某府规〔2016〕4号</td><td>失效</td>"
        "<td>2020-01-01</td></tr></table>"
    )
    found = findings(LIBRARY_CRUMB + rows)
    assert [(f.details["document_title"], f.details["shown_status"]) for f in found] == [
        ("乙办法", "已失效"),
        ("丙办法", "有效"),
    ]  # 丁办法 links its page: judged there, once
    assert {f.page_url for f in found} == {URL}
    assert found[0].details["document_number"] == "某府规〔2018〕2号"
    assert findings(ORDINARY_CRUMB + rows) == []  # not a library: a list may show 失效


def test_status_and_end_date_readings():
    assert shown_status("现行有效") == "valid"
    assert shown_status("部分失效") is None  # still in force in part
    assert shown_status("已废止") == "void"
    assert shown_status("") is None
    assert valid_until("2020年1月1日至2024年12月31日") == date(2024, 12, 31)
    assert valid_until("长期") is None
    assert valid_until("5年") is None
