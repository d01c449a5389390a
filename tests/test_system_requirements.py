"""Tests that need a system tool skip without it on a developer's machine and fail in CI
(``CI=true``, as ``.ci/run`` runs), where everything they need is installed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.system import need, need_tools

ROOT = Path(__file__).resolve().parent.parent
PDF_TEST = (
    "tests/test_weekly_report.py::"
    "test_weekly_pdf_pages_are_not_blank_and_carry_chinese_text[sqlite]"
)


def test_need_skips_outside_ci_and_fails_in_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-such-tool"):
        need_tools("no-such-tool")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"CI must provide this.*no-such-tool"):
        need_tools("no-such-tool")
    need(True, "present")  # nothing happens when it is there


@pytest.mark.integration  # a pytest run in a subprocess, with the PDF's tools off PATH
@pytest.mark.parametrize("ci", [False, True])
def test_weekly_pdf_test_without_poppler_and_fonts(tmp_path, ci):
    """The weekly PDF's test on a machine without poppler or fontconfig (nothing on PATH):
    it failed there, asserting; now it skips and says what to install — except in CI."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PATH"] = str(tmp_path)  # an empty directory
    if ci:
        env["CI"] = "true"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rsf", "-p", "no:cacheprovider", PDF_TEST],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if ci:
        assert done.returncode == 1, done.stdout
        assert "1 failed" in done.stdout and "CI must provide this" in done.stdout
    else:
        assert done.returncode == 0, done.stdout
        assert "1 skipped" in done.stdout and "apt-get install" in done.stdout
