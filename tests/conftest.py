"""Shared fixtures: databases (SQLite file, and PostgreSQL when CI provides one)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

PG_URL = os.environ.get("GOVWATCH_TEST_PG_URL")

# Tests never depend on the day they run: "today" is the sample portal's day, for this
# process and the govwatch subprocesses it starts (tests of the clock unset it).
os.environ["GOVWATCH_TODAY"] = "2024-11-25"

DB_BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _pg_schema_url(schema: str) -> str:
    assert PG_URL
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"


@contextmanager
def fresh_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file, or a private PostgreSQL schema
    (dropped afterwards). Skips the PostgreSQL variant when CI provides no server."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'govwatch.db'}"
        return
    if not PG_URL:
        pytest.skip("GOVWATCH_TEST_PG_URL not set (CI runs these against a real PostgreSQL)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _pg_schema_url(schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=DB_BACKENDS)
def db_url(request, tmp_path) -> Iterator[str]:
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'govwatch.db'}"
