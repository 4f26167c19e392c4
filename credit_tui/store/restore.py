"""Restoring a store from a backup, checked first, into the live database.

The backup is checked without touching it (a credit-tui store, not from a newer
program, not damaged); the current store is backed up (or, when damaged, kept
aside as ``…-damaged.db``); then its content is replaced by the backup's through
the backup API, into the live database, so other windows and the WAL stay
consistent. A refusal changes nothing.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from credit_tui.store.connection import Clock, system_clock
from credit_tui.store.database import Store
from credit_tui.store.errors import DamagedStoreError, StoreError, sqlite_reason
from credit_tui.store.header import SQLITE_MAGIC, truncation
from credit_tui.store.paths import backups_dir
from credit_tui.store.schema import APP_ID, SCHEMA_VERSION


@dataclass(frozen=True, slots=True)
class Restored:
    """What a restore did."""

    db: Path
    source: Path
    backup: Path | None
    """The current store's backup made first (None if there was no usable store)."""
    kept_damaged: Path | None
    """A damaged current store, kept aside as it was."""
    year: int
    records: int
    missing_attachments: int


@dataclass(frozen=True, slots=True)
class _Checked:
    year: int
    records: int


def restore_store(db: Path | str, source: Path | str, *, clock: Clock = system_clock) -> Restored:
    """Replace the store at ``db`` by the backup ``source`` (``StoreError`` and nothing changed
    if ``source`` is missing, not a credit-tui store, from a newer program or damaged)."""
    db, source = Path(db), Path(source)
    if not source.exists():
        raise StoreError(f"未恢复：备份文件 {source} 不存在")
    if not source.is_file():
        raise StoreError(f"未恢复：{source} 不是文件")
    if db.exists() and db.resolve() == source.resolve():
        raise StoreError(f"未恢复：{source} 就是当前数据库本身")
    with tempfile.TemporaryDirectory(prefix="credit-tui-restore-") as tmp:
        copy = Path(tmp) / "restore.db"
        _copy_store_file(source, copy)
        _check_backup(copy, source)
        backup = kept = None
        store = _open_current(db, clock)
        if store is not None:
            with store:
                backup = store.backup_now()
                _match_page_size(copy, int(store.conn.execute("PRAGMA page_size").fetchone()[0]))
                _backup_into(copy, store.conn)
        else:
            if db.exists() and db.stat().st_size > 0:
                kept = _keep_damaged(db, clock)
            _replace_file(copy, db)
    with Store.open(db, clock=clock, keep_backups=0) as store:  # an older backup is migrated
        year, records = store.campaign.year, store.count()
        missing = sum(
            1
            for sha, suffix in store.conn.execute("SELECT sha256, suffix FROM attachments")
            if not (store.attachments_dir / f"{sha}{suffix or ''}").is_file()
        )
    return Restored(db, source, backup, kept, year, records, missing)


def _copy_store_file(source: Path, target: Path) -> None:
    """The file and its write-ahead log (pages not yet in the file), never the original opened."""
    try:
        _copy_with_log(source, target)
    except OSError as exc:
        raise StoreError(f"未恢复：无法读取 {source}（{exc.strerror or exc}）") from None


def _copy_with_log(source: Path, target: Path) -> None:
    """Copy a database file and its ``-wal`` when that holds pages (``OSError`` if not)."""
    shutil.copyfile(source, target)
    wal = Path(f"{source}-wal")
    if wal.is_file() and wal.stat().st_size > 0:
        shutil.copyfile(wal, Path(f"{target}-wal"))


def _check_backup(copy: Path, source: Path) -> _Checked:
    """A credit-tui store of a version this program reads, whole; made a single file."""
    not_ours = f"未恢复：{source} 不是 credit-tui 数据库"
    with copy.open("rb") as fh:
        if fh.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise StoreError(f"{not_ours}（不是 SQLite 数据库文件）")
    reason = truncation(copy)
    if reason:
        raise StoreError(f"未恢复：{source} 已损坏（{reason}）")
    conn = sqlite3.connect(copy)
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if app_id != APP_ID or not {"_sqlite_migrations", "campaign", "evidence"} <= tables:
            raise StoreError(not_ours)
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"未恢复：{source} 由较新版本的 credit-tui 创建（结构版本 {version}，"
                f"本程序支持到 {SCHEMA_VERSION}），请升级程序后再恢复"
            )
        if version < 1:
            raise StoreError(not_ours)
        row = conn.execute("SELECT year FROM campaign WHERE id = 1").fetchone()
        if row is None:
            raise StoreError(f"{not_ours}（缺少年度信息）")
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise StoreError(f"未恢复：{source} 已损坏（{problems[0]}）")
        records = conn.execute("SELECT count(*) FROM evidence WHERE deleted_at IS NULL").fetchone()
        conn.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"未恢复：{source} 已损坏或不是数据库（{sqlite_reason(exc)}）") from None
    finally:
        conn.close()
    return _Checked(int(row[0]), int(records[0]))


def _open_current(db: Path, clock: Clock) -> Store | None:
    """The current store to back up and write into; None if missing, empty or damaged.

    A foreign file, a store of a newer program or a read-only store is refused.
    """
    if not db.exists() or (db.is_file() and db.stat().st_size == 0):
        return None
    try:
        store = Store.open(db, clock=clock, keep_backups=0)
    except DamagedStoreError:
        return None
    except StoreError as exc:
        raise StoreError(f"未恢复：{exc}") from None
    if store.read_only:
        store.close()
        raise StoreError(f"未恢复：数据库 {db} 为只读（文件、所在文件夹或磁盘不可写）")
    return store


def _match_page_size(copy: Path, page_size: int) -> None:
    """The backup API writes into a WAL database only pages of its own size."""
    conn = sqlite3.connect(copy)
    try:
        if int(conn.execute("PRAGMA page_size").fetchone()[0]) != page_size:
            conn.execute(f"PRAGMA page_size = {int(page_size)}")
            conn.execute("VACUUM")
    finally:
        conn.close()


def _backup_into(copy: Path, live: sqlite3.Connection) -> None:
    source = sqlite3.connect(copy)
    try:
        source.backup(live)
    except sqlite3.Error as exc:
        raise StoreError(f"恢复失败，数据库未改动：{sqlite_reason(exc)}") from None
    finally:
        source.close()


def _keep_damaged(db: Path, clock: Clock) -> Path:
    """Keep the damaged store (and its log) as it is, beside the backups."""
    now = clock()
    folder = backups_dir(db)
    target = folder / f"{db.stem}-{now.date().isoformat()}-{now.strftime('%H%M%S')}-damaged.db"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _copy_with_log(db, target)
    except OSError as exc:
        raise StoreError(f"未恢复：无法另存损坏的数据库（{exc.strerror or exc}）") from None
    return target


def _replace_file(copy: Path, db: Path) -> None:
    """Put the checked copy in place of a missing or damaged store (whole or not at all)."""
    tmp = db.with_name(f".{db.name}.{secrets.token_hex(4)}.restore")
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(copy, tmp)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.replace(tmp, db)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise StoreError(f"恢复失败：无法写入 {db}（{exc.strerror or exc}）") from None
