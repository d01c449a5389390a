"""compact scan rows: a page's <a> targets packed in one column

From this revision on a scan stores ``links`` rows only for targets that failed or were
inconclusive, and ``url_checks`` rows only for URLs with something to tell; the readers
of a page's links (interpretation pairing, the parent page in reports) read
``pages.outlinks`` instead. It is filled here from the ``links`` rows already stored, so
earlier scans read as before; those rows are kept (the retention prune removes old
scans' raw rows in time).

Revision ID: 0008
Revises: 0007
"""
from __future__ import annotations

import zlib

import sqlalchemy as sa
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

PAGES_PER_STEP = 2000


def _pack(keys: list[str]) -> bytes:
    # as storage.models.pack_keys (a migration does not import the models)
    return zlib.compress("\n".join(keys).encode("utf-8", "surrogatepass"), 6)


def upgrade() -> None:
    with op.batch_alter_table('pages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outlinks', sa.LargeBinary(), nullable=True))

    conn = op.get_bind()
    pages = sa.table('pages', sa.column('id', sa.Integer), sa.column('outlinks', sa.LargeBinary))
    update = (
        sa.update(pages)
        .where(pages.c.id == sa.bindparam('page_id'))
        .values(outlinks=sa.bindparam('packed'))
    )
    low, high = conn.execute(sa.text("SELECT min(page_id), max(page_id) FROM links")).one()
    if low is None:
        return
    for start in range(low, high + 1, PAGES_PER_STEP):  # bounded memory, any table size
        rows = conn.execute(
            sa.text(
                "SELECT page_id, target_key FROM links WHERE element = 'a'"
                " AND page_id >= :low AND page_id < :high ORDER BY page_id, id"
            ),
            {'low': start, 'high': start + PAGES_PER_STEP},
        ).all()
        keys: dict[int, dict[str, None]] = {}
        for page_id, target_key in rows:
            keys.setdefault(page_id, {})[target_key] = None  # distinct, in page order
        if keys:
            conn.execute(update, [{'page_id': p, 'packed': _pack(list(k))} for p, k in keys.items()])


def downgrade() -> None:
    with op.batch_alter_table('pages', schema=None) as batch_op:
        batch_op.drop_column('outlinks')
