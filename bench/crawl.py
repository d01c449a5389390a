"""Crawl benchmark: govwatch's full scan against a bare Scrapy spider on the same portal.

Generates a static government-style portal (``portal_gen.py``), serves it with nginx on
127.0.0.1, then runs — each in its own child process, timed with ``os.wait4`` —

* ``bare_spider.py``: GET every page, HEAD every other URL, nothing else (the reference);
* ``govwatch scan``: the full product (crawl, all detectors, storage in SQLite), then
  compares its ``broken_link`` findings with the planted missing attachments.

Prints wall time, CPU time (user+sys), peak RSS, pages/s and links checked/s per run, the
load average before each run, and the ratios govwatch / bare of the median wall and CPU times
against the targets (wall ≤ 1.5, CPU ≤ 1.75), for each portal shape (``portal_gen.SHAPES``)::

    .venv/bin/python bench/crawl.py                   # 20,000 articles, both shapes
    .venv/bin/python bench/crawl.py --articles 2000 --shape issue   # quick run
    .venv/bin/python bench/crawl.py --skip-govwatch --repeat 3 --json
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from portal_gen import SHAPES, Portal, generate_portal

BENCH_DIR = Path(__file__).resolve().parent
TARGET_WALL = 1.5  # govwatch / bare, median walls (issue 18; the goal beyond it is 1.25)
TARGET_CPU = 1.75  # govwatch / bare, median CPU (user+sys of every process)
NGINX_CANDIDATES = ("/usr/sbin/nginx", "nginx")

NGINX_CONF = """\
{user}worker_processes 2;
daemon off;
master_process on;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    log_not_found off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 10000;
    client_body_temp_path {workdir}/nginx-tmp/client;
    proxy_temp_path {workdir}/nginx-tmp/proxy;
    fastcgi_temp_path {workdir}/nginx-tmp/fastcgi;
    uwsgi_temp_path {workdir}/nginx-tmp/uwsgi;
    scgi_temp_path {workdir}/nginx-tmp/scgi;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {site};
        index index.html;
        charset utf-8;
    }}
}}
"""

SITE_CONFIG = """\
site:
  id: bench
  name: 基准测试门户
  start_urls: ["http://127.0.0.1:{port}/"]
  allowed_domains: ["127.0.0.1"]
  max_pages: 1000000
  timeout_s: 15
  concurrency: 16
units:
  - {{name: 办公室, default: true}}
"""

_out: TextIO = sys.stdout


def say(text: str = "") -> None:
    """Human-readable progress (stderr when ``--json`` owns stdout)."""
    print(text, file=_out, flush=True)


# --------------------------------------------------------------------------- measuring


@dataclass
class Measured:
    """Resource use of one finished child process."""

    exit_code: int
    wall_s: float
    user_s: float
    sys_s: float
    max_rss_mb: float
    timed_out: bool = False
    tree_rss_mb: float = 0.0  # peak of the summed RSS of the child and its descendants
    # CPU seconds of each process of the tree, by role ("main", "child 1", ...), as last
    # sampled: a descendant's CPU is read from /proc before it exits, so it can miss up to
    # one sampling interval of that process's work.
    cpu_by_process: dict[str, float] = field(default_factory=dict)

    @property
    def cpu_s(self) -> float:
        return self.user_s + self.sys_s


def _children() -> dict[int, list[int]]:
    """Parent pid -> child pids, from /proc."""
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="latin-1") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_s(pid: int) -> float | None:
    """User + system CPU seconds of one process so far, from /proc (None once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="latin-1") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS


def tree_rss_kb(pid: int, cpu: dict[int, float] | None = None) -> int:
    """Summed resident memory of ``pid`` and all its descendants, in KiB; with ``cpu``,
    also records each process's CPU seconds so far in it."""
    tree, total, todo = _children(), 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(tree.get(current, ()))
        try:
            with open(f"/proc/{current}/status", encoding="latin-1") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
        if cpu is not None and (seconds := _cpu_s(current)) is not None:
            cpu[current] = max(seconds, cpu.get(current, 0.0))
    return total


