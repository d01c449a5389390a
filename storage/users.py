"""People of the review app: accounts, passwords, lockout, API tokens.

* Passwords are kept as argon2 hashes (argon2-cffi's ``PasswordHasher``, its default
  parameters); a hash made with older parameters is upgraded at the next login.
* Five wrong passwords in a row lock the account for 15 minutes; while locked, even the
  right password fails (and does not extend the lock).
* A bearer token is ``secrets.token_urlsafe(32)`` (256 random bits), shown once; only
  its SHA-256 is stored, so a copy of the database gives no token away. A token is
  revoked, never deleted (the history of who used the API stays).

The first administrator: ``govwatch user add NAME --role admin`` on the command line,
or :func:`ensure_first_admin` when the app starts on a database without users (it
creates ``admin`` with a random password that the caller prints once).
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from common.clock import now as clock_now
from storage.access import ROLE_NAMES, ROLES
from storage.models import ApiToken, User

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
NAME_MAX = 100
UNIT_MAX = 200
MIN_PASSWORD = 8

_hasher = PasswordHasher()
# Verified against when the name is unknown, so a login takes as long either way.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class UserError(ValueError):
    """Bad input for an account (the message is for the user, in Chinese)."""


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands timestamps back without a zone; they were stored in UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise UserError("用户名不能为空")
    if len(name) > NAME_MAX or any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise UserError(f"用户名无效：最长 {NAME_MAX} 个字符，且不能含控制字符")
    return name


def check_role(role: str, unit: str | None) -> tuple[str, str | None]:
    """``(role, unit)`` validated: a unit editor needs a unit; the others have none."""
    if role not in ROLES:
        names = "、".join(f"{r}（{ROLE_NAMES[r]}）" for r in ROLES)
        raise UserError(f"角色“{role}”无效，可用：{names}")
    unit = (unit or "").strip() or None
    if role == "unit" and unit is None:
        raise UserError("单位编辑（--role unit）必须用 --unit 指定所属单位")
    if role != "unit" and unit is not None:
        raise UserError(f"{ROLE_NAMES[role]}可查看所有单位，不能指定 --unit")
    if unit is not None and (len(unit) > UNIT_MAX or any(ord(c) < 32 for c in unit)):
        raise UserError(f"单位名称无效：最长 {UNIT_MAX} 个字符，且不能含控制字符")
    return role, unit


def check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise UserError(f"密码至少 {MIN_PASSWORD} 个字符")
    return password


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def add_user(
    session: Session, name: str, role: str, unit: str | None = None, *, password: str
) -> User:
    """A new account; :class:`UserError` for a taken name, a bad role/unit or a short
    password."""
    name = _clean_name(name)
    role, unit = check_role(role, unit)
    check_password(password)
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise UserError(f"用户“{name}”已存在")
    user = User(
        name=name,
        role=role,
        unit=unit,
        password_hash=hash_password(password),
        failed_logins=0,
        created_at=clock_now(),
        active=True,
    )
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, name: str) -> User | None:
    return session.scalar(select(User).where(User.name == (name or "").strip()))


def _require(session: Session, name: str) -> User:
    user = get_user(session, name)
    if user is None:
        raise UserError(f"没有用户“{name}”")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


def set_password(session: Session, name: str, password: str) -> None:
    user = _require(session, name)
    user.password_hash = hash_password(check_password(password))
    user.failed_logins, user.locked_until = 0, None


def is_locked(user: User, now: datetime) -> bool:
    until = _aware(user.locked_until)
    return until is not None and _aware(now) < until


def authenticate(session: Session, name: str, password: str, *, now: datetime) -> User | None:
    """The user whose name and password these are, else None. A wrong password counts;
    the fifth in a row locks the account for :data:`LOCKOUT`. A locked or inactive
    account fails whatever the password."""
    user = get_user(session, name) if name else None
    if user is None or not user.active:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password or "")
        return None
    if is_locked(user, now):
        return None
    try:
        _hasher.verify(user.password_hash, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = _aware(now) + LOCKOUT
            user.failed_logins = 0
        session.flush()
        return None
    user.failed_logins, user.locked_until = 0, None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.flush()
    return user


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token(session: Session, name: str, label: str = "") -> str:
    """A new bearer token for ``name``: returned once, stored only as its hash."""
    user = _require(session, name)
    token = secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            user_id=user.id,
            token_hash=token_hash(token),
            label=(label or "")[:200],
            created_at=clock_now(),
        )
    )
    session.flush()
    return token


def user_for_token(session: Session, token: str | None) -> User | None:
    """The active user of a valid, unrevoked token (its last use is noted), else None."""
    if not token or len(token) > 200:
        return None
    row = session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == token_hash(token), ApiToken.revoked_at.is_(None)
        )
    )
    if row is None or not row.user.active:
        return None
    row.last_used_at = clock_now()
    session.flush()
    return row.user


def revoke_tokens(session: Session, name: str) -> int:
    """Revoke every token of ``name``; how many were still valid."""
    user = _require(session, name)
    result = session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=clock_now())
    )
    return result.rowcount or 0


def ensure_first_admin(
    session: Session, name: str = "admin", password: str | None = None
) -> str | None:
    """On a database without any user, create the administrator ``name`` and return its
    password (``password``, or a random one to print once); None when users exist."""
    if session.scalar(select(func.count(User.id))):
        return None
    password = password or secrets.token_urlsafe(12)
    add_user(session, name, "admin", password=password)
    return password
