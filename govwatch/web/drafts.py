"""The pre-publication check in the review app: ``POST /api/check`` for a CMS, and the
page 发布前检查 for editors (every logged-in role).

Both read the draft with :mod:`govwatch.drafts` and store nothing. A draft is checked
with the word lists, allow list and settings of its site (``site``, one of the configs
the app serves; the only one when there is one; else the bundled lists). Links are not
checked unless asked (``"links": true``): a CMS calls this on every save. A body larger
than the draft limit is refused from its ``Content-Length``, before it is read.

The page renders the draft itself, each located problem marked in place with its
suggestion beside it (no script needed); ``static/check.js`` (a file: the CSP allows no
inline script) lets the editor accept a suggestion into the corrected copy below it.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import UploadFile

from common.clock import today
from govwatch.drafts import MAX_DRAFT_BYTES, CheckResult, DraftError, check_draft, read_draft
from govwatch.drafts.reading import too_large
from govwatch.web.auth import WebUser, api_user, current_user
from govwatch.web.security import verify_csrf
from govwatch.web.views import render

MAX_BODY = MAX_DRAFT_BYTES + 1024 * 1024  # the draft, and the form or JSON around it
READ_BUDGET_S = 5.0  # of reading one file in a request (the command line allows the scan's)


def refuse_oversized(request: Request) -> None:
    """413 for a body declared larger than a draft may be (before it is read)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise HTTPException(413, str(too_large(int(declared))))


api = APIRouter(prefix="/api", dependencies=[Depends(refuse_oversized)])
page = APIRouter(dependencies=[Depends(refuse_oversized), Depends(verify_csrf)])


def _config(request: Request, site: str | None) -> Any:
    configs = request.app.state.configs
    if site:
        if site not in configs:
            known = "、".join(sorted(configs)) or "无"
            raise HTTPException(400, f"没有这个站点：{site}（可用：{known}）")
        return configs[site].config
    if len(configs) > 1:
        known = "、".join(sorted(configs))
        raise HTTPException(400, f"请用 site 指明按哪个站点的词表检查（可用：{known}）")
    return next(iter(configs.values())).config if configs else None


def _as_of(value: Any) -> date | None:
    if value in (None, ""):
        return None
    try:
        found = date.fromisoformat(str(value))
    except ValueError:
        raise HTTPException(400, f"as_of 应为日期 YYYY-MM-DD，现为“{value}”") from None
    if found > today():
        raise HTTPException(400, f"as_of 不能晚于今天（{today().isoformat()}）")
    return found


async def _body(request: Request) -> bytes:
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise HTTPException(413, str(too_large(len(body))))
    return bytes(body)


async def _upload(upload: UploadFile) -> bytes:
    data = await upload.read(MAX_DRAFT_BYTES + 1)
    if len(data) > MAX_DRAFT_BYTES:
        raise HTTPException(413, str(too_large(upload.size or len(data))))
    return data


