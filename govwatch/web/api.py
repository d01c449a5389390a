"""The JSON API for scripts and the CMS (contract §2a): bearer tokens, the same access
rules as the pages (another unit's finding is a 404, a missing or bad token a 401),
findings as the contract's §4 objects (``reports.findings_export.finding_record``, as
``govwatch findings --format json`` prints them)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel

from govwatch.web.auth import WebUser, api_user
from govwatch.web.pages import finding_query
from govwatch.web.views import moment_iso
from reports.findings_export import finding_record
from storage.finding_list import QueryError, list_findings
from storage.reviews import Forbidden, NotFound, ReviewError, apply_review, get_finding, history

router = APIRouter(prefix="/api")
Caller = Annotated[WebUser, Depends(api_user)]
FILTERS = ("site", "scan", "unit", "detector", "severity", "status", "overdue", "q", "sort")


class Review(BaseModel):
    action: str
    reason: str | None = None
    unit: str | None = None


def _int(request: Request, name: str, default: int) -> int:
    value = request.query_params.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise HTTPException(400, f"参数 {name} 须为整数") from None


@router.get("/findings")
def findings(request: Request, caller: Caller) -> dict[str, Any]:
    params = {k: request.query_params.get(k, "").strip() for k in FILTERS}
    params["asc"] = "1" if request.query_params.get("order") == "asc" else ""
    page = _int(request, "page", 1)
    per_page = _int(request, "per_page", 50)
    with request.app.state.db.session() as session:
        try:
            query = finding_query(params, page, per_page)
            rows, total = list_findings(session, query, caller.access)
        except QueryError as problem:
            raise HTTPException(400, str(problem)) from None
        return {"findings": [finding_record(f) for f in rows], "total": total}


def _with_history(session, finding) -> dict[str, Any]:
    record = finding_record(finding)
    record["history"] = [
        {
            "at": moment_iso(event["at"]),
            "actor": event["actor"],
            "action": event["action"],
            "reason": event["reason"],
            "scan_id": event["scan_id"],
            "from_status": event["from_status"],
            "to_status": event["to_status"],
        }
        for event in history(session, finding.id)
    ]
    return record


@router.get("/findings/{finding_id}")
def finding(request: Request, caller: Caller, finding_id: int) -> dict[str, Any]:
    with request.app.state.db.session() as session:
        try:
            found = get_finding(session, finding_id, caller.access)
        except NotFound:
            raise HTTPException(404, "没有找到这条问题") from None
        return _with_history(session, found)


@router.post("/findings/{finding_id}/review")
def review(request: Request, caller: Caller, finding_id: int, body: Review) -> dict[str, Any]:
    try:
        with request.app.state.db.session() as session:
            found = apply_review(
                session,
                finding_id,
                actor=caller.name,
                access=caller.access,
                action=body.action,
                reason=body.reason,
                unit=body.unit,
            )
            return _with_history(session, found)
    except NotFound:
        raise HTTPException(404, "没有找到这条问题") from None
    except Forbidden as problem:
        raise HTTPException(403, str(problem)) from None
    except ReviewError as problem:
        raise HTTPException(400, str(problem)) from None
