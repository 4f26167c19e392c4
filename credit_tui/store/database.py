"""The one door to the SQLite store: ``Store``, composed of its parts, and opening it.

One file holds the campaign, the evidence, the attachment index and an audit
log; attached files are copied into a folder beside it, named by SHA-256.
Every write is one transaction and is written to the audit log with before
and after values, so ``undo`` can walk back through the changes. Deleting is
a soft delete. Reading needs only ``sqlite3`` (sqlite-utils is imported when
the store is created, migrated or written), which keeps read-only commands fast.

Nothing lost, nothing stuck: the first open of each day copies the store with
SQLite's backup API into ``backups/`` beside it (the newest ``KEEP_BACKUPS``
daily copies are kept); a damaged file is refused with the newest backup and
the command to restore it; a store that cannot be written (a read-only file,
folder or disk) opens for viewing only (``Store.read_only``), and every write
on it raises ``StoreError``.

The parts: ``connection`` (the connection, transactions, schema checks, the
campaign), ``records``, ``attachments``, ``audit``, ``undo``, ``snapshots``,
``backup``; the names other layers use are importable from here as before.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from credit_tui.scoring.catalog import Catalog, CatalogError, catalog_path, catalog_version_for
from credit_tui.store import catalog as store_catalog
from credit_tui.store.attachments import AttachmentRef, file_sha256
from credit_tui.store.audit import AuditEntry
from credit_tui.store.audit import public as _public
from credit_tui.store.backup import Backups
from credit_tui.store.backup_folder import (
    KEEP_BACKUPS,
    KEEP_BACKUPS_ENV,
    backups_to_keep,
    damaged_error,
    list_backups,
    newest_backup,
    prune_backups,
    restore_command,
)
from credit_tui.store.catalog_cache import load_checked
from credit_tui.store.connection import Campaign, Clock, system_clock
from credit_tui.store.errors import DamagedStoreError, NeedsReadOnly, ReadOnlyStoreError, StoreError
from credit_tui.store.header import SQLITE_MAGIC
from credit_tui.store.header import truncation as _truncation
from credit_tui.store.paths import BACKUPS_FOLDER, backups_dir, default_db_path
from credit_tui.store.records import SaveResult
from credit_tui.store.schema import ACTION_LABELS, APP_ID, EVIDENCE_COLUMNS, SCHEMA_VERSION
from credit_tui.store.snapshots import Snapshot, Snapshots
from credit_tui.store.staging import clean_stale
from credit_tui.store.undo import Undo

__all__ = [
    "ACTION_LABELS", "APP_ID", "BACKUPS_FOLDER", "EVIDENCE_COLUMNS", "KEEP_BACKUPS",
    "KEEP_BACKUPS_ENV", "SCHEMA_VERSION", "SQLITE_MAGIC", "AttachmentRef", "AuditEntry",
    "Campaign", "Clock", "DamagedStoreError", "ReadOnlyStoreError", "SaveResult", "Snapshot",
    "Store", "StoreError", "_public", "backups_dir", "damaged_error", "default_db_path",
    "file_sha256", "list_backups", "newest_backup", "prune_backups", "restore_command",
    "system_clock",
]  # fmt: skip


class Store(Undo, Snapshots, Backups):
    """An open credit-tui store."""

    @classmethod
    def create(
        cls,
        path: Path | str,
        year: int,
        *,
        clock: Clock = system_clock,
        keep_backups: int | None = None,
        catalog: Catalog | None = None,
        catalog_source: str | None = None,
    ) -> tuple[Store, bool]:
        """Open the store at ``path``, creating it for ``year`` if missing.

        Returns the store and whether it was created. An existing store of
        another year is refused (nothing written); an existing store of the
        year is backed up on the first open of the day, as ``open`` does. A new
        store keeps ``catalog`` (default: the bundled table for ``year``).
        """
        path = Path(path)
        if not 2000 <= year <= 2100:
            raise StoreError(f"年度 {year} 不合理，应为 2000 至 2100 之间的年份")
        if catalog is None:
            try:
                catalog = load_checked(catalog_path(int(catalog_version_for(year))))
            except CatalogError as exc:
                raise StoreError(f"无法载入评分表：{exc}") from None
            catalog_source = catalog_source or f"内置 {catalog.version} 年度"
        kind = _odd_kind(path)
        if kind:
            raise StoreError(f"数据库 {path} {kind}，不能作为数据库文件")
        existed = path.exists() and (path.is_dir() or path.stat().st_size > 0)
        if existed:
            _refuse_unusable_file(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
        keep = backups_to_keep(keep_backups)
        store = cls._connect(path, clock)
        try:
            store._check_ours()
            row = store._campaign_row() if existed else None
            if row is not None:
                if int(row[0]) != year:
                    raise StoreError(f"{path} 已是 {row[0]} 年度的数据库，不能改为 {year} 年度")
                store._enable_wal()
                store._backup_daily(keep)
                store._migrate()
                return store, False
            store._enable_wal()
            store._migrate()
            with store.transaction() as db:
                db["campaign"].insert(
                    {
                        "id": 1,
                        "year": year,
                        "catalog_version": catalog.version,
                        "organisation": catalog.organisation,
                        "created_at": store._now(),
                    }
                )
                store_catalog.install(db, catalog, catalog_source or "", store._now())
            return store, True
        except BaseException:
            store.close()
            raise

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        clock: Clock = system_clock,
        read_only: bool = False,
        keep_backups: int | None = None,
    ) -> Store:
        """Open an existing store (``StoreError`` if missing, damaged, foreign or newer).

        ``read_only`` opens it for viewing only. So does, found out rather than
        guessed from permission bits (root may write anywhere the disk allows),
        a file, folder or disk that cannot be written. The first writable open
        of each day (by ``clock``) backs the store up into ``backups/``, keeping
        the newest ``keep_backups`` daily copies (default ``KEEP_BACKUPS`` or
        ``$CREDIT_TUI_KEEP_BACKUPS``; 0: no automatic backups).
        """
        path = Path(path)
        if not path.exists():
            raise StoreError(f"数据库 {path} 不存在，请先运行 credit-tui init --year 年度")
        _refuse_unusable_file(path, empty_is_damage=True)
        keep = backups_to_keep(keep_backups)
        if not read_only and _writable(path):
            try:
                return cls._open(path, clock, read_only=False, keep=keep)
            except NeedsReadOnly:
                pass  # a read-only file, folder or disk: open it for viewing
        return cls._open(path, clock, read_only=True, keep=0)

    @classmethod
    def _open(cls, path: Path, clock: Clock, *, read_only: bool, keep: int) -> Store:
        store = cls._connect(path, clock, read_only=read_only)
        try:
            store._check_ours()
            if store._campaign_row() is None:
                raise StoreError(f"{path} 不是 credit-tui 数据库（缺少年度信息）")
            if not read_only:
                store._enable_wal()
                store._check_writable()
                store._backup_daily(keep)  # before a migration: the copy is of the old program
                if store._needs_migration():
                    store._migrate()
                clean_stale(store.attachments_dir, store._registered)  # a killed write's copies
            return store
        except BaseException:
            store.close()
            raise


def _writable(path: Path) -> bool:
    """Permission bits allow writing the file and creating ``-wal``/``-shm`` beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _odd_kind(path: Path) -> str | None:
    """What ``path`` is when it exists but is neither a regular file nor a folder."""
    from credit_tui.faults import kind_of

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return None if stat.S_ISDIR(mode) else kind_of(mode)


def _refuse_unusable_file(path: Path, *, empty_is_damage: bool = False) -> None:
    """A folder, a pipe or device, a truncated store, or (on open) an emptied one: refused
    before SQLite sees it (a named pipe would hang whatever opens it)."""
    if path.is_dir():
        raise StoreError(f"{path} 是文件夹，不是数据库文件")
    kind = _odd_kind(path)
    if kind:
        raise StoreError(f"数据库 {path} {kind}，不能作为数据库文件")
    reason = _truncation(path)
    if reason:
        raise damaged_error(path, f"已损坏（{reason}），无法使用")
    if empty_is_damage and path.stat().st_size == 0 and newest_backup(path) is not None:
        raise damaged_error(path, "是空文件（内容已丢失）")
