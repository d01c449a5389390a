"""The estimated inspection score: veto lines passed or failed, the measurable deductions
with their rules and findings, the three fixes that gain most, and how the weekly report
shows them (HTML, Word)."""

from __future__ import annotations

from datetime import date

import pytest
from docx import Document

from detectors.registry import DETECTORS, measured_rules, score_records
from detectors.scoring import (
    BROKEN_LINKS_HOME,
    BROKEN_LINKS_OTHER,
    INTERPRETATION_NOT_LINKED,
    RULES,
    VetoLine,
    estimate,
)
from detectors.veto_groups import INTERACTION, VETO_GROUPS, VetoInputs
from reports.report_data import load_report_inputs
from reports.weekly import build_weekly
from reports.weekly_files import write_weekly_report
from storage.db import open_database
from tests.report_db import build, sample_specs

TODAY = date(2024, 11, 25)
ALL_RULES = {r.id for r in RULES}


def link(i: int, home: bool) -> dict:
    return {
        "id": i,
        "detector": "broken_link",
        "page_url": f"http://x/{i}.html",
        "on_home_page": home,
    }


def lines(**states: str) -> list[VetoLine]:
    unknown = {"站点无法访问": "无探测数据"}
    return [VetoLine(n, s, f"{n}情况", unknown.get(n, "无监测数据")) for n, s in states.items()]


def by_rule(records: list[dict]):
    return lambda rule_id: score_records(records, rule_id)


def test_broken_links_deduct_by_the_2015_figures_and_say_they_are_unconfirmed():
    records = [link(1, True), link(2, True)] + [link(i, False) for i in range(3, 18)]
    score = estimate(by_rule(records), ALL_RULES, lines(首页不更新="green"))
    assert score.score == 96.5  # 2 × 1 + 15 × 0.1
    assert score.passed and score.verdict.startswith("预计合格：估算得分 96.5 分")
    home, other = score.deductions
    assert (home.rule.id, home.points, len(home.records)) == (BROKEN_LINKS_HOME, 2.0, 2)
    assert (other.rule.id, other.points, len(other.records)) == (BROKEN_LINKS_OTHER, 1.5, 15)
    assert "国办发〔2015〕15号" in home.basis and "每处 1 分" in home.basis
    assert home.pages == ["http://x/1.html", "http://x/2.html"]
    assert other.findings_text == "问题编号 3、4、5、6、7、8、9、10、11、12 等 15 条"
    assert score.notes[0] == f"首页不可用链接、其他页面不可用链接：{home.rule.uncertainty}。"
    assert any("无法自动测量" in note for note in score.notes)  # an upper bound
    assert [f.gain for f in score.fixes] == ["约 2 分", "约 1.5 分"]


def test_a_crossed_veto_line_fails_whatever_the_points_and_its_fix_comes_first():
    records = [link(i, True) for i in range(1, 6)]
    score = estimate(by_rule(records), ALL_RULES, lines(首页不更新="red", 严重错误="amber"))
    assert not score.passed and score.score == 95
    assert score.verdict.startswith("预计不合格：首页不更新触及单项否决线")
    assert [line.verdict for line in score.veto_lines] == ["不合格", "合格"]
    first, second = score.fixes
    assert first.text.startswith("整改“首页不更新”") and first.gain == "单项否决项，整改后方可合格"
    assert second.text == "修复首页上的不可用链接（5 处）"


def test_lines_without_data_are_never_passed():
    score = estimate(by_rule([]), ALL_RULES, lines(站点无法访问="grey", 互动回应差="grey"))
    assert [line.verdict for line in score.veto_lines] == ["无探测数据", "无监测数据"]
    assert "站点无法访问、互动回应差暂无数据，未能判断" in score.verdict
    assert score.score == 100 and score.deductions == [] and score.fixes == []


def test_below_60_fails():
    records = [link(i, True) for i in range(1, 45)]
    score = estimate(by_rule(records), ALL_RULES, lines(首页不更新="green"))
    assert score.score == 56 and not score.passed
    assert score.verdict == "预计不合格：估算得分 56 分，低于 60 分。"


def test_only_the_top_three_fixes_and_only_measured_rules():
    records = [link(1, True), link(2, False)]
    interpretations = [
        {"id": 10 + i, "detector": "missing_interpretation", "page_url": "p", "reason": reason}
        for i, reason in enumerate(("none", "not_linked_back", "late"))
    ]
    score = estimate(
        by_rule(records + interpretations), ALL_RULES, lines(严重错误="red", 首页不更新="red")
    )
    assert len(score.fixes) == 3
    assert [f.gain for f in score.fixes[:2]] == ["单项否决项，整改后方可合格"] * 2
    [interp] = [d for d in score.deductions if d.rule.id == INTERPRETATION_NOT_LINKED]
    assert [r["reason"] for r in interp.records] == ["none", "not_linked_back"]  # late is linked
    unmeasured = estimate(by_rule(records), {BROKEN_LINKS_OTHER}, [])
    assert [d.rule.id for d in unmeasured.deductions] == [BROKEN_LINKS_OTHER]


