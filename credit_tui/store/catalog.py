"""The store's own scoring table (SPEC 11): kept, loaded, replaced and undone.

The ``catalogs`` table holds every table the store has used, as canonical JSON
(``catalog_io.canonical``); ``campaign.catalog_id`` names the one in use. A
table is checked once when it comes in; the checked result is kept in the
cache folder under the hash of its JSON (``catalog_cache``, as JSON rebuilt
without validators), so loading it at ``status`` is reading one row and one file. A missing cache
(another machine) just checks the JSON again.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from credit_tui.scoring.catalog import Catalog, available_years, catalog_path, parse_catalog
from credit_tui.store import catalog_cache

if TYPE_CHECKING:
    from sqlite_utils import Database

    from credit_tui.store.connection import StoreBase

_LOADED: dict[str, Catalog] = {}
"""Tables loaded in this process, by the SHA-256 of their JSON."""


@dataclass(frozen=True, slots=True)
class TableInfo:
    """Where the table in use came from."""

    id: int
    version: str
    source: str
    imported_at: str


def bundled_for(year: int) -> tuple[Catalog, int]:
    """The bundled table for ``year``: its own, else the latest before it, else the earliest."""
    years = available_years()
    chosen = ([y for y in years if y <= year] or years[:1])[-1]
    return catalog_cache.load_checked(catalog_path(chosen)), chosen


def bundled_note(year: int, chosen: int) -> str:
    """What ``init`` says about the table it copied, in Chinese."""
    if chosen == year:
        return f"指标体系：内置 {chosen} 年度"
    return (
        f"指标体系：{year} 年度尚无内置指标体系，沿用 {chosen} 年度"
        "（可用 credit-tui catalog import 导入新的）"
    )


# --- writing (inside a transaction) --------------------------------------------------


def create_tables(db: Database) -> None:
    """The ``catalogs`` table and ``campaign.catalog_id`` (migration 3)."""
    db["catalogs"].create(
        {"id": int, "version": str, "source": str, "imported_at": str, "sha256": str, "data": str},
        pk="id",
    )
    db["campaign"].add_column("catalog_id", int)


def install(db: Database, catalog: Catalog, source: str, now: str) -> int:
    """Keep ``catalog`` in the store and put it in use; the new table's id."""
    from credit_tui.scoring.canonical import to_json

    data = to_json(catalog)
    sha = hashlib.sha256(data.encode("utf-8")).hexdigest()
    db["catalogs"].insert(
        {"version": catalog.version, "source": source, "imported_at": now, "sha256": sha,
         "data": data}
    )  # fmt: skip
    table_id = int(db.execute("SELECT last_insert_rowid()").fetchone()[0])
    _remember(data.encode("utf-8"), catalog)
    use(db, table_id, catalog)
    return table_id


def use(db: Database, table_id: int, catalog: Catalog) -> None:
    """Put the kept table ``table_id`` in use."""
    db.execute(
        "UPDATE campaign SET catalog_id = ?, catalog_version = ?, organisation = ? WHERE id = 1",
        (table_id, catalog.version, catalog.organisation),
    )


def undo_table(store: StoreBase, db: Database, before: dict[str, Any] | None) -> None:
    """Put back the table in use before a change (``before`` of its audit entry)."""
    if not before or "catalog_id" not in before:
        return
    table_id = int(before["catalog_id"])
    use(db, table_id, load_by_id(store.conn, table_id))


# --- reading -------------------------------------------------------------------------


def current(conn: sqlite3.Connection) -> tuple[int, str] | None:
    """The id and JSON of the table in use; None for a store older than migration 3."""
    try:
        row = conn.execute(
            "SELECT t.id, t.data FROM campaign c JOIN catalogs t ON t.id = c.catalog_id "
            "WHERE c.id = 1"
        ).fetchone()
    except sqlite3.OperationalError as exc:
        if "no such" in str(exc):
            return None
        raise
    return (int(row[0]), str(row[1])) if row else None


def info(conn: sqlite3.Connection) -> TableInfo | None:
    """Where the table in use came from (None for an older store)."""
    try:
        row = conn.execute(
            "SELECT t.id, t.version, t.source, t.imported_at FROM campaign c "
            "JOIN catalogs t ON t.id = c.catalog_id WHERE c.id = 1"
        ).fetchone()
    except sqlite3.OperationalError:
        return None
    return TableInfo(int(row[0]), str(row[1]), str(row[2]), str(row[3])) if row else None


def load_by_id(conn: sqlite3.Connection, table_id: int) -> Catalog:
    """A kept table by id."""
    row = conn.execute("SELECT data FROM catalogs WHERE id = ?", (table_id,)).fetchone()
    return load_json(str(row[0]).encode("utf-8"))


def load_json(data: bytes) -> Catalog:
    """A table from its canonical JSON: from memory, else the cache, else checked now."""
    sha = hashlib.sha256(data).hexdigest()
    found = _LOADED.get(sha)
    if found is not None:
        return found
    cached = catalog_cache.cache_dir() / catalog_cache.cache_name(data)
    catalog = catalog_cache.read_cached(cached)
    if catalog is None:  # missing, foreign or not ours: check the JSON again
        catalog = parse_catalog(json.loads(data), source="数据库中的指标体系")
        catalog_cache.write(cached, catalog_cache.dump(catalog))
    _LOADED[sha] = catalog
    return catalog


def _remember(data: bytes, catalog: Catalog) -> None:
    """A table just checked: kept in memory and in the cache, so loading it skips the check."""
    _LOADED[hashlib.sha256(data).hexdigest()] = catalog
    cached = catalog_cache.cache_dir() / catalog_cache.cache_name(data)
    if not cached.exists():
        catalog_cache.write(cached, catalog_cache.dump(catalog))


# --- snapshots ----------------------------------------------------------------------


def stamp(conn: sqlite3.Connection) -> dict[str, Any] | None:
    """Which table a score is computed with (kept in each snapshot)."""
    try:
        row = conn.execute(
            "SELECT t.id, t.version, t.sha256 FROM campaign c "
            "JOIN catalogs t ON t.id = c.catalog_id"
        ).fetchone()
    except sqlite3.OperationalError:
        return None
    return {"id": int(row[0]), "version": str(row[1]), "sha256": str(row[2])} if row else None


def change_note(report: dict[str, Any], conn: sqlite3.Connection) -> str:
    """Said beside a comparison with a snapshot scored with another table; else ``""``."""
    then, now = report.get("catalog"), stamp(conn)
    if not isinstance(then, dict) or now is None or then.get("sha256") == now["sha256"]:
        return ""
    if then.get("version") == now["version"]:
        return (
            f"注意：快照之后指标体系已更换（{now['version']} 年度，内容有变），"
            "分数按不同指标体系计算"
        )
    return (
        f"注意：快照按 {then.get('version')} 年度指标体系计分，当前为 {now['version']} 年度，"
        "分数按不同指标体系计算"
    )
