"""The weekly report as a Word document (charts as PNG pictures)."""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from common.inert_text import xml_text
from common.vocabulary import SEVERITY_NAMES
from detectors.registry import title_of
from reports.official_docx import (
    SIZE_2,
    TITLE_FONT,
    heading,
    new_document,
    paragraph,
    picture,
    shade,
    table,
)
from reports.report_data import chinese_date
from reports.weekly import WeeklyReport, short_week_label
from reports.weekly_charts import chart_png
from reports.weekly_html import comparison_rows

TEXT_WIDTH_CM = 21 - 2.8 - 2.6
STATE_FILL = {"red": "F4CCCC", "amber": "FFE9A8", "green": "D5EFDC", "grey": "E5E5E5"}
SMALL = Pt(10.5)


BODY = Pt(12)


def _heading(document, text: str) -> None:
    heading(document, text, Pt(14))


def score_line(report: WeeklyReport) -> str:
    score = report.score
    return (
        f"估算检查得分 {score.score_text} 分（满分100分，低于60分不合格）：{score.verdict_name}。"
        "得分为估算，依据和不确定之处见下文“得分估算”。"
    )


def _score(document, report: WeeklyReport) -> None:
    score = report.score
    _heading(document, "得分估算")
    paragraph(document, score.verdict, size=BODY)
    grid = table(
        document,
        ["单项否决项目", "判定", "依据"],
        [[line.name, line.verdict, line.summary] for line in score.veto_lines],
        [0.22, 0.16, 0.62],
        TEXT_WIDTH_CM,
    )
    for row, line in zip(grid.rows[1:], score.veto_lines, strict=True):
        shade(row.cells[1], STATE_FILL[line.state])
    heading(document, "得分最多的三项整改", Pt(12))
    for n, fix in enumerate(score.fixes, start=1):
        paragraph(document, f"{n}. {fix.text}（{fix.gain}）", size=BODY)
    if not score.fixes:
        paragraph(document, "没有可测量的扣分项或单项否决项需要整改", size=BODY)
    rows = [
        [
            d.rule.name + ("（分值未经确认）" if not d.rule.confirmed else ""),
            d.basis,
            str(len(d.records)),
            d.points_text,
            "\n".join([*d.pages, d.findings_text]).strip(),
        ]
        for d in score.deductions
    ]
    table(
        document,
        ["扣分项", "依据", "问题数", "估算扣分", "涉及问题（所在页面）"],
        rows or [["未发现 govwatch 可测量的扣分项", "", "", "", ""]],
        [0.18, 0.28, 0.09, 0.11, 0.34],
        TEXT_WIDTH_CM,
    )
    for text in score.notes:
        paragraph(document, text, size=SMALL)


def write_weekly_docx(report: WeeklyReport, path: Path) -> None:
    document = new_document(report.today)
    document.core_properties.title = xml_text(report.title)
    paragraph(document, report.title, TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(
        document,
        f"{report.week_label} · {report.issuer} · 依据第 {report.scan_id} 次扫描"
        f"（{chinese_date(report.scan_date)}）",
        size=SMALL,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _heading(document, "一、检查会不会不合格：单项否决项目")
    paragraph(document, report.verdict, size=BODY)
    paragraph(document, score_line(report), size=BODY)
    grid = table(
        document,
        ["单项否决项目", "状态", "本周情况", "否决线"],
        [[i.name, i.state_name, i.summary, i.rule] for i in report.veto_items],
        [0.17, 0.12, 0.39, 0.32],
        TEXT_WIDTH_CM,
    )
    for row, item in zip(grid.rows[1:], report.veto_items, strict=True):
        shade(row.cells[1], STATE_FILL[item.state])
    paragraph(
        document,
        "红色：已触及否决线；黄色：达到预警线；绿色：正常；灰色：暂无监测数据，不代表正常。",
        size=SMALL,
    )
    paragraph(
        document,
        f"待整改问题 {report.open_total} 条，其中单项否决 {report.veto_total} 条；"
        f"本周新发现 {report.this_week.new + report.this_week.reopened} 条，"
        f"已整改 {report.this_week.fixed} 条；超期未整改 {report.overdue_total} 条。",
        size=BODY,
    )
    _score(document, report)

    document.add_page_break()
    _heading(document, "二、本周与上周对比")
    table(
        document,
        [
            "指标",
            f"本周（{short_week_label(report.this_week.start, report.this_week.end)}）",
            f"上周（{short_week_label(report.last_week.start, report.last_week.end)}）",
            "变化",
        ],
        [
            [name, str(now), str(before), f"{now - before:+d}" if now != before else "持平"]
            for name, now, before in comparison_rows(report)
        ],
        [0.3, 0.27, 0.27, 0.16],
        TEXT_WIDTH_CM,
    )
    if report.calendar_note:
        paragraph(document, report.calendar_note, size=SMALL)
    heading(document, "待整改问题按类型", Pt(12))
    table(
        document,
        ["问题类型", "待整改", "其中单项否决"],
        [[name, str(total), str(veto)] for name, total, veto in report.by_type]
        or [["没有待整改问题", "0", "0"]],
        [0.5, 0.25, 0.25],
        TEXT_WIDTH_CM,
    )
    _heading(document, "三、各单位整改情况排名")
    table(
        document,
        [
            "排名",
            "责任单位",
            "待整改",
            "其中单项否决",
            "本周新发现",
            "本周已整改",
            "超期未整改",
            "超期排名",
        ],
        [
            [
                str(u.rank),
                u.unit,
                str(u.open),
                str(u.veto),
                str(u.new),
                str(u.fixed),
                str(u.overdue),
                str(u.overdue_rank),
            ]
            for u in report.units
        ],
        [0.08, 0.26, 0.11, 0.12, 0.11, 0.11, 0.11, 0.10],
        TEXT_WIDTH_CM,
    )
    picture(document, chart_png(report, "units"), TEXT_WIDTH_CM)
    _heading(document, f"四、近{len(report.trend)}周趋势")
    picture(document, chart_png(report, "trend"), TEXT_WIDTH_CM)
    _heading(document, "五、重点问题")
    table(
        document,
        ["序号", "级别", "类型", "责任单位", "问题", "所在页面"],
        [
            [
                str(i),
                SEVERITY_NAMES.get(r["severity"], r["severity"]),
                title_of(r["detector"]),
                r["unit"],
                r["message"],
                r["page_url"],
            ]
            for i, r in enumerate(report.top, start=1)
        ],
        [0.05, 0.09, 0.11, 0.13, 0.40, 0.22],
        TEXT_WIDTH_CM,
        small=[False, False, False, False, False, True],
    )
    if report.overdue:
        _heading(document, f"超期未整改问题（{len(report.overdue)} 条）")
        table(
            document,
            ["责任单位", "整改期限", "超期天数", "问题", "所在页面"],
            [
                [
                    o.record["unit"],
                    o.deadline.isoformat(),
                    str(o.days_late),
                    o.record["message"],
                    o.record["page_url"],
                ]
                for o in report.overdue[:30]
            ],
            [0.15, 0.12, 0.10, 0.41, 0.22],
            TEXT_WIDTH_CM,
            small=[False, False, False, False, True],
        )
    paragraph(
        document,
        f"本报告由 govwatch 于{chinese_date(report.today)}根据监测数据自动生成。",
        size=SMALL,
    )
    document.save(str(path))