class TreeRss:
    """Samples the summed RSS of a process tree every ``every_s`` seconds (``os.wait4``
    only gives the largest single process); ``peak_mb`` is the highest sum seen."""

    def __init__(self, pid: int, every_s: float = 1.0):
        self.pid, self.every_s, self.peak_kb = pid, every_s, 0
        self.cpu: dict[int, float] = {}  # pid -> CPU seconds, as last sampled
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.wait(self.every_s):
            self.peak_kb = max(self.peak_kb, tree_rss_kb(self.pid, self.cpu))

    def cpu_by_process(self) -> dict[str, float]:
        """CPU seconds as last sampled: the main process and each descendant that used at
        least 0.1 s, in the order they started (``wait4``'s total includes them all)."""
        roles = {"main": round(self.cpu.get(self.pid, 0.0), 1)}
        others = [pid for pid in sorted(self.cpu) if pid != self.pid and self.cpu[pid] >= 0.1]
        for n, pid in enumerate(others, 1):
            roles[f"child {n}"] = round(self.cpu[pid], 1)
        return roles

    def finish(self) -> float:
        self.stop.set()
        self.thread.join()
        return self.peak_kb / 1024


def run_measured(
    cmd: list[str], stdout: Path, stderr: Path, timeout_s: float, cwd: Path | None = None
) -> Measured:
    """Run ``cmd`` to completion; wall time, CPU and peak RSS come from ``os.wait4``."""
    with stdout.open("wb") as out, stderr.open("wb") as err:
        started = time.perf_counter()
        try:
            proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=cwd)
        except OSError as exc:
            err.write(f"cannot run {cmd[0]}: {exc}\n".encode())
            return Measured(exit_code=127, wall_s=0.0, user_s=0.0, sys_s=0.0, max_rss_mb=0.0)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            proc.kill()

        timer = threading.Timer(timeout_s, kill)
        timer.start()
        sampler = TreeRss(proc.pid)
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            timer.cancel()
            tree_mb = sampler.finish()
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Measured(
        exit_code=proc.returncode,
        wall_s=wall,
        user_s=usage.ru_utime,
        sys_s=usage.ru_stime,
        max_rss_mb=usage.ru_maxrss / 1024,  # KiB on Linux
        timed_out=killed.is_set(),
        tree_rss_mb=tree_mb,
        cpu_by_process=sampler.cpu_by_process(),
    )


def tail(path: Path, lines: int = 15) -> str:
    """Last lines of a log file, for error messages."""
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# --------------------------------------------------------------------------- nginx


def find_nginx() -> str | None:
    """Path of the nginx binary, or None."""
    for candidate in NGINX_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def ensure_nginx() -> str:
    """Return nginx's path, installing Debian's package with apt-get if it is missing."""
    found = find_nginx()
    if found:
        return found
    say("nginx not found: installing it with 'apt-get install -y nginx' ...")
    install, update = ["apt-get", "install", "-y", "nginx"], ["apt-get", "update"]
    for steps in ([install], [update, install]):
        for cmd in steps:
            _apt(cmd)
        found = find_nginx()
        if found:
            return found
    raise SystemExit(
        "error: nginx is not installed and 'apt-get install -y nginx' failed "
        "(run as root, or install nginx yourself, then retry)"
    )


