"""A light read of a store for the quick reads (``status``, ``score``): sqlite3 only.

``read`` opens the store read-only, takes the table it keeps (its canonical
JSON, checked when it was stored) as the plain ``Catalog`` without pydantic,
and the records with only the columns the scoring and the status view read.
It answers only when a read through ``Store.open`` would change nothing and say
nothing else: a store ours and current (no migration), already in WAL mode,
backed up today (the first open of a day backs up), with no staging folder left
by a killed write, whose file, folder and logs may be written. Any other case —
a missing, odd, foreign, newer, older, damaged or read-only store, a bad row —
answers ``None`` and the caller takes the full path, which explains in Chinese.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from credit_tui.scoring.build import from_raw
from credit_tui.scoring.model import Catalog
from credit_tui.scoring.plain import record
from credit_tui.scoring.record import Evidence
from credit_tui.store.backup_folder import backups_to_keep
from credit_tui.store.errors import StoreError
from credit_tui.store.paths import attachments_dir, backups_dir
from credit_tui.store.rows import attachment_links, evidence
from credit_tui.store.schema import APP_ID, EVIDENCE_COLUMNS, SCHEMA_VERSION

STAGING_PREFIX = ".staging-"
"""``store.staging.PREFIX`` (a test keeps the two equal; staging itself is heavier to load)."""

_COLUMNS = ", ".join("'' AS note" if c == "note" else c for c in EVIDENCE_COLUMNS)
"""The store's columns, the note (read by neither scoring nor the status view) left out."""


@record
class Contents:
    """What a quick read needs: the year, the table in use and the live records."""

    year: int
    catalog: Catalog
    records: list[Evidence]


def read(path: Path) -> Contents | None:
    """The store's year, table and records; ``None`` when the full path must answer."""
    try:
        if not _quiet_to_open(path):
            return None
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0)
    except (OSError, ValueError, sqlite3.Error):
        return None
    try:
        return _read(conn)
    except (sqlite3.Error, StoreError, ValueError, TypeError, KeyError, AttributeError):
        return None  # damaged, odd or changed by another program: the full path explains
    finally:
        conn.close()


def _quiet_to_open(path: Path) -> bool:
    """Whether ``Store.open`` would only read: a writable store with nothing due today."""
    if not path.is_file() or path.stat().st_size == 0:
        return False
    folder = path.parent
    if not (os.access(path, os.W_OK) and os.access(folder, os.W_OK)):
        return False  # read-only stores take the full path (immutable, WAL copies …)
    for log in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        if os.path.lexists(log) and not os.access(log, os.W_OK):
            return False
    if not _backed_up_today(path):
        return False
    try:
        with os.scandir(attachments_dir(path)) as entries:
            if any(e.name.startswith(STAGING_PREFIX) for e in entries):
                return False  # a killed write's copies: the full open finishes them
    except FileNotFoundError:
        pass
    return True


def _backed_up_today(path: Path) -> bool:
    try:
        if backups_to_keep(None) == 0:
            return True
    except StoreError:
        return False  # a bad count: the full open says so
    day = datetime.now(UTC).astimezone().date()  # the clerk's local day, as the full open
    return (backups_dir(path) / f"{path.stem}-{day.isoformat()}.db").exists()


def _read(conn: sqlite3.Connection) -> Contents | None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if version != SCHEMA_VERSION or app_id != APP_ID:
        return None  # older (to migrate), newer or foreign
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        return None  # the full open switches it to WAL
    row = conn.execute(
        "SELECT c.year, t.data FROM campaign c JOIN catalogs t ON t.id = c.catalog_id "
        "WHERE c.id = 1"
    ).fetchone()
    if row is None:
        return None
    catalog = from_raw(json.loads(row[1]))
    return Contents(int(row[0]), catalog, _records(conn))


def _records(conn: sqlite3.Connection) -> list[Evidence]:
    links = attachment_links(conn)
    sql = f"SELECT {_COLUMNS} FROM evidence WHERE deleted_at IS NULL ORDER BY date, id"
    return [evidence(row, links.get(row[0], ())) for row in conn.execute(sql)]
