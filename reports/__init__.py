"""What people read: findings exports (JSON, CSV, tables, summaries) and, later,
rectification notices and the weekly report."""
