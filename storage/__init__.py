"""Persistence: models, database sessions, migrations and the finding lifecycle."""
