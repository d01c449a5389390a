"""The ``govwatch`` command line (contract §2). Messages are for operators, in Chinese.

Exit codes: 0 success; 1 runtime failure; 2 bad usage or bad config.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from common.inert_text import json_text, terminal_text
from common.vocabulary import SEVERITIES, SEVERITY_NAMES, STATUSES, severity_rank
from detectors.deep_markup import MAX_DEPTH
from detectors.registry import group_records, title_of
from detectors.veto_groups import BLANK_COLUMNS, STALE_COLUMNS
from govwatch import __version__, click_messages
from govwatch.config import ConfigError, LoadedConfig, load_config
from reports.findings_export import (
    finding_record,
    render_table,
    to_csv,
    to_json,
)
from storage.db import Database, DatabaseError, DatabaseUrlError, default_url, open_database
from storage.queries import filter_values, query_findings

click_messages.install()  # click's own usage and error messages in Chinese too

# Wide enough for URLs when the output goes to a file or a pipe (rich assumes 80 there).
# What comes from pages, feeds and configs is printed as ``terminal_text``: never markup,
# never a control sequence (``[/x]`` in a link text must not crash a table).
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str, code: int = 1) -> None:
    err.print(terminal_text(f"错误：{message}"))
    sys.exit(code)


def open_db(url: str | None, *, create: bool = True) -> Database:
    """The database, or a one-line message and exit. Commands that only read pass
    ``create=False``: a database that does not exist is an error, not a new one."""
    try:
        return open_database(url or default_url(), create=create)
    except DatabaseUrlError as error:
        fail(str(error), 2)
    except DatabaseError as error:
        fail(str(error), 1)
    raise AssertionError("unreachable")


def check_data_files() -> None:
    """The data files operators edit that every run judges by (column categories, the
    hidden-link lists, the holiday schedule): checked before anything runs, one line per
    mistake, exit 2."""
    from detectors.column_categories import CategoryFileError, load_categories
    from detectors.hidden_link_data import HiddenLinkDataError, load_hidden_link_data
    from detectors.holiday_schedule import HolidayFileError, load_holidays

    problems: list[str] = []
    for load in (load_categories, load_hidden_link_data, load_holidays):
        try:
            load()
        except (CategoryFileError, HiddenLinkDataError, HolidayFileError) as error:
            problems.extend(error.problems)
    for line in problems:
        err.print(line, markup=False)
    if problems:
        sys.exit(2)


def list_valid(option: str, value: str, valid: list[str], what: str) -> None:
    """Exit 2 for an ``option`` value that is none of ``valid``, naming the valid ones."""
    if value in valid:
        return
    shown = "、".join(valid[:30]) + (f" 等 {len(valid)} 个" if len(valid) > 30 else "")
    fail(f"{option} {value}：没有这个{what}（可用：{shown or '无'}）", 2)


def load_or_exit(path: str) -> LoadedConfig:
    """The config, and the data files the scan will judge by: all checked before
    anything runs, so a mistake costs no crawl."""
    try:
        loaded = load_config(path)
    except ConfigError as error:
        for line in error.problems:
            err.print(terminal_text(line))
        sys.exit(2)
    check_data_files()
    return loaded


@click.group(
    cls=click_messages.ChineseGroup, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.option("-v", "--verbose", count=True, help="输出更多日志（-vv 为调试日志）")
@click.version_option(__version__, prog_name="govwatch")
@click.pass_context
def cli(ctx: click.Context, verbose: int) -> None:
    """govwatch：政府网站与政务新媒体监测工具。"""
    ctx.obj = {"verbose": verbose}
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setLevel(level)


@cli.command("check-config")
@click.argument("config", type=click.Path(dir_okay=False))
def check_config(config: str) -> None:
    """检查站点配置文件；有问题时逐条列出（文件、配置项、原因）。"""
    loaded = load_or_exit(config)
    site = loaded.config.site
    out.print(
        terminal_text(
            f"配置有效：{config}（站点 {site.id}「{site.name}」，"
            f"{len(loaded.config.units)} 个责任单位）"
        )
    )
    reports = loaded.config.reports
    out.print(
        terminal_text(
            f"整改通知：发文机关 {reports.issuer or site.name}，整改期限 "
            f"{reports.deadline_working_days} 个工作日（单项否决问题 "
            f"{reports.veto_deadline_working_days} 个工作日）"
        )
    )


@cli.command()
@click.option(
    "--config",
    "configs",
    required=True,
    multiple=True,
    type=click.Path(dir_okay=False),
    help="站点配置文件（可多次指定）",
)
@click.option(
    "--db", "db_url", default=None, help="数据库地址（默认 $GOVWATCH_DB 或 sqlite:///govwatch.db）"
)
@click.option("--site", "site_id", default=None, help="只扫描该站点")
@click.pass_context
def scan(
    ctx: click.Context, configs: tuple[str, ...], db_url: str | None, site_id: str | None
) -> None:
    """对配置的站点执行一次完整扫描并保存结果。"""
    from govwatch.scan import ScanFailed, run_scan, run_scan_subprocess, signal_exit_code

    verbose = ctx.obj["verbose"]
    loaded = [load_or_exit(c) for c in configs]
    if site_id:
        list_valid("--site", site_id, [item.config.site.id for item in loaded], "站点")
        loaded = [item for item in loaded if item.config.site.id == site_id]
    ids = [item.config.site.id for item in loaded]
    if len(set(ids)) != len(ids):
        fail(f"多个配置文件使用了相同的站点 id：{', '.join(ids)}", 2)
    db = open_db(db_url)
    if len(loaded) > 1:  # one scan per process: Twisted's reactor cannot restart
        codes = []
        for item in loaded:
            codes.append(run_scan_subprocess(str(item.path), db.url, item.config.site.id, verbose))
            if codes[-1] > 128:  # stopped by a signal: so are the scans still to come
                sys.exit(codes[-1])
        sys.exit(max(codes))
    item = loaded[0]
    site = item.config.site
    err.print(terminal_text(f"开始扫描 {site.name}（{site.id}）：{', '.join(site.start_urls)}"))
    try:
        outcome = run_scan(item, db, verbose)
    except ScanFailed as error:
        fail(str(error), 1)
    if outcome.signal:
        fail(
            f"扫描 #{outcome.scan_id} 已中断（收到 {outcome.signal}），已保存的问题状态未改变",
            signal_exit_code(outcome.signal),
        )
    if outcome.status != "completed":
        fail(f"扫描 #{outcome.scan_id} 未完成（{outcome.error}），已保存的问题状态未改变", 1)
    print_scan_summary(db, item, outcome)


def print_scan_summary(db: Database, item: LoadedConfig, outcome) -> None:
    with db.session() as session:
        records = [
            finding_record(f)
            for f in query_findings(session, site=item.config.site.id, scan=str(outcome.scan_id))
        ]
    out.print(
        terminal_text(
            f"\n扫描 #{outcome.scan_id} 完成：抓取页面 {outcome.pages} 个，"
            f"检查网址 {outcome.urls} 个，"
            f"链接 {outcome.links} 条，发现问题 {outcome.findings} 个"
            f"（新增 {outcome.lifecycle.new}，再次出现 {outcome.lifecycle.reopened}，"
            f"已整改 {outcome.lifecycle.fixed}）。"
        )
    )
    if outcome.new_media:
        unreadable = sum(1 for a in outcome.new_media if a.outcome != "ok")
        out.print(
            terminal_text(
                f"政务新媒体账号 {len(outcome.new_media)} 个：读取成功 "
                f"{len(outcome.new_media) - unreadable} 个，无法读取 {unreadable} 个，"
                f"订阅源中的文章共 {sum(a.posts for a in outcome.new_media)} 篇。"
            )
        )
    if records:
        counts = Counter((r["detector"], r["unit"]) for r in records)
        table = Table(title="问题汇总（按检测项与责任单位）", header_style="bold")
        table.add_column("检测项")
        table.add_column("责任单位")
        table.add_column("问题数", justify="right")
        for (detector, unit), n in sorted(counts.items()):
            table.add_row(terminal_text(title_of(detector)), terminal_text(unit), str(n))
        out.print(table)
    if group_records(records, STALE_COLUMNS) or group_records(records, BLANK_COLUMNS):
        from reports.overview import veto_lines

        out.print(terminal_text("\n".join(veto_lines(records))))
    for detector, n in sorted(outcome.detector_failures.items()):
        out.print(
            terminal_text(
                f"注意：检测项“{title_of(detector)}”有 {n} 处运行出错（详见 -v 日志），"
                "这些页面上的此类问题可能未被发现。"
            )
        )
    if outcome.deep_pages:
        out.print(
            terminal_text(
                f"注意：{outcome.deep_pages} 个页面的标签嵌套超过 {MAX_DEPTH} 层，"
                "已略去中间层的标签后检查（文字和链接都已检查，被略去的标签上的隐藏样式无法判断）："
            )
        )
        for url in outcome.deep_page_urls:
            out.print(terminal_text(f"  {url}"))
    if outcome.beyond_max_pages:
        out.print(
            terminal_text(
                f"注意：已达到页面上限（site.max_pages = {item.config.site.max_pages}），"
                f"另有 {outcome.beyond_max_pages} 个页面只检查了链接是否可用、未读取内容，"
                "这些页面上的问题未被发现（可在配置中调高 max_pages）。"
            )
        )
    if outcome.too_large:
        out.print(
            terminal_text(
                f"注意：{outcome.too_large} 个页面或文件过大（超过下载上限），未读取内容。"
            )
        )
    if outcome.inconclusive:
        out.print(terminal_text(f"无法确认的网址 {len(outcome.inconclusive)} 个（未计入问题）："))
        reasons = {
            "rate_limited": "对方限流（HTTP 429）",
            "robots_txt": "robots.txt 禁止访问",
            "too_large": "文件过大（解压后超过下载上限）",
        }
        for url, reason in outcome.inconclusive[:20]:
            out.print(terminal_text(f"  {url}  {reasons.get(reason or '', reason)}"))


@cli.command()
@click.option("--db", "db_url", default=None, help="数据库地址")
@click.option("--site", default=None, help="站点 id")
@click.option("--scan", "scan_ref", default=None, help="扫描编号或 latest（默认最近一次）")
@click.option("--status", type=click.Choice(STATUSES))
@click.option("--unit", default=None, help="责任单位")
@click.option("--detector", default=None, help="检测项，如 broken_link")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "table"]), default="table")
def findings(db_url, site, scan_ref, status, unit, detector, fmt) -> None:
    """列出问题（默认为各站点最近一次完成的扫描所发现的问题）。"""
    from detectors.registry import all_detectors

    if scan_ref and scan_ref != "latest" and not scan_ref.isdigit():
        fail("--scan 应为扫描编号或 latest", 2)
    if detector:
        list_valid("--detector", detector, [cls.id for cls in all_detectors()], "检测项")
    db = open_db(db_url, create=False)
    with db.session() as session:
        valid = filter_values(session, site)
        if site:
            list_valid("--site", site, valid["site"], "站点")
        if unit:
            list_valid("--unit", unit, valid["unit"], "责任单位")
        if scan_ref and scan_ref != "latest":
            list_valid("--scan", str(int(scan_ref)), valid["scan"], "扫描")
        records = [
            finding_record(f)
            for f in query_findings(
                session, site=site, scan=scan_ref, status=status, unit=unit, detector=detector
            )
        ]
    if fmt == "json":
        click.echo(to_json(records))
    elif fmt == "csv":  # UTF-8 with a BOM, whatever the locale: what Excel on Windows reads
        click.echo(("\ufeff" + to_csv(records)).encode("utf-8"), nl=False)
    else:
        render_table(records, out)


@cli.command()
@click.option("--db", "db_url", default=None, help="数据库地址")
@click.option(
    "--config",
    "configs",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="站点配置文件（可选，可多次指定：列出其通知渠道）",
)
def status(db_url: str | None, configs: tuple[str, ...]) -> None:
    """各站点最近的扫描及其状态、下次定时运行、可用性探测情况、通知渠道。"""
    from sqlalchemy import select

    from govwatch.scheduler.status import next_runs, probe_lines
    from storage.models import Scan, Site
    from storage.scans import mark_interrupted_scans

    loaded = {item.config.site.id: item for item in (load_or_exit(c) for c in configs)}
    db = open_db(db_url, create=False)
    with db.session() as session:
        mark_interrupted_scans(session)
        sites = list(session.scalars(select(Site).order_by(Site.id)))
        if not sites:
            out.print("数据库中还没有站点。先运行 govwatch scan。")
            return
        upcoming = next_runs(session)
        for site_row in sites:
            table = Table(
                title=terminal_text(f"{site_row.id}「{site_row.name}」"), header_style="bold"
            )
            for title in ("扫描", "状态", "开始", "结束", "页面", "网址", "问题", "说明"):
                table.add_column(title)
            scans = session.scalars(
                select(Scan).where(Scan.site_id == site_row.id).order_by(Scan.id.desc()).limit(5)
            )
            names = {
                "running": "进行中",
                "completed": "已完成",
                "failed": "失败",
                "interrupted": "中断",
            }
            for s in scans:
                table.add_row(
                    f"#{s.id}",
                    names.get(s.status, s.status),
                    f"{s.started_at:%Y-%m-%d %H:%M}",
                    f"{s.finished_at:%Y-%m-%d %H:%M}" if s.finished_at else "",
                    str(s.pages_crawled),
                    str(s.urls_checked),
                    str(s.findings_count),
                    terminal_text(s.error),
                )
            out.print(table)
            lines = upcoming.get(site_row.id) or [
                "下次运行：没有定时任务（govwatch schedule 未运行过）"
            ]
            lines += probe_lines(session, site_row.id)
            item = loaded.get(site_row.id)
            if item is not None:
                from govwatch.scheduler.alerts import shown_channel

                channels = [shown_channel(c) for c in item.config.alerts.channels]
                lines.append(f"通知渠道：{'、'.join(channels) or '未配置'}")
            for line in lines:
                out.print(terminal_text(f"  {line}"))


@cli.command()
@click.option("--db", "db_url", default=None, help="数据库地址")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--config",
    "config_paths",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="站点配置文件（可多次指定；复查和允许词表需要）",
)
@click.option(
    "--secure-cookies", is_flag=True, help="会话 Cookie 只经 HTTPS 发送（HTTPS 反向代理之后使用）"
)
def serve(
    db_url: str | None,
    host: str,
    port: int,
    config_paths: tuple[str, ...],
    secure_cookies: bool,
) -> None:
    """启动问题审核网页（供各单位编辑、运维人员和管理员使用）。"""
    import uvicorn

    from govwatch.web import create_app
    from storage.users import ensure_first_admin

    configs = [load_or_exit(path) for path in config_paths]
    db = open_db(db_url)
    with db.session() as session:
        password = ensure_first_admin(session)
    db.dispose()
    if password:
        out.print(f"已创建首个管理员账号 admin，初始密码（只显示这一次）：{password}")
        out.print("请登录后在“用户管理”中添加其他账号，或用 govwatch user add 添加。")
    app = create_app(db.url, configs=configs, secure_cookies=secure_cookies)
    out.print(f"问题审核网页：http://{host}:{port}/")
    sys.stdout.flush()  # the one-time password reaches a log file before uvicorn takes over
    # Behind nginx on the same machine, the client address comes from X-Forwarded-For
    # (trusted from 127.0.0.1 only: uvicorn's default forwarded_allow_ips).
    uvicorn.run(app, host=host, port=port, proxy_headers=True, log_level="warning")


@cli.group()
def report() -> None:
    """生成整改通知和领导周报。"""


REPORT_CONFIG_HELP = "站点配置文件（可选：读取 reports 一节的发文单位、联系方式、整改期限）"


def _report_inputs(session, site_id: str | None, config_path: str | None):
    from reports.report_data import ReportError, load_report_inputs

    config = load_or_exit(config_path).config if config_path else None
    try:
        return load_report_inputs(session, site_id, config)
    except ReportError as error:
        fail(str(error), error.code)


def report_source_options(command):
    """``--db``, ``--site`` and ``--config``: where both reports read their data."""
    for option in reversed(
        (
            click.option("--db", "db_url", default=None, help="数据库地址"),
            click.option(
                "--site", "site_id", default=None, help="站点 id（数据库中只有一个站点时可省略）"
            ),
            click.option(
                "--config",
                "config_path",
                default=None,
                type=click.Path(dir_okay=False),
                help=REPORT_CONFIG_HELP,
            ),
        )
    ):
        command = option(command)
    return command


@report.command("notices")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="输出目录")
@report_source_options
def report_notices(out_dir: str, db_url, site_id, config_path) -> None:
    """为每个有待整改问题的责任单位生成整改通知（.docx、.html、.xlsx）。"""
    from common.clock import today
    from reports.notice_files import write_notices

    check_data_files()
    db = open_db(db_url, create=False)
    try:
        with db.session() as session:
            inputs = _report_inputs(session, site_id, config_path)
            written = write_notices(session, inputs, Path(out_dir), today())
    except OSError as error:
        fail(f"无法写入 {out_dir}：{error.strerror or error}", 1)
    finally:
        db.dispose()
    if not written.notices:
        out.print(
            terminal_text(
                f"站点 {inputs.site_id} 最近一次扫描（#{inputs.scan_id}）没有待整改的问题，"
                "未生成整改通知。"
            )
        )
    for notice in written.notices:
        veto = f"（单项否决 {notice.veto} 条）" if notice.veto else ""
        out.print(
            terminal_text(
                f"{notice.unit}：问题 {notice.total} 条{veto}，"
                f"整改期限 {notice.deadline}{notice.deadline_note}"
            )
        )
    if written.notices:
        out.print(
            terminal_text(
                f"已生成 {len(written.notices)} 个单位的整改通知（{len(written.files)} 个文件）"
                f"到 {out_dir}/"
            )
        )
    for old in written.removed:
        out.print(terminal_text(f"已删除不再有待整改问题的旧通知：{old.name}"))
    for path, sites in written.shared.items():
        err.print(
            terminal_text(
                f"注意：{path.name} 也是站点 {'、'.join(sites)} 的整改通知，已被本站点的通知覆盖；"
                "多个站点请使用不同的输出目录"
            )
        )


@report.command("weekly")
@click.option(
    "--out",
    "out_file",
    required=True,
    type=click.Path(dir_okay=False),
    help="输出文件：.html、.pdf 或 .docx",
)
@report_source_options
def report_weekly(out_file: str, db_url, site_id, config_path) -> None:
    """生成领导周报（按文件后缀输出 .html、.pdf 或 .docx）。"""
    from common.clock import today
    from reports.html_render import PdfUnavailable
    from reports.weekly_files import WEEKLY_SUFFIXES, write_weekly

    path = Path(out_file)
    if path.suffix.lower() not in WEEKLY_SUFFIXES:
        fail(f"周报文件应以 {'、'.join(WEEKLY_SUFFIXES)} 结尾：{out_file}", 2)
    check_data_files()
    db = open_db(db_url, create=False)
    try:
        with db.session() as session:
            inputs = _report_inputs(session, site_id, config_path)
            written = write_weekly(session, inputs, path, today())
    except PdfUnavailable as error:
        fail(str(error), 1)
    except OSError as error:
        fail(f"无法写入 {out_file}：{error.strerror or error}", 1)
    finally:
        db.dispose()
    pages = f"，共 {written.pages} 页" if written.pages else ""
    out.print(terminal_text(f"已生成周报 {out_file}{pages}（{written.report.week_label}）"))


@cli.command()
@click.option(
    "--out",
    "out_dir",
    default="out",
    type=click.Path(file_okay=False),
    help="报告输出目录（默认 ./out）",
)
@click.pass_context
def demo(ctx: click.Context, out_dir: str) -> None:
    """启动内置示例门户网站，扫描它并把结果写入输出目录。"""
    from govwatch.demo import run_demo

    sys.exit(run_demo(Path(out_dir), ctx.obj["verbose"], out, err))


@cli.command("check")
@click.argument("source", required=False, default="-", metavar="[FILE|URL|-]")
@click.option(
    "--config",
    "configs",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="站点配置文件：用其词表、允许词和检测设置（可多次指定，配合 --site）",
)
@click.option("--site", "site_id", default=None, help="使用哪个站点的配置")
@click.option("--as-of", "as_of", default=None, help="发布日期 YYYY-MM-DD（默认今天）")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table")
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    default=None,
    help="发现该级别或更严重的问题时以退出码 3 结束（供发布流程拦截）",
)
@click.option("--no-links", is_flag=True, help="不检查草稿中的链接")
def check(source, configs, site_id, as_of, fmt, fail_on, no_links) -> None:
    """发布前检查一篇草稿（网页、纯文本、.docx、.xlsx、.pdf；- 为标准输入）。"""
    from common.clock import ENV as TODAY_ENV
    from govwatch.drafts import MAX_DRAFT_BYTES, DraftError, check_draft, read_draft
    from govwatch.drafts.reading import fetch_draft, too_large

    if as_of is not None:
        try:
            date.fromisoformat(as_of)
        except ValueError:
            fail(f"--as-of 应为日期 YYYY-MM-DD，现为“{as_of}”", 2)
        os.environ[TODAY_ENV] = as_of  # the check judges the draft as of that day
    config = _check_config(configs, site_id)
    try:
        if source == "-":
            data = sys.stdin.buffer.read(MAX_DRAFT_BYTES + 1)
            if len(data) > MAX_DRAFT_BYTES:
                raise too_large(len(data) + len(sys.stdin.buffer.read()))
            draft = read_draft(data, "标准输入")
        elif source.startswith(("http://", "https://")):
            timeout = float(config.site.timeout_s) if config else 15.0
            draft = fetch_draft(source, timeout)
        else:
            path = Path(source)
            if not path.is_file():
                fail(f"文件不存在：{source}", 2)
            if path.stat().st_size > MAX_DRAFT_BYTES:
                raise too_large(path.stat().st_size)
            draft = read_draft(path.read_bytes(), path.name)
        result = check_draft(draft, config, links=not no_links)
    except DraftError as error:
        fail(str(error), 1)
    if fmt == "json":
        document = {"findings": result.findings, "checked": result.checked}
        click.echo(json_text(json.dumps(document, ensure_ascii=False, indent=2, default=str)))
    else:
        _check_table(result)
    if fail_on and any(
        severity_rank(r["severity"]) <= severity_rank(fail_on) for r in result.findings
    ):
        sys.exit(3)


def _check_config(configs: tuple[str, ...], site_id: str | None):
    """The site config a check uses (None: the bundled word lists and defaults)."""
    if not configs:
        if site_id:
            fail("--site 需要配合 --config 使用", 2)
        return None
    loaded = [load_or_exit(c) for c in configs]
    if site_id:
        list_valid("--site", site_id, [item.config.site.id for item in loaded], "站点")
        loaded = [item for item in loaded if item.config.site.id == site_id]
    if len(loaded) > 1:
        fail("指定了多个配置文件，请用 --site 选择其中一个站点", 2)
    return loaded[0].config


def _check_table(result) -> None:
    from govwatch.drafts.reading import KIND_NAMES

    checked = result.checked
    kind = KIND_NAMES.get(checked["format"], checked["format"])
    head = f"已检查 {checked['name']}（{kind}，{checked['blocks']} 处文字）"
    if checked.get("links") is not None:
        links = checked["links"]
        head += f"，链接 {links['checked']} 个，不可用 {links['broken']} 个"
    err.print(terminal_text(head))
    if checked.get("note"):
        err.print(terminal_text(f"注意：{checked['note']}"))
    if not result.findings:
        out.print("未发现问题。")
        return
    table = Table(show_lines=False, header_style="bold")
    for title in ("位置", "级别", "类型", "问题说明", "建议"):
        table.add_column(title, overflow="fold")
    for r in result.findings:
        cells = (
            r["location"],
            SEVERITY_NAMES.get(r["severity"], r["severity"]),
            r["title"],
            r["message"],
            r.get("suggestion") or "",
        )
        table.add_row(*map(terminal_text, cells))
    out.print(table)
    out.print(f"共 {len(result.findings)} 个问题")


from govwatch.user_cli import user  # noqa: E402  (it uses this module's helpers)

cli.add_command(user)
CONFIGS_OPTION = click.option(
    "--config",
    "configs",
    required=True,
    multiple=True,
    type=click.Path(dir_okay=False),
    help="站点配置文件（可多次指定）",
)
DB_OPTION = click.option(
    "--db", "db_url", default=None, help="数据库地址（默认 $GOVWATCH_DB 或 sqlite:///govwatch.db）"
)


def load_distinct(configs: tuple[str, ...]) -> list[LoadedConfig]:
    loaded = [load_or_exit(c) for c in configs]
    ids = [item.config.site.id for item in loaded]
    if len(set(ids)) != len(ids):
        fail(f"多个配置文件使用了相同的站点 id：{', '.join(ids)}", 2)
    return loaded


@cli.command()
@CONFIGS_OPTION
@DB_OPTION
def probe(configs: tuple[str, ...], db_url: str | None) -> None:
    """立即对各站点的首页和重点页面进行一轮可用性探测并保存结果。"""
    from govwatch.scheduler.jobs import alert_unreachable
    from govwatch.scheduler.probe import probe_site

    loaded = load_distinct(configs)
    db = open_db(db_url)
    failed = 0
    try:
        for item in loaded:
            site = item.config.site
            summary = probe_site(item.config, db)
            for r in summary.results:
                state = "正常" if r.ok else f"失败（{r.error}）"
                code = r.http_status if r.http_status is not None else "—"
                out.print(
                    terminal_text(f"{site.id} {r.url}：{state}，HTTP {code}，{r.latency_ms} 毫秒")
                )
            failed += summary.failures
            alert_unreachable(item, db)
    finally:
        db.dispose()
    out.print(f"本轮探测完成，失败 {failed} 次。")


@cli.command()
@CONFIGS_OPTION
@DB_OPTION
def schedule(configs: tuple[str, ...], db_url: str | None) -> None:
    """长期运行的调度程序：按配置定时扫描、探测可用性、生成周报、发送提醒。"""
    from govwatch.scheduler.service import ScheduleService

    loaded = load_distinct(configs)
    if not any(
        s.scan or s.probe_every_minutes or s.weekly_report
        for s in (item.config.schedule for item in loaded)
    ):
        fail("配置文件中没有 schedule 一节的任务（scan、probe_every_minutes、weekly_report）", 2)
    db = open_db(db_url)  # migrated to head before any job runs
    # What it runs and will run next is its log (the journal, under systemd).
    logging.getLogger("govwatch").setLevel(logging.INFO)
    for handler in logging.getLogger().handlers:
        handler.setLevel(min(handler.level, logging.INFO))
    service = ScheduleService(loaded, db.url)
    db.dispose()
    service.run_until_signalled()
    err.print("调度程序已停止。")


@cli.group()
def alert() -> None:
    """监测提醒（通知渠道）。"""


@alert.command("test")
@CONFIGS_OPTION
def alert_test(configs: tuple[str, ...]) -> None:
    """在每个通知渠道发送一条测试消息，并列出哪些渠道成功。"""
    from govwatch.scheduler.alerts import send_test_messages

    failures = 0
    for item in load_distinct(configs):
        site = item.config.site
        channels = item.config.alerts.channels
        if not channels:
            out.print(terminal_text(f"{site.id}：没有配置通知渠道（alerts.channels）"))
            continue
        for shown, ok in send_test_messages(item.config):
            failures += not ok
            out.print(terminal_text(f"{site.id} {shown}：{'发送成功' if ok else '发送失败'}"))
    if failures:
        fail(f"{failures} 个通知渠道发送失败（详见上方）", 1)


def main() -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from storage.db import describe_error

    try:
        cli(standalone_mode=True, prog_name="govwatch")
    except KeyboardInterrupt:
        err.print("已中止。")
        sys.exit(130)
    except SQLAlchemyError as error:  # the database failed mid-command: one line, no traceback
        logging.getLogger(__name__).debug("database error", exc_info=True)
        fail(describe_error(error), 1)
