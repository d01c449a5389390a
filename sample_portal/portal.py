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

from sample_portal import config, golden, new_media, traps
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

    def origins(self) -> dict[str, str]:
        """The golden file's placeholders (``{main}``, …, ``{mirror}``) and their origins."""
        return {**self._hosts().placeholders(), "{mirror}": self.mirror_url.rstrip("/")}

    def expected_findings(self, new_media: bool = False) -> list[dict[str, Any]]:
        """The golden records (``expected_findings.yaml``, placeholders kept, sorted) of a
        scan of :meth:`site_config_yaml` with the same ``new_media``: without it, the
        records that have no ``account``."""
        return golden.sort(r for r in golden.load().findings if new_media or "account" not in r)

    def normalise(self, findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Findings of ``govwatch findings --format json`` as golden records (see
        :func:`golden.normalise`), to compare with :meth:`expected_findings`."""
        return golden.normalise(findings, self.origins())

    def absolute(self, record: dict[str, Any]) -> dict[str, Any]:
        """A golden record with its placeholders filled in."""
        return golden.fill(record, self.origins())

    def expected_inconclusive(self) -> list[dict[str, Any]]:
        """Links a correct scan leaves undecided (``page``, ``target_url``, ``reason``, with
        absolute URLs): never findings."""
        return [self.absolute(item) for item in golden.load().inconclusive]

    def not_reported(self) -> list[str]:
        """Pages judged by the column and interpretation detectors and NOT reported."""
        return [self.absolute({"page": page})["page"] for page in golden.load().not_reported]

    def expected_portal_count(self) -> int:
        """How many findings a correct scan of the portal reports (its accounts aside)."""
        return len(self.expected_findings())

    def site_config_yaml(self, new_media: bool = False) -> str:
        """The site config; ``new_media=True`` adds the mirror's accounts (the demo does)."""
        return config.site_config_yaml(self, new_media)
