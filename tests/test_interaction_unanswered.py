"""``interaction_unanswered``: messages read from channel lists and message pages, judged
against the 3-month veto line and the reply limit; broken channels; the veto group."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert, update

from common.urls import url_key
from detectors.broken_link import BrokenLinkRow
from detectors.interaction_messages import Message, read_messages
from detectors.interaction_unanswered import InteractionUnansweredDetector, months_later
from detectors.page import parse_html
from detectors.page_facts import PageFacts, read_page_facts
from detectors.registry import feeds
from detectors.veto_groups import INTERACTION, VETO_GROUPS, VetoInputs
from govwatch.config import ConfigError, parse_config
from storage.db import open_database
from storage.models import PageFact
from storage.scans import start_scan
from storage.site_content import fact_rows
from storage.snapshot import ScanSnapshot

HOST = "http://www.example.gov.cn"
LIST = HOST + "/hdjl/xzxx/"
TODAY = date(2024, 11, 25)


def tree(body: str):
    return parse_html(f"<html><body>{body}</body></html>".encode())


LIST_TABLE = """
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/hdjl/">互动交流</a>
 &gt; <a href="/hdjl/xzxx/">县长信箱</a></div>
<table class="list">
<tr><th>标题</th><th>留言时间</th><th>状态</th><th>回复时间</th></tr>
<tr><td><a href="202405/t1.html">关于小区停车难的问题</a></td>
<td>2024-05-06</td><td>未回复</td><td></td></tr>
<tr><td><a href="202408/t2.html">咨询新生入学政策</a></td>
<td>2024-08-20</td><td>已回复</td><td>2024-08-21</td></tr>
<tr><td><a href="202409/t3.html">反映道路破损</a></td>
<td>2024-09-02</td><td>已回复</td><td>2024-10-25</td></tr>
<tr><td><a href="202410/t4.html">询问公积金提取</a></td>
<td>2024-10-28</td><td>办理中</td><td></td></tr>
<tr><td colspan="4">共 4 条 首页 上一页 下一页 尾页</td></tr>
</table>"""

MESSAGE_PAGE = """
<h1>关于路灯不亮的问题</h1>
<table>
<tr><td>留言标题</td><td>关于路灯不亮的问题</td></tr>
<tr><td>留言时间</td><td>2024-06-03 09:12</td></tr>
<tr><td>回复单位</td><td>县城管局</td></tr>
<tr><td>回复时间</td><td></td></tr>
<tr><td>回复内容</td><td>暂无回复</td></tr>
</table>"""


def test_list_rows_by_header():
    messages = read_messages(tree(LIST_TABLE), LIST, LIST, "县长信箱", "县长信箱")
    assert [(m.title, m.asked, m.answered, m.state) for m in messages] == [
        ("关于小区停车难的问题", date(2024, 5, 6), None, "waiting"),
        ("咨询新生入学政策", date(2024, 8, 20), date(2024, 8, 21), "answered"),
        ("反映道路破损", date(2024, 9, 2), date(2024, 10, 25), "answered"),
        ("询问公积金提取", date(2024, 10, 28), None, "waiting"),
    ]
    assert messages[0].url == LIST + "202405/t1.html"


def test_message_page_and_its_channel_from_the_breadcrumb():
    crumb = (
        '<div class="position">当前位置：<a href="/">首页</a> &gt; '
        '<a href="/hdjl/xzxx/">县长信箱</a></div>'
    )
    url = LIST + "202406/t5.html"
    root = tree(crumb + MESSAGE_PAGE)
    facts = read_page_facts(url, "关于路灯不亮的问题", {}, root, "", TODAY)
    (message,) = facts.messages
    assert message == Message(
        "关于路灯不亮的问题", url, "县长信箱", date(2024, 6, 3), None, "waiting"
    )
    answered = MESSAGE_PAGE.replace("<td></td>", "<td>2024-06-05</td>").replace(
        "暂无回复", "您好，已安排维修。"
    )
    (message,) = read_messages(tree(answered), url, url, "", "x")
    assert (message.answered, message.state) == (date(2024, 6, 5), "answered")


def test_letter_page_with_its_synonyms():
    # 来信主题 / 来信时间 / 办事状态 / 办理单位 / 办理时间 (暂无) / 处理情况, colons in the cells
    letter = """<table>
