"""``govwatch demo``: serve the bundled sample portal, scan it, write the results.

The scan runs as a real ``govwatch scan`` subprocess against a fresh SQLite
file in the output directory, exactly as an operator would run it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from govwatch.config import load_config
from govwatch.scan import run_scan_subprocess
from reports.column_summary import column_lines
from reports.findings_export import finding_record, summary_text, to_csv, to_json
from reports.new_media_summary import new_media_lines
from storage.db import open_database
from storage.queries import query_findings

DEMO_SITE = "longnan"


def _fresh_sqlite(path: Path) -> str:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path.resolve()}"


def run_demo(out_dir: Path, verbose: int, out: Any, err: Any) -> int:
    from govwatch.clock import ENV as TODAY_ENV
    from govwatch.sample_portal import TODAY, SamplePortal

    # The sample portal is dated 2024: judge it as of its own day (see sample_portal.TODAY).
    os.environ.setdefault(TODAY_ENV, TODAY.isoformat())
    out_dir.mkdir(parents=True, exist_ok=True)
    db_url = _fresh_sqlite(out_dir / "govwatch-demo.db")
    config_path = out_dir / "demo-site.yaml"
    with SamplePortal() as portal:
        config_path.write_text(portal.site_config_yaml(new_media=True), encoding="utf-8")
        err.print(f"示例门户已启动：{portal.base_url}", markup=False)
        code = run_scan_subprocess(str(config_path), db_url, DEMO_SITE, verbose)
    if code != 0:
        err.print(f"错误：示例扫描失败（退出码 {code}）", markup=False)
        return 1
    db = open_database(db_url)
    try:
        with db.session() as session:
            records = [finding_record(f) for f in query_findings(session, site=DEMO_SITE)]
            accounts = new_media_lines(session, DEMO_SITE, load_config(config_path).config)
    finally:
        db.dispose()
    (out_dir / "findings.json").write_text(to_json(records) + "\n", encoding="utf-8")
    (out_dir / "findings.csv").write_text(to_csv(records), encoding="utf-8-sig")
    summary = summary_text(records)
    columns = "\n".join(column_lines(records))
    summary = summary.replace("\n\n", f"\n\n{columns}\n\n", 1)
    out.print(columns, markup=False)
    if accounts:
        section = "\n".join(["政务新媒体账号：", *(f"  {line}" for line in accounts)])
        summary = summary.replace("\n\n", f"\n\n{section}\n\n", 1)
        out.print(section, markup=False)
    (out_dir / "summary.txt").write_text(summary, encoding="utf-8")
    out.print(
        f"\n结果已写入 {out_dir}/：findings.json、findings.csv、summary.txt"
        f"（数据库 {out_dir / 'govwatch-demo.db'}）",
        markup=False,
    )
    return 0
