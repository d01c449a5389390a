"""columns and policy: page facts and list entries per scan, the scan's day

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('scans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('as_of', sa.Date(), nullable=True))

    op.create_table('page_facts',
    sa.Column('id', BigId, autoincrement=True, nullable=False),
    sa.Column('scan_id', BigId, nullable=False),
    sa.Column('page_key', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('column_name', sa.String(length=200), nullable=False),
    sa.Column('column_type', sa.String(length=200), nullable=False),
    sa.Column('crumbs', sa.JSON(), nullable=False),
    sa.Column('headline', sa.Text(), nullable=False),
    sa.Column('published', sa.Date(), nullable=True),
    sa.Column('document_number', sa.String(length=80), nullable=True),
    sa.Column('cites', sa.JSON(), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.Column('content_chars', sa.Integer(), nullable=False),
    sa.Column('placeholder', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Boolean(), nullable=False),
    sa.Column('widgets', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['scan_id'], ['scans.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('scan_id', 'page_key')
    )
    op.create_table('list_entries',
    sa.Column('id', BigId, autoincrement=True, nullable=False),
    sa.Column('scan_id', BigId, nullable=False),
    sa.Column('page_key', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('url_key', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('date_text', sa.String(length=60), nullable=False),
    sa.Column('listed', sa.Date(), nullable=True),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['scan_id'], ['scans.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('list_entries', schema=None) as batch_op:
        batch_op.create_index('ix_list_entries_scan_page', ['scan_id', 'page_key'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('list_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_list_entries_scan_page')
    op.drop_table('list_entries')
    op.drop_table('page_facts')
    with op.batch_alter_table('scans', schema=None) as batch_op:
        batch_op.drop_column('as_of')
