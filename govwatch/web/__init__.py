"""The editors' review web application (``govwatch serve``): FastAPI, server-rendered
Jinja2 pages in Chinese, a small static script, and a JSON API."""

from govwatch.web.app import create_app

__all__ = ["create_app"]
