"""The review pages: overview, findings list (with bulk actions and export), one finding
(evidence, history, actions, re-check) and a unit's page.

Every query is scoped by the reader's ``Access`` (``storage.access.scoped``): another
unit's finding is absent from lists, counts and exports, and its page is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from math import ceil
from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from common.clock import today
from common.vocabulary import SEVERITIES, STATUSES, UNRESOLVED
from detectors.registry import all_detectors
from govwatch.allow_list import AllowListError, add_allowed_term
from govwatch.recheck import recheck
from govwatch.web.auth import WebUser, current_user
from govwatch.web.evidence import evidence_items, highlighted_term
from govwatch.web.export import export_response
from govwatch.web.overview import overview_data
from govwatch.web.security import verify_csrf
from govwatch.web.views import render, text_fragment_url
from reports.findings_export import finding_record
from storage.finding_list import FindingQuery, QueryError, all_findings, list_findings
from storage.models import Finding, Scan, Site
from storage.reviews import (
    ACTION_NAMES,
    BULK_MAX,
    Forbidden,
    NotFound,
    ReviewError,
    apply_review,
    bulk_review,
    get_finding,
    history,
)

router = APIRouter(dependencies=[Depends(verify_csrf)])
User = Annotated[WebUser, Depends(current_user)]

PER_PAGE = 50
UNIT_PAGE_ROWS = 100
SORTS = [
    ("last_seen", "最近发现"),
    ("first_seen", "首次发现"),
    ("severity", "级别"),
    ("unit", "责任单位"),
    ("detector", "类型"),
]
# The status filter for "still to rectify": open and confirmed (what notices list).
UNRESOLVED_FILTER = "unresolved"
# What the bulk form and the API offer (re-check is one finding at a time).
BULK_ACTIONS = ["confirm", "dismiss", "fixed", "reopen", "reassign", "comment"]


@dataclass
class Row:
    """One finding as a list shows it (the unit responsible, overdue as of today)."""

    id: int
    severity: str
    detector: str
    unit: str
    status: str
    message: str
    deadline: date | None
    overdue: bool
    last_seen: Any


def row_of(finding: Finding, day: date) -> Row:
    overdue = (
        finding.status in UNRESOLVED and finding.deadline is not None and finding.deadline < day
    )
    return Row(
        finding.id,
        finding.severity,
        finding.detector,
        finding.effective_unit,
        finding.status,
        finding.message,
        finding.deadline,
        overdue,
        finding.last_seen,
    )


def flash(request: Request, kind: str, message: str) -> None:
    request.session.setdefault("flash", []).append([kind, message])


def take_flashes(request: Request) -> list[list[str]]:
    return request.session.pop("flash", [])


def local_path(target: str | None, default: str) -> str:
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    return target


def db(request: Request):
    return request.app.state.db.session()


def site_config(request: Request, site_id: str) -> Any | None:
    """The loaded config of a site (``govwatch serve --config``), if given."""
    return request.app.state.configs.get(site_id)


def unit_names(request: Request, session: Session, user: WebUser, site: str | None = None):
    """The units a reader may pick (filters, the unit page) and, for operators and admins,
    reassign to: those findings are the responsibility of (one pass over the index of the
    unit responsible) and, for operators and admins, the configs' units."""
    if not user.access.all_units:
        return [user.unit] if user.unit else []
    query = select(Finding.effective_unit).distinct()
    if site:
        query = query.where(Finding.site_id == site)
    names = {name for name in session.scalars(query) if name}
    for item in request.app.state.configs.values():
        if site is None or item.config.site.id == site:
            names.update(u.name for u in item.config.units)
    return sorted(names)


# -- the findings list ------------------------------------------------------------------


FILTER_KEYS = (
    "site",
    "scan",
    "unit",
    "detector",
    "severity",
    "status",
    "overdue",
    "q",
    "sort",
    "asc",
)


def list_params(request: Request, query_string: str | None = None) -> dict[str, str]:
    """The list's filters as given (text), for the form and the links that keep them:
    from the request's URL, or from ``query_string`` (the list a bulk form was on)."""
    if query_string is None:
        source = request.query_params
        return {k: source.get(k, "").strip() for k in FILTER_KEYS}
    given = parse_qs(query_string)
    return {k: (given.get(k) or [""])[0].strip() for k in FILTER_KEYS}


