"""reviews and users: reviewers, API tokens, reassignment, deadlines, list indexes

The review app (issue 13) needs people (``users``) and bearer tokens (``api_tokens``,
only their hash), a finding's reassigned unit (``assigned_unit``, which scans never
overwrite) and rectification deadline (``deadline``), what each history event was
(``finding_events.action``: comments and reassignments keep the status), and the
indexes of a findings list filtered and sorted at 100,000 findings.

Events stored before: ``actor = scan`` → ``scan``; a person's → by the status it set.
Deadlines of the findings stored before are filled by the next scan that sees them
(``storage.lifecycle``), and here for the unresolved ones.

Revision ID: 0006
Revises: 0005
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

INDEXES = [
    ("ix_findings_last_seen", ["last_seen"]),
    ("ix_findings_status_last_seen", ["status", "last_seen", "severity"]),
    ("ix_findings_scan_status_last_seen", ["scan_id", "status", "last_seen", "severity"]),
    ("ix_findings_detector_last_seen", ["detector", "last_seen", "severity"]),
    ("ix_findings_severity_last_seen", ["severity", "last_seen"]),
    ("ix_findings_status_deadline", ["status", "deadline", "severity"]),
]


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("unit", sa.String(200), nullable=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column(
            "user_id", BigId, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])

    with op.batch_alter_table("findings") as batch_op:
        batch_op.add_column(sa.Column("assigned_unit", sa.String(200), nullable=True))
        batch_op.add_column(sa.Column("deadline", sa.Date(), nullable=True))
    for name, columns in INDEXES:
        op.create_index(name, "findings", columns)
    op.create_index(
        "ix_findings_effective_unit_last_seen",
        "findings",
        [sa.text("coalesce(assigned_unit, unit)"), "last_seen", "severity"],
    )

    with op.batch_alter_table("finding_events") as batch_op:
        batch_op.add_column(sa.Column("action", sa.String(16), nullable=True))
    op.execute(
        "UPDATE finding_events SET action = CASE"
        " WHEN actor = 'scan' THEN 'scan'"
        " WHEN to_status = 'confirmed' THEN 'confirm'"
        " WHEN to_status = 'false_positive' THEN 'dismiss'"
        " WHEN to_status = 'fixed' THEN 'fixed'"
        " ELSE 'reopen' END"
    )
    _fill_deadlines()


def _fill_deadlines() -> None:
    """Deadlines of the unresolved findings stored before, as the lifecycle counts them."""
    from storage.lifecycle import rectification_deadline

    bind = op.get_bind()
    findings = sa.table(
        "findings",
        sa.column("id", sa.Integer),
        sa.column("severity", sa.String),
        sa.column("first_seen", sa.DateTime(timezone=True)),
        sa.column("status", sa.String),
        sa.column("deadline", sa.Date),
    )
    rows = bind.execute(
        sa.select(findings.c.id, findings.c.severity, findings.c.first_seen).where(
            findings.c.status.in_(["open", "confirmed"])
        )
    ).all()
    for row in rows:
        bind.execute(
            findings.update()
            .where(findings.c.id == row.id)
            .values(deadline=rectification_deadline(row.first_seen, row.severity))
        )


def downgrade() -> None:
    with op.batch_alter_table("finding_events") as batch_op:
        batch_op.drop_column("action")
    op.drop_index("ix_findings_effective_unit_last_seen", table_name="findings")
    for name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name="findings")
    with op.batch_alter_table("findings") as batch_op:
        batch_op.drop_column("deadline")
        batch_op.drop_column("assigned_unit")
    op.drop_index("ix_api_tokens_user_id", table_name="api_tokens")
    op.drop_table("api_tokens")
    op.drop_table("users")
