"""new media: posts kept across scans, feed reads per scan

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('new_media_posts',
    sa.Column('id', BigId, autoincrement=True, nullable=False),
    sa.Column('site_id', sa.String(length=64), nullable=False),
    sa.Column('account', sa.String(length=200), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('post_key', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('url_key', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('published', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_estimated', sa.Boolean(), nullable=False),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('first_scan_id', BigId, nullable=False),
    sa.Column('last_scan_id', BigId, nullable=False),
    sa.Column('checked_scan_id', BigId, nullable=True),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], ),
    sa.ForeignKeyConstraint(['first_scan_id'], ['scans.id'], ),
    sa.ForeignKeyConstraint(['last_scan_id'], ['scans.id'], ),
    sa.ForeignKeyConstraint(['checked_scan_id'], ['scans.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('site_id', 'account', 'post_key')
    )
    with op.batch_alter_table('new_media_posts', schema=None) as batch_op:
        batch_op.create_index('ix_new_media_posts_checked', ['site_id', 'checked_scan_id'], unique=False)

    op.create_table('new_media_fetches',
    sa.Column('id', BigId, autoincrement=True, nullable=False),
    sa.Column('scan_id', BigId, nullable=False),
    sa.Column('account', sa.String(length=200), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('feed_url', sa.Text(), nullable=False),
    sa.Column('feed_key', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('http_status', sa.Integer(), nullable=True),
    sa.Column('error', sa.String(length=40), nullable=True),
    sa.Column('error_detail', sa.Text(), nullable=False),
    sa.Column('feed_format', sa.String(length=40), nullable=False),
    sa.Column('feed_title', sa.Text(), nullable=False),
    sa.Column('posts', sa.Integer(), nullable=False),
    sa.Column('articles_read', sa.Integer(), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['scan_id'], ['scans.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('scan_id', 'account')
    )


def downgrade() -> None:
    op.drop_table('new_media_fetches')
    with op.batch_alter_table('new_media_posts', schema=None) as batch_op:
        batch_op.drop_index('ix_new_media_posts_checked')
    op.drop_table('new_media_posts')
