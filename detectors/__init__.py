"""Detectors: pure rules that turn what a scan saw into findings (see ``registry``)."""