<tr><td>来信时间:</td><td>2024-07-01 09:30:00</td><td>受理单位:</td><td>县住建局</td></tr>
<tr><td>办事状态:</td><td>办理中</td></tr>
<tr><td>来信主题:</td><td colspan="3">小区电梯长期停用</td></tr>
</table>
<table>
<tr><td>办理单位:</td><td>县住建局</td><td>办理时间:</td><td>暂无</td></tr>
<tr><td>处理情况:</td><td colspan="3"></td></tr>
</table>"""
    (message,) = read_messages(tree(letter), HOST + "/m.html", HOST, "", "局长信箱")
    assert (message.title, message.asked, message.answered, message.state) == (
        "小区电梯长期停用",
        date(2024, 7, 1),
        None,
        "waiting",
    )


def test_pages_without_messages_have_none():
    article = "<h1>新闻</h1><p>发布时间：2024-06-03</p><p>留言时间：2024-06-03 的活动</p>"
    assert read_messages(tree(article), HOST, HOST, "新闻", "") == []
    no_date = MESSAGE_PAGE.replace("2024-06-03 09:12", "")
    assert read_messages(tree(no_date), HOST, HOST, "", "") == []


class Subject:
    def __init__(self, messages=(), pages=(), broken=()):
        self._messages = list(messages)
        self._pages = {p.key: p for p in pages}
        self._broken = list(broken)

    def messages(self):
        return iter(self._messages)

    def pages(self):
        return self._pages

    def broken_links(self):
        return iter(self._broken)


def check(subject, days=20):
    found = InteractionUnansweredDetector(TODAY, days).check(subject)
    return sorted(found, key=lambda f: (f.page_url, f.key))


def listed():
    messages = read_messages(tree(LIST_TABLE), LIST, LIST, "县长信箱", "县长信箱")
    return [(LIST, m) for m in messages]


def test_unanswered_over_three_months_is_a_veto_and_late_is_medium():
    found = check(Subject(listed()))
    assert [(f.page_url, f.details["reason"], f.severity) for f in found] == [
        (LIST + "202405/t1.html", "unanswered", "veto"),
        (LIST + "202409/t3.html", "late", "medium"),
    ]
    unanswered, late = found
    assert unanswered.details["days_waiting"] == (TODAY - date(2024, 5, 6)).days
    assert unanswered.details["answered"] is None
    assert late.details["answered"] == "2024-10-25"
    assert late.details["days_waiting"] == 53
    assert late.details["working_days"] > 20  # National Day inside, counted as holidays


def test_answered_after_one_day_but_95_days_old_is_neither():
    asked = date(2024, 8, 22)
    assert (TODAY - asked).days == 95
    message = Message("咨询", HOST + "/m.html", "县长信箱", asked, date(2024, 8, 23), "answered")
    assert check(Subject([(HOST + "/m.html", message)])) == []


def test_three_months_is_calendar_months():
    assert months_later(date(2024, 8, 25), 3) == TODAY
    assert months_later(date(2024, 11, 30), 3) == date(2025, 2, 28)
    on_the_line = Message("a", HOST + "/a.html", "信箱", date(2024, 8, 25), None, "waiting")
    (finding,) = check(Subject([(HOST + "/a.html", on_the_line)]))
    assert finding.details["reason"] == "late"  # waiting past the limit, not yet 3 months
    over = Message("b", HOST + "/b.html", "信箱", date(2024, 8, 24), None, "waiting")
    (finding,) = check(Subject([(HOST + "/b.html", over)]))
    assert finding.details["reason"] == "unanswered"


def test_a_message_on_its_list_and_its_own_page_is_one_message():
    url = LIST + "202405/t1.html"
    title = "关于小区停车难的问题"
    own = Message(title, url, "县长信箱", date(2024, 5, 6), date(2024, 5, 8), "answered")
    assert [f.details["reason"] for f in check(Subject(listed()))].count("unanswered") == 1
    found = check(Subject([*listed(), (url, own)]))
    assert "unanswered" not in [f.details["reason"] for f in found]


def test_the_reply_limit_is_configurable():
    assert [f.details["reason"] for f in check(Subject(listed()), days=60)] == ["unanswered"]


def test_unknown_state_is_not_judged():
    old = Message("x", HOST + "/x.html", "信箱", date(2023, 1, 1), None, "unknown")
    assert check(Subject([(HOST + "/x.html", old)])) == []


def broken(page_url, text, target="/api/broken500"):
    return BrokenLinkRow(
        page_url=HOST + page_url,
        page_key=url_key(HOST + page_url),
        target_url=HOST + target,
        target_key="",
        element="a",
        link_text=text,
        http_status=500,
        error="http_500",
        final_url=None,
        attempts=[],
    )


def test_a_broken_channel_is_a_veto_unless_it_works_elsewhere():
    rows = [broken("/hdjl/", "在线咨询"), broken("/", "在线咨询"), broken("/", "更多新闻")]
    (finding,) = check(Subject(broken=rows))
    assert (finding.page_url, finding.severity) == (HOST + "/", "veto")
    assert finding.details["channel"] == "在线咨询"
    assert finding.details["reason"] == "no_channel"
    working = PageFacts(url=HOST + "/hdjl/zxzx/", kind="list", crumbs=["互动交流", "在线咨询"])
    assert check(Subject(pages=[working], broken=rows)) == []


def test_a_broken_form_on_a_channel_page():
    channel = PageFacts(url=HOST + "/hdjl/xzxx/", kind="list", crumbs=["互动交流", "县长信箱"])
    rows = [broken("/hdjl/xzxx/", "我要写信", "/hdjl/write.jsp")]
    (finding,) = check(Subject(pages=[channel], broken=rows))
    assert finding.details["channel"] == "县长信箱"
    news = [broken("/xwzx/", "我要写信", "/hdjl/write.jsp")]
    assert check(Subject(pages=[channel], broken=news)) == []  # not on a channel's page


def group_state(records, subject):
    group = next(g for g in VETO_GROUPS if g.id == INTERACTION)
    return group.assess(VetoInputs(records, subject, TODAY)).state


def test_veto_group_states():
    veto = {"severity": "veto", "reason": "unanswered", "channel": "县长信箱"}
    late = {"severity": "medium", "reason": "late", "channel": "县长信箱"}
    assert group_state([veto, late], Subject()) == "red"
    assert group_state([late], Subject()) == "amber"
    assert group_state([], Subject(listed())) == "green"
    assert group_state([], Subject()) == "grey"  # no message read: no data, not "fine"
    assert feeds(INTERACTION, {"interaction_unanswered"})  # the weekly report asks it


def test_config_key_is_validated_with_its_path():
    base = "site: {id: x, name: x, start_urls: ['http://127.0.0.1/']}\n"
    config = parse_config(base + "interaction: {max_reply_working_days: 5}\n")
    assert InteractionUnansweredDetector.build(config).max_days == 5
    assert InteractionUnansweredDetector.build(parse_config(base)).max_days == 20
    with pytest.raises(ConfigError) as error:
        parse_config(base + "interaction: {max_reply_working_days: 0}\n")
    assert "interaction.max_reply_working_days" in str(error.value)


def test_messages_stored_with_the_page_facts_and_read_back(db_url):
    db = open_database(db_url)
    url = LIST + "202405/t1.html"
    waiting = Message("停车难", url, "县长信箱", date(2024, 5, 6), None, "waiting")
    with_messages = PageFacts(url=LIST, kind="list", messages=[waiting])
    without = PageFacts(url=HOST + "/xwzx/", kind="list")
    with db.session() as session:
        scan_id = start_scan(session, "t", "测试").id
        rows = [fact_rows(scan_id, facts)[0] for facts in (with_messages, without)]
        assert rows[1]["messages"] is None  # most pages store nothing
        session.execute(insert(PageFact), rows)
    with db.session() as session:
        snapshot = ScanSnapshot(session, scan_id, "", 15)
        assert list(snapshot.messages()) == [(LIST, waiting)]
        # a record that is not a message (hand-edited, or from a later version) is skipped
        session.execute(
            update(PageFact)
            .where(PageFact.url == LIST)
            .values(messages=[{"title": "x", "asked": "not a date"}, waiting.to_json(), 3])
        )
        assert list(snapshot.messages()) == [(LIST, waiting)]
