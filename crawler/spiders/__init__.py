"""Spiders: ``portal`` crawls a government portal (new-media feeds come later)."""
