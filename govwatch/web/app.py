"""The app factory of ``govwatch serve``.

Routers come from one list, :data:`ROUTERS`, and the navigation from :data:`NAV`: a new
part of the app (the pre-publication check) is one line in each.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from govwatch.web import admin, api, auth, drafts, pages
from govwatch.web.auth import LoginRequired
from govwatch.web.security import LoginLimiter, SecurityHeaders, load_secret
from govwatch.web.views import STATIC, render
from storage.db import open_database

ROUTERS = [auth.router, pages.router, admin.router, api.router, drafts.api, drafts.page]

# (path, label, who sees it: "all" or "admin")
NAV: list[tuple[str, str, str]] = [
    ("/", "总览", "all"),
    ("/findings", "问题列表", "all"),
    ("/unit", "单位整改", "all"),
    ("/check", "发布前检查", "all"),
    ("/admin/users", "用户管理", "admin"),
]

SESSION_COOKIE = "govwatch_session"
SESSION_HOURS = 12


def create_app(
    db_url: str,
    *,
    configs: Iterable[Any] = (),
    secret_key: str | None = None,
    login_per_minute: int = 10,
    secure_cookies: bool = False,
) -> FastAPI:
    """The review app on the database at ``db_url``. ``configs``: loaded site configs
    (``govwatch.config.LoadedConfig``), for re-checks, allow lists and units by site;
    ``secure_cookies``: the session cookie only over HTTPS (behind a TLS proxy)."""
    db = open_database(db_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        db.dispose()

    app = FastAPI(
        title="govwatch", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.db = db
    app.state.configs = {item.config.site.id: item for item in configs}
    app.state.login_limiter = LoginLimiter(login_per_minute)
    app.state.nav = NAV
    app.state.overview_cache = {}
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key or load_secret(db_url),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_HOURS * 3600,
        same_site="lax",
        https_only=secure_cookies,
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in ROUTERS:
        app.include_router(router)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    return app


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def _login_required(request: Request, exc: Exception) -> Response:
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    if request.method != "GET":
        target = "/"
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if _is_api(request):
        return JSONResponse(
            {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )
    messages = {404: "页面不存在，或您没有权限查看", 405: "不支持该请求方式"}
    detail = exc.detail if isinstance(exc, HTTPException) and exc.status_code != 404 else None
    message = detail or messages.get(exc.status_code, "请求未能完成")
    return render(
        request, "error.html", status_code=exc.status_code, code=exc.status_code, message=message
    )


async def _invalid_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if _is_api(request):
        problems = [
            {"field": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        return JSONResponse({"detail": "请求参数有误", "problems": problems}, status_code=422)
    return render(request, "error.html", status_code=400, code=400, message="请求参数有误")
