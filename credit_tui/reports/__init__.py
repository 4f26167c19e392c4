"""What the office hands on: ledgers, tables, packages, calendars, templates and reports."""