def _text_field(form: Any, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _run(
    request: Request,
    config_site: str | None,
    data: bytes,
    name: str,
    kind: str | None,
    title: str,
    as_of: date | None,
    links: bool,
) -> CheckResult:
    config = _config(request, config_site)
    try:
        draft = read_draft(data, name, kind, title=title, budget_s=READ_BUDGET_S)
        return check_draft(draft, config, as_of, links=links)
    except DraftError as error:
        status = 413 if str(error).startswith("草稿过大") else 422
        raise HTTPException(status, str(error)) from None


@api.post("/check")
async def api_check(request: Request, caller: Annotated[WebUser, Depends(api_user)]) -> Response:
    """``{"html"|"text": …, "title": …, "site": …}`` (optional ``as_of``, ``links``) or a
    multipart ``file`` (with the same fields) → ``{"findings": […], "checked": {…}}``."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form(max_part_size=MAX_BODY)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise HTTPException(400, "请在 file 字段上传草稿文件")
        data = await _upload(upload)
        fields = {k: _text_field(form, k) for k in ("title", "site", "as_of", "links")}
        name, kind = upload.filename or "草稿", None
    else:
        try:
            fields = json.loads(await _body(request))
        except (ValueError, UnicodeDecodeError):
            raise HTTPException(400, '请求体应为 JSON：{"html" 或 "text": …}') from None
        if not isinstance(fields, dict):
            raise HTTPException(400, "请求体应为 JSON 对象")
        kinds = [k for k in ("html", "text") if isinstance(fields.get(k), str)]
        if len(kinds) != 1:
            raise HTTPException(400, "请在 html 或 text 字段中提供草稿（二者取一）")
        kind = kinds[0]
        data, name = fields[kind].encode("utf-8", "surrogatepass"), "草稿"
    title = fields.get("title") if isinstance(fields.get("title"), str) else ""
    site = fields.get("site") if isinstance(fields.get("site"), str) else None
    links = fields.get("links") in (True, "1", "true", "on")
    as_of = _as_of(fields.get("as_of"))
    result = await _in_thread(_run, request, site, data, name, kind, title, as_of, links)
    return JSONResponse({"findings": result.findings, "checked": result.checked})


async def _in_thread(function: Any, *args: Any) -> Any:
    """The check is CPU work (and link checks wait on the network): off the event loop."""
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(function, *args)


@page.get("/check")
def check_page(request: Request, user: Annotated[WebUser, Depends(current_user)]) -> Response:
    return render(request, "check.html", **_page_context(request))


@page.post("/check")
async def check_submit(
    request: Request, user: Annotated[WebUser, Depends(current_user)]
) -> Response:
    form = await request.form()
    site = _text_field(form, "site") or None
    title = _text_field(form, "title")
    pasted = _text_field(form, "draft")
    upload = form.get("file")
    context = _page_context(request, site=site or "", title=title, pasted=pasted)
    try:
        if isinstance(upload, UploadFile) and upload.filename:
            data, name, kind = await _upload(upload), upload.filename, None
        elif pasted.strip():
            data, name = pasted.encode("utf-8", "surrogatepass"), "粘贴的文字"
            kind = "html" if _text_field(form, "kind") == "html" else "text"
        else:
            raise HTTPException(400, "请粘贴草稿文字或选择文件")
        result = await _in_thread(_run, request, site, data, name, kind, title, None, False)
    except HTTPException as error:
        context["error"] = error.detail
        return render(request, "check.html", status_code=error.status_code, **context)
    context.update(result=result, blocks=marked_blocks(result))
    return render(request, "check.html", **context)


def _page_context(request: Request, **values: Any) -> dict[str, Any]:
    return {
        "sites": sorted(request.app.state.configs),
        "site": "",
        "title": "",
        "pasted": "",
        "result": None,
        "blocks": [],
        "error": None,
        "max_mb": MAX_DRAFT_BYTES // (1024 * 1024),
        **values,
    }


def marked_blocks(result: CheckResult) -> list[dict[str, Any]]:
    """Each block of the draft as pieces of text, the located problems marked: a piece is
    ``{"text", "finding"}`` (``finding``: its index in ``result.findings``, or None).
    Overlapping places keep the first."""
    places: dict[int, list[tuple[int, int, int]]] = {}
    for index, finding in enumerate(result.findings):
        for place in finding["places"]:
            places.setdefault(place["block"], []).append((place["start"], place["end"], index))
    blocks = []
    for number, block in enumerate(result.draft.blocks):
        pieces = []
        pos = 0
        for start, end, index in sorted(places.get(number, [])):
            if start < pos:
                continue
            if start > pos:
                pieces.append({"text": block.text[pos:start], "finding": None})
            pieces.append({"text": block.text[start:end], "finding": index})
            pos = end
        if pos < len(block.text) or not pieces:
            pieces.append({"text": block.text[pos:], "finding": None})
        blocks.append({"location": block.location, "pieces": pieces})
    return blocks
