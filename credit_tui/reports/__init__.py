"""Ledgers, self-assessments, packages, calendars, reports (imports interchange, store, scoring)."""
