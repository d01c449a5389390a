"""``late_publication``: 成文日期 vs 发布日期 in the 信息公开 metadata block, each layout."""

from __future__ import annotations

from datetime import date

import pytest

from detectors.labelled_fields import labelled_values
from detectors.late_publication import FIELD_LABELS, LatePublicationDetector
from detectors.page import PageContext, parse_html
from govwatch.config import ConfigError, parse_config

URL = "http://www.example.gov.cn/xxgk/202407/t20240722_1.html"
TITLE = "某市人民政府关于印发某市城市绿化管理办法的通知"


def page(body: str) -> PageContext:
    html = f"<html><head><title>{TITLE}</title></head><body>{body}</body></html>"
    return PageContext(url=URL, title=TITLE, meta={}, root=parse_html(html.encode()))


def hanweb(issued: str, published: str) -> str:
    """A Hanweb/大汉 (and 邯郸) table: label cell, value cell."""
    return (
        "<table><tr><td>索引号</td><td>001/2024-1</td><td>发布机构</td><td>市政府办</td></tr>"
        f"<tr><td>成文日期</td><td>{issued}</td><td>发布日期</td><td>{published}</td></tr>"
        "<tr><td>文　　号</td><td>某府规〔2024〕1号</td><td>主题词</td><td></td></tr></table>"
        f"<h1>{TITLE}</h1><p>正文</p>"
    )


def trs(issued: str, published: str) -> str:
    """TRS: ``<p><strong>label</strong>：value</p>``."""
    return (
        f"<div><p><strong>名称</strong>：{TITLE}</p><p><strong>文号</strong>：无</p>"
        f"<p><strong>成文日期</strong>：{issued}</p><p><strong>发布日期</strong>：{published}</p>"
        "</div>"
    )


def jiyue(issued: str, published: str) -> str:
    """江西集约化: ``<li><span>label：</span>value</li>``."""
    return (
        f"<ul class='xxgk-info'><li><span>成文日期：</span>{issued}</li>"
        f"<li><span>发布日期：</span>{published}</li><li><span>发文字号：</span>某府字〔2024〕9号</li></ul>"
    )


def findings(body: str, **kw) -> list:
    return list(LatePublicationDetector(**kw).check(page(body)))


@pytest.mark.parametrize("layout", [hanweb, trs, jiyue])
def test_each_layout_reports_a_late_document(layout):
    (finding,) = findings(layout("2024-07-01", "2024-07-08"))
    assert finding.details["issued"] == "2024-07-01"
    assert finding.details["published"] == "2024-07-08"
    assert finding.details["days"] == 7
    assert finding.severity == "medium"
    assert TITLE in finding.message


@pytest.mark.parametrize("layout", [hanweb, trs, jiyue])
def test_within_three_calendar_days_is_on_time(layout):
    assert findings(layout("2024-07-01", "2024-07-04")) == []


def test_a_friday_issue_published_on_monday_is_three_days():
    assert date(2024, 7, 19).weekday() == 4
    assert findings(hanweb("2024-07-19", "2024-07-22")) == []
    (late,) = findings(hanweb("2024-07-19", "2024-07-23"))
    assert late.details["days"] == 4


def test_working_days_switch_counts_the_holiday_schedule():
    # Fri 2024-09-27 → Tue 2024-10-08 (National Day, 调休 Sun 2024-09-29 worked): 3 working days
    assert findings(hanweb("2024-09-27", "2024-10-08"), working_days=True) == []
    (late,) = findings(hanweb("2024-09-27", "2024-10-08"))
    assert late.details["days"] == 11
    (working,) = findings(hanweb("2024-09-27", "2024-10-09"), working_days=True)
    assert working.details["days"] == 4
    assert "个工作日" in working.message


def test_document_number_and_chinese_dates():
    (finding,) = findings(hanweb("2024年07月01日", "2024年07月10日"))
    assert finding.details["document_number"] == "某府规〔2024〕1号"
    assert finding.details["document_title"] == TITLE
    (finding,) = findings(trs("2024年07月01日", "2024年07月10日"))
    assert finding.details["document_number"] is None  # 文号：无
    assert finding.details["document_title"] == TITLE


def test_commented_out_issue_date_is_not_on_the_page():
    body = (
        "<div><!--<p><strong>成文日期</strong>：2020年06月02日</p>-->"
        "<p><strong>发布日期</strong>：2020年08月02日</p></div>"
    )
    assert labelled_values(page(body).root, FIELD_LABELS) == {"published": "2020年08月02日"}
    assert findings(body) == []


def test_missing_or_inverted_dates_say_nothing():
    assert findings("<p>发布日期：2024-07-10</p>") == []
    assert findings("<p>成文日期：2024-07-10</p>") == []
    assert findings(hanweb("2024-07-10", "2024-07-01")) == []


def test_a_label_inside_body_text_is_not_a_field():
    body = "<p>本文件成文日期：2024-01-01，请各单位于2024-03-01前发布日期：2024-03-01的通知。</p>"
    assert findings(body) == []


def test_config_keys_are_validated_with_their_path():
    base = "site: {id: x, name: x, start_urls: ['http://127.0.0.1/']}\n"
    config = parse_config(base + "publication: {max_days: 5, working_days: true}\n")
    assert (config.publication.max_days, config.publication.working_days) == (5, True)
    detector = LatePublicationDetector.build(config)
    assert (detector.max_days, detector.working_days) == (5, True)
    with pytest.raises(ConfigError) as error:
        parse_config(base + "publication: {max_days: -1}\n")
    assert "publication.max_days" in str(error.value)
    with pytest.raises(ConfigError) as error:
        parse_config(base + "publication: {calendar_days: 3}\n")
    assert "publication.calendar_days" in str(error.value)
