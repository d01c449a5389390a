"""A small findings database for report tests, written row by row.

Findings are inserted directly (no crawl) so the reports can be tested on every
detector, including ones built on other branches (stale_column, blank_column,
missing_interpretation, home_page_stale), and with a status history placed on
chosen days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from common.clock import BEIJING
from storage.db import Database, open_database
from storage.models import Finding, FindingEvent, Scan, Site

SITE = "longnan"
SITE_NAME = "龙南市人民政府"
BASE = "http://www.longnan.gov.cn"


def at(day: str, hour: int = 10) -> datetime:
    """A Beijing-time moment on ``day`` as UTC (how scans stamp rows)."""
    local = datetime.combine(date.fromisoformat(day), time(hour), tzinfo=BEIJING)
    return local.astimezone(UTC)


@dataclass
class Spec:
    """One finding: its detector, unit, details and history [(day, from, to), ...]."""

    detector: str
    unit: str
    severity: str
    page: str
    message: str
    history: list[tuple[str, str | None, str]]
    details: dict[str, Any] = field(default_factory=dict)
    scan: int = 2  # the scan that last saw it


def build(
    db_url: str,
    specs: list[Spec],
    scan_days: tuple[str, str] = ("2024-11-18", "2024-11-25"),
    site: str = SITE,
):
    db = open_database(db_url)
    with db.session() as session:
        session.add(Site(id=site, name=SITE_NAME, created_at=at("2024-11-01")))
        session.flush()
        for i, day in enumerate(scan_days, start=1):
            session.add(
                Scan(
                    id=i,
                    site_id=site,
                    status="completed",
                    started_at=at(day, 2),
                    finished_at=at(day, 3),
                    stats={},
                )
            )
        session.flush()
        for n, spec in enumerate(specs, start=1):
            first = at(spec.history[0][0])
            last_status = spec.history[-1][2]
            finding = Finding(
                site_id=site,
                fingerprint=f"fp{n:04d}",
                detector=spec.detector,
                severity=spec.severity,
                unit=spec.unit,
                page_url=f"{BASE}{spec.page}",
                page_key=f"{BASE}{spec.page}",
                subject_key=f"{BASE}{spec.page}#{n}",
                status=last_status,
                message=spec.message,
                details=spec.details,
                evidence={},
                first_seen=first,
                last_seen=at(scan_days[spec.scan - 1], 3),
                first_scan_id=1,
                scan_id=spec.scan,
                fixed_at=at(spec.history[-1][0]) if last_status == "fixed" else None,
            )
            session.add(finding)
            session.flush()
            for day, before, after in spec.history:
                session.add(
                    FindingEvent(
                        finding_id=finding.id,
                        scan_id=None,
                        at=at(day),
                        from_status=before,
                        to_status=after,
                        actor="scan",
                    )
                )
    return db


def close(db: Database) -> None:
    db.dispose()


def sample_specs() -> list[Spec]:
    """Every problem type for 市政府办, a dismissed and a fixed finding, a unit whose only
    finding is fixed (市司法局: no notice) and a new-media veto for 市融媒体中心."""
    new = [("2024-11-25", None, "open")]
    return [
        Spec(
            "broken_link",
            "市政府办",
            "high",
            "/",
            "首页图片无法访问",
            new,
            {
                "target_url": f"{BASE}/img/a.png",
                "link_text": "横幅",
                "element": "img",
                "http_status": 404,
                "error": "http_404",
                "on_home_page": True,
            },
        ),
        Spec(
            "broken_link",
            "市政府办",
            "medium",
            "/xxgk/",
            "链接无法访问",
            new,
            {
                "target_url": f"{BASE}/old.html",
                "link_text": "旧通知",
                "element": "a",
                "http_status": 404,
                "error": "http_404",
                "on_home_page": False,
            },
        ),
        Spec(
            "term",
            "市政府办",
            "veto",
            "/xwzx/a.html",
            "敏感词“时时彩”",
            new,
            {
                "term": "时时彩",
                "category": "sensitive",
                "suggestion": None,
                "context": "澳门……【时时彩】平台",
                "offset": 3,
            },
        ),
        Spec(
            "term",
            "市政府办",
            "medium",
            "/xwzx/b.html",
            "“一带一路战略”应为倡议",
            [("2024-11-05", None, "open"), ("2024-11-06", "open", "confirmed")],
            {
                "term": "一带一路战略",
                "category": "wrong_expression",
                "suggestion": "一带一路倡议",
                "context": "推进【一带一路战略】建设",
                "offset": 2,
            },
        ),
        Spec(
            "stale_column",
            "市政府办",
            "high",
            "/xwzx/gzdt/",
            "工作动态栏目 40 天未更新",
            new,
            {
                "column_name": "工作动态",
                "category": "news",
                "last_published": "2024-10-16",
                "max_age_days": 14,
                "days_since": 40,
            },
        ),
        Spec(
            "blank_column",
            "市政府办",
            "high",
            "/xxgk/ghjh/",
            "规划计划栏目为空白栏目",
            new,
            {"column_name": "规划计划"},
        ),
        Spec(
            "missing_interpretation",
            "市政府办",
            "medium",
            "/xxgk/zcwj/1.html",
            "政策文件未发布解读",
            new,
            {
                "document_title": "龙南市促进就业若干措施",
                "document_number": "龙府发〔2024〕8号",
                "published": "2024-11-01",
                "reason": "none",
                "interpretation_url": None,
            },
        ),
        Spec(
            "home_page_stale",
            "市政府办",
            "veto",
            "/",
            "首页 16 天没有新增内容",
            new,
            {"last_new_content": "2024-11-09", "days_since": 16, "scans_compared": 5},
        ),
        Spec(
            "future_check", "市政府办", "low", "/zxfw/", "一种以后才有的检查", new, {"whatever": 1}
        ),
        Spec(
            "privacy_leak",
            "市政府办",
            "high",
            "/xxgk/dbgs.html",
            "误报的身份证号",
            [("2024-11-18", None, "open"), ("2024-11-19", "open", "false_positive")],
            {"kind": "id_card", "masked_value": "360727********1234", "context": "…"},
        ),
        Spec(
            "broken_link",
            "市政府办",
            "medium",
            "/hdjl/",
            "已修复的链接",
            [("2024-11-18", None, "open"), ("2024-11-25", "open", "fixed")],
            {"target_url": f"{BASE}/x.html", "error": "http_404", "http_status": 404},
            scan=1,
        ),
        Spec(
            "broken_link",
            "市司法局",
            "medium",
            "/xxgk/sfj/",
            "司法局已修复的链接",
            [("2024-11-12", None, "open"), ("2024-11-25", "open", "fixed")],
            {"target_url": f"{BASE}/y.html", "error": "http_404", "http_status": 404},
            scan=1,
        ),
        Spec(
            "new_media_stale",
            "市融媒体中心",
            "veto",
            "/feeds/a.xml",
            "“龙南发布”24 天未更新",
            [("2024-11-12", None, "open")],
            {
                "account": "龙南发布",
                "platform": "wechat",
                "last_published": "2024-11-01",
                "days_since": 24,
            },
        ),
    ]
