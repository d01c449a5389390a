"""Review-app page benchmark: whole pages as a browser gets them, at 100,000 findings.

Fills a temporary SQLite database with ``bench/findings_list.py``'s generator (3 sites,
40 units, every detector, 100,000 findings by default), then times complete requests
through the app (routing, session, access scope, the list query and its total, the
template) in-process with FastAPI's TestClient: findings list pages with filters and
sorts, the unit page and the overview (kept until the data changes, and counted again
after a change), as an admin and as a unit editor. Prints
p50/p95/max in ms and fails (exit 1) when a list page's p95 is over 300 ms::

    .venv/bin/python bench/review_pages.py
    .venv/bin/python bench/review_pages.py --findings 20000 --repeat 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("GOVWATCH_TODAY", "2024-11-25")

from fastapi.testclient import TestClient
from findings_list import populate

from govwatch.web import create_app
from storage.db import open_database
from storage.users import add_user

TARGET_MS = 300.0
PASSWORD = "bench-password"
LIST_PAGES = [
    ("问题列表：默认", "/findings"),
    ("最近一次扫描 · 待整改", "/findings?scan=latest&status=open"),
    ("站点 · 状态 · 按级别", "/findings?site=longnan&status=open&sort=severity"),
    ("单位 · 按首次发现", "/findings?unit=单位07&sort=first_seen"),
    ("类型 · 级别", "/findings?detector=broken_link&severity=high"),
    ("仅超期 · 按级别", "/findings?overdue=1&sort=severity"),
    ("搜索", "/findings?q=示例词42"),
    ("按单位排序 · 第 200 页", "/findings?sort=unit&page=200"),
]
OTHER_PAGES = [("单位整改页", "/unit?name=单位07"), ("总览", "/"), ("总览（数据变化后首次）", "/")]
USERS = [("管理员", "bench-admin", "admin", None), ("单位编辑", "bench-editor", "unit", "单位07")]


def timed(client: TestClient, path: str, repeat: int, cold: bool = False) -> list[float]:
    timings = []
    for _ in range(repeat):
        if cold:  # as after a scan or a review: the overview is counted again
            client.app.state.overview_cache.clear()
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return sorted(timings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--db", type=Path, help="keep the database here (reused when present)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govwatch-bench-") as tmp:
        path = args.db or Path(tmp) / "findings.db"
        url = f"sqlite:///{path}"
        if not path.exists():
            start = time.perf_counter()
            populate(url, args.findings)
            db = open_database(url)
            with db.session() as session:
                for _, name, role, unit in USERS:
                    add_user(session, name, role, unit, password=PASSWORD)
            db.dispose()
            print(f"生成 {args.findings:,} 条问题：{time.perf_counter() - start:.1f} 秒")
        app = create_app(url, secret_key="b" * 48)
        slow = []
        print(f"{'用户':<6}{'页面':<22}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
        for who, name, _, _ in USERS:
            client = TestClient(app)
            token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
            client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token})
            for label, page in LIST_PAGES + OTHER_PAGES:
                cold = label.startswith("总览（")
                timings = timed(client, page, min(args.repeat, 3) if cold else args.repeat, cold)
                p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
                print(
                    f"{who:<6}{label:<22}{statistics.median(timings):>9.1f}{p95:>9.1f}"
                    f"{timings[-1]:>9.1f}"
                )
                if (label, page) in LIST_PAGES and p95 > TARGET_MS:
                    slow.append(f"{who} {label}")
        if slow:
            print(f"超过 {TARGET_MS:.0f} ms：{'、'.join(slow)}")
            return 1
        print(f"问题列表各页 p95 均在 {TARGET_MS:.0f} ms 以内")
    return 0


if __name__ == "__main__":
    sys.exit(main())
