"""Who is asking: the session user of the pages (:func:`current_user`), the bearer-token
user of the API (:func:`api_user`), and the login and logout routes.

Both dependencies return a :class:`WebUser` (``name``, ``role``, ``unit`` and the
``access`` every query is scoped by), read from the database on each request: a user
made inactive is out at their next click.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from common.clock import now
from govwatch.web.security import verify_csrf
from govwatch.web.views import render
from storage.access import Access
from storage.models import User
from storage.users import authenticate, user_for_token

SESSION_USER = "user"


@dataclass(frozen=True)
class WebUser:
    name: str
    role: str  # admin | operator | unit
    unit: str | None
    access: Access

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @classmethod
    def of(cls, user) -> WebUser:
        return cls(user.name, user.role, user.unit, Access.of(user))


class LoginRequired(Exception):
    """A page asked for without a session: the app redirects to the login page."""


def _load(request: Request, name: str) -> WebUser | None:
    with request.app.state.db.session() as session:
        user = session.scalar(select(User).where(User.name == name))
        if user is None or not user.active:
            return None
        return WebUser.of(user)


def current_user(request: Request) -> WebUser:
    """The logged-in user of a page (cookie session); else :class:`LoginRequired`."""
    name = request.session.get(SESSION_USER)
    user = _load(request, name) if isinstance(name, str) else None
    if user is None:
        request.session.pop(SESSION_USER, None)
        raise LoginRequired
    request.state.user = user
    return user


def admin_user(user: Annotated[WebUser, Depends(current_user)]) -> WebUser:
    """A page only admins may see: 403 for everyone else."""
    if not user.is_admin:
        raise HTTPException(403, "只有管理员可以访问此页面")
    return user


def api_user(request: Request) -> WebUser:
    """The user of an API call (``Authorization: Bearer TOKEN``); else 401."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    found = None
    if scheme.lower() == "bearer" and token.strip():
        with request.app.state.db.session() as session:
            user = user_for_token(session, token.strip())
            if user is not None and user.active:
                found = WebUser.of(user)
    if found is None:
        raise HTTPException(
            401, "缺少或无效的访问令牌", headers={"WWW-Authenticate": 'Bearer realm="govwatch"'}
        )
    request.state.user = found
    return found


def home_of(user: WebUser) -> str:
    """Where a user lands: a unit's editor on their unit's page, others on the overview."""
    return "/unit" if user.role == "unit" else "/"


def _safe_next(target: str | None) -> str | None:
    """A local path to return to after logging in (never another host)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    return target


router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", next=_safe_next(next) or "", error=None)


@router.post("/login")
def login(
    request: Request,
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    address = request.client.host if request.client else "unknown"
    if not request.app.state.login_limiter.hit(address):
        return render(
            request,
            "login.html",
            status_code=429,
            next=_safe_next(next) or "",
            error="登录尝试过于频繁，请稍后再试",
        )
    with request.app.state.db.session() as session:
        user = authenticate(session, name.strip(), password, now=now())
        found = WebUser.of(user) if user is not None and user.active else None
    if found is None:
        return render(
            request,
            "login.html",
            status_code=401,
            next=_safe_next(next) or "",
            error="用户名或密码错误；连续多次失败后账号将被临时锁定",
        )
    request.session.clear()  # a fresh session (and CSRF token) for the logged-in user
    request.session[SESSION_USER] = found.name
    return RedirectResponse(_safe_next(next) or home_of(found), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
