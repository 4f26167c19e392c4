"""The SQLite store: schema, records, attachments, audit and undo, backup (imports scoring only)."""
