"""``govwatch user add|token|revoke|list``."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from common.clock import now
from govwatch.cli import cli
from storage.db import open_database
from storage.users import authenticate, user_for_token


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin)


@pytest.fixture
def db(sqlite_url):
    return sqlite_url


def test_add_with_password_from_stdin_then_log_in(db):
    result = run(
        "user",
        "add",
        "小王",
        "--role",
        "unit",
        "--unit",
        "办公室",
        "--password-stdin",
        "--db",
        db,
        stdin="pass-word-123\n",
    )
    assert result.exit_code == 0, result.output
    assert "已创建用户 小王（单位编辑，办公室）" in result.output
    with open_database(db).session() as session:
        user = authenticate(session, "小王", "pass-word-123", now=now())
        assert (user.role, user.unit) == ("unit", "办公室")


def test_add_prompts_for_the_password_twice(db):
    result = run(
        "user",
        "add",
        "管理员",
        "--role",
        "admin",
        "--db",
        db,
        stdin="pass-word-123\npass-word-123\n",
    )
    assert result.exit_code == 0, result.output
    with open_database(db).session() as session:
        assert authenticate(session, "管理员", "pass-word-123", now=now()).role == "admin"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "boss"], "角色“boss”无效"),
        (["--role", "unit"], "必须用 --unit 指定所属单位"),
        (["--role", "operator", "--unit", "办公室"], "不能指定 --unit"),
    ],
)
def test_bad_role_or_unit_exits_2_before_asking_a_password(db, args, message):
    result = run("user", "add", "小王", *args, "--db", db)
    assert result.exit_code == 2
    assert message in result.output
    assert "密码" not in result.output.split("错误")[0]


def test_a_short_password_or_a_taken_name_exits_2(db):
    assert (
        run(
            "user", "add", "a", "--role", "admin", "--password-stdin", "--db", db, stdin="short\n"
        ).exit_code
        == 2
    )
    run(
        "user",
        "add",
        "a",
        "--role",
        "admin",
        "--password-stdin",
        "--db",
        db,
        stdin="pass-word-123\n",
    )
    result = run(
        "user",
        "add",
        "a",
        "--role",
        "operator",
        "--password-stdin",
        "--db",
        db,
        stdin="pass-word-123\n",
    )
    assert result.exit_code == 2 and "已存在" in result.output


def test_token_prints_a_token_that_works_until_revoked(db):
    run(
        "user",
        "add",
        "脚本",
        "--role",
        "operator",
        "--password-stdin",
        "--db",
        db,
        stdin="pass-word-123\n",
    )
    result = CliRunner().invoke(cli, ["user", "token", "脚本", "--label", "CMS", "--db", db])
    assert result.exit_code == 0
    token = result.stdout.strip()
    assert "\n" not in token and len(token) >= 43
    with open_database(db).session() as session:
        assert user_for_token(session, token).name == "脚本"
    listed = run("user", "list", "--db", db)
    assert "脚本" in listed.output and "运维人员" in listed.output
    revoked = run("user", "revoke", "脚本", "--db", db)
    assert revoked.exit_code == 0 and "1 个令牌" in revoked.output
    with open_database(db).session() as session:
        assert user_for_token(session, token) is None
    assert run("user", "token", "无此人", "--db", db).exit_code == 2
