"""SQLAlchemy 2.0 models: what a scan saw and what it found.

Pages, links and URL checks are per-scan snapshots (the evidence); findings live
across scans and carry a lifecycle (open → fixed → open again), with every
change recorded as a ``FindingEvent`` so reports can say what was new or fixed
in a week; the scan row is its compact summary.

What a scan stores does not grow with every link it followed: a page keeps the targets
of its ``<a>`` links packed in one column (:func:`pack_keys`), ``links`` rows are kept
only for targets that failed or were inconclusive, ``url_checks`` rows only for URLs
with something to tell (not ok, an error, or more than one attempt). The raw rows of
old scans are pruned after each scan (``storage.retention``); findings, their events
and the scans' summaries are kept.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Integer primary keys that are 64-bit on PostgreSQL and ROWID aliases on SQLite.
BigId = BigInteger().with_variant(Integer(), "sqlite")

KEY_HASH_CHARS = 32


def storable(text: str) -> str:
    """``text`` as the database keeps it: without NUL characters, which PostgreSQL cannot
    store (a NUL in one feed title failed the whole scan). Every value is stored so
    (``storage.db`` strips them from every statement's parameters); code that compares
    a stored value with one it holds compares ``storable(value)``."""
    return text.replace("\x00", "") if "\x00" in text else text


def key_hash(key: str) -> str:
    """What the indexes hold for a URL key (or a post key): 128 bits of the SHA-256 of
    the key as stored, in hex. A page can link a URL thousands of characters long, and
    a PostgreSQL btree entry holds at most ~2,700 bytes ("index row size … exceeds
    btree maximum" failed the whole scan); the hash is 32 characters whatever the URL.
    Look a key up by both columns, ``X.url_hash == key_hash(k)`` (the index) and
    ``X.url_key == k``. Migration 0005 computes the same in SQL for the rows stored
    before it."""
    data = storable(key).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:KEY_HASH_CHARS]


def pack_keys(keys: Iterable[str]) -> bytes:
    """URL keys packed for one column: one a line, zlib-compressed (a page's links share
    most of their text, so ~20 links take ~300 bytes instead of ~20 rows)."""
    return zlib.compress("\n".join(keys).encode("utf-8", "surrogatepass"), 6)


def unpack_keys(packed: bytes | None) -> list[str]:
    """The keys :func:`pack_keys` packed (none for ``None`` or an empty pack)."""
    if not packed:
        return []
    text = zlib.decompress(packed).decode("utf-8", "surrogatepass")
    return text.split("\n") if text else []


def hash_of(column: str) -> Callable[[Any], str]:
    """Column default: the hash of the row's ``column`` (every insert sets it)."""

    def default(context: Any) -> str:
        return key_hash(context.get_current_parameters()[column])

    return default


def _hash_column(of: str) -> Any:
    return mapped_column(String(KEY_HASH_CHARS), default=hash_of(of))


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    scans: Mapped[list[Scan]] = relationship(back_populates="site")


class Scan(Base):
    __tablename__ = "scans"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="running")
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The Beijing day the scan judged as "today" (common.clock, pinned in tests and the
    # demo): what the home page listed is compared across scans by this day.
    as_of: Mapped[date | None] = mapped_column(Date)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hostname: Mapped[str] = mapped_column(String(255), default="")
    pid: Mapped[int] = mapped_column(Integer, default=0)
    pages_crawled: Mapped[int] = mapped_column(Integer, default=0)
    urls_checked: Mapped[int] = mapped_column(Integer, default=0)
    links_found: Mapped[int] = mapped_column(Integer, default=0)
    findings_count: Mapped[int] = mapped_column(Integer, default=0)
    inconclusive_count: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    stats: Mapped[dict[str, Any]] = mapped_column(default=dict)

    site: Mapped[Site] = relationship(back_populates="scans")


class Page(Base):
    """An HTML page of the site as fetched by one scan."""

    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("scan_id", "url_hash", name="uq_pages_scan_url_hash"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"))
    url_key: Mapped[str] = mapped_column(Text)
    url_hash: Mapped[str] = _hash_column("url_key")
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str] = mapped_column(Text)
    status: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="")
    encoding: Mapped[str] = mapped_column(String(40), default="")
    depth: Mapped[int] = mapped_column(Integer, default=0)
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The distinct targets of the page's <a> links, in page order (:func:`pack_keys`).
    outlinks: Mapped[bytes | None] = mapped_column(LargeBinary)


class Link(Base):
    """One link as it appears on a page (the same target twice on a page is one row),
    stored only when its target failed or was inconclusive in the scan."""

    __tablename__ = "links"
    __table_args__ = (
        Index("ix_links_scan_target_hash", "scan_id", "target_hash"),
        Index("ix_links_page", "page_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"))
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"))
    target_key: Mapped[str] = mapped_column(Text)
    target_hash: Mapped[str] = _hash_column("target_key")
    target_url: Mapped[str] = mapped_column(Text)
    element: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")


class UrlCheck(Base):
    """The result of fetching one URL once in a scan, shared by every page linking it."""

    __tablename__ = "url_checks"
    __table_args__ = (
        UniqueConstraint("scan_id", "url_hash", name="uq_url_checks_scan_url_hash"),
        Index("ix_url_checks_scan_outcome", "scan_id", "outcome"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"))
    url_key: Mapped[str] = mapped_column(Text)
    url_hash: Mapped[str] = _hash_column("url_key")
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(16))
    http_status: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(40))
    elapsed_ms: Mapped[int] = mapped_column(Integer, default=0)
    content_type: Mapped[str] = mapped_column(String(120), default="")
    attempts: Mapped[list[Any]] = mapped_column(default=list)


class Attachment(Base):
    """A PDF/DOCX/XLSX file of the site whose text one scan read (or could not read)."""

    __tablename__ = "attachments"
    __table_args__ = (
        UniqueConstraint("scan_id", "url_hash", name="uq_attachments_scan_url_hash"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"))
    url_key: Mapped[str] = mapped_column(Text)
    url_hash: Mapped[str] = _hash_column("url_key")
    url: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(8))
    linked_from: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    chars: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)  # why its text was not (fully) read


class PageFact(Base):
    """What one page of one scan says about columns and policy documents
    (:mod:`detectors.page_facts`); read by the site-level detectors."""

    __tablename__ = "page_facts"
    __table_args__ = (
        UniqueConstraint("scan_id", "page_hash", name="uq_page_facts_scan_page_hash"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"))
    page_key: Mapped[str] = mapped_column(Text)
    page_hash: Mapped[str] = _hash_column("page_key")
    url: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(8))  # article | list | home | hub | search | page
    column_name: Mapped[str] = mapped_column(String(200), default="")
    column_type: Mapped[str] = mapped_column(String(200), default="")
    crumbs: Mapped[list[Any]] = mapped_column(default=list)
    headline: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[date | None] = mapped_column(Date)
    document_number: Mapped[str | None] = mapped_column(String(80))
    cites: Mapped[dict[str, Any]] = mapped_column(default=dict)
    entries: Mapped[int] = mapped_column(Integer, default=0)
    content_chars: Mapped[int] = mapped_column(Integer, default=0)
    placeholder: Mapped[bool] = mapped_column(default=False)
    note: Mapped[bool] = mapped_column(default=False)
    widgets: Mapped[int] = mapped_column(Integer, default=0)  # forms, frames, media, Ajax
    # Messages of a consultation channel (detectors.interaction_messages), NULL for none
    # (most pages): the interaction detector reads only the rows that have some.
    messages: Mapped[list[Any] | None] = mapped_column(JSON(none_as_null=True), nullable=True)


class ListEntry(Base):
    """One dated (or undated) entry of a list page, the home page included, in one scan."""

    __tablename__ = "list_entries"
    __table_args__ = (Index("ix_list_entries_scan_page_hash", "scan_id", "page_hash"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"))
    page_key: Mapped[str] = mapped_column(Text)
    page_hash: Mapped[str] = _hash_column("page_key")
    position: Mapped[int] = mapped_column(Integer)
    url: Mapped[str] = mapped_column(Text)
    url_key: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text, default="")
    date_text: Mapped[str] = mapped_column(String(60), default="")
    listed: Mapped[date | None] = mapped_column(Date)
    pinned: Mapped[bool] = mapped_column(default=False)


class Observation(Base):
    """A finding as one scan observed it; merged into ``findings`` when the scan completes.

    Staging keeps the lifecycle update atomic: a scan that dies half-way leaves
    observations attached to an unfinished scan and the findings untouched.
    """

    __tablename__ = "observations"
    __table_args__ = (UniqueConstraint("scan_id", "fingerprint"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"))
    fingerprint: Mapped[str] = mapped_column(String(64))
    detector: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(8))
    unit: Mapped[str] = mapped_column(String(200))
    page_url: Mapped[str] = mapped_column(Text)
    page_key: Mapped[str] = mapped_column(Text)
    subject_key: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Finding(Base):
    """A problem across scans. ``unit`` is the unit the detector named (each scan rewrites
    it); ``assigned_unit`` is a person's reassignment, which no scan touches: the unit
    responsible is :attr:`effective_unit`. ``deadline`` is the rectification deadline,
    counted from the day first seen (:func:`storage.lifecycle.rectification_deadline`).

    The indexes serve the review app's findings list (``storage.finding_list``) at
    100,000 findings: each filter (site, scan, status, unit, detector, severity) leads
    an index whose next column is the common sort (``last_seen``); ``severity`` closes
    them, so sorting a filtered list by severity reads no row of the table."""

    __tablename__ = "findings"
    __table_args__ = (
        UniqueConstraint("site_id", "fingerprint"),
        Index("ix_findings_site_status", "site_id", "status"),
        Index("ix_findings_last_seen", "last_seen"),
        Index("ix_findings_status_last_seen", "status", "last_seen", "severity"),
        Index("ix_findings_scan_status_last_seen", "scan_id", "status", "last_seen", "severity"),
        Index("ix_findings_detector_last_seen", "detector", "last_seen", "severity"),
        Index("ix_findings_severity_last_seen", "severity", "last_seen"),
        # "overdue" (status, deadline), covering the severity it is usually sorted by
        Index("ix_findings_status_deadline", "status", "deadline", "severity"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"))
    fingerprint: Mapped[str] = mapped_column(String(64))
    detector: Mapped[str] = mapped_column(String(40), index=True)
    severity: Mapped[str] = mapped_column(String(8))
    unit: Mapped[str] = mapped_column(String(200), index=True)
    page_url: Mapped[str] = mapped_column(Text)
    page_key: Mapped[str] = mapped_column(Text)
    subject_key: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    message: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    first_scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id"))
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id"), index=True)
    fixed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reopened_count: Mapped[int] = mapped_column(Integer, default=0)
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    review_note: Mapped[str | None] = mapped_column(Text)
    assigned_unit: Mapped[str | None] = mapped_column(String(200))
    deadline: Mapped[date | None] = mapped_column(Date)

    events: Mapped[list[FindingEvent]] = relationship(
        back_populates="finding", order_by="FindingEvent.id"
    )

    @hybrid_property
    def effective_unit(self) -> str:
        """The unit responsible: the reassigned one, else the one the detector named."""
        return self.assigned_unit or self.unit

    @effective_unit.inplace.expression
    @classmethod
    def _effective_unit_expression(cls) -> Any:
        return func.coalesce(cls.assigned_unit, cls.unit)


# The unit filter and the unit scope (storage.access) compare this very expression.
Index(
    "ix_findings_effective_unit_last_seen",
    func.coalesce(Finding.assigned_unit, Finding.unit),
    Finding.last_seen,
    Finding.severity,
)


class FindingEvent(Base):
    """One change of a finding: by a scan (``actor`` = ``scan``) or a person's review
    (``action``; a comment or a reassignment keeps the status: ``from_status ==
    to_status``). ``note`` is the reason or comment."""

    __tablename__ = "finding_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id"), index=True)
    scan_id: Mapped[int | None] = mapped_column(ForeignKey("scans.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(100), default="scan")
    note: Mapped[str | None] = mapped_column(Text)

    # scan | confirm | dismiss | fixed | reopen | reassign | comment (storage.reviews)
    action: Mapped[str | None] = mapped_column(String(16))

    finding: Mapped[Finding] = relationship(back_populates="events")


# -- people of the review app ------------------------------------------------------------


class User(Base):
    """Someone who reviews findings (:mod:`storage.users`): ``admin`` (everything,
    users included), ``operator`` (every unit) or ``unit`` (the findings of ``unit``
    only). Only an argon2 hash of the password is kept."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user")


class ApiToken(Base):
    """A bearer token of the JSON API: only the SHA-256 of the token is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(back_populates="tokens")


# -- government new-media accounts (read through feed mirrors) ---------------------------


class NewMediaPost(Base):
    """A post of a configured account, kept across scans (one row per post, ever).

    ``checked_scan_id`` is the last scan that read the post's whole content (the
    feed's text and, where there is one, its article page): only that scan may say a
    problem in the post is gone.
    """

    __tablename__ = "new_media_posts"
    __table_args__ = (
        UniqueConstraint(
            "site_id", "account", "post_hash", name="uq_new_media_posts_account_post_hash"
        ),
        Index("ix_new_media_posts_checked", "site_id", "checked_scan_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"))
    account: Mapped[str] = mapped_column(String(200))
    platform: Mapped[str] = mapped_column(String(20))
    post_key: Mapped[str] = mapped_column(Text)
    post_hash: Mapped[str] = _hash_column("post_key")
    url: Mapped[str] = mapped_column(Text)
    url_key: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # True when the mirror gave no date and ``published`` is when govwatch first saw it
    published_estimated: Mapped[bool] = mapped_column(default=False)
    pinned: Mapped[bool] = mapped_column(default=False)
    deleted: Mapped[bool] = mapped_column(default=False)
    text: Mapped[str] = mapped_column(Text, default="")
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    first_scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id"))
    last_scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id"))
    checked_scan_id: Mapped[int | None] = mapped_column(ForeignKey("scans.id"))


class NewMediaFetch(Base):
    """Reading one account's feed in one scan: whether it worked, and what it held."""

    __tablename__ = "new_media_fetches"
    __table_args__ = (UniqueConstraint("scan_id", "account"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"))
    account: Mapped[str] = mapped_column(String(200))
    platform: Mapped[str] = mapped_column(String(20))
    feed_url: Mapped[str] = mapped_column(Text)
    feed_key: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(16))  # ok | unreachable
    http_status: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(40))
    error_detail: Mapped[str] = mapped_column(Text, default="")
    feed_format: Mapped[str] = mapped_column(String(40), default="")
    feed_title: Mapped[str] = mapped_column(Text, default="")
    posts: Mapped[int] = mapped_column(Integer, default=0)
    articles_read: Mapped[int] = mapped_column(Integer, default=0)
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[list[Any]] = mapped_column(default=list)


class Probe(Base):
    """One availability probe of one URL of a site (home page or a configured key page):
    an HTTP GET within the site's timeout, what it answered and how fast."""

    __tablename__ = "probes"
    __table_args__ = (Index("ix_probes_site_at", "site_id", "probed_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"))
    url: Mapped[str] = mapped_column(Text)
    probed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ok: Mapped[bool] = mapped_column(Boolean)
    http_status: Mapped[int | None] = mapped_column(Integer)
    latency_ms: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(40))


class ScheduledRun(Base):
    """One run of a scheduled job (scan, probe round, weekly report): when, how it ended,
    the exit status and the tail of the log of a scan's subprocess."""

    __tablename__ = "scheduled_runs"
    __table_args__ = (Index("ix_scheduled_runs_site_kind", "site_id", "kind"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(String(200))
    site_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # scan | probe | weekly
    # running | completed | failed | timed_out | interrupted | skipped
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    exit_code: Mapped[int | None] = mapped_column(Integer)
    scan_id: Mapped[int | None] = mapped_column(BigInteger)
    log_tail: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(Text, default="")


class AlertSent(Base):
    """An alert, keyed by the problem it is about, so the same problem never alerts
    twice: ``pending`` until every channel took it (retried; held in quiet hours),
    then ``sent``, or ``failed`` after the last try; ``covered`` when another alert
    spoke for it (one message for a scan's many new veto findings)."""

    __tablename__ = "alerts_sent"
    __table_args__ = (UniqueConstraint("site_id", "problem_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    site_id: Mapped[str] = mapped_column(String(64))
    problem_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # veto | unreachable | scan_failed | scan_empty
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Indexes (in ``alerts.channels``) of the channels that have not taken it yet.
    pending_channels: Mapped[list[Any]] = mapped_column(default=list)
    last_error: Mapped[str] = mapped_column(Text, default="")


__all__ = [
    "AlertSent",
    "ApiToken",
    "Attachment",
    "Base",
    "Finding",
    "FindingEvent",
    "Link",
    "ListEntry",
    "NewMediaFetch",
    "NewMediaPost",
    "Observation",
    "Page",
    "PageFact",
    "Probe",
    "Scan",
    "ScheduledRun",
    "Site",
    "UrlCheck",
    "User",
]
