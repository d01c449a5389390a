"""The administrators' users page: list accounts, add one, issue and revoke API tokens.
Everyone else gets a 403 here."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from common.clock import now
from govwatch.web.auth import WebUser, admin_user
from govwatch.web.pages import flash, take_flashes, unit_names
from govwatch.web.security import verify_csrf
from govwatch.web.views import render
from storage.access import ROLE_NAMES
from storage.models import ApiToken
from storage.users import UserError, add_user, is_locked, issue_token, list_users, revoke_tokens

router = APIRouter(prefix="/admin", dependencies=[Depends(verify_csrf)])
Admin = Annotated[WebUser, Depends(admin_user)]


@router.get("/users")
def users_page(request: Request, admin: Admin) -> Response:
    return users_response(request)


def users_response(request: Request, new_token: dict[str, str] | None = None) -> Response:
    moment = now()
    with request.app.state.db.session() as session:
        valid = dict(
            session.execute(
                select(ApiToken.user_id, func.count(ApiToken.id))
                .where(ApiToken.revoked_at.is_(None))
                .group_by(ApiToken.user_id)
            ).all()
        )
        users = [
            {
                "name": u.name,
                "role": u.role,
                "unit": u.unit,
                "active": u.active,
                "locked": is_locked(u, moment),
                "tokens": valid.get(u.id, 0),
            }
            for u in list_users(session)
        ]
        units = unit_names(request, session, request.state.user)
    return render(
        request,
        "users.html",
        users=users,
        units=units,
        roles=ROLE_NAMES,
        new_token=new_token,
        flashes=take_flashes(request),
    )


@router.post("/users")
def add(
    request: Request,
    admin: Admin,
    name: Annotated[str, Form()],
    role: Annotated[str, Form()],
    password: Annotated[str, Form()],
    unit: Annotated[str, Form()] = "",
) -> Response:
    try:
        with request.app.state.db.session() as session:
            user = add_user(session, name, role, unit or None, password=password)
            flash(request, "ok", f"已添加用户“{user.name}”")
    except UserError as problem:
        flash(request, "error", str(problem))
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{name}/token")
def token(request: Request, admin: Admin, name: str) -> Response:
    try:
        with request.app.state.db.session() as session:
            value = issue_token(session, name, label=f"由 {admin.name} 在网页上生成")
    except UserError as problem:
        flash(request, "error", str(problem))
        return RedirectResponse("/admin/users", status_code=303)
    # Shown once, in this response only: never in a cookie, a URL or the database.
    return users_response(request, {"name": name, "token": value})


@router.post("/users/{name}/revoke")
def revoke(request: Request, admin: Admin, name: str) -> Response:
    try:
        with request.app.state.db.session() as session:
            count = revoke_tokens(session, name)
        flash(request, "ok", f"已吊销“{name}”的 {count} 个访问令牌")
    except UserError as problem:
        flash(request, "error", str(problem))
    return RedirectResponse("/admin/users", status_code=303)