def test_detectors_declare_rules_that_exist_and_the_registry_finds_their_records():
    declared = {rule for cls in DETECTORS for rule in cls.score_basis}
    assert declared <= ALL_RULES
    assert measured_rules({"broken_link"}) == {BROKEN_LINKS_HOME, BROKEN_LINKS_OTHER}
    assert measured_rules(set()) == set()


def test_interaction_line_reads_its_findings():
    group = next(g for g in VETO_GROUPS if g.id == INTERACTION)
    unanswered = {"severity": "veto", "reason": "unanswered"}
    no_channel = {"severity": "veto", "reason": "no_channel", "channel": "市长信箱"}
    late = {"severity": "medium", "reason": "late"}
    state = group.assess(VetoInputs([unanswered, unanswered, no_channel], None, TODAY))
    expected = "2 条留言超过3个月未答复；互动渠道无法使用：市长信箱"
    assert (state.state, state.summary) == ("red", expected)
    assert group.assess(VetoInputs([late], None, TODAY)).state == "amber"
    # no findings and no messages read: no data, never a pass
    assert group.assess(VetoInputs([], None, TODAY)).state == "grey"


@pytest.fixture
def report_db(db_url):
    db = build(db_url, sample_specs())
    yield db_url
    db.dispose()


def weekly(db_url: str):
    db = open_database(db_url)
    try:
        with db.session() as session:
            inputs = load_report_inputs(session, None, None)
            return build_weekly(session, inputs, TODAY)
    finally:
        db.dispose()


def test_the_weekly_report_estimates_from_the_stored_findings(report_db):
    report = weekly(report_db)
    score = report.score
    # one broken link on the home page, a document without interpretation, a broken link
    assert [(d.rule.id, d.points) for d in score.deductions] == [
        (BROKEN_LINKS_HOME, 1.0),
        (INTERPRETATION_NOT_LINKED, 1.0),
        (BROKEN_LINKS_OTHER, 0.1),
    ]
    assert score.score == 97.9 and not score.passed  # vetoes: home page, serious, new media
    verdicts = {line.name: line.verdict for line in score.veto_lines}
    assert verdicts["站点无法访问"] == "无探测数据"
    assert verdicts["首页不更新"] == "不合格"
    assert verdicts["栏目不更新"] == "合格"
    assert len(score.fixes) == 3 and all("单项否决" in f.gain for f in score.fixes)


def test_html_and_word_show_the_score_its_rules_and_findings(report_db, tmp_path):
    report = weekly(report_db)
    html_path, docx_path = tmp_path / "weekly.html", tmp_path / "weekly.docx"
    write_weekly_report(report, html_path)
    write_weekly_report(report, docx_path)
    html = html_path.read_text(encoding="utf-8")
    assert "估算检查得分 <b>97.9</b> 分" in html and "预计不合格" in html
    assert "首页不可用链接（分值未经确认）" in html and "国办发〔2015〕15号" in html
    assert "得分最多的三项整改" in html and "无探测数据" in html
    assert "本报告不估算检查得分" not in html
    document = Document(str(docx_path))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "估算检查得分 97.9 分" in text
    deductions = next(t for t in document.tables if t.rows[0].cells[0].text == "扣分项")
    assert [c.text for c in deductions.rows[1].cells[:4]] == [
        "首页不可用链接（分值未经确认）",
        deductions.rows[1].cells[1].text,
        "1",
        "1",
    ]
    assert "/" in deductions.rows[1].cells[4].text  # the page of the finding
    vetoes = next(t for t in document.tables if t.rows[0].cells[1].text == "判定")
    assert {r.cells[0].text: r.cells[1].text for r in vetoes.rows[1:]}[
        "站点无法访问"
    ] == "无探测数据"


@pytest.mark.integration  # WeasyPrint, pdftotext
def test_pdf_shows_the_score_on_its_first_page(report_db, tmp_path):
    from tests.system import need_pdf_tools
    from tests.test_weekly_report import pdf_text

    need_pdf_tools()
    path = tmp_path / "weekly.pdf"
    write_weekly_report(weekly(report_db), path)
    text = pdf_text(path)
    assert "估算检查得分 97.9 分" in text.split("\f")[0]
    assert "得分最多的三项整改" in text and "首页不可用链接" in text
