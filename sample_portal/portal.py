"""``SamplePortal``: builds the sample portal and serves it on loopback addresses.

Usage::

    with SamplePortal() as portal:
        scan(portal.site_config_yaml())           # the crawl under test
        assert portal.request_count("/trap/flaky.html") == 2
        portal.reset_log()                         # the next scan sees the same traps

The servers are bound first (port 0), then the site is generated for their ports.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

import trustme
import yaml

from sample_portal import config, new_media, traps
from sample_portal.generate import GBK_CHARSET, GBK_SECTION, build_site
from sample_portal.hosts import PortalHosts
from sample_portal.server import (
    PortalServer,
    RequestLog,
    RequestRecord,
    StaticSite,
    file_reply,
)
from sample_portal.traps import status_page

EXPECTED_FINDINGS_FILE = Path(__file__).with_name("expected_findings.yaml")
EXPECTED_NEW_MEDIA_FILE = Path(__file__).with_name("expected_new_media.yaml")
EXPECTED_COLUMNS_FILE = Path(__file__).with_name("expected_columns.yaml")
COLUMN_DETECTORS = ("stale_column", "blank_column", "home_page_stale", "missing_interpretation")
MAIN_HOST = "127.0.0.1"
EXTERNAL_HOST = "127.0.0.2"


def _untrusted_tls_context() -> ssl.SSLContext:
    """A server context whose certificate chains to a CA that is thrown away at once."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert(MAIN_HOST, "localhost").configure_cert(context)
    return context


