"""One round of availability probes of a site: an HTTP GET of the home page and each
configured key page (``schedule.probe_urls``), within the site's timeout, as a browser.

A probe succeeds when the page answers 2xx (after redirects) within the timeout; the
rest is a failure with its error class (``crawler.errors``' words: ``timeout``,
``dns``, ``connection_refused`` …, or ``http_NNN``) and its latency. The round is
stored in ``probes`` (``storage.probes``); ``site_unreachable`` judges it.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import httpx

from common.clock import now
from crawler.errors import classify_error
from crawler.settings import DEFAULT_REQUEST_HEADERS, USER_AGENT
from storage.db import Database
from storage.probes import ProbeResult, store_probes

logger = logging.getLogger(__name__)


def probe_urls(config) -> list[str]:
    """The home page, then the configured key pages (each once)."""
    urls = [str(config.site.home_url or config.site.start_urls[0])]
    for url in config.schedule.probe_urls:
        if url not in urls:
            urls.append(url)
    return urls


def probe_once(client: httpx.Client, url: str) -> ProbeResult:
    started = time.monotonic()
    moment = now()
    try:
        response = client.get(url)
    except httpx.TimeoutException:
        error, status = "timeout", None
    except httpx.TooManyRedirects:
        error, status = "too_many_redirects", None
    except (httpx.HTTPError, OSError) as exc:
        error, status = classify_error(exc), None
    else:
        status = response.status_code
        error = None if 200 <= status < 300 else f"http_{status}"
    latency = round(1000 * (time.monotonic() - started))
    return ProbeResult(url, moment, error is None, status, latency, error)


@dataclass
class RoundSummary:
    results: list[ProbeResult]

    @property
    def failures(self) -> int:
        return sum(not r.ok for r in self.results)


def probe_site(config, db: Database) -> RoundSummary:
    """Probe every URL of the site once and store the round."""
    site = config.site
    headers = {"User-Agent": site.user_agent or USER_AGENT, **DEFAULT_REQUEST_HEADERS}
    with httpx.Client(
        timeout=httpx.Timeout(site.timeout_s), follow_redirects=True, headers=headers
    ) as client:
        results = [probe_once(client, url) for url in probe_urls(config)]
    with db.session() as session:
        store_probes(session, site.id, site.name, results)
    for result in results:
        if not result.ok:
            logger.warning("probe of %s failed: %s", result.url, result.error)
    return RoundSummary(results)
