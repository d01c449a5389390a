"""Who may see which findings: the one place a query is restricted by the reader's role.

A unit editor sees the findings of their unit only — the unit responsible, i.e. the
reassigned unit when there is one (``Finding.effective_unit``). Every query of the
review app that reads findings (lists, counts, trend, exports, the API, one finding by
id) goes through :func:`scoped`, so another unit's findings are absent everywhere, not
hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, false

from storage.models import Finding

ROLES: tuple[str, ...] = ("admin", "operator", "unit")
ROLE_NAMES = {"admin": "管理员", "operator": "运维人员", "unit": "单位编辑"}

S = TypeVar("S", bound=Select[Any])


@dataclass(frozen=True)
class Access:
    """What a reader may see: ``role`` (admin | operator | unit) and, for a unit editor,
    ``unit``. ``name`` is who acts (recorded in the history)."""

    role: str
    unit: str | None = None
    name: str = ""

    @classmethod
    def admin(cls, name: str = "admin") -> Access:
        return cls(role="admin", name=name)

    @classmethod
    def of(cls, user: Any) -> Access:
        """The access of a :class:`storage.models.User`."""
        return cls(role=user.role, unit=user.unit, name=user.name)

    @property
    def all_units(self) -> bool:
        return self.role in ("admin", "operator")

    @property
    def manages_users(self) -> bool:
        return self.role == "admin"

    def sees(self, finding: Finding) -> bool:
        """Whether ``finding`` (already loaded) is one this reader may see."""
        if self.all_units:
            return True
        return self.role == "unit" and bool(self.unit) and finding.effective_unit == self.unit


def scoped(statement: S, access: Access) -> S:
    """``statement`` (a select over ``findings``) restricted to what ``access`` may see.
    An unknown role, or a unit editor without a unit, sees nothing."""
    if access.all_units:
        return statement
    if access.role == "unit" and access.unit:
        return statement.where(Finding.effective_unit == access.unit)
    return statement.where(false())
