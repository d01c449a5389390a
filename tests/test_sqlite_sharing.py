"""Two processes on one SQLite database (``govwatch serve`` while a scan or a command
runs): what one commits, the other reads, before and after the other opens and closes
the database. The migration lock on the database file once dropped the process's SQLite
locks (POSIX locks go with any descriptor of the file), and the next process to close
the database deleted the write-ahead log that the first was still writing to."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import text

from storage.db import open_database

READ = (
    "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
    "print(c.execute('select count(*) from sites').fetchone()[0]); c.close()"
)


def other_process_reads(path) -> int:
    out = subprocess.run([sys.executable, "-c", READ, str(path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return int(out.stdout)


def add_site(db, name: str) -> None:
    with db.session() as session:
        session.execute(
            text("INSERT INTO sites (id, name, created_at) VALUES (:n, :n, '2024-11-25')"),
            {"n": name},
        )


def test_a_long_running_process_stays_visible_to_others(tmp_path):
    path = tmp_path / "govwatch.db"
    db = open_database(f"sqlite:///{path}")
    try:
        add_site(db, "a")
        assert other_process_reads(path) == 1  # the other process opens and closes it
        add_site(db, "b")
        assert other_process_reads(path) == 2
        add_site(db, "c")
        assert other_process_reads(path) == 3
    finally:
        db.dispose()
