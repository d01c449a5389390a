"""Downloader middleware: wait before a retry without holding up other hosts."""

from __future__ import annotations

import time

from scrapy import Request
from twisted.internet import reactor
from twisted.internet.task import deferLater


class RetryDelayMiddleware:
    """Waits ``request.meta["delay_s"]`` (backoff or ``Retry-After``) before sending,
    and stamps ``sent_at`` so failures can report how long they took."""

    def process_request(self, request: Request):
        delay = request.meta.get("delay_s") or 0.0
        if delay > 0:
            request.meta["delay_s"] = 0.0
            return deferLater(reactor, delay, self.process_request, request)
        request.meta["sent_at"] = time.monotonic()
        return None
