"""The site config (YAML) for scanning a running sample portal."""

from __future__ import annotations

from typing import Protocol


class _Running(Protocol):
    @property
    def base_url(self) -> str: ...

    @property
    def mirror_url(self) -> str: ...


def site_config_yaml(portal: _Running, new_media: bool = False) -> str:
    """Site config for the portal at ``portal.base_url``; validates with govwatch.config.
    ``new_media`` adds the accounts of the portal's mirror (``sample_portal.new_media``)."""
    base = portal.base_url
    accounts = ""
    if new_media:
        from sample_portal.new_media import config_yaml

        accounts = config_yaml(portal.mirror_url.rstrip("/"))
    return f"""\
# Site config for the bundled sample portal (generated for this run: the port changes).
site:
  id: longnan
  name: 龙南市人民政府
  start_urls: ["{base}"]
  allowed_domains: ["127.0.0.1"]
  home_url: "{base}"
  max_pages: 500
  timeout_s: 2          # /trap/slow.html (0.6 s) passes, /trap/hang.html (4 s) times out
  concurrency: 16
  respect_robots_txt: false
  retries: 2
  retry_after_cap_s: 5
  attachment_max_mb: 1  # the 1 MB compilation (attachment_problems.OVERSIZED_PDF) is not read

units:
  - {{name: 市政府办, default: true}}
  - {{name: 市司法局, paths: ["/xxgk/sfj/"]}}
  - {{name: 市融媒体中心, paths: ["/xwzx/"]}}
  - {{name: 市政务服务中心, paths: ["/zxfw/"]}}

columns:                # 司法局's list is named for the unit: say what kind of column it is
  - {{url: "{base}xxgk/sfj/", category: notice, name: 司法局信息公开}}

policy:
  document_columns: ["{base}xxgk/zcwj/", "{base}xxgk/zcwj/gfxwj/"]
  interpretation_columns: ["{base}xxgk/zcjd/"]
  max_working_days: 3
{accounts}"""
