"""key hashes: indexes hold a hash of each URL (or post) key, not the key itself

A page can link a URL thousands of characters long; a PostgreSQL btree entry holds at
most ~2,700 bytes, so one such link failed the whole scan ("index row size … exceeds
btree maximum"). Each indexed key column gets a 32-character hash column beside it
(``storage.models.key_hash``: the first 128 bits of its SHA-256, in hex), computed here
for the rows already stored, and the unique constraints and indexes move to it.

Revision ID: 0005
Revises: 0004
"""
from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# SQLite's unnamed unique constraints, named when reflected for batch mode.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_N_name)s"}

# table, key column, hash column, the key's old constraint (unique) or index, the new one
KEYS = [
    ("pages", "url_key", "url_hash", ("unique", ["scan_id", "url_key"]), "uq_pages_scan_url_hash"),
    ("links", "target_key", "target_hash", ("index", "ix_links_scan_target"),
     "ix_links_scan_target_hash"),
    ("url_checks", "url_key", "url_hash", ("unique", ["scan_id", "url_key"]),
     "uq_url_checks_scan_url_hash"),
    ("attachments", "url_key", "url_hash", ("unique", ["scan_id", "url_key"]),
     "uq_attachments_scan_url_hash"),
    ("page_facts", "page_key", "page_hash", ("unique", ["scan_id", "page_key"]),
     "uq_page_facts_scan_page_hash"),
    ("list_entries", "page_key", "page_hash", ("index", "ix_list_entries_scan_page"),
     "ix_list_entries_scan_page_hash"),
    ("new_media_posts", "post_key", "post_hash", ("unique", ["site_id", "account", "post_key"]),
     "uq_new_media_posts_account_post_hash"),
]


def _key_hash(key: str | None) -> str | None:
    if key is None:
        return None
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _hash_sql(bind, column: str) -> str:
    if bind.dialect.name == "sqlite":
        return f"govwatch_key_hash({column})"
    return f"left(encode(sha256(convert_to({column}, 'UTF8')), 'hex'), 32)"


def _unique_name(bind, table: str, columns: list[str]) -> str:
    for constraint in sa.inspect(bind).get_unique_constraints(table):
        if constraint["column_names"] == columns and constraint["name"]:
            return constraint["name"]
    return NAMING["uq"] % {"table_name": table, "column_0_N_name": "_".join(columns)}


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        bind.connection.driver_connection.create_function(
            "govwatch_key_hash", 1, _key_hash, deterministic=True
        )
    for table, key, hashed, (kind, old), new in KEYS:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column(hashed, sa.String(length=32), nullable=True))
        op.execute(f"UPDATE {table} SET {hashed} = {_hash_sql(bind, key)}")
        old_name = _unique_name(bind, table, old) if kind == "unique" else old
        with op.batch_alter_table(table, naming_convention=NAMING) as batch_op:
            batch_op.alter_column(hashed, existing_type=sa.String(length=32), nullable=False)
            columns = [c if c != key else hashed for c in (old if kind == "unique" else [])]
            if kind == "unique":
                batch_op.drop_constraint(old_name, type_="unique")
                batch_op.create_unique_constraint(new, columns)
            else:
                batch_op.drop_index(old)
                batch_op.create_index(new, ["scan_id", hashed], unique=False)


def downgrade() -> None:
    for table, key, hashed, (kind, old), new in reversed(KEYS):
        with op.batch_alter_table(table, naming_convention=NAMING) as batch_op:
            if kind == "unique":
                batch_op.drop_constraint(new, type_="unique")
                batch_op.create_unique_constraint(
                    NAMING["uq"] % {"table_name": table, "column_0_N_name": "_".join(old)}, old
                )
            else:
                batch_op.drop_index(new)
                batch_op.create_index(old, ["scan_id", key], unique=False)
            batch_op.drop_column(hashed)
