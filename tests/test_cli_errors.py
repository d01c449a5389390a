"""Honest errors and empty results: a mistyped database or filter value is an error that
names what exists, never an empty answer; a read-only or full database says so in one
line; two processes creating one database do not trip over each other; click's own
messages are Chinese like the rest."""

from __future__ import annotations

import ast
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, inspect

from govwatch import click_messages
from govwatch.cli import cli
from storage.db import open_database
from tests.report_db import SITE, build, sample_specs
from tests.system import need

GOVWATCH = [sys.executable, "-m", "govwatch"]
ROOT = Path(__file__).resolve().parent.parent


def govwatch(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*GOVWATCH, *args], capture_output=True, text=True, timeout=120, **kwargs)


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def report_db(db_url):
    db = build(db_url, sample_specs())
    yield db_url
    db.dispose()


# --- read commands never create a database -------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ("findings",),
        ("findings", "--format", "json"),
        ("status",),
        ("report", "notices", "--out", "{tmp}/out"),
        ("report", "weekly", "--out", "{tmp}/weekly.html"),
    ],
)
def test_read_commands_never_create_a_database(tmp_path, command):
    typo = tmp_path / "typo.db"
    args = [part.format(tmp=tmp_path) for part in command]
    result = invoke(*args, "--db", f"sqlite:///{typo}")
    assert result.exit_code == 1, result.output
    assert result.output == (
        f"错误：数据库文件不存在：{typo}"
        "（请检查 --db 或 GOVWATCH_DB；新数据库由 govwatch scan 创建）\n"
    )
    assert not typo.exists()
    assert not (tmp_path / "out").exists()


@pytest.mark.postgres
def test_read_commands_leave_an_empty_postgresql_database_empty(tmp_path):
    from tests.conftest import fresh_database

    with fresh_database("postgresql", tmp_path) as url:
        result = invoke("findings", "--db", url)
        assert result.exit_code == 1
        assert "数据库中没有 govwatch 的数据" in result.output
        engine = create_engine(url)
        assert inspect(engine).get_table_names() == []
        engine.dispose()


# --- unknown filter values exit 2 and list the valid ones ------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--detector", "broken_links"), "错误：--detector broken_links：没有这个检测项（可用："),
        (("--unit", "市司法厅"), "错误：--unit 市司法厅：没有这个责任单位（可用："),
        (("--site", "longan"), f"错误：--site longan：没有这个站点（可用：{SITE}）"),
        (("--scan", "7"), "错误：--scan 7：没有这个扫描（可用：2、1）"),
    ],
)
def test_unknown_filter_values_are_errors_that_list_the_valid_ones(report_db, args, message):
    result = invoke("findings", "--db", report_db, *args)
    assert result.exit_code == 2, result.output
    assert result.output.startswith(message), result.output
    if args[0] == "--detector":
        assert "broken_link、" in result.output or "、broken_link" in result.output
    if args[0] == "--unit":
        assert "市政府办" in result.output and "市融媒体中心" in result.output


def test_known_values_that_match_nothing_are_an_empty_answer(report_db):
    result = invoke("findings", "--db", report_db, "--unit", "市司法局", "--detector", "term")
    assert result.exit_code == 0 and "没有符合条件的问题" in result.output


@pytest.mark.parametrize("kind", ["notices", "weekly"])
def test_reports_name_the_sites_there_are(report_db, tmp_path, kind):
    out = str(tmp_path / ("out" if kind == "notices" else "w.html"))
    result = invoke("report", kind, "--out", out, "--db", report_db, "--site", "longan")
    assert result.exit_code == 2
    assert f"错误：--site longan：数据库中没有这个站点（可用：{SITE}）" in result.output


# --- read-only database, full disk -------------------------------------------------------


def _as_unprivileged(argv: list[str]) -> list[str]:
    """``argv`` run as a user that file permissions apply to: root ignores chmod, so
    under root the command runs as ``nobody`` (setpriv)."""
    if os.geteuid() != 0:
        return argv
    need(shutil.which("setpriv") is not None, "needs setpriv (util-linux) to drop root")
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *argv]


