"""People's decisions on findings: confirm, dismiss, mark fixed, reopen, reassign, comment.

Every action is one :class:`~storage.models.FindingEvent` (who, when, what, why), shown
in the finding's :func:`history` next to what the scans did. What each action does:

=========  ===========================  =============================================
action     allowed from                 effect
=========  ===========================  =============================================
confirm    open, false_positive         ``confirmed`` (stays while scans see it)
dismiss    open, confirmed, fixed       ``false_positive``; a reason is required; later
                                        scans leave it dismissed (storage.lifecycle)
fixed      open, confirmed              ``fixed``; a later scan that sees it reopens it
reopen     fixed, false_positive        ``open``
reassign   any status                   the unit responsible (``assigned_unit``), which
                                        scans never overwrite; admins and operators only
comment    any status                   a note in the history; the text is the reason
=========  ===========================  =============================================

A reassignment names any unit (a non-empty name without control characters): units are
the site's own names and only operators and admins, who see every unit, may reassign;
the app offers :func:`known_units` to pick from. A unit editor cannot reassign (the
finding would leave their view) and can only act on their unit's findings: another
unit's finding is :class:`NotFound`, exactly like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.clock import now as clock_now
from common.vocabulary import STATUS_NAMES
from storage.access import Access, scoped
from storage.models import Finding, FindingEvent

ACTIONS: tuple[str, ...] = ("confirm", "dismiss", "fixed", "reopen", "reassign", "comment")
ACTION_NAMES = {
    "confirm": "确认",
    "dismiss": "标记误报",
    "fixed": "标记已整改",
    "reopen": "重新打开",
    "reassign": "改派",
    "comment": "评论",
    "scan": "扫描",
}
# action → (statuses it may start from, status it sets); None keeps the status.
_TRANSITIONS: dict[str, tuple[tuple[str, ...] | None, str | None]] = {
    "confirm": (("open", "false_positive"), "confirmed"),
    "dismiss": (("open", "confirmed", "fixed"), "false_positive"),
    "fixed": (("open", "confirmed"), "fixed"),
    "reopen": (("fixed", "false_positive"), "open"),
    "reassign": (None, None),
    "comment": (None, None),
}
REASON_MAX = 2000
UNIT_MAX = 200
BULK_MAX = 1000


class ReviewError(Exception):
    """An action that cannot be done (the message is for the user, in Chinese)."""


class Forbidden(ReviewError):
    """An action this reader's role may not do (the web app answers 403)."""


class NotFound(ReviewError):
    """No such finding for this reader (absent, or another unit's: the app answers 404)."""


def _text(value: str | None, what: str, limit: int) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if len(value) > limit:
        raise ReviewError(f"{what}过长（最多 {limit} 个字符）")
    return value


def get_finding(session: Session, finding_id: int, access: Access) -> Finding:
    """The finding ``finding_id`` if this reader may see it, else :class:`NotFound`."""
    try:
        key = int(finding_id)
    except (TypeError, ValueError):
        raise NotFound("没有找到这条问题") from None
    finding = session.scalar(scoped(select(Finding).where(Finding.id == key), access))
    if finding is None:
        raise NotFound("没有找到这条问题")
    return finding


