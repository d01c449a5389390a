"""page messages: the consultation-channel messages a page shows (interaction_unanswered)

A nullable JSON column on ``page_facts``: NULL for the pages that show no message (nearly
all), so the interaction detector reads only the few rows that have some.

Revision ID: 0009
Revises: 0008
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('page_facts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('messages', sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('page_facts', schema=None) as batch_op:
        batch_op.drop_column('messages')
