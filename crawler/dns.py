"""DNS resolver that never looks up special-use names that cannot exist.

RFC 6761 §6.4: names under ``.invalid`` always fail, and resolvers should answer
negatively at once instead of asking a DNS server. Monitors see such links in
test content and templates; answering locally also keeps tests off the network.
"""

from __future__ import annotations

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

NEVER_RESOLVED = (".invalid",)


class LocalFirstResolver(CachingThreadedResolver):
    def getHostByName(self, name: str, timeout=()):
        if name.lower().rstrip(".").endswith(NEVER_RESOLVED):
            return defer.fail(DNSLookupError(f"{name}: RFC 6761 special-use name"))
        return super().getHostByName(name, timeout)
