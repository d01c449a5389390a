"""Downloader middleware: wait before a retry without holding up other hosts."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from scrapy import Request


def elapsed_ms(meta: dict[str, Any]) -> int:
    """How long a request that failed had been out (0 if it was never sent)."""
    return int((time.monotonic() - meta.get("sent_at", time.monotonic())) * 1000)


class RetryDelayMiddleware:
    """Waits ``request.meta["delay_s"]`` (backoff or ``Retry-After``) before sending,
    and stamps ``sent_at`` so failures can report how long they took. Needs the
    asyncio reactor, which ``crawler.settings`` pins."""

    async def process_request(self, request: Request) -> None:
        delay = request.meta.get("delay_s") or 0.0
        if delay > 0:
            await asyncio.sleep(delay)
        request.meta["sent_at"] = time.monotonic()
