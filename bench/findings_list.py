"""Findings-list benchmark: the review app's list at 100,000 findings on SQLite.

Builds a temporary SQLite database migrated to head (the real indexes), bulk-inserts
``--findings`` findings spread over 3 sites, 2 scans each, 40 units, every detector of
the registry, the four severities and statuses (a few reassigned, some overdue), then
times :func:`storage.finding_list.list_findings` — the page *and* its total — for
filter/sort combinations as an admin and as a unit editor. Prints p50/p95/max in ms per
combination and fails (exit 1) when a p95 is over the target (300 ms)::

    .venv/bin/python bench/findings_list.py                 # 100,000 findings
    .venv/bin/python bench/findings_list.py --findings 20000 --repeat 5
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from detectors.registry import all_detectors
from storage.access import Access
from storage.db import open_database
from storage.finding_list import FindingQuery, list_findings
from storage.models import Finding, Scan, Site

TARGET_MS = 300.0
SITES = ("longnan", "dingnan", "quannan")
UNITS = [f"单位{i:02d}" for i in range(40)]
SEVERITIES = ("veto", "high", "medium", "low")
STATUSES = ("open",) * 6 + ("confirmed", "false_positive", "fixed", "fixed")
T0 = datetime(2024, 11, 25, 2, 0, tzinfo=UTC)


def populate(url: str, count: int, seed: int = 13) -> None:
    rng = random.Random(seed)
    detectors = [cls.id for cls in all_detectors()]
    db = open_database(url)
    with db.session() as session:
        scan_id = 0
        latest: dict[str, int] = {}
        for site in SITES:
            session.add(Site(id=site, name=site, created_at=T0))
            for week in (1, 0):
                scan_id += 1
                at = T0 - timedelta(days=7 * week)
                session.add(
                    Scan(id=scan_id, site_id=site, status="completed", started_at=at,
                         finished_at=at, as_of=at.date())
                )
                latest[site] = scan_id
        session.flush()
        rows = []
        for i in range(count):
            site = SITES[i % len(SITES)]
            seen_latest = rng.random() < 0.8
            first = T0 - timedelta(days=rng.randrange(0, 120), minutes=rng.randrange(1440))
            last = T0 - timedelta(minutes=rng.randrange(1440)) if seen_latest else first
            unit = rng.choice(UNITS)
            rows.append(
                {
                    "site_id": site,
                    "fingerprint": f"{i:040x}",
                    "detector": rng.choice(detectors),
                    "severity": rng.choices(SEVERITIES, weights=(1, 3, 10, 6))[0],
                    "unit": unit,
                    "assigned_unit": rng.choice(UNITS) if rng.random() < 0.03 else None,
                    "page_url": f"http://www.{site}.gov.cn/xxgk/{unit}/{i}.html",
                    "page_key": f"http://www.{site}.gov.cn/xxgk/{unit}/{i}.html",
                    "subject_key": f"http://www.{site}.gov.cn/files/{i}.pdf",
                    "status": rng.choice(STATUSES),
                    "message": f"第{i}号页面的链接无法访问，或含有错误表述“示例词{i % 977}”",
                    "details": {"target_url": f"http://x/{i}.pdf", "link_text": f"附件{i}"},
                    "evidence": {},
                    "first_seen": first,
                    "last_seen": max(first, last),
                    "first_scan_id": latest[site] - 1,
                    "scan_id": latest[site] if seen_latest else latest[site] - 1,
                    "reopened_count": 0,
                    "deadline": first.date() + timedelta(days=7),
                }
            )
            if len(rows) == 20_000:
                session.execute(insert(Finding), rows)
                rows = []
        if rows:
            session.execute(insert(Finding), rows)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    db.dispose()


COMBOS: list[tuple[str, dict]] = [
    ("默认：最近发现，倒序", {}),
    ("最近一次扫描 · 待整改", {"scan": "latest", "status": ("open", "confirmed")}),
    ("站点 · 状态 · 按严重程度", {"site": "longnan", "status": "open", "sort": "severity"}),
    ("单位 · 按首次发现", {"unit": "单位07", "sort": "first_seen"}),
    ("检测项 · 严重程度", {"detector": "broken_link", "severity": "high"}),
    ("超期未整改", {"overdue": True, "sort": "severity"}),
    ("文本搜索", {"q": "示例词42"}),
    ("文本搜索（几乎全部匹配）", {"q": "GOV.CN", "sort": "severity"}),
    ("最近扫描 · 待整改 · 按严重程度", {"scan": "latest", "status": "open", "sort": "severity"}),
    ("按单位排序 · 第 200 页", {"sort": "unit", "page": 200}),
    ("最近扫描 · 站点 · 第 50 页", {"scan": "latest", "site": "dingnan", "page": 50}),
    ("按检测项排序 · 每页 200", {"sort": "detector", "per_page": 200}),
]
ACCESS = [("管理员", Access.admin()), ("单位编辑", Access(role="unit", unit="单位07"))]


def run(url: str, repeat: int) -> list[tuple[str, str, int, float, float, float]]:
    db = open_database(url)
    results = []
    for who, access in ACCESS:
        for name, params in COMBOS:
            timings = []
            total = 0
            for _ in range(repeat):
                query = FindingQuery(today=date(2024, 11, 25), **params)
                with db.session() as session:
                    start = time.perf_counter()
                    _page, total = list_findings(session, query, access)
                    timings.append((time.perf_counter() - start) * 1000)
            timings.sort()
            p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
            results.append((who, name, total, statistics.median(timings), p95, timings[-1]))
    db.dispose()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--db", type=Path, help="keep the database here (reused when present)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govwatch-bench-") as tmp:
        path = args.db or Path(tmp) / "findings.db"
        url = f"sqlite:///{path}"
        if not path.exists():
            start = time.perf_counter()
            populate(url, args.findings)
            print(f"生成 {args.findings:,} 条问题：{time.perf_counter() - start:.1f} 秒")
        results = run(url, args.repeat)
    load = os.getloadavg()
    loads = " / ".join(f"{x:.1f}" for x in load)
    print(f"CPU：{os.cpu_count()} 核，负载 {loads}（1/5/15 分钟）")
    print(f"{'身份':<6}{'查询':<28}{'总数':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    slow = []
    for who, name, total, p50, p95, top in results:
        print(f"{who:<6}{name:<28}{total:>8}{p50:>9.1f}{p95:>9.1f}{top:>9.1f}")
        if p95 > TARGET_MS:
            slow.append(f"{who} {name}")
    if slow:
        print(f"超过 {TARGET_MS:.0f} ms（p95）：{'；'.join(slow)}")
        return 1
    print(f"全部查询 p95 低于 {TARGET_MS:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
