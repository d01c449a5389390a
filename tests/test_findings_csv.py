"""The CSV the README tells users to make (``govwatch findings --unit 市司法局 --format csv
> 市司法局.csv``) opens in Excel on Chinese Windows: UTF-8 with a BOM, whatever the locale."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys

from tests.report_db import build, sample_specs


def test_findings_csv_carries_a_bom_in_any_locale(sqlite_url):
    build(sqlite_url, sample_specs()).dispose()
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": ""}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "govwatch",
            "findings",
            "--db",
            sqlite_url,
            "--format",
            "csv",
            "--unit",
            "市政府办",
        ],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert done.stdout.startswith("\ufeff".encode())  # EF BB BF: Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(done.stdout.decode("utf-8-sig"))))
    assert rows and rows[0]["id"] and {r["unit"] for r in rows} == {"市政府办"}
    assert done.stdout.count("\ufeff".encode()) == 1