def apply_review(
    session: Session,
    finding_id: int,
    *,
    actor: str,
    access: Access,
    action: str,
    reason: str | None = None,
    unit: str | None = None,
    scan_id: int | None = None,
) -> Finding:
    """Do ``action`` on a finding as ``actor`` and record it; :class:`ReviewError` on bad
    input (its subclasses :class:`Forbidden`, :class:`NotFound`). Flushes, does not commit."""
    if action not in _TRANSITIONS:
        names = "、".join(f"{a}（{ACTION_NAMES[a]}）" for a in ACTIONS)
        raise ReviewError(f"未知操作“{action}”，可用：{names}")
    finding = get_finding(session, finding_id, access)
    reason = _text(reason, "原因", REASON_MAX)
    sources, target = _TRANSITIONS[action]
    before = finding.status
    note = reason
    if action == "dismiss" and reason is None:
        raise ReviewError("标记误报须填写原因")
    if action == "comment" and reason is None:
        raise ReviewError("评论内容不能为空")
    if action == "reassign":
        if not access.all_units:
            raise Forbidden("单位编辑不能改派问题，请联系运维人员")
        new_unit = _text(unit, "单位名称", UNIT_MAX)
        if new_unit is None or any(ord(c) < 32 or ord(c) == 127 for c in new_unit):
            raise ReviewError("改派须指定有效的单位名称")
        old_unit = finding.effective_unit
        if new_unit == old_unit:
            raise ReviewError(f"该问题已由“{old_unit}”负责")
        finding.assigned_unit = None if new_unit == finding.unit else new_unit
        note = f"改派：{old_unit} → {new_unit}" + (f"（{reason}）" if reason else "")
    if sources is not None and before not in sources:
        raise ReviewError(
            f"当前状态为“{STATUS_NAMES.get(before, before)}”，不能{ACTION_NAMES[action]}"
        )
    moment = clock_now()
    after = target or before
    if target is not None:
        finding.status = target
        finding.reviewed_by, finding.review_note = actor, reason
        if target == "fixed":
            finding.fixed_at = moment
        elif before == "fixed":
            finding.fixed_at = None
    session.add(
        FindingEvent(
            finding=finding,
            scan_id=scan_id,
            at=moment,
            from_status=before,
            to_status=after,
            actor=actor,
            action=action,
            note=note,
        )
    )
    session.flush()
    return finding


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)  # finding id → why (Chinese)


def bulk_review(
    session: Session,
    ids: Iterable[int],
    *,
    actor: str,
    access: Access,
    action: str,
    reason: str | None = None,
    unit: str | None = None,
) -> BulkResult:
    """The same action on many findings: each one that can be done is, each other one
    says why not (another unit's finding is "not found", like a missing one)."""
    unique = list(dict.fromkeys(ids))
    if len(unique) > BULK_MAX:
        raise ReviewError(f"一次最多批量处理 {BULK_MAX} 条问题")
    if action not in _TRANSITIONS:
        raise ReviewError(f"未知操作“{action}”")
    result = BulkResult()
    for finding_id in unique:
        try:
            apply_review(
                session,
                finding_id,
                actor=actor,
                access=access,
                action=action,
                reason=reason,
                unit=unit,
            )
        except Forbidden:
            raise
        except ReviewError as error:
            result.failed[finding_id] = str(error)
        else:
            result.done.append(finding_id)
    return result


def history(session: Session, finding_id: int) -> list[dict[str, Any]]:
    """Everything that happened to a finding, in the order it was recorded: scans and
    people. Not by timestamp: the scheduler's and the web app's hosts may disagree on the
    time, and a clock pinned to a day (``GOVWATCH_TODAY``: demos, tests) keeps the real
    time of day, so a moment stamped later may read earlier."""
    events = session.scalars(
        select(FindingEvent)
        .where(FindingEvent.finding_id == finding_id)
        .order_by(FindingEvent.id)
    )
    return [
        {
            "at": e.at,
            "actor": e.actor,
            "action": e.action or ("scan" if e.actor == "scan" else None),
            "reason": e.note,
            "scan_id": e.scan_id,
            "from_status": e.from_status,
            "to_status": e.to_status,
        }
        for e in events
    ]


def known_units(session: Session, site: str | None = None) -> list[str]:
    """The units findings name or were reassigned to (of ``site`` when given)."""
    named = select(Finding.unit).distinct()
    assigned = select(Finding.assigned_unit).where(Finding.assigned_unit.is_not(None)).distinct()
    if site:
        named, assigned = named.where(Finding.site_id == site), assigned.where(
            Finding.site_id == site
        )
    units = set(session.scalars(named)) | set(session.scalars(assigned))
    return sorted(u for u in units if u)