def finding_query(params: dict[str, str], page: int, per_page: int) -> FindingQuery:
    """A :class:`FindingQuery` from the list's text filters; :class:`QueryError` names a
    bad one."""
    scan: int | str | None = params.get("scan") or None
    if scan not in (None, "latest"):
        try:
            scan = int(str(scan))
        except ValueError:
            raise QueryError("扫描编号须为整数或 latest") from None
    status: str | tuple[str, ...] | None = params.get("status") or None
    if status == UNRESOLVED_FILTER:
        status = UNRESOLVED
    return FindingQuery(
        site=params.get("site") or None,
        scan=scan,  # type: ignore[arg-type]
        unit=params.get("unit") or None,
        detector=params.get("detector") or None,
        severity=params.get("severity") or None,
        status=status,
        overdue=bool(params.get("overdue")),
        q=params.get("q") or None,
        sort=params.get("sort") or "last_seen",
        desc=not params.get("asc"),
        page=page,
        per_page=per_page,
    )


def page_number(request: Request) -> int:
    try:
        return max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        return 1


def list_options(request: Request, session: Session, user: WebUser) -> dict[str, Any]:
    units = unit_names(request, session, user)
    return {
        "sites": list(session.scalars(select(Site.id).order_by(Site.id))),
        "scans": list(session.scalars(select(Scan.id).order_by(Scan.id.desc()).limit(30))),
        "units": units,
        "all_units": units if user.access.all_units else [],
        "detectors": [(cls.id, cls.title) for cls in all_detectors()],
        "severities": SEVERITIES,
        "statuses": STATUSES,
        "sorts": SORTS,
    }


@router.get("/findings")
def findings_page(request: Request, user: User) -> Response:
    params = list_params(request)
    page = page_number(request)
    kept = {k: v for k, v in params.items() if v}
    with db(request) as session:
        try:
            rows, total = list_findings(session, finding_query(params, page, PER_PAGE), user.access)
            error = None
        except QueryError as problem:
            rows, total, error = [], 0, str(problem)
        options = list_options(request, session, user)
        day = today()
        findings = [row_of(f, day) for f in rows]
    offered = [a for a in BULK_ACTIONS if a != "reassign" or options["all_units"]]
    actions = [(a, ACTION_NAMES[a]) for a in offered]
    flashes = take_flashes(request)
    if error:
        flashes.append(["error", error])
    return render(
        request,
        "findings.html",
        status_code=400 if error else 200,
        findings=findings,
        total=total,
        page=page,
        pages=max(1, ceil(total / PER_PAGE)),
        params=params,
        options=options,
        actions=actions,
        query_string=urlencode(kept),
        page_query=lambda n: urlencode({**kept, "page": n}),
        flashes=flashes,
    )


@router.get("/findings/export.{fmt}")
def export(request: Request, user: User, fmt: str) -> Response:
    if fmt not in ("xlsx", "csv"):
        raise HTTPException(404)
    params = list_params(request)
    with db(request) as session:
        try:
            query = finding_query(params, 1, 1)
        except QueryError as problem:
            raise HTTPException(400, str(problem)) from None
        return export_response(session, query, user.access, fmt)


@router.post("/findings/bulk")
def bulk(
    request: Request,
    user: User,
    action: Annotated[str, Form()],
    ids: Annotated[list[int], Form()] = [],  # noqa: B006  (FastAPI reads the default)
    reason: Annotated[str, Form()] = "",
    unit: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "",
    scope: Annotated[str, Form()] = "selected",
) -> Response:
    """The same action on the checked findings, or (``scope=all``) on every finding of the
    filtered list the form was on (at most ``BULK_MAX``)."""
    target = local_path(back, "/findings")
    if scope != "all" and not ids:
        flash(request, "error", "请先勾选要处理的问题")
        return RedirectResponse(target, status_code=303)
    try:
        with db(request) as session:
            if scope == "all":
                params = list_params(request, urlsplit(target).query)
                try:
                    query = finding_query(params, 1, 1)
                except QueryError as problem:
                    raise ReviewError(str(problem)) from None
                ids = [f.id for f in all_findings(session, query, user.access)]
                if len(ids) > BULK_MAX:
                    raise ReviewError(f"筛选结果有 {len(ids)} 条，一次最多批量处理 {BULK_MAX} 条")
            result = bulk_review(
                session,
                ids,
                actor=user.name,
                access=user.access,
                action=action,
                reason=reason,
                unit=unit or None,
            )
    except Forbidden as problem:
        raise HTTPException(403, str(problem)) from None
    except ReviewError as problem:
        flash(request, "error", str(problem))
        return RedirectResponse(target, status_code=303)
    name = ACTION_NAMES.get(action, action)
    if result.done:
        flash(request, "ok", f"已{name} {len(result.done)} 条问题")
    if result.failed:
        reasons = "；".join(f"{i}：{why}" for i, why in list(result.failed.items())[:10])
        flash(request, "error", f"{len(result.failed)} 条未处理（{reasons}）")
    return RedirectResponse(target, status_code=303)


# -- one finding ------------------------------------------------------------------------


