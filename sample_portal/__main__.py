"""``python -m sample_portal [--port N] [--root DIR]``: serve the sample portal
in the foreground until interrupted."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from pathlib import Path

from sample_portal import SamplePortal


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sample_portal",
        description="Serve the bundled sample portal (龙南市人民政府) on loopback.",
    )
    parser.add_argument("--port", type=int, default=0, help="port of the main site (default: free)")
    parser.add_argument("--root", type=Path, help="write the site here (default: a temp dir)")
    parser.add_argument("--quiet", action="store_true", help="do not print each request")
    args = parser.parse_args(argv)
    # SIGTERM stops it like Ctrl-C: servers closed, temporary files removed
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with SamplePortal(args.root, port=args.port, verbose=not args.quiet) as portal:
        print(f"main site:      {portal.base_url}", flush=True)
        print(f"external site:  {portal.external_url}", flush=True)
        print(f"untrusted TLS:  {portal.tls_url}", flush=True)
        print(f"refused:        {portal.refused_url}", flush=True)
        print("site config:\n" + portal.site_config_yaml(), flush=True)
        print("Press Ctrl-C to stop.", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