@pytest.mark.integration
def test_read_only_database_fails_in_one_line_and_still_reads(tmp_path):
    """A database file chmod 444: tests run as root, which chmod does not stop, so the
    scan runs as ``nobody`` (setpriv) in a directory ``nobody`` owns — the honest
    read-only file of an operator's account."""
    place = Path(tempfile.mkdtemp(prefix="govwatch-ro-"))
    try:
        place.chmod(0o755)
        db_path = place / "govwatch.db"
        url = f"sqlite:///{db_path}"
        build(url, sample_specs()).dispose()
        config = place / "site.yaml"
        config.write_text(
            f'site: {{id: {SITE}, name: 龙南, start_urls: ["http://127.0.0.1:9/"]}}\n'
            "units: [{name: 市政府办, default: true}]\n",
            encoding="utf-8",
        )
        for path in (place, db_path, config):
            shutil.chown(path, "nobody")
        db_path.chmod(0o444)
        env = {**os.environ, "HOME": str(place), "PYTHONDONTWRITEBYTECODE": "1"}
        probe = subprocess.run(
            _as_unprivileged([sys.executable, "-c", "import govwatch"]),
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        need(probe.returncode == 0, f"nobody cannot run this checkout's Python: {probe.stderr}")
        scan = subprocess.run(
            _as_unprivileged([*GOVWATCH, "scan", "--config", str(config), "--db", url]),
            cwd=place,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert scan.returncode == 1, scan.stderr
        assert "Traceback" not in scan.stderr
        assert scan.stderr.strip().splitlines()[-1] == (
            "错误：数据库文件是只读的，无法写入"
            "（请检查数据库文件及其所在目录的权限，或磁盘是否以只读方式挂载）"
        )
        read = subprocess.run(
            _as_unprivileged([*GOVWATCH, "findings", "--db", url, "--format", "json"]),
            cwd=place,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert read.returncode == 0, read.stderr
    finally:
        shutil.rmtree(place, ignore_errors=True)


@pytest.mark.integration
def test_full_disk_at_scan_start_fails_in_one_line(tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True
    )
    need(made.returncode == 0, f"cannot mount a small tmpfs here: {made.stderr!r}")
    try:
        url = f"sqlite:///{mount / 'govwatch.db'}"
        open_database(url).dispose()
        with open(mount / "filler", "wb") as filler:
            try:
                while True:
                    filler.write(b"\0" * 65536)
                    filler.flush()
            except OSError:
                pass
        config = tmp_path / "site.yaml"
        config.write_text(
            f'site: {{id: {SITE}, name: 龙南, start_urls: ["http://127.0.0.1:9/"]}}\n'
            "units: [{name: 市政府办, default: true}]\n",
            encoding="utf-8",
        )
        result = govwatch("scan", "--config", str(config), "--db", url)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert result.stderr.strip().splitlines()[-1] == (
            "错误：数据库写入失败：磁盘空间已满（请清理磁盘后重试，已写入的数据保持完整）"
        )
    finally:
        subprocess.run(["umount", str(mount)], check=False)


# --- creating one database from two processes at once --------------------------------------


def _open_at(url: str, start, results) -> None:
    """Open (and so create and migrate) ``url`` once all are at the barrier ``start``."""
    start.wait()
    try:
        open_database(url).dispose()
        results.put("ok")
    except Exception as error:  # reported to the test, which names it
        results.put(f"{type(error).__name__}: {error}")


@pytest.mark.integration
def test_processes_creating_one_new_database_at_once(tmp_path, db_url):
    """Four processes open one new database at the same instant, three times over:
    before the migration lock, one or more failed ("table sites already exists")."""
    context = multiprocessing.get_context("fork")  # fresh engines in each child
    for attempt in range(3):
        if db_url.startswith("sqlite"):
            url = f"sqlite:///{tmp_path / f'new{attempt}.db'}"
        else:
            if attempt:
                break  # the fixture's schema is new only once
            url = db_url
        results, start = context.Queue(), context.Barrier(4)
        workers = [context.Process(target=_open_at, args=(url, start, results)) for _ in range(4)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        assert sorted(results.get(timeout=5) for _ in workers) == ["ok"] * 4


# --- click's own messages in Chinese ----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "lines"),
    [
        (["nosuch"], ["用法： govwatch [选项] 命令 [参数]...", "错误：没有“nosuch”这个命令。"]),
        (["scan"], ["用法： govwatch scan [选项]", "错误：缺少选项 '--config'。"]),
        (
            ["findings", "--format", "xml"],
            ["错误：'--format' 的取值无效：“xml”不是 'json', 'csv', 'table' 之一。"],
        ),
        (["findings", "--nope"], ["错误：没有“--nope”这个选项。"]),
        (
            ["report", "weekly"],
            ["用法： govwatch report weekly [选项]", "错误：缺少选项 '--out'。"],
        ),
    ],
)
def test_click_usage_errors_are_chinese(args, lines):
    result = govwatch(*args)
    assert result.returncode == 2
    for line in lines:
        assert line in result.stderr.splitlines(), result.stderr
    assert "Usage" not in result.stderr and "Error" not in result.stderr
    assert "--help”查看帮助。" in result.stderr


def test_help_is_chinese():
    result = govwatch("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("用法： govwatch [选项] 命令 [参数]...")
    assert "选项:" in result.stdout and "命令:" in result.stdout
    assert "显示本帮助并退出。" in result.stdout and "Show this message" not in result.stdout


def test_every_translated_message_is_one_click_still_uses():
    """Click's message ids, read from its sources: a newer click that rewords one would
    leave our translation unused and its English back on screen."""
    used: set[str] = set()
    for source in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            called = getattr(node, "func", None)
            if (
                isinstance(node, ast.Call)
                and getattr(called, "id", None) in ("_", "ngettext")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                used.add(node.args[0].value)
    stale = (set(click_messages.MESSAGES) | set(click_messages.PLURALS)) - used
    assert not stale
