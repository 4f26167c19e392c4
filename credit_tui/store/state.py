"""Where a store's content is at, read with ``sqlite3`` alone (light: for the view cache's key).

The newest audit row, the record count, the year and table, and the schema
version: any write through the program changes one of them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from credit_tui.store.header import truncation


def content_state(db: Path) -> tuple[list[object], int] | None:
    """([newest audit id, rows in evidence, "year/catalog version"], schema version).

    None if the store cannot be read, and, untouched, for a store cut short:
    connecting would make empty ``-wal``/``-shm`` files beside it.
    """
    if not db.is_file() or truncation(db):
        return None
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0)
        try:
            state = conn.execute(
                "SELECT (SELECT max(id) FROM audit), (SELECT count(*) FROM evidence),"
                " (SELECT year || '/' || catalog_version FROM campaign WHERE id = 1)"
            ).fetchone()
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except (sqlite3.Error, OSError, ValueError):
        return None
    return list(state), version