def _free_port(host: str) -> int:
    """A port on ``host`` with nothing listening (bound once, then released)."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def _main_charset(path: str) -> str:
    return GBK_CHARSET if path.startswith(GBK_SECTION) else "utf-8"


class SamplePortal:
    """The bundled sample portal, built under ``root`` (a temporary directory if None)
    and served on 127.0.0.1 (main, TLS) and 127.0.0.2 (external)."""

    def __init__(self, root: Path | None = None, *, port: int = 0, verbose: bool = False):
        self._root_arg = root
        self._port = port
        self._verbose = verbose
        self._tempdir: str | None = None
        self._servers: list[PortalServer] = []
        self._log = RequestLog()
        self._stopping = threading.Event()
        self.root: Path | None = None
        self.hosts: PortalHosts | None = None
        self.mirror: str | None = None  # origin of the new-media mirror

    # -- life cycle -----------------------------------------------------------------------

    def __enter__(self) -> SamplePortal:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> None:
        """Bind the servers, build the site for their ports, start serving."""
        if self._servers:
            raise RuntimeError("the sample portal is already running")
        self._stopping.clear()
        if self._root_arg is None:
            self._tempdir = tempfile.mkdtemp(prefix="govwatch-sample-portal-")
        root = self.root = Path(self._tempdir or self._root_arg or ".")
        errors = root / "errors"
        try:
            main = self._server(
                (MAIN_HOST, self._port),
                StaticSite(
                    root / "main",
                    lambda: file_reply(errors / "main-404.html", "utf-8", 404),
                    _main_charset,
                ),
                traps.MAIN_ROUTES,
            )
            external = self._server(
                (EXTERNAL_HOST, 0),
                StaticSite(
                    root / "external",
                    lambda: file_reply(errors / "external-notfound.html", "utf-8"),
                ),
                traps.EXTERNAL_ROUTES,
            )
            tls = self._server(
                (MAIN_HOST, 0),
                StaticSite(root / "tls", lambda: status_page(404)),
                {},
                ssl_context=_untrusted_tls_context(),
            )
            mirror = self._server(
                (MAIN_HOST, 0),
                StaticSite(root / new_media.MIRROR_DIR, lambda: status_page(404)),
                new_media.MIRROR_ROUTES,
            )
            self.mirror = f"http://{MAIN_HOST}:{mirror.port}"
            self.hosts = PortalHosts(
                main=f"http://{MAIN_HOST}:{main.port}",
                external=f"http://{EXTERNAL_HOST}:{external.port}",
                tls=f"https://{MAIN_HOST}:{tls.port}",
                refused=f"http://{MAIN_HOST}:{_free_port(MAIN_HOST)}",
            )
            build_site(root, self.hosts)
            new_media.build_mirror(root, self.mirror, self.hosts.main)
            for server in self._servers:
                server.start()
        except BaseException:
            self.close()
            raise

    def _server(
        self,
        address: tuple[str, int],
        site: StaticSite,
        routes: dict[str, traps.Route],
        **kwargs: Any,
    ) -> PortalServer:
        server = PortalServer(
            address,
            site=site,
            routes=routes,
            log=self._log,
            stopping=self._stopping,
            verbose=self._verbose,
            **kwargs,
        )
        self._servers.append(server)
        return server

    def close(self) -> None:
        """Stop every server (promptly, even with handlers mid-delay); remove a temp root."""
        self._stopping.set()
        for server in self._servers:
            server.stop()
        self._servers.clear()
        if self._tempdir is not None:
            shutil.rmtree(self._tempdir, ignore_errors=True)
            self._tempdir = None

    # -- addresses ------------------------------------------------------------------------

    def _hosts(self) -> PortalHosts:
        if self.hosts is None:
            raise RuntimeError("the sample portal is not running (use it as a context manager)")
        return self.hosts

    @property
    def base_url(self) -> str:
        """The main site, the one that is crawled: ``http://127.0.0.1:<port>/``."""
        return self._hosts().main + "/"

    @property
    def external_url(self) -> str:
        """Another host, linked but not crawled: ``http://127.0.0.2:<port>/``."""
        return self._hosts().external + "/"

    @property
    def tls_url(self) -> str:
        """HTTPS with a certificate nobody trusts: ``https://127.0.0.1:<port>/``."""
        return self._hosts().tls + "/"

    @property
    def refused_url(self) -> str:
        """A port with nothing listening: ``http://127.0.0.1:<port>/``."""
        return self._hosts().refused + "/"

    @property
    def mirror_url(self) -> str:
        """The new-media mirror (feeds, article pages, Weibo JSON): ``http://127.0.0.1:<port>/``."""
        if self.mirror is None:
            raise RuntimeError("the sample portal is not running (use it as a context manager)")
        return self.mirror + "/"

    # -- request log ----------------------------------------------------------------------

    def requests(self) -> list[RequestRecord]:
        return self._log.records()

    def request_count(self, path: str, method: str | None = None, host: str | None = None) -> int:
        """Requests for ``path`` (percent-decoded before comparing), optionally only one
        method and one server (``host:port``, or a bare host for any of its ports)."""
        return self._log.count(path, method, host)

    def reset_log(self) -> None:
        """Forget every request and every trap's state, so a new scan sees what the
        first one saw (flaky pages fail once again)."""
        self._log.clear()
        for server in self._servers:
            server.state.reset()

    # -- expectations and config ----------------------------------------------------------

    def _golden(self) -> dict[str, list[dict[str, Any]]]:
        text = self._hosts().fill(EXPECTED_FINDINGS_FILE.read_text(encoding="utf-8"))
        data: dict[str, list[dict[str, Any]]] = yaml.safe_load(text)
        for key in ("findings", "inconclusive", "hidden_link", "term", "privacy_leak"):
            for item in data[key]:
                item["page_url"] = self._hosts().main + item["page"]
        return data

    def expected_findings(self) -> list[dict[str, Any]]:
        """The golden broken-link findings with absolute URLs: ``page`` (path),
        ``page_url``, ``target``, ``element``, ``link_text``, ``error``, ``http_status``,
        ``unit``, ``on_home_page``."""
        return self._golden()["findings"]

    def expected_inconclusive(self) -> list[dict[str, Any]]:
        """Links a correct scan leaves undecided (``page``, ``page_url``, ``target``,
        ``reason``): never findings."""
        return self._golden()["inconclusive"]

    def expected_hidden_links(self) -> list[dict[str, Any]]:
        """The golden ``hidden_link`` findings (``page``, ``page_url``, ``target``,
        ``link_text``)."""
        return self._golden()["hidden_link"]

    def expected_terms(self) -> list[dict[str, Any]]:
        """The golden ``term`` findings (``page``, ``page_url``, ``term``, ``category``,
        ``severity``)."""
        return self._golden()["term"]

    def expected_privacy_leaks(self) -> list[dict[str, Any]]:
        """The golden ``privacy_leak`` findings (``page``, ``page_url``, ``kind``,
        ``masked_value``)."""
        return self._golden()["privacy_leak"]

    def expected_new_media(self) -> list[dict[str, Any]]:
        """The golden findings of the new-media accounts (``expected_new_media.yaml``), with
        ``{main}`` and ``{mirror}`` filled in: ``detector``, ``page_url``, ``unit`` and the
        detector's fields."""
        text = EXPECTED_NEW_MEDIA_FILE.read_text(encoding="utf-8")
        text = self._hosts().fill(text).replace("{mirror}", self.mirror_url.rstrip("/"))
        data: dict[str, list[dict[str, Any]]] = yaml.safe_load(text)
        return data["findings"]

    def expected_columns(self) -> dict[str, Any]:
        """The golden column, home-page and interpretation findings
        (``expected_columns.yaml``) by detector, each with ``page_url`` (and an absolute
        ``interpretation_url``); ``not_reported`` as absolute URLs."""
        data: dict[str, Any] = yaml.safe_load(EXPECTED_COLUMNS_FILE.read_text(encoding="utf-8"))
        main = self._hosts().main
        for detector in COLUMN_DETECTORS:
            for item in data[detector]:
                item["page_url"] = main + item["page"]
                if detector == "missing_interpretation":
                    path = item.pop("interpretation")
                    item["interpretation_url"] = main + path if path else None
        data["not_reported"] = [main + path for path in data["not_reported"]]
        return data

    def expected_portal_count(self) -> int:
        """How many findings a correct scan of the portal reports (its accounts aside)."""
        columns = self.expected_columns()
        return sum(
            len(expected)
            for expected in (
                self.expected_findings(),
                self.expected_hidden_links(),
                self.expected_terms(),
                self.expected_privacy_leaks(),
                *(columns[detector] for detector in COLUMN_DETECTORS),
            )
        )

    def site_config_yaml(self, new_media: bool = False) -> str:
        """The site config; ``new_media=True`` adds the mirror's accounts (the demo does)."""
        return config.site_config_yaml(self, new_media)
