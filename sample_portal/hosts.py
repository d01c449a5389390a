"""The addresses of the sample portal's servers, and the placeholders that stand for them.

Generated pages and the golden file are written with placeholders (``{main}``,
``{external}``, ``{tls}``, ``{refused}``; the golden file also ``{mirror}``, the new-media
mirror's, which ``SamplePortal.origins`` adds) because the ports are only known once the
servers are bound; :meth:`PortalHosts.fill` substitutes them. Pages may also use
``{main_netloc}`` (``127.0.0.1:<port>``) for protocol-relative links.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class PortalHosts:
    """Origins of the portal's servers, each without a trailing slash."""

    main: str  # http://127.0.0.1:<port>   the site that is crawled
    external: str  # http://127.0.0.2:<port>   another host: link-checked, never crawled
    tls: str  # https://127.0.0.1:<port>  certificate nobody trusts
    refused: str  # http://127.0.0.1:<port>   nothing listens there

    def placeholders(self) -> dict[str, str]:
        """The golden file's placeholders and the origins they stand for."""
        return {
            "{main}": self.main,
            "{external}": self.external,
            "{tls}": self.tls,
            "{refused}": self.refused,
        }

    def fill(self, text: str) -> str:
        """Replace every placeholder (and ``{main_netloc}``) in ``text``."""
        tokens = {**self.placeholders(), "{main_netloc}": urlsplit(self.main).netloc}
        for token, origin in tokens.items():
            text = text.replace(token, origin)
        return text
