"""The detector contract: a detector is one class in one module that declares its meaning.

A detector says what it is (``id``, Chinese ``title``), where it runs (``scope``), the
inspection ``criterion`` it implements and its ``severity_rule``, the ``options`` an
operator may set per site (config ``detectors:``), the ``fields`` its findings carry, and
everything a person sees of its findings: notice-table ``columns``, the spreadsheet
cells ``sheet``, the review page's ``evidence``, the single-veto item ``veto_group`` it
feeds in the weekly report, the deductions of the estimated score it counts towards
(``score_basis``, :mod:`detectors.scoring`), and the ``rank`` of its table in a notice.
Reports and the app iterate the registry (:mod:`detectors.registry`) and never name a
detector.

Scopes:

- ``markup``: a parsed page of the site (``page.root`` is its lxml tree);
- ``text``: what a reader reads — pages, attachments and new-media posts alike
  (``page.text``, ``page.published``; no tree);
- ``site``: after the crawl, on what the scan stored (a subject defined beside the
  detector, implemented by storage).

``check(subject)`` yields :class:`Finding` objects; no network and no database inside.
A ``markup`` or ``text`` detector may also offer ``prepare(pages)``: work done for a
whole batch of pages before ``check`` runs on each (results go to
``page.prepared[id]``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from common.urls import url_key
from common.vocabulary import Severity
from detectors.presentation import MESSAGE, PAGE, Cell, Column, Evidence

Scope = Literal["markup", "text", "site"]
PAGE_SCOPES: tuple[Scope, ...] = ("markup", "text")


@dataclass
class Finding:
    """One problem as a detector sees it (before unit attribution and lifecycle)."""

    detector: str
    page_url: str
    key: str  # what distinguishes this problem on its page (target URL, term, column …)
    severity: Severity
    message: str
    details: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, Any] = field(default_factory=dict)
    unit: str | None = None

    @property
    def page_key(self) -> str:
        return url_key(self.page_url)

    @property
    def fingerprint(self) -> str:
        """Stable across scans for the same detector, page and key."""
        raw = f"{self.detector}\n{self.page_key}\n{self.key}".encode()
        return hashlib.sha256(raw).hexdigest()[:32]


MAX_SPANS = 50


def occurrence_spans(hits: Iterable[Any]) -> list[tuple[int, int]]:
    """Where a finding's occurrences are in the text read (``start``, ``end`` of each hit),
    in text order, at most ``MAX_SPANS``: kept as the finding's ``evidence["spans"]`` so
    that the pre-publication check can point at, and correct, each one."""
    return sorted((hit.start, hit.end) for hit in hits)[:MAX_SPANS]


@dataclass(frozen=True)
class Option:
    """A setting of a detector that a site may override (``detectors: {id: {name: v}}``).

    Its type is the default's (int, float, bool or str); numbers may be bounded."""

    default: int | float | bool | str
    help: str  # Chinese, for operators
    minimum: float | None = None
    maximum: float | None = None


class Detector:
    """Base of every detector: the declarations, with defaults, and the construction."""

    id: ClassVar[str]
    title: ClassVar[str]  # 链接不可用, 错敏词 …: how notices, reports and the app name it
    scope: ClassVar[Scope]
    criterion: ClassVar[str]
    severity_rule: ClassVar[str]  # which severity a finding gets, and why (Chinese)
    options: ClassVar[Mapping[str, Option]] = {}
    # The fields that say which problem a finding is (contract §4): exports list them,
    # golden files pin them. Its other details are evidence.
    fields: ClassVar[tuple[str, ...]] = ()
    columns: ClassVar[tuple[Column, ...]] = (PAGE, MESSAGE)
    # Spreadsheet cells beyond the common ones, by header (问题对象, 错敏词, 推荐修改).
    sheet: ClassVar[Mapping[str, Cell]] = {}
    evidence: ClassVar[tuple[Evidence, ...]] = ()
    veto_group: ClassVar[str | None] = None  # id of a group in detectors.veto_groups
    # Ids of the deductions in detectors.scoring its findings count towards (the
    # weekly report's estimated score); empty: none the inspection rules document.
    score_basis: ClassVar[tuple[str, ...]] = ()
    # A ``site`` detector whose subject one document can be: the pre-publication check
    # (``govwatch check``) gives it the draft's own (its links). Every ``markup`` and
    # ``text`` detector checks drafts anyway.
    checks_drafts: ClassVar[bool] = False
    rank: ClassVar[int] = 1000  # notices print tables by rank: what fails inspections first
    # Listed one line a finding (:meth:`summary_line`) in the scan summary's overview of
    # what the inspections single out, even when there is none.
    overview: ClassVar[bool] = False

    settings: Mapping[str, Any]

    @classmethod
    def build(cls, config: Any, overrides: Mapping[str, Any] | None = None) -> Detector:
        """An instance for one site: the declared options' defaults, the site's overrides
        on top (validated by the config), then :meth:`from_config`."""
        settings = {name: option.default for name, option in cls.options.items()}
        settings.update(overrides or {})
        detector = cls.from_config(config, settings)
        detector.settings = settings
        return detector

    @classmethod
    def from_config(cls, config: Any, settings: Mapping[str, Any]) -> Detector:
        """Override when the detector needs the site config or its settings."""
        return cls()

    def applies_to(self, config: Any) -> bool:
        return True

    def check(self, subject: Any) -> Iterable[Finding]:
        raise NotImplementedError

    @classmethod
    def summary_line(cls, record: dict[str, Any]) -> str:
        """A finding as one line of the scan summary's overview (see ``overview``)."""
        return f"{record['message']} · {record['unit']}"

    def status_lines(self, subject: Any) -> list[str]:
        """A heading and indented lines for the scan summary on what this detector
        watches, fine or not (the accounts it read, the probes it ran), from a site
        subject; most say nothing."""
        return []

    @classmethod
    def template_message(cls, details: dict[str, Any], pages: int) -> str | None:
        """The message of one finding for a problem in text the site's template repeats
        (a footer, a navigation bar) on ``pages`` pages, in place of one finding a page
        (``storage.template_findings``); None (the default): findings stay per page."""
        return None