def load_finding(session: Session, finding_id: int, user: WebUser) -> Finding:
    try:
        return get_finding(session, finding_id, user.access)
    except NotFound:
        raise HTTPException(404) from None


@router.get("/findings/{finding_id}")
def finding_page(request: Request, user: User, finding_id: int) -> Response:
    with db(request) as session:
        finding = load_finding(session, finding_id, user)
        record = finding_record(finding)
        term = highlighted_term(record)
        day = today()
        return render(
            request,
            "finding.html",
            f=finding,
            unit=finding.effective_unit,
            reassigned_from=finding.unit if finding.assigned_unit else None,
            deadline=finding.deadline,
            overdue=row_of(finding, day).overdue,
            evidence=evidence_items(record, finding.evidence),
            live_url=text_fragment_url(finding.page_url, term),
            allow_term=term if site_config(request, finding.site_id) is not None else None,
            units=unit_names(request, session, user, finding.site_id)
            if user.access.all_units
            else [],
            history=history(session, finding.id),
            action_names=ACTION_NAMES,
            flashes=take_flashes(request),
        )


@router.post("/findings/{finding_id}/review")
def review(
    request: Request,
    user: User,
    finding_id: int,
    action: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
    unit: Annotated[str, Form()] = "",
    allow_term: Annotated[str, Form()] = "",
) -> Response:
    target = f"/findings/{finding_id}"
    try:
        with db(request) as session:
            finding = load_finding(session, finding_id, user)
            apply_review(
                session,
                finding.id,
                actor=user.name,
                access=user.access,
                action=action,
                reason=reason,
                unit=unit or None,
            )
            term = highlighted_term(finding_record(finding)) if allow_term else None
            site_id = finding.site_id
    except Forbidden as problem:
        raise HTTPException(403, str(problem)) from None
    except ReviewError as problem:
        flash(request, "error", str(problem))
        return RedirectResponse(target, status_code=303)
    flash(request, "ok", f"已{ACTION_NAMES.get(action, action)}")
    if action == "dismiss" and term:
        add_to_allow_list(request, site_id, term)
    return RedirectResponse(target, status_code=303)


def add_to_allow_list(request: Request, site_id: str, term: str) -> None:
    config = site_config(request, site_id)
    if config is None:
        flash(request, "error", "未加载该站点的配置文件，无法写入允许词表")
        return
    try:
        path = add_allowed_term(config, term)
    except AllowListError as problem:
        flash(request, "error", str(problem))
        return
    flash(request, "ok", f"已将“{term}”加入本站允许词表（{path}），下次扫描起不再报告")


@router.post("/findings/{finding_id}/recheck")
def recheck_now(request: Request, user: User, finding_id: int) -> Response:
    """Mark fixed and re-check now: the page (or the link) is fetched again under the
    scan's fetch policy and the finding updated at once (``govwatch.recheck``)."""
    target = f"/findings/{finding_id}"
    try:
        with db(request) as session:
            finding = load_finding(session, finding_id, user)
            config = site_config(request, finding.site_id)
            if config is None:
                flash(request, "error", "未加载该站点的配置文件（serve --config），无法复查")
                return RedirectResponse(target, status_code=303)
            outcome = recheck(session, finding, config, actor=user.name, access=user.access)
    except ReviewError as problem:
        flash(request, "error", str(problem))
        return RedirectResponse(target, status_code=303)
    flash(request, "ok" if outcome.fixed else "error", outcome.message)
    return RedirectResponse(target, status_code=303)


# -- overview and units -----------------------------------------------------------------


@router.get("/")
def overview(request: Request, user: User) -> Response:
    with db(request) as session:
        data = overview_data(
            session, request.app.state.configs, user.access, request.app.state.overview_cache
        )
    return render(request, "overview.html", **data, flashes=take_flashes(request))


@router.get("/unit")
def unit_page(request: Request, user: User, name: str = "") -> Response:
    with db(request) as session:
        if user.access.all_units:
            units = unit_names(request, session, user)
            unit = name if name in units else (units[0] if units else "")
        else:
            units, unit = [], user.unit or ""
        day = today()

        def rows(**filters: Any) -> tuple[list[Row], int]:
            query = FindingQuery(unit=unit, per_page=UNIT_PAGE_ROWS, **filters)
            found, total = list_findings(session, query, user.access)
            return [row_of(f, day) for f in found], total

        open_rows, open_total = rows(status=UNRESOLVED, sort="severity")
        overdue, overdue_total = rows(overdue=True, sort="severity")
        fixed, fixed_total = rows(status="fixed")
    return render(
        request,
        "unit.html",
        unit=unit,
        units=units,
        open=open_rows,
        open_total=open_total,
        overdue=overdue,
        overdue_total=overdue_total,
        fixed=fixed,
        fixed_total=fixed_total,
        flashes=take_flashes(request),
    )
