"""Review app accounts: roles, argon2 passwords, lockout, bearer tokens, the first admin."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from storage.access import Access
from storage.db import open_database
from storage.models import ApiToken, User
from storage.users import (
    UserError,
    add_user,
    authenticate,
    ensure_first_admin,
    issue_token,
    revoke_tokens,
    user_for_token,
)

T0 = datetime(2024, 11, 25, 2, 0, tzinfo=UTC)
PASSWORD = "正确的密码-123"


@pytest.fixture
def db(sqlite_url):
    database = open_database(sqlite_url)
    yield database
    database.dispose()


@pytest.mark.parametrize(
    ("role", "unit", "message"),
    [
        ("boss", None, "角色“boss”无效"),
        ("unit", None, "必须用 --unit 指定所属单位"),
        ("unit", "  ", "必须用 --unit 指定所属单位"),
        ("operator", "办公室", "不能指定 --unit"),
    ],
)
def test_add_user_validates_role_and_unit(db, role, unit, message):
    with db.session() as session, pytest.raises(UserError, match=message):
        add_user(session, "小王", role, unit, password=PASSWORD)


def test_add_user_refuses_a_taken_name_and_a_short_password(db):
    with db.session() as session:
        add_user(session, "小王", "unit", "办公室", password=PASSWORD)
    with db.session() as session, pytest.raises(UserError, match="已存在"):
        add_user(session, " 小王 ", "operator", password=PASSWORD)
    with db.session() as session, pytest.raises(UserError, match="至少 8 个字符"):
        add_user(session, "小李", "operator", password="short")


def test_only_an_argon2_hash_of_the_password_is_stored(db):
    with db.session() as session:
        user = add_user(session, "小王", "unit", "办公室", password=PASSWORD)
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
        assert Access.of(user) == Access(role="unit", unit="办公室", name="小王")


def test_authenticate_checks_the_password(db):
    with db.session() as session:
        add_user(session, "小王", "operator", password=PASSWORD)
    with db.session() as session:
        assert authenticate(session, "小王", PASSWORD, now=T0).name == "小王"
        assert authenticate(session, "小王", "错误的密码xx", now=T0) is None
        assert authenticate(session, "无此人", PASSWORD, now=T0) is None
        assert authenticate(session, "", "", now=T0) is None


def test_five_failures_lock_the_account_for_15_minutes(db):
    with db.session() as session:
        add_user(session, "小王", "operator", password=PASSWORD)
    with db.session() as session:
        for _ in range(4):
            assert authenticate(session, "小王", "wrong-password", now=T0) is None
        # a success resets the count: four more failures do not lock
        assert authenticate(session, "小王", PASSWORD, now=T0) is not None
        for _ in range(4):
            authenticate(session, "小王", "wrong-password", now=T0)
        assert authenticate(session, "小王", PASSWORD, now=T0) is not None
        for _ in range(5):
            authenticate(session, "小王", "wrong-password", now=T0)
    with db.session() as session:  # the lock is stored, not kept in memory
        later = T0 + timedelta(minutes=14)
        assert authenticate(session, "小王", PASSWORD, now=later) is None
        assert authenticate(session, "小王", PASSWORD, now=T0 + timedelta(minutes=15)) is not None


def test_an_inactive_user_cannot_log_in_or_use_a_token(db):
    with db.session() as session:
        add_user(session, "小王", "operator", password=PASSWORD)
        token = issue_token(session, "小王")
        session.scalar(select(User)).active = False
    with db.session() as session:
        assert authenticate(session, "小王", PASSWORD, now=T0) is None
        assert user_for_token(session, token) is None


def test_tokens_are_stored_as_hashes_and_can_be_revoked(db):
    with db.session() as session:
        add_user(session, "脚本", "unit", "办公室", password=PASSWORD)
        token = issue_token(session, "脚本", label="CMS")
        second = issue_token(session, "脚本")
    assert token != second and len(token) >= 43
    with db.session() as session:
        dump = "\n".join(str(row) for row in session.execute(text("SELECT * FROM api_tokens")))
        assert token not in dump and second not in dump
        user = user_for_token(session, token)
        assert user is not None and user.name == "脚本"
        assert session.scalar(select(ApiToken).where(ApiToken.label == "CMS")).last_used_at
        assert user_for_token(session, token + "x") is None
        assert user_for_token(session, "") is None
        assert user_for_token(session, None) is None
    with db.session() as session:
        assert revoke_tokens(session, "脚本") == 2
    with db.session() as session:
        assert user_for_token(session, token) is None
        assert user_for_token(session, second) is None
        with pytest.raises(UserError, match="没有用户"):
            issue_token(session, "无此人")


def test_the_first_admin_is_created_once(db):
    with db.session() as session:
        password = ensure_first_admin(session)
    assert password and len(password) >= 12
    with db.session() as session:
        admin = authenticate(session, "admin", password, now=T0)
        assert admin is not None and admin.role == "admin"
        assert ensure_first_admin(session) is None
        assert ensure_first_admin(session, "root", "another-password") is None
