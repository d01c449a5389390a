"""``govwatch demo``: serve the bundled sample portal, scan it, write the results.

The scan runs as a real ``govwatch scan`` subprocess against a fresh SQLite
file in the output directory, exactly as an operator would run it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from common.inert_text import strip_controls, terminal_text
from detectors.registry import enabled_ids
from govwatch.config import load_config
from govwatch.scan import run_scan_subprocess
from reports.findings_export import finding_record, summary_text, to_csv, to_json
from reports.overview import overview_lines
from reports.watch_status import status_lines
from storage.db import open_database
from storage.queries import query_findings

DEMO_SITE = "longnan"
# Who sends the demo's notices: the bureau that runs govwatch (config ``reports:``).
DEMO_REPORTS = """
reports:
  issuer: 龙南市政务服务数据管理局
  contact: 政务公开科 张工，电话 0797-3512345，邮箱 zwgk@longnan.example.gov.cn
  signature: 龙南市政务服务数据管理局（政务公开办）
  deadline_working_days: 5
  veto_deadline_working_days: 2
"""
WEEKLY_FILES = ("weekly.html", "weekly.pdf", "weekly.docx")


def _fresh_sqlite(path: Path) -> str:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path.resolve()}"


def run_demo(out_dir: Path, verbose: int, out: Any, err: Any) -> int:
    from common.clock import ENV as TODAY_ENV
    from sample_portal import TODAY, SamplePortal

    # The sample portal is dated 2024: judge it as of its own day (see sample_portal.TODAY).
    os.environ.setdefault(TODAY_ENV, TODAY.isoformat())
    out_dir.mkdir(parents=True, exist_ok=True)
    db_url = _fresh_sqlite(out_dir / "govwatch-demo.db")
    config_path = out_dir / "demo-site.yaml"
    with SamplePortal() as portal:
        config_path.write_text(
            portal.site_config_yaml(new_media=True) + DEMO_REPORTS, encoding="utf-8"
        )
        err.print(terminal_text(f"示例门户已启动：{portal.base_url}"))
        code = run_scan_subprocess(str(config_path), db_url, DEMO_SITE, verbose)
    if code != 0:
        err.print(terminal_text(f"错误：示例扫描失败（退出码 {code}）"))
        return 1
    db = open_database(db_url)
    config = load_config(config_path).config
    try:
        with db.session() as session:
            records = [finding_record(f) for f in query_findings(session, site=DEMO_SITE)]
            watched = status_lines(session, DEMO_SITE, config)
            reports = _write_reports(session, config, out_dir)
    finally:
        db.dispose()
    (out_dir / "findings.json").write_text(to_json(records) + "\n", encoding="utf-8")
    (out_dir / "findings.csv").write_text(to_csv(records), encoding="utf-8-sig")
    summary = summary_text(records)
    enabled = enabled_ids(config)
    overview = "\n".join(overview_lines(records, enabled))
    summary = summary.replace("\n\n", f"\n\n{overview}\n\n", 1)
    out.print(terminal_text("\n".join(overview_lines(records, enabled, veto=False))))
    if watched:
        section = "\n".join(watched)
        summary = summary.replace("\n\n", f"\n\n{section}\n\n", 1)
        out.print(terminal_text(section))
    # Read with ``cat`` as often as with an editor: no control sequence from a page.
    (out_dir / "summary.txt").write_text(strip_controls(summary), encoding="utf-8")
    out.print(terminal_text(reports))
    out.print(
        terminal_text(
            f"\n结果已写入 {out_dir}/：findings.json、findings.csv、summary.txt、整改通知和周报"
            f"（数据库 {out_dir / 'govwatch-demo.db'}）"
        )
    )
    return 0


def _write_reports(session: Any, config: Any, out_dir: Path) -> str:
    """The notices (docx, html, xlsx per unit) and the weekly report (html, pdf, docx)."""
    from common.clock import today
    from reports.html_render import PdfUnavailable
    from reports.notice_files import write_notices
    from reports.report_data import load_report_inputs
    from reports.weekly import build_weekly
    from reports.weekly_files import write_weekly_report

    started = time.monotonic()
    inputs = load_report_inputs(session, DEMO_SITE, config)
    notices = write_notices(session, inputs, out_dir, today())
    weekly = build_weekly(session, inputs, today())
    written, notes = [], []
    for name in WEEKLY_FILES:
        try:
            result = write_weekly_report(weekly, out_dir / name)
        except PdfUnavailable as error:  # a machine without Pango or CJK fonts
            notes.append(f"（未生成 {name}：{error}）")
            continue
        pages = f"（{result.pages} 页）" if result.pages else ""
        written.append(f"{name}{pages}")
    elapsed = time.monotonic() - started
    units = "、".join(f"{n.unit} {n.total} 条" for n in notices.notices)
    return (
        f"\n整改通知 {len(notices.notices)} 份（{units}）：整改通知-<单位>.docx/.html/.xlsx"
        f"\n领导周报：{'、'.join(written)}{''.join(notes)}"
        f"\n生成报告用时 {elapsed:.1f} 秒"
    )
