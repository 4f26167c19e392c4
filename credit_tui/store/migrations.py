"""Schema of the store, as sqlite-utils migrations (applied in order, each in a transaction).

Each migration ends by stamping ``PRAGMA user_version`` with its number, which
``store`` compares with ``SCHEMA_VERSION`` to refuse stores from a newer program.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from credit_tui.store.schema import APP_ID

MIGRATIONS = Migrations("credit_tui")


@MIGRATIONS()
def m001_initial(db: Database) -> None:
    """Campaign, evidence, attachments and the audit log."""
    db["campaign"].create(
        {"id": int, "year": int, "catalog_version": str, "organisation": str, "created_at": str},
        pk="id",
    )
    db["evidence"].create(
        {
            "id": str,
            "indicator": str,
            "component": str,
            "item": str,
            "date": str,
            "department": str,
            "title": str,
            "kind": str,
            "channel": str,
            "quantity": int,
            "format_ok": int,
            "evaluation_data": int,
            "publicized": int,
            "url": str,
            "note": str,
            "status": str,
            "created_at": str,
            "updated_at": str,
            "deleted_at": str,
        },
        pk="id",
        not_null={"indicator", "component", "date", "department", "title", "kind", "channel"},
    )
    db["evidence"].create_index(["indicator", "component"])
    db["evidence"].create_index(["date"])
    db["attachments"].create(
        {"sha256": str, "suffix": str, "size": int, "created_at": str}, pk="sha256"
    )
    db["evidence_attachments"].create(
        {"evidence_id": str, "sha256": str, "name": str, "position": int},
        pk=("evidence_id", "sha256"),
        foreign_keys=[("evidence_id", "evidence", "id"), ("sha256", "attachments", "sha256")],
    )
    db["audit"].create(
        {
            "id": int,
            "at": str,
            "batch": str,
            "action": str,
            "evidence_id": str,
            "before": str,
            "after": str,
            "label": str,
            "undone": int,
        },
        pk="id",
    )
    db["audit"].create_index(["batch"])
    db.execute(f"PRAGMA application_id = {APP_ID}")
    db.execute("PRAGMA user_version = 1")


@MIGRATIONS()
def m002_snapshots(db: Database) -> None:
    """Frozen score reports the clerk saved under a label (第二季度末 …)."""
    db["snapshots"].create(
        {"id": int, "label": str, "as_of": str, "saved_at": str, "report": str}, pk="id"
    )
    db.execute("PRAGMA user_version = 2")


@MIGRATIONS()
def m003_catalog_in_store(db: Database) -> None:
    """The table the store is scored with, kept in the store (SPEC 11)."""
    from credit_tui.scoring.catalog import catalog_path
    from credit_tui.store.catalog import create_tables, install
    from credit_tui.store.catalog_cache import load_checked

    create_tables(db)
    row = db.execute("SELECT catalog_version, created_at FROM campaign WHERE id = 1").fetchone()
    if row is not None:
        catalog = load_checked(catalog_path(int(row[0])))
        install(db, catalog, f"内置 {row[0]} 年度（升级时复制）", str(row[1]))
    db.execute("PRAGMA user_version = 3")
