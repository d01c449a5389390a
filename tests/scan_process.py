"""A real ``govwatch -v scan`` in a subprocess, whose log a test can wait on and which
it can send signals to (alone, or with its worker, as a terminal's Ctrl-C does)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import select

from storage.db import open_database
from storage.models import Scan
from tests.local_site import LocalSite

GOVWATCH = [sys.executable, "-m", "govwatch"]


def write_config(tmp_path: Path, site: LocalSite, name: str = "site.yaml", **extra) -> str:
    path = tmp_path / name
    path.write_text(site.config_yaml(**extra), encoding="utf-8")
    return str(path)


def scan_rows(db_url: str) -> list[Scan]:
    db = open_database(db_url, migrate=False)
    try:
        with db.session() as session:
            return list(session.scalars(select(Scan).order_by(Scan.id)))
    finally:
        db.dispose()


class ScanProcess:
    def __init__(self, config: str | list[str], db_url: str, **env: str):
        self.lines: list[str] = []
        self._changed = threading.Condition()
        configs = [config] if isinstance(config, str) else config
        self.proc = subprocess.Popen(
            [*GOVWATCH, "-v", "scan", *(f"--config={c}" for c in configs), "--db", db_url],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, **env},
            start_new_session=True,  # its own process group: Ctrl-C is sent to it alone
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, text: str, timeout: float = 90) -> None:
        """Until the log says ``text`` (fails if the scan ends or the time runs out)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while text not in self.output:
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and not self._reader.is_alive()):
                    raise AssertionError(f"the scan never logged {text!r}:\n{self.output[-3000:]}")
                self._changed.wait(min(left, 0.2))

    def send(self, signum: int, group: bool = False) -> None:
        """``signum`` to the scan, or to its whole process group (the worker too), as a
        terminal sends Ctrl-C."""
        if group:
            os.killpg(self.proc.pid, signum)
        else:
            os.kill(self.proc.pid, signum)

    def exit_within(self, seconds: float) -> int:
        """The exit code, if the scan exits within ``seconds`` (else it is killed and the
        test fails)."""
        try:
            return self.proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(
                f"the scan did not exit within {seconds} s:\n{self.output[-3000:]}"
            ) from None

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def __enter__(self) -> ScanProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()
        self._reader.join(5)
