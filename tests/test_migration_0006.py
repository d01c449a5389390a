"""Migration 0006 (reviews and users) on a database stored before it, on SQLite and
PostgreSQL: history events get their action, unresolved findings their deadline, the
schema is the models', and it downgrades cleanly."""

from __future__ import annotations

import warnings
from datetime import date

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from storage.db import MIGRATIONS_DIR
from storage.models import Base


def _alembic(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


FINDING = (
    "INSERT INTO findings (id, site_id, fingerprint, detector, severity, unit, page_url,"
    " page_key, subject_key, status, message, details, evidence, first_seen, last_seen,"
    " first_scan_id, scan_id, reopened_count) VALUES (:id, 's', :fp, 'broken_link', :sev,"
    " '办公室', 'http://h/', 'http://h/', 'http://h/x', :status, 'm', '{}', '{}',"
    " '2024-11-18 02:00:00+00:00', '2024-11-18 02:00:00+00:00', 1, 1, 0)"
)
EVENT = (
    "INSERT INTO finding_events (finding_id, scan_id, at, from_status, to_status, actor)"
    " VALUES (:fid, NULL, '2024-11-19 02:00:00+00:00', :before, :after, :actor)"
)


def test_upgrade_fills_actions_and_deadlines_and_downgrades(db_url):
    engine = create_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(_alembic(conn), "0005")
        conn.execute(
            text("INSERT INTO sites (id, name, created_at) VALUES ('s', '站', '2024-11-01')")
        )
        conn.execute(
            text(
                "INSERT INTO scans (id, site_id, status, started_at, hostname, pid, pages_crawled,"
                " urls_checked, links_found, findings_count, inconclusive_count, stats)"
                " VALUES (1, 's', 'completed', '2024-11-18', '', 0, 0, 0, 0, 0, 0, '{}')"
            )
        )
        for fid, severity, status in (
            (1, "veto", "open"),
            (2, "medium", "confirmed"),
            (3, "low", "false_positive"),
            (4, "high", "fixed"),
        ):
            conn.execute(
                text(FINDING), {"id": fid, "fp": f"f{fid}", "sev": severity, "status": status}
            )
        for fid, before, after, actor in (
            (1, None, "open", "scan"),
            (2, "open", "confirmed", "小王"),
            (3, "open", "false_positive", "小王"),
            (4, "open", "fixed", "scan"),
            (1, "fixed", "open", "小李"),
        ):
            conn.execute(
                text(EVENT), {"fid": fid, "before": before, "after": after, "actor": actor}
            )

        command.upgrade(_alembic(conn), "head")
        actions = conn.execute(text("SELECT action FROM finding_events ORDER BY id")).scalars()
        assert list(actions) == ["scan", "confirm", "dismiss", "scan", "reopen"]
        deadlines = dict(conn.execute(text("SELECT id, deadline FROM findings")).all())
        as_dates = {k: date.fromisoformat(str(v)) if v else None for k, v in deadlines.items()}
        # first seen Mon 18 Nov: veto 2 working days, others 5; resolved ones get none
        assert as_dates == {1: date(2024, 11, 20), 2: date(2024, 11, 25), 3: None, 4: None}
        assert {"users", "api_tokens"} <= set(inspect(conn).get_table_names())
        with warnings.catch_warnings():  # SQLite cannot reflect the expression index
            warnings.simplefilter("ignore")
            assert not compare_metadata(MigrationContext.configure(conn), Base.metadata)
        indexes = {i["name"] for i in inspect(conn).get_indexes("findings")}
        if conn.dialect.name == "postgresql":  # reflected there
            assert "ix_findings_effective_unit_last_seen" in indexes
        assert "ix_findings_scan_status_last_seen" in indexes

        command.downgrade(_alembic(conn), "0005")
        assert "users" not in inspect(conn).get_table_names()
        assert "assigned_unit" not in {c["name"] for c in inspect(conn).get_columns("findings")}
        assert "action" not in {c["name"] for c in inspect(conn).get_columns("finding_events")}
        command.upgrade(_alembic(conn), "head")  # and up again
    engine.dispose()