def _apt(cmd: list[str]) -> None:
    """Run one apt-get command quietly; report (not raise) a failure."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, timeout=900, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        say(f"  {' '.join(cmd)}: {exc}")
        return
    if proc.returncode != 0:
        say(
            f"  {' '.join(cmd)}: exit {proc.returncode}: "
            f"{proc.stderr.decode('utf-8', 'replace').strip()[-300:]}"
        )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_nginx_conf(workdir: Path, site: Path, port: int) -> Path:
    """Write a minimal nginx.conf serving ``site`` on 127.0.0.1:``port``."""
    for sub in ("client", "proxy", "fastcgi", "uwsgi", "scgi"):
        (workdir / "nginx-tmp" / sub).mkdir(parents=True, exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = workdir / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(user=user, workdir=workdir, site=site, port=port), encoding="utf-8"
    )
    return conf


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout_s: float = 10.0) -> None:
    """Block until something accepts connections on ``port``; fail if nginx exits."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"nginx exited with code {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nginx did not listen on 127.0.0.1:{port} within {timeout_s:.0f} s")


def start_nginx(nginx: str, workdir: Path, site: Path) -> tuple[subprocess.Popen[bytes], int]:
    """Start nginx in the foreground as our child; return it and its port."""
    port = free_port()
    conf = write_nginx_conf(workdir, site, port)
    log = workdir / "nginx-error.log"
    cmd = [nginx, "-p", str(workdir), "-c", str(conf), "-e", str(log)]
    proc = subprocess.Popen(
        cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for_port(port, proc)
    except RuntimeError as exc:
        stop_nginx(proc)
        raise SystemExit(f"error: {exc}\n{tail(log)}") from None
    return proc, port


def stop_nginx(proc: subprocess.Popen[bytes]) -> None:
    """Fast shutdown (SIGTERM); kill if it lingers."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# --------------------------------------------------------------------------- runs


@dataclass
class RunResult:
    """One measured crawl."""

    name: str
    ok: bool
    wall_s: float = 0.0
    cpu_s: float = 0.0
    user_s: float = 0.0
    sys_s: float = 0.0
    max_rss_mb: float = 0.0
    tree_rss_mb: float = 0.0
    pages: int = 0
    others: int = 0
    broken_urls: int = 0  # bare: URLs answered 4xx; govwatch: distinct broken_link targets
    load: float = 0.0  # 1-minute load average just before the run
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.wall_s if self.wall_s else 0.0

    @property
    def links_per_s(self) -> float:
        return self.others / self.wall_s if self.wall_s else 0.0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["pages_per_s"] = round(self.pages_per_s, 1)
        data["links_per_s"] = round(self.links_per_s, 1)
        return data


def _fill(result: RunResult, measured: Measured) -> RunResult:
    result.wall_s = round(measured.wall_s, 3)
    result.cpu_s = round(measured.cpu_s, 3)
    result.user_s = round(measured.user_s, 3)
    result.sys_s = round(measured.sys_s, 3)
    result.max_rss_mb = round(measured.max_rss_mb, 1)
    result.tree_rss_mb = round(measured.tree_rss_mb, 1)
    result.extra["cpu_by_process"] = measured.cpu_by_process
    return result


def run_bare(python: str, url: str, workdir: Path, portal: Portal, timeout_s: float) -> RunResult:
    """Run the bare spider and check what it saw against the portal's truth."""
    out, err, bad = (workdir / f"bare.{s}" for s in ("out", "err", "bad"))
    cmd = [python, str(BENCH_DIR / "bare_spider.py"), url, "--bad-urls", str(bad)]
    measured = run_measured(cmd, out, err, timeout_s)
    result = _fill(RunResult("bare scrapy", ok=False), measured)
    lines = out.read_text(encoding="utf-8").splitlines()
    if measured.exit_code != 0 or not lines:
        why = "timed out" if measured.timed_out else f"exit {measured.exit_code}"
        say(f"  bare spider failed ({why}):\n{tail(err)}")
        return result
    counts = json.loads(lines[-1])
    result.ok = True
    result.pages, result.others = counts["pages"], counts["others"]
    result.broken_urls = counts["status_4xx"]
    bad_paths = {urlsplit(line.split("\t", 1)[1]).path for line in bad.read_text().splitlines()}
    result.extra = {
        "crawl_s": counts["crawl_s"],
        "status_5xx": counts["status_5xx"],
        "errors": counts["errors"],
        "pages_expected": len(portal.html_urls),
        "others_expected": len(portal.other_urls),
        "missing_found_exactly": bad_paths == portal.missing_urls,
    }
    return result


def govwatch_command(override: str | None) -> list[str] | None:
    """``--govwatch`` if given, else the venv's govwatch console script, else None."""
    if override:
        return shlex.split(override)
    script = Path(sys.executable).parent / "govwatch"
    return [str(script)] if script.exists() else None


def _as_path(url: str, port: int) -> str:
    """Site path of a URL on the bench host; other URLs are kept whole."""
    parts = urlsplit(url)
    if parts.netloc != f"127.0.0.1:{port}":
        return url
    return parts.path + (f"?{parts.query}" if parts.query else "")


def score_findings(findings: list[dict[str, Any]], portal: Portal, port: int) -> dict[str, Any]:
    """Compare broken_link findings with the planted missing files."""
    broken = [f for f in findings if f.get("detector") == "broken_link"]
    pairs = {(_as_path(f["page_url"], port), _as_path(f["target_url"], port)) for f in broken}
    targets = {t for _, t in pairs}
    false_pairs = sorted(pairs - portal.broken_pairs)
    missed_pairs = sorted(portal.broken_pairs - pairs)
    errors_of_false = [
        f for f in broken if _as_path(f["target_url"], port) not in portal.missing_urls
    ][:5]
    return {
        "broken_link_findings": len(broken),
        "reported_pairs": len(pairs),
        "reported_urls": len(targets),
        "false_pairs": len(false_pairs),
        "false_urls": len(targets - portal.missing_urls),
        "missed_pairs": len(missed_pairs),
        "missed_urls": len(portal.missing_urls - targets),
        "false_examples": [
            {"page": f.get("page_url"), "target": f.get("target_url"), "error": f.get("error")}
            for f in errors_of_false
        ],
        "missed_examples": [{"page": p, "target": t} for p, t in missed_pairs[:5]],
    }


def read_findings(cmd: list[str], db: str, workdir: Path) -> list[dict[str, Any]] | None:
    """``govwatch findings --format json`` as a list, or None (with a message) on failure."""
    proc = subprocess.run(
        [*cmd, "findings", "--db", db, "--format", "json"],
        capture_output=True,
        cwd=workdir,
        timeout=600,
        check=False,
    )
    if proc.returncode != 0:
        say(
            f"  govwatch findings failed (exit {proc.returncode}):\n"
            f"{proc.stderr.decode('utf-8', 'replace')[-2000:]}"
        )
        return None
    try:
        data = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        say(f"  govwatch findings printed no JSON array: {exc}")
        return None
    return data if isinstance(data, list) else None


def db_megabytes(db_file: Path) -> float:
    """Size of the SQLite database with its write-ahead log, in MB."""
    paths = (db_file, Path(f"{db_file}-wal"))
    return round(sum(p.stat().st_size for p in paths if p.exists()) / 1e6, 1)


def run_govwatch(
    cmd: list[str],
    url_port: int,
    workdir: Path,
    portal: Portal,
    timeout_s: float,
    fresh: bool = True,
) -> RunResult:
    """Run one full ``govwatch scan`` (on a fresh database unless ``fresh`` is false: then
    on the previous runs' one) and score its broken links."""
    config = workdir / "bench-site.yaml"
    config.write_text(SITE_CONFIG.format(port=url_port), encoding="utf-8")
    db_file = workdir / "bench.db"
    for suffix in ("", "-wal", "-shm", "-journal"):
        if fresh:
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    db = f"sqlite:///{db_file}"
    out, err = workdir / "govwatch.out", workdir / "govwatch.err"
    scan = [*cmd, "scan", "--config", str(config), "--db", db]
    measured = run_measured(scan, out, err, timeout_s, cwd=workdir)
    result = _fill(RunResult("govwatch scan", ok=False), measured)
    # Throughput uses the site's true size: govwatch has to visit all of it.
    result.pages, result.others = len(portal.html_urls), len(portal.other_urls)
    result.extra["summary"] = tail(out, 8).strip("\n")
    if measured.exit_code != 0:
        why = "timed out" if measured.timed_out else f"exit {measured.exit_code}"
        say(f"  govwatch scan failed ({why}):\n{tail(err)}")
        return result
    result.ok = True
    result.extra["db_mb"] = db_megabytes(db_file)
    findings = read_findings(cmd, db, workdir)
    if findings is not None:
        result.extra["broken_links"] = score_findings(findings, portal, url_port)
        result.broken_urls = result.extra["broken_links"]["reported_urls"]
    return result


# --------------------------------------------------------------------------- reporting


def print_table(results: list[RunResult]) -> None:
    """A small fixed-width table of all runs."""
    head = (
        f"{'run':<16}{'wall s':>9}{'CPU s':>9}{'user':>8}{'sys':>7}{'RSS MB':>9}{'all MB':>8}"
        f"{'pages':>8}{'others':>8}{'broken':>7}{'pages/s':>9}{'links/s':>9}{'load':>6}"
    )
    say(head)
    say("-" * len(head))
    for r in results:
        if not r.ok:
            say(f"{r.name:<16}{'failed':>9}")
            continue
        say(
            f"{r.name:<16}{r.wall_s:>9.2f}{r.cpu_s:>9.2f}{r.user_s:>8.2f}{r.sys_s:>7.2f}"
            f"{r.max_rss_mb:>9.1f}{r.tree_rss_mb:>8.1f}{r.pages:>8}{r.others:>8}{r.broken_urls:>7}"
            f"{r.pages_per_s:>9.1f}{r.links_per_s:>9.1f}{r.load:>6.2f}"
        )


def _median(results: list[RunResult], name: str, what: str) -> float | None:
    """Median wall (``what="wall"``) or CPU time (``"cpu"``) of the named crawler's runs."""
    values = [r.wall_s if what == "wall" else r.cpu_s for r in results if r.name == name and r.ok]
    return statistics.median(values) if values else None


def report_checks(results: list[RunResult]) -> None:
    """Correctness lines: bare spider vs truth, govwatch broken links vs planted."""
    for r in results:
        if not r.ok:
            continue
        if r.name == "bare scrapy":
            x = r.extra
            say(
                f"bare: pages {r.pages}/{x['pages_expected']}, others {r.others}/"
                f"{x['others_expected']}, 4xx = planted missing URLs exactly: "
                f"{x['missing_found_exactly']}, 5xx {x['status_5xx']}, errors {x['errors']}, "
                f"in-process crawl {x['crawl_s']:.2f} s"
            )
        elif r.name == "govwatch scan":
            if r.extra.get("cpu_by_process"):
                parts = ", ".join(f"{k} {v:.1f} s" for k, v in r.extra["cpu_by_process"].items())
                say(f"govwatch: CPU by process (sampled each second): {parts}")
            if r.extra.get("summary"):
                say(
                    "govwatch scan printed (last lines):\n  "
                    + r.extra["summary"].replace("\n", "\n  ")
                )
            if "broken_links" not in r.extra:
                continue
            b = r.extra["broken_links"]
            say(f"govwatch: database {r.extra['db_mb']} MB after the scan")
            say(
                f"govwatch: {b['broken_link_findings']} broken_link findings = "
                f"{b['reported_urls']} URLs / {b['reported_pairs']} (page, target) pairs; "
                f"false: {b['false_urls']} URLs / {b['false_pairs']} pairs; "
                f"missed: {b['missed_urls']} URLs / {b['missed_pairs']} pairs"
            )
            for ex in b["false_examples"]:
                say(f"  false: {ex['target']} on {ex['page']} ({ex['error']})")
            for ex in b["missed_examples"]:
                say(f"  missed: {ex['target']} on {ex['page']}")


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=20000, help="article pages (20000)")
    parser.add_argument(
        "--shape",
        choices=[*sorted(SHAPES), "both"],
        default="both",
        help="portal shape (portal_gen.SHAPES); both: one after the other (default)",
    )
    parser.add_argument("--seed", type=int, default=20241125)
    parser.add_argument("--workdir", type=Path, help="keep everything here (default: temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the temp dirs")
    parser.add_argument(
        "--site-on-disk", action="store_true", help="generate the portal in <workdir>/site"
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of each crawler")
    parser.add_argument(
        "--scans",
        type=int,
        default=1,
        help="after the measured runs, scan again on the same database up to N scans and "
        "print its size after each (retention)",
    )
    parser.add_argument("--skip-bare", action="store_true")
    parser.add_argument("--skip-govwatch", action="store_true")
    parser.add_argument("--govwatch", help="govwatch command (default: the venv's script)")
    parser.add_argument("--timeout", type=float, default=1800, help="per run, seconds")
    parser.add_argument("--json", action="store_true", help="print results as JSON on stdout")
    return parser.parse_args(argv)


def _tmpfs_with_room(path: str, need_bytes: int) -> bool:
    """True if ``path`` is a writable tmpfs mount with ``need_bytes`` free."""
    try:
        with open("/proc/mounts", encoding="utf-8") as mounts:
            types = {f[1]: f[2] for f in (line.split() for line in mounts) if len(f) > 2}
        stat = os.statvfs(path)
    except OSError:
        return False
    is_tmpfs = types.get(path) == "tmpfs"
    return is_tmpfs and os.access(path, os.W_OK) and stat.f_bavail * stat.f_frsize >= need_bytes


@dataclass
class Dirs:
    """Where things go: ``workdir`` (config, db, logs, nginx) and ``site`` (the portal)."""

    workdir: Path
    site: Path
    temporary: list[Path] = field(default_factory=list)

    def cleanup(self) -> None:
        for path in self.temporary:
            shutil.rmtree(path, ignore_errors=True)


def prepare_dirs(args: argparse.Namespace) -> Dirs:
    """Create the workdir and pick the site directory.

    The portal goes to a temp dir on tmpfs (/dev/shm) when there is room: creating 70,000
    files on this VM's ext4 takes ~9 s instead of ~1.5 s, and its writeback would overlap
    the measured crawls. ``--site-on-disk`` puts it in ``<workdir>/site``.
    """
    temporary: list[Path] = []
    if args.workdir:
        workdir = args.workdir.resolve()
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        workdir = Path(tempfile.mkdtemp(prefix="govwatch-bench-"))
        workdir.chmod(0o755)
        temporary.append(workdir)
    need = 2 * (args.articles * 12_000 + 64 * 2**20)
    if not args.site_on_disk and _tmpfs_with_room("/dev/shm", need):
        site = Path(tempfile.mkdtemp(prefix="govwatch-bench-site-", dir="/dev/shm"))
        site.chmod(0o755)
        temporary.append(site)
    else:
        site = workdir / "site"
        shutil.rmtree(site, ignore_errors=True)
    return Dirs(workdir, site, [] if args.keep else temporary)


def run_all(args: argparse.Namespace, workdir: Path, port: int, portal: Portal) -> list[RunResult]:
    """Interleave the requested runs of both crawlers."""
    url = f"http://127.0.0.1:{port}/"
    gov = None if args.skip_govwatch else govwatch_command(args.govwatch)
    if not args.skip_govwatch and gov is None:
        say("govwatch not available (no 'govwatch' console script in this venv): skipped")
    results: list[RunResult] = []
    for i in range(1, args.repeat + 1):
        if not args.skip_bare:
            load = os.getloadavg()[0]
            say(f"run {i}/{args.repeat}: bare scrapy spider (load {load:.2f}) ...")
            results.append(run_bare(sys.executable, url, workdir, portal, args.timeout))
            results[-1].load = load
        if gov is not None:
            load = os.getloadavg()[0]
            say(f"run {i}/{args.repeat}: govwatch scan (load {load:.2f}) ...")
            results.append(run_govwatch(gov, port, workdir, portal, args.timeout))
            results[-1].load = load
    if gov is not None and args.scans > 1:
        sizes = [results[-1].extra.get("db_mb")]
        for i in range(2, args.scans + 1):
            say(f"scan {i}/{args.scans} on the same database ...")
            run = run_govwatch(gov, port, workdir, portal, args.timeout, fresh=False)
            run.name = "govwatch again"
            sizes.append(run.extra.get("db_mb"))
            say(f"  database {sizes[-1]} MB after scan {i} ({run.wall_s:.0f} s)")
            if not run.ok:
                break
        say("database size after each scan (MB): " + ", ".join(str(x) for x in sizes))
    return results


def main(argv: list[str] | None = None) -> int:
    global _out
    args = parse_args(argv)
    _out = sys.stderr if args.json else sys.stdout
    nginx = ensure_nginx()
    shapes = sorted(SHAPES) if args.shape == "both" else [args.shape]
    payload: dict[str, Any] = {"cpus": os.cpu_count(), "shapes": {}}
    ok = True
    for shape in shapes:
        dirs = prepare_dirs(args)
        try:
            result = bench_shape(args, nginx, dirs, shape)
        finally:
            dirs.cleanup()
            if args.keep:
                say(f"kept: {dirs.workdir} and {dirs.site}")
        payload["shapes"][shape] = result
        ok = ok and all(r["ok"] for r in result["runs"])
    if args.json:
        payload["targets"] = {"wall": TARGET_WALL, "cpu": TARGET_CPU}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    return 0 if ok else 1


def bench_shape(args: argparse.Namespace, nginx: str, dirs: Dirs, shape: str) -> dict[str, Any]:
    """Generate one portal shape, serve it and run the crawlers on it; print the figures."""
    workdir = dirs.workdir
    say(f"== shape {shape} ==\nworkdir: {workdir}\nsite: {dirs.site}")
    portal = generate_portal(dirs.site, args.articles, args.seed, shape)
    s = portal.summary()
    say(
        f"portal: {s['articles']} articles, {s['html_urls']} pages, {s['other_urls']} other "
        f"URLs, {s['files_written']} files ({s['bytes_written'] / 1e6:.1f} MB) "
        f"written in {s['seconds']:.2f} s"
    )
    say(
        f"planted: {s['missing_urls']} missing URLs / {s['broken_pairs']} broken "
        "(page, target) pairs"
    )
    server, port = start_nginx(nginx, workdir, dirs.site)
    try:
        say(f"nginx: {nginx} on http://127.0.0.1:{port}/")
        results = run_all(args, workdir, port, portal)
    finally:
        stop_nginx(server)
    say()
    say(f"shape {shape}, {os.cpu_count()} CPUs:")
    print_table(results)
    report_checks(results)
    ratios = summarise_ratio(results)
    return {"portal": s, "runs": [r.to_json() for r in results], "ratios": ratios}


def summarise_ratio(results: list[RunResult]) -> dict[str, float] | None:
    """Print and return median govwatch / median bare wall and CPU time (and, for a
    crawler run more than once, the range of its walls and CPU times)."""
    for name in ("bare scrapy", "govwatch scan"):
        runs = [r for r in results if r.name == name and r.ok]
        if len(runs) > 1:
            walls, cpus = [r.wall_s for r in runs], [r.cpu_s for r in runs]
            say(
                f"{name}: {len(runs)} runs, wall {min(walls):.1f}–{max(walls):.1f} s "
                f"(median {statistics.median(walls):.1f}), CPU {min(cpus):.1f}–{max(cpus):.1f} s "
                f"(median {statistics.median(cpus):.1f})"
            )
    ratios: dict[str, float] = {}
    for what, target in (("wall", TARGET_WALL), ("cpu", TARGET_CPU)):
        bare = _median(results, "bare scrapy", what)
        gov = _median(results, "govwatch scan", what)
        if bare is None or gov is None:
            return None
        ratios[what] = round(gov / bare, 3)
        verdict = "meets" if gov / bare <= target else "misses"
        say(
            f"govwatch {what} / bare {what} = {gov:.2f} s / {bare:.2f} s = {gov / bare:.2f} "
            f"({verdict} target ≤ {target})"
        )
    return ratios


if __name__ == "__main__":
    sys.exit(main())
