"""Fast many-row inserts for the crawl's hottest table.

A full scan stores about 35 links per page (750,000 rows for a 20,000-page
portal). Going through the ORM/Core parameter processing for each row costs a
noticeable share of the scan; for plain columns (no JSON, no type conversion)
the statement is compiled once per dialect and the rows go straight to the
driver's ``executemany``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert


class BulkInsert:
    """``INSERT INTO table (columns…)`` for rows given as tuples in ``columns`` order."""

    def __init__(self, table: Table, columns: Sequence[str]):
        self.table = table
        self.columns = tuple(columns)
        self._compiled: dict[str, tuple[str, tuple[str, ...] | None]] = {}

    def _statement(self, conn: Connection) -> tuple[str, tuple[str, ...] | None]:
        name = conn.dialect.name
        if name not in self._compiled:
            compiled = insert(self.table).compile(
                dialect=conn.dialect, column_keys=list(self.columns)
            )
            order = tuple(compiled.positiontup) if conn.dialect.positional else None
            self._compiled[name] = (str(compiled), order)
        return self._compiled[name]

    def execute(self, conn: Connection, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        sql, order = self._statement(conn)
        if order is None:  # named parameters (psycopg)
            params: list[Any] = [dict(zip(self.columns, row, strict=True)) for row in rows]
        elif order == self.columns:
            params = rows
        else:
            index = [self.columns.index(c) for c in order]
            params = [tuple(row[i] for i in index) for row in rows]
        conn.exec_driver_sql(sql, params)
