"""Erroneous and sensitive terms (错敏词): the term base and the matcher."""
