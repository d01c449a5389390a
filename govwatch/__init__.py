"""govwatch: monitoring crawler for Chinese government portals and new-media accounts."""

__version__ = "0.1.0"
