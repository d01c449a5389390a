"""``govwatch user …``: the review app's accounts and API tokens from the command line.

The first administrator is made here (``govwatch user add NAME --role admin``) or by the
app on a database without users (:func:`storage.users.ensure_first_admin`).
"""

from __future__ import annotations

import sys

import click
from rich.table import Table
from sqlalchemy import func, select

from common.inert_text import terminal_text
from govwatch.cli import err, fail, open_db, out
from storage.access import ROLE_NAMES
from storage.models import ApiToken, User
from storage.users import (
    UserError,
    add_user,
    check_password,
    check_role,
    is_locked,
    issue_token,
    list_users,
    revoke_tokens,
)

DB_HELP = "数据库地址（默认 GOVWATCH_DB 或 sqlite:///govwatch.db）"


@click.group()
def user() -> None:
    """管理审核系统的用户和 API 令牌。"""


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")


@user.command("add")
@click.argument("name")
@click.option(
    "--role", required=True, help="角色：admin（管理员）、operator（运维人员）、unit（单位编辑）"
)
@click.option("--unit", default=None, help="单位编辑所属的单位（--role unit 时必填）")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（第一行），不提示")
@click.option("--db", "db_url", default=None, help=DB_HELP)
def user_add(name: str, role: str, unit: str | None, password_stdin: bool, db_url) -> None:
    """创建用户 NAME。"""
    try:  # a bad role or unit is named before any password is asked for
        check_role(role, unit)
    except UserError as error:
        fail(str(error), 2)
    password = _read_password(password_stdin)
    try:
        check_password(password)
    except UserError as error:
        fail(str(error), 2)
    db = open_db(db_url)
    try:
        with db.session() as session:
            created = add_user(session, name, role, unit, password=password)
            line = f"已创建用户 {created.name}（{ROLE_NAMES[created.role]}"
            line += f"，{created.unit}）" if created.unit else "）"
    except UserError as error:
        fail(str(error), 2)
    out.print(terminal_text(line))


@user.command("token")
@click.argument("name")
@click.option("--label", default="", help="令牌用途说明，如 CMS")
@click.option("--db", "db_url", default=None, help=DB_HELP)
def user_token(name: str, label: str, db_url) -> None:
    """为用户 NAME 生成新的 API 令牌（只显示这一次）。"""
    db = open_db(db_url, create=False)
    try:
        with db.session() as session:
            token = issue_token(session, name, label)
    except UserError as error:
        fail(str(error), 2)
    click.echo(token)
    err.print("请妥善保存：令牌只显示这一次，数据库中只保存其摘要。", markup=False)


@user.command("revoke")
@click.argument("name")
@click.option("--db", "db_url", default=None, help=DB_HELP)
def user_revoke(name: str, db_url) -> None:
    """吊销用户 NAME 的全部 API 令牌。"""
    db = open_db(db_url, create=False)
    try:
        with db.session() as session:
            count = revoke_tokens(session, name)
    except UserError as error:
        fail(str(error), 2)
    out.print(terminal_text(f"已吊销用户 {name.strip()} 的 {count} 个令牌"))


@user.command("list")
@click.option("--db", "db_url", default=None, help=DB_HELP)
def user_list(db_url) -> None:
    """列出全部用户。"""
    from common.clock import now

    db = open_db(db_url, create=False)
    with db.session() as session:
        users = list_users(session)
        tokens = dict(
            session.execute(
                select(ApiToken.user_id, func.count(ApiToken.id))
                .where(ApiToken.revoked_at.is_(None))
                .group_by(ApiToken.user_id)
            ).all()
        )
        if not users:
            out.print("还没有用户。用 govwatch user add NAME --role admin 创建管理员。")
            return
        table = Table(header_style="bold")
        for title in ("用户", "角色", "单位", "状态", "有效令牌"):
            table.add_column(title)
        moment = now()
        for row in users:
            table.add_row(
                terminal_text(row.name),
                ROLE_NAMES.get(row.role, row.role),
                terminal_text(row.unit or ""),
                _state(row, moment),
                str(tokens.get(row.id, 0)),
            )
        out.print(table)


def _state(row: User, moment) -> str:
    if not row.active:
        return "已停用"
    return "已锁定" if is_locked(row, moment) else "正常"

