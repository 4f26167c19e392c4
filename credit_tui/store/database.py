"""The one door to the SQLite store (sqlite-utils for schema and writes).

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
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from credit_tui.errors import UserFacingError
from credit_tui.faults import reason_of
from credit_tui.scoring.catalog import (
    Catalog,
    CatalogError,
    catalog_path,
    catalog_version_for,
)
from credit_tui.scoring.evidence import Evidence
from credit_tui.store import catalog as store_catalog
from credit_tui.store.attachment_guard import store_files
from credit_tui.store.catalog_cache import load_checked
from credit_tui.store.header import _OPEN_FILES
from credit_tui.store.header import SQLITE_MAGIC as SQLITE_MAGIC  # re-exported
from credit_tui.store.header import file_key as _file_key
from credit_tui.store.header import truncation as _truncation
from credit_tui.store.staging import Staging, clean_stale
from credit_tui.store.wal_snapshot import connect_copy, has_pending_log

if TYPE_CHECKING:
    from sqlite_utils import Database

SCHEMA_VERSION = 3
APP_ID = 0x43524454  # "CRDT", stamped in PRAGMA application_id
BUSY_TIMEOUT_S = 5.0
EVIDENCE_COLUMNS = (
    "id", "indicator", "component", "item", "date", "department", "title", "kind", "channel",
    "quantity", "format_ok", "evaluation_data", "publicized", "url", "note", "status",
)  # fmt: skip
_BOOL_COLUMNS = ("format_ok", "evaluation_data", "publicized")
_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,10}$")
_P = ParamSpec("_P")
_R = TypeVar("_R")
Clock = Callable[[], datetime]
"""Wall-clock time for audit timestamps (injected; tests pass a fixed one)."""
system_clock: Clock = partial(datetime.now, UTC)

KEEP_BACKUPS = 14
"""Daily backups kept in ``backups/`` (``$CREDIT_TUI_KEEP_BACKUPS`` overrides; 0: none)."""
KEEP_BACKUPS_ENV = "CREDIT_TUI_KEEP_BACKUPS"
BACKUPS_FOLDER = "backups"


class StoreError(UserFacingError):
    """A store that cannot be used or a write that cannot be done (Chinese message)."""


class DamagedStoreError(StoreError):
    """The file is damaged (truncated, malformed, not a database): names the newest backup."""

    def __init__(self, message: str, backup: Path | None = None) -> None:
        super().__init__(message)
        self.backup = backup


class ReadOnlyStoreError(StoreError):
    """A write on a store that can only be read."""


class _NeedsReadOnly(ReadOnlyStoreError):
    """Opening for writing failed because the file, folder or disk is read-only."""


@dataclass(frozen=True, slots=True)
class Campaign:
    """What the store is for: the assessment year and its table."""

    year: int
    catalog_version: str
    organisation: str


@dataclass(frozen=True, slots=True)
class AttachmentRef:
    """An attached file: its SHA-256 and the name the clerk gave it."""

    sha256: str
    name: str


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What a write did."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        """Whether anything was written."""
        return bool(self.added or self.replaced)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit trail."""

    id: int
    at: str
    batch: str
    action: str
    evidence_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    label: str
    undone: bool


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A score report frozen under a label."""

    id: int
    label: str
    as_of: str
    saved_at: str
    report: dict[str, Any]

    @property
    def earned(self) -> object:
        """The total it recorded."""
        return self.report.get("earned")


ACTION_LABELS = {
    "insert": "新增", "update": "修改", "delete": "删除", "undo": "撤销", "catalog": "指标体系",
}  # fmt: skip


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's content, read in 1 MiB pieces (how attachments are named)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def default_db_path(cwd: Path | None = None) -> Path:
    """``$CREDIT_TUI_DB``, else ``db/credit.db`` under the current directory."""
    env = os.environ.get("CREDIT_TUI_DB")
    if env:
        return Path(env)
    return (cwd or Path.cwd()) / "db" / "credit.db"


def _reads(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """A reading method: a damaged file found while reading is a ``DamagedStoreError``."""

    @functools.wraps(method)
    def guarded(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except sqlite3.DatabaseError as exc:
            if not _is_damage(exc):
                raise
            store = args[0]
            assert isinstance(store, Store)
            raise store._problem(exc, "无法读取") from None

    return guarded


class Store:
    """An open credit-tui store."""

    def __init__(
        self, path: Path, conn: sqlite3.Connection, clock: Clock, *, read_only: bool = False
    ) -> None:
        self.path = path
        self.conn = conn
        self.clock = clock
        self.read_only = read_only
        """Open for viewing only: every write raises ``ReadOnlyStoreError``."""
        self.daily_backup: Path | None = None
        """The backup this open made (the first open of the day), if any."""
        self.backup_error: str | None = None
        """Why today's automatic backup could not be made (Chinese), if it failed."""
        self._db: Database | None = None
        self._file_key = _file_key(path)
        if self._file_key is not None:
            _OPEN_FILES[self._file_key] = _OPEN_FILES.get(self._file_key, 0) + 1

    # --- opening -----------------------------------------------------------------

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
        keep = _keep_backups(keep_backups)
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
        keep = _keep_backups(keep_backups)
        if not read_only and _writable(path):
            try:
                return cls._open(path, clock, read_only=False, keep=keep)
            except _NeedsReadOnly:
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

    @classmethod
    def _connect(cls, path: Path, clock: Clock, *, read_only: bool = False) -> Store:
        try:
            if read_only:
                conn = _connect_read_only(path)
            else:
                conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path} 不是可用的 SQLite 数据库（{_sqlite_reason(exc)}）") from None
        return cls(path, conn, clock, read_only=read_only)

    def _enable_wal(self) -> None:
        """WAL journal, set only once the file is known to be ours (a refusal changes nothing)."""
        try:
            if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self.conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.DatabaseError as exc:
            raise self._problem(exc, "无法打开") from None

    def _check_writable(self) -> None:
        """``_NeedsReadOnly`` unless the file and its logs may be written.

        SQLite quietly opens a file it may not write read-only, so ask the system with
        ``os.access`` (a read-only disk answers EROFS, even to root). Never ``open()``:
        closing any descriptor of the file would drop this process's SQLite locks on it
        (POSIX), and another process could then reset the shared WAL index under us.
        """
        for path in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm")):
            if not os.path.lexists(path):
                continue  # no log yet: SQLite made the file's folder work above
            if not os.access(path, os.W_OK):
                raise _NeedsReadOnly(f"数据库为只读，无法保存：{self.path}（文件或磁盘不可写）")

    def _problem(self, exc: sqlite3.Error, what: str) -> StoreError:
        """The Chinese error for a SQLite failure on this store (damage names a backup)."""
        text = str(exc)
        if not self.read_only and _is_read_only_error(exc):
            return _NeedsReadOnly(f"数据库为只读，无法保存：{self.path}（{_sqlite_reason(exc)}）")
        if "file is not a database" in text:
            return damaged_error(
                self.path, f"不是可用的数据库（{_sqlite_reason(exc)}）", hint_if_none=False
            )
        if _is_damage(exc):
            return damaged_error(self.path, f"已损坏（{_sqlite_reason(exc)}），无法使用")
        return StoreError(f"{self.path} {what}（{_sqlite_reason(exc)}）")

    def close(self) -> None:
        """Close the connection (files staged for a write never made are dropped)."""
        self.discard_staged()
        self.conn.close()
        key, self._file_key = self._file_key, None
        if key is not None and _OPEN_FILES.get(key, 0) > 1:
            _OPEN_FILES[key] -= 1
        elif key is not None:
            _OPEN_FILES.pop(key, None)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- backups -------------------------------------------------------------------

    def _backup_daily(self, keep: int) -> None:
        """The first open of the day: copy the store into ``backups/`` and drop the oldest.

        A damaged store is refused (``DamagedStoreError``), never copied over
        good backups; a backup that cannot be written (a full disk) is noted in
        ``backup_error`` and does not stop the clerk's work.
        """
        if keep <= 0:
            return
        day = self.clock().astimezone().date()  # the clerk's local day, not UTC's
        target = backups_dir(self.path) / f"{self.path.stem}-{day.isoformat()}.db"
        if target.exists():
            return
        try:
            problems = [r[0] for r in self.conn.execute("PRAGMA quick_check").fetchall()]
        except sqlite3.DatabaseError as exc:
            raise self._problem(exc, "无法读取") from None
        if problems != ["ok"]:
            raise damaged_error(self.path, f"已损坏（{problems[0]}），无法使用")
        try:
            self.backup_to(target)
            prune_backups(self.path, keep)
        except (OSError, sqlite3.Error) as exc:
            reason = _sqlite_reason(exc) if isinstance(exc, sqlite3.Error) else exc.strerror
            self.backup_error = f"今日自动备份失败：{reason or exc}"
            return
        self.daily_backup = target

    def backup_to(self, target: Path | str) -> Path:
        """Copy the whole store to ``target`` with SQLite's backup API; returns ``target``.

        The copy is consistent even while another program writes (WAL), is a
        single file (rollback journal, no ``-wal``) and appears whole or not at
        all (written beside ``target``, then renamed).
        """
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            dst = sqlite3.connect(tmp)
            try:
                self.conn.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
            os.replace(tmp, target)
        except BaseException:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{tmp}{suffix}").unlink(missing_ok=True)
            raise
        return target

    def backup_now(self) -> Path:
        """A backup now into ``backups/``, named with the date and time (``credit-…-093012.db``)."""
        now = self.clock().astimezone()
        folder = backups_dir(self.path)
        stem = f"{self.path.stem}-{now.date().isoformat()}-{now.strftime('%H%M%S')}"
        target = folder / f"{stem}.db"
        n = 1
        while target.exists():
            n += 1
            target = folder / f"{stem}-{n}.db"
        try:
            return self.backup_to(target)
        except sqlite3.DatabaseError as exc:
            raise self._problem(exc, "无法备份") from None
        except OSError as exc:
            raise StoreError(f"无法写入备份 {target}：{exc.strerror or exc}") from None

    # --- schema ------------------------------------------------------------------

    def _user_version(self) -> int:
        try:
            return int(self.conn.execute("PRAGMA user_version").fetchone()[0])
        except sqlite3.DatabaseError as exc:
            raise self._problem(exc, "不是可用的数据库") from None

    def _needs_migration(self) -> bool:
        return self._user_version() < SCHEMA_VERSION

    def _check_ours(self) -> None:
        """Refuse, without writing anything, a file that is not a store of ours or is newer."""
        try:
            version = int(self.conn.execute("PRAGMA user_version").fetchone()[0])
            app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError as exc:
            raise self._problem(exc, "不是可用的数据库") from None
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} 由较新版本的 credit-tui 创建（结构版本 {version}，"
                f"本程序支持到 {SCHEMA_VERSION}），请升级程序后再打开"
            )
        if version and app_id != APP_ID:
            raise StoreError(f"{self.path} 不是 credit-tui 数据库")
        if tables and "_sqlite_migrations" not in tables:
            raise StoreError(f"{self.path} 不是 credit-tui 数据库（含有其他数据表）")

    def _migrate(self) -> None:
        if not self._needs_migration():
            return
        from credit_tui.store.migrations import MIGRATIONS

        try:
            MIGRATIONS.apply(self.db)
        except sqlite3.DatabaseError as exc:
            raise self._problem(exc, "无法升级数据结构") from None

    @property
    def db(self) -> Database:
        """The sqlite-utils view of the connection (imported on first use)."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """One atomic write; SQLite errors become ``StoreError`` in Chinese.

        ``BEGIN IMMEDIATE`` takes the write lock first, so a second window's write
        waits for it (the busy timeout) instead of failing halfway through. On a
        read-only store nothing is tried: ``ReadOnlyStoreError``.
        """
        self._refuse_if_read_only()
        try:
            self.db.execute("BEGIN IMMEDIATE")
            with self.db.atomic() as db:  # inside our transaction: a savepoint
                yield db
            self.db.execute("COMMIT")
            self._publish_staged()
        except BaseException as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError) and _is_read_only_error(exc):
                raise ReadOnlyStoreError(
                    f"数据库为只读，无法保存：{self.path}（{_sqlite_reason(exc)}）"
                ) from None
            if isinstance(exc, sqlite3.OperationalError):
                raise StoreError(f"写入数据库失败：{_sqlite_reason(exc)}") from None
            if isinstance(exc, sqlite3.DatabaseError) and _is_damage(exc):
                raise self._problem(exc, "无法写入") from None
            raise

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise ReadOnlyStoreError(
                f"数据库为只读，无法保存：{self.path}（文件、所在文件夹或磁盘不可写，仅供查看）"
            )

    # --- campaign ------------------------------------------------------------------

    def _campaign_row(self) -> tuple[int, str, str] | None:
        try:
            return self.conn.execute(
                "SELECT year, catalog_version, organisation FROM campaign WHERE id = 1"
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and "no such table" in str(exc):
                return None
            raise self._problem(exc, "无法读取") from None

    @cached_property
    def campaign(self) -> Campaign:
        """The store's year and table."""
        row = self._campaign_row()
        if row is None:
            raise StoreError(f"{self.path} 不是 credit-tui 数据库（缺少年度信息）")
        return Campaign(int(row[0]), str(row[1]), str(row[2]))

    @cached_property
    def catalog(self) -> Catalog:
        """The scoring table the store keeps (an older store's: the bundled one)."""
        try:
            kept = store_catalog.current(self.conn)
            if kept is not None:
                return store_catalog.load_json(kept[1].encode("utf-8"))
            return load_checked(catalog_path(int(self.campaign.catalog_version)))
        except (CatalogError, ValueError) as exc:
            raise StoreError(f"无法载入评分表：{exc}") from None

    @property
    def attachments_dir(self) -> Path:
        """Where attached files are kept: beside the database."""
        return self.path.parent / f"{self.path.stem}_attachments"

    # --- reading -------------------------------------------------------------------

    @_reads
    def data_version(self) -> int:
        """Changes when another connection commits (``PRAGMA data_version``)."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    @_reads
    def size_hint(self) -> int:
        """At least as many as ``count()``, at once: records ever written, deleted ones too.

        ``count()`` reads every row (a few tens of ms at 100,000); this reads one
        end of the table.
        """
        row = self.conn.execute("SELECT max(rowid) FROM evidence").fetchone()
        return int(row[0] or 0)

    @_reads
    def count(self) -> int:
        """Live (not deleted) records."""
        return int(
            self.conn.execute("SELECT count(*) FROM evidence WHERE deleted_at IS NULL").fetchone()[
                0
            ]
        )

    @_reads
    def records(self) -> list[Evidence]:
        """Every live record, oldest first."""
        links = self._attachment_links(None)
        sql = f"SELECT {', '.join(EVIDENCE_COLUMNS)} FROM evidence WHERE deleted_at IS NULL"
        return [
            _evidence(row, links.get(row[0], ()))
            for row in self.conn.execute(sql + " ORDER BY date, id")
        ]

    @_reads
    def get(self, record_id: str) -> Evidence | None:
        """A live record by id."""
        row = self.conn.execute(
            f"SELECT {', '.join(EVIDENCE_COLUMNS)} FROM evidence "
            "WHERE id = ? AND deleted_at IS NULL",
            (record_id,),
        ).fetchone()
        if row is None:
            return None
        return _evidence(row, self._attachment_links(record_id).get(record_id, ()))

    @_reads
    def attachments_of(self, record_id: str) -> list[AttachmentRef]:
        """A record's attachments with the names they were given."""
        rows = self.conn.execute(
            "SELECT sha256, name FROM evidence_attachments WHERE evidence_id = ? ORDER BY position",
            (record_id,),
        )
        return [AttachmentRef(sha, name) for sha, name in rows]

    @_reads
    def attachment_names(self) -> dict[str, list[AttachmentRef]]:
        """Every live record's attachments, by record id."""
        out: dict[str, list[AttachmentRef]] = {}
        for rid, sha, name in self.conn.execute(
            "SELECT evidence_id, sha256, name FROM evidence_attachments ORDER BY position"
        ):
            out.setdefault(rid, []).append(AttachmentRef(sha, name))
        return out

    @_reads
    def attachment_path(self, sha256: str) -> Path | None:
        """The stored file of an attachment, if present."""
        row = self.conn.execute(
            "SELECT suffix FROM attachments WHERE sha256 = ?", (sha256,)
        ).fetchone()
        if row is None:
            return None
        return self.attachments_dir / f"{sha256}{row[0]}"

    @_reads
    def attachment_uses(self, sha256: str) -> list[tuple[str, str]]:
        """The live records attaching this file: (record id, the name given there)."""
        rows = self.conn.execute(
            "SELECT a.evidence_id, a.name FROM evidence_attachments a "
            "JOIN evidence e ON e.id = a.evidence_id "
            "WHERE a.sha256 = ? AND e.deleted_at IS NULL ORDER BY a.evidence_id",
            (sha256,),
        )
        return [(rid, name) for rid, name in rows]

    def _attachment_links(self, record_id: str | None) -> dict[str, tuple[str, ...]]:
        sql = "SELECT evidence_id, sha256 FROM evidence_attachments"
        args: tuple[str, ...] = ()
        if record_id is not None:
            sql += " WHERE evidence_id = ?"
            args = (record_id,)
        links: dict[str, list[str]] = {}
        for rid, sha in self.conn.execute(sql + " ORDER BY evidence_id, position", args):
            links.setdefault(rid, []).append(sha)
        return {k: tuple(v) for k, v in links.items()}

    @_reads
    def log(self, limit: int = 50) -> list[AuditEntry]:
        """The audit trail, newest first."""
        rows = self.conn.execute(
            "SELECT id, at, batch, action, evidence_id, before, after, label, undone "
            "FROM audit ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [
            AuditEntry(
                r[0], r[1], r[2], r[3], r[4],
                json.loads(r[5]) if r[5] else None, json.loads(r[6]) if r[6] else None,
                r[7], bool(r[8]),
            )
            for r in rows
        ]  # fmt: skip

    # --- attachments ---------------------------------------------------------------

    def store_file(self, source: Path | str, name: str | None = None) -> AttachmentRef:
        """Copy a file into the attachment folder under its SHA-256 (once per content).

        Only the folder beside the database is ever written; the name is kept
        for display. The index row is written by the ``save`` that uses it.
        """
        self._refuse_if_read_only()
        source = Path(source)
        if not source.is_file():
            raise StoreError(f"附件 {source} 不存在或不是文件")
        if Path(os.path.realpath(source)) in store_files(self.path):  # reading it drops locks
            raise StoreError(f"附件 {source} 是数据库文件本身，不能作为附件")
        sha = file_sha256(source)
        suffix = source.suffix.lower() if _SUFFIX.match(source.suffix) else ""
        target = self.attachments_dir / f"{sha}{suffix}"
        if target.exists():
            size = target.stat().st_size
        else:  # copied in beside, moved into place once the write that uses it is committed
            try:
                staged = self._staging.add(sha, target.name, partial(shutil.copyfile, source))
                size = staged.stat().st_size
            except OSError as exc:  # a full or read-only disk: nothing of the copy is left
                raise StoreError(
                    f"无法把附件 {source.name} 复制到 {self.attachments_dir}：{reason_of(exc)}"
                ) from None
        self._pending_files[sha] = (suffix, size)
        return AttachmentRef(sha, name or source.name)

    @cached_property
    def _staging(self) -> Staging:
        return Staging(self.attachments_dir)

    def discard_staged(self) -> None:
        """Drop the files copied in for a write that failed (nothing of it is kept)."""
        if "_staging" in self.__dict__:
            self._staging.discard()

    def _publish_staged(self) -> None:
        """After a commit: the staged files the store now lists, moved into place."""
        if "_staging" not in self.__dict__ or not self._staging.files:
            return
        with contextlib.suppress(OSError):  # left staged: the next open moves them
            self._staging.publish(self._registered)

    def _registered(self, sha: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM attachments WHERE sha256 = ?", (sha,)).fetchone()
        return row is not None

    @cached_property
    def _pending_files(self) -> dict[str, tuple[str, int]]:
        return {}

    # --- writing -------------------------------------------------------------------

    def save(
        self, record: Evidence, attachments: Sequence[AttachmentRef] | None = None
    ) -> SaveResult:
        """Insert or replace one record (one transaction, one audit batch)."""
        return self.save_many([(record, attachments)], label="保存")

    def save_many(
        self,
        items: Sequence[tuple[Evidence, Sequence[AttachmentRef] | None]],
        *,
        label: str = "导入",
    ) -> SaveResult:
        """Insert or replace many records in one transaction.

        ``attachments`` None keeps a replaced record's attachments as they are.
        Records identical to the stored ones are left alone (``unchanged``).
        """
        batch = secrets.token_hex(8)
        added = replaced = unchanged = 0
        now = self._now()
        with self.transaction() as db:
            for record, attachments in items:
                current = self._row_dict(record.id, include_deleted=True)
                if attachments is None:
                    attachments = (
                        [AttachmentRef(**a) for a in current["attachments"]] if current else []
                    )
                new = _record_dict(record, attachments)
                live = current is not None and current["deleted_at"] is None
                if live and _same(current, new):
                    unchanged += 1
                    continue
                self._write(db, new, now, insert=current is None)
                before = _public(current) if live else None
                self._audit(
                    db, batch, "update" if live else "insert", record.id, before, new, label
                )
                if live:
                    replaced += 1
                else:
                    added += 1
        return SaveResult(added, replaced, unchanged)

    def delete(self, record_id: str) -> bool:
        """Soft-delete a record (``undo`` brings it back). False if there was none."""
        current = self._row_dict(record_id)
        if current is None:
            return False
        with self.transaction() as db:
            db.execute("UPDATE evidence SET deleted_at = ? WHERE id = ?", (self._now(), record_id))
            self._audit(
                db, secrets.token_hex(8), "delete", record_id, _public(current), None, "删除"
            )
        return True

    def undo(self) -> str | None:
        """Revert the newest change not yet undone; a Chinese summary, or None if none."""
        done = self.undo_change()
        return done[0] if done else None

    def undo_change(self) -> tuple[str, tuple[str, ...]] | None:
        """Like ``undo``, also naming the records it touched (summary, record ids)."""
        row = self.conn.execute(
            "SELECT batch, label FROM audit WHERE undone = 0 AND action != 'undo' "
            "ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        batch, label = row
        entries = self.conn.execute(
            "SELECT id, action, evidence_id, before, after FROM audit WHERE batch = ? "
            "ORDER BY id DESC",
            (batch,),
        ).fetchall()
        now = self._now()
        undo_batch = secrets.token_hex(8)
        with self.transaction() as db:
            for entry_id, action, rid, before_json, _after in entries:
                current = self._row_dict(rid, include_deleted=True)
                if action == "catalog":
                    before = json.loads(before_json) if before_json else None
                    store_catalog.undo_table(self, db, before)
                else:
                    self._restore(db, entry_id, action, rid, before_json, now)
                after = self._row_dict(rid)
                self._audit(
                    db, undo_batch, "undo", rid, _public(current) if current else None,
                    _public(after) if after else None, f"撤销{label}",
                )  # fmt: skip
                db.execute("UPDATE audit SET undone = 1 WHERE id = ?", (entry_id,))
        ids = tuple(dict.fromkeys(entry[2] for entry in entries if entry[2] is not None))
        if any(entry[1] == "catalog" for entry in entries):
            self.forget_catalog()
            return f"已撤销“{label}”，恢复此前的指标体系" + (
                f"（及 {len(ids)} 条记录）" if ids else ""
            ), ids
        return f"已撤销“{label}”（{len(entries)} 条记录）", ids

    def forget_catalog(self) -> None:
        """Read the campaign and its table again (after the table in use changed)."""
        self.__dict__.pop("catalog", None)
        self.__dict__.pop("campaign", None)

    def _restore(
        self, db: Database, entry_id: int, action: str, rid: str, before_json: str | None, now: str
    ) -> None:
        """Put record ``rid`` back exactly as it was before audit entry ``entry_id``.

        Undo walks back a stack, so the state before an entry is the one the newest
        earlier change of the record still in force left (its content after an insert
        or update, its content before a delete, deleted). A re-import over a deleted
        record is an insert whose state before is that deleted content, not "absent".
        """
        prev = self.conn.execute(
            "SELECT action, before, after FROM audit WHERE evidence_id = ? AND id < ? "
            "AND undone = 0 AND action != 'undo' ORDER BY id DESC LIMIT 1",
            (rid, entry_id),
        ).fetchone()
        if prev is None:  # the record's first change: before it there was nothing
            if action == "insert" or before_json is None:
                db.execute("UPDATE evidence SET deleted_at = ? WHERE id = ?", (now, rid))
            else:  # a history that starts later (an older store): what the entry saw
                self._write(db, json.loads(before_json), now, insert=False)
            return
        prev_action, prev_before, prev_after = prev
        content = json.loads(prev_before if prev_action == "delete" else prev_after)
        self._write(db, content, now, insert=False)
        if prev_action == "delete":
            db.execute("UPDATE evidence SET deleted_at = ? WHERE id = ?", (now, rid))

    def save_snapshot(self, label: str, report: dict[str, Any]) -> Snapshot:
        """Freeze a score report (``ScoreReport.to_dict()``) under a label."""
        label = label.strip()
        if not label or len(label) > 50:
            raise StoreError("快照名称：不能为空，最多 50 字")
        row = {
            "label": label,
            "as_of": str(report.get("as_of", "")),
            "saved_at": self._now(),
            "report": json.dumps(
                {**report, "catalog": store_catalog.stamp(self.conn)}, ensure_ascii=False
            ),
        }
        with self.transaction() as db:
            db["snapshots"].insert(row)
            row_id = db.execute("SELECT last_insert_rowid()").fetchone()[0]
        return Snapshot(row_id, row["label"], row["as_of"], row["saved_at"], report)

    @_reads
    def snapshots(self) -> list[Snapshot]:
        """Every saved snapshot, newest first."""
        try:
            rows = self.conn.execute(
                "SELECT id, label, as_of, saved_at, report FROM snapshots ORDER BY id DESC"
            )
        except sqlite3.OperationalError as exc:
            if self.read_only and "no such table" in str(exc):
                return []  # a store of an older program, opened read-only (not migrated)
            raise
        return [Snapshot(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows]

    def _write(self, db: Database, new: dict[str, Any], now: str, *, insert: bool) -> None:
        row = {k: new[k] for k in EVIDENCE_COLUMNS}
        row.update(updated_at=now, deleted_at=None)
        if insert:
            row["created_at"] = now
            db["evidence"].insert(row)
        else:
            db["evidence"].update(row["id"], row)
        db.execute("DELETE FROM evidence_attachments WHERE evidence_id = ?", (row["id"],))
        for pos, att in enumerate(new["attachments"]):
            sha = att["sha256"]
            if db.execute("SELECT 1 FROM attachments WHERE sha256 = ?", (sha,)).fetchone() is None:
                suffix, size = self._pending_files.get(sha, ("", 0))
                db["attachments"].insert(
                    {"sha256": sha, "suffix": suffix, "size": size, "created_at": now}
                )
            db["evidence_attachments"].insert(
                {"evidence_id": row["id"], "sha256": sha, "name": att["name"], "position": pos}
            )

    def _audit(
        self,
        db: Database,
        batch: str,
        action: str,
        record_id: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        label: str,
    ) -> None:
        db["audit"].insert(
            {
                "at": self._now(),
                "batch": batch,
                "action": action,
                "evidence_id": record_id,
                "before": json.dumps(before, ensure_ascii=False) if before else None,
                "after": json.dumps(_public(after), ensure_ascii=False) if after else None,
                "label": label,
                "undone": 0,
            }
        )

    def _row_dict(self, record_id: str, *, include_deleted: bool = False) -> dict[str, Any] | None:
        sql = f"SELECT {', '.join(EVIDENCE_COLUMNS)}, deleted_at FROM evidence WHERE id = ?"
        if not include_deleted:
            sql += " AND deleted_at IS NULL"
        row = self.conn.execute(sql, (record_id,)).fetchone()
        if row is None:
            return None
        out = dict(zip((*EVIDENCE_COLUMNS, "deleted_at"), row, strict=True))
        out["attachments"] = [
            {"sha256": a.sha256, "name": a.name} for a in self.attachments_of(record_id)
        ]
        return out

    def _now(self) -> str:
        return self.clock().isoformat(timespec="seconds")


def _record_dict(record: Evidence, attachments: Sequence[AttachmentRef]) -> dict[str, Any]:
    row: dict[str, Any] = {k: getattr(record, k) for k in EVIDENCE_COLUMNS}
    row["date"] = record.date.isoformat()
    for key in _BOOL_COLUMNS:
        row[key] = int(bool(row[key]))
    unique: dict[str, str] = {}
    for ref in attachments:
        unique.setdefault(ref.sha256, ref.name)  # the same file once, under its first name
    row["attachments"] = [{"sha256": sha, "name": name} for sha, name in unique.items()]
    return row


def _public(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {k: v for k, v in row.items() if k not in ("deleted_at", "created_at", "updated_at")}


def _same(current: dict[str, Any], new: dict[str, Any]) -> bool:
    return _public(current) == _public(new)


def _evidence(row: Sequence[Any], attachments: tuple[str, ...]) -> Evidence:
    (rid, indicator, component, item, day, dept, title, kind, channel, quantity,
     format_ok, evaluation_data, publicized, url, note, status) = row  # fmt: skip
    try:
        day = date.fromisoformat(day)
    except (TypeError, ValueError):
        raise StoreError(
            f"数据库中的记录 {rid} 日期“{day}”无效（应为 YYYY-MM-DD），"
            "数据可能被其他程序改动过：请从备份恢复（credit-tui restore）或修正该记录"
        ) from None
    return Evidence.trusted(
        id=rid,
        indicator=indicator,
        component=component,
        item=item or "",
        date=day,
        department=dept,
        title=title,
        kind=kind,
        channel=channel,
        quantity=quantity,
        format_ok=bool(format_ok),
        evaluation_data=bool(evaluation_data),
        publicized=bool(publicized),
        url=url or "",
        attachments=attachments,
        note=note or "",
        status=status,
    )


def _sqlite_reason(exc: BaseException) -> str:
    text = str(exc)
    known = {
        "file is not a database": "文件不是数据库或已损坏",
        "database disk image is malformed": "数据库文件已损坏",
        "database is locked": "数据库正被其他程序写入，请稍后再试",
        "attempt to write a readonly database": "数据库为只读",
        "unable to open database file": "无法打开数据库文件",
        "disk I/O error": "磁盘读写错误",
        "database or disk is full": "磁盘已满",
    }
    for key, zh in known.items():
        if key in text:
            return zh
    return text


_READ_ONLY_ERRORS = ("attempt to write a readonly database", "unable to open database file")
_DAMAGE_ERRORS = ("file is not a database", "database disk image is malformed")


def _is_read_only_error(exc: BaseException) -> bool:
    return any(key in str(exc) for key in _READ_ONLY_ERRORS)


def _is_damage(exc: BaseException) -> bool:
    return any(key in str(exc) for key in _DAMAGE_ERRORS)


def _writable(path: Path) -> bool:
    """Permission bits allow writing the file and creating ``-wal``/``-shm`` beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection (``mode=ro``).

    A WAL store closed cleanly in a folder that cannot be written has no
    ``-shm`` to share and none can be made; SQLite then reads it only as
    ``immutable`` (nobody can be writing it: nobody can write there), or, when its
    ``-wal`` still holds committed changes, from a copy with the log (``wal_snapshot``).
    """
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(
        f"{uri}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False
    )
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        if not _is_read_only_error(exc):
            return conn  # reported by the checks that follow
        conn.close()
        if has_pending_log(path):  # immutable would not see it: read a copy with its log
            try:
                return connect_copy(path, BUSY_TIMEOUT_S)
            except OSError as err:
                raise StoreError(f"{path} 无法读取（{err.strerror or err}）") from None
        conn = sqlite3.connect(
            f"{uri}?mode=ro&immutable=1", uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False
        )
    except sqlite3.DatabaseError:
        pass  # not a database: reported by the checks that follow
    return conn


def _keep_backups(keep: int | None) -> int:
    if keep is not None:
        return max(0, keep)
    env = os.environ.get(KEEP_BACKUPS_ENV, "").strip()
    if not env:
        return KEEP_BACKUPS
    try:
        value = int(env)
    except ValueError:
        value = -1
    if value < 0:
        raise StoreError(
            f"环境变量 {KEEP_BACKUPS_ENV}：应为保留备份的份数（0 或正整数），而不是“{env}”"
        )
    return value


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


# --- backups -------------------------------------------------------------------------

_BACKUP_NAME = r"-(\d{4}-\d{2}-\d{2})(?:-(\d{6}))?(?:-(\d+))?\.db"


def backups_dir(path: Path | str) -> Path:
    """Where a store's backups are kept: ``backups/`` beside it."""
    return Path(path).parent / BACKUPS_FOLDER


def _backups(path: Path | str) -> list[tuple[tuple[str, str, int], Path]]:
    path = Path(path)
    pattern = re.compile(re.escape(path.stem) + _BACKUP_NAME)
    try:
        entries = list(os.scandir(backups_dir(path)))
    except OSError:
        return []
    found = []
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match and entry.is_file():
            key = (match[1], match[2] or "", int(match[3] or 0))
            found.append((key, Path(entry.path)))
    return sorted(found, reverse=True)


def list_backups(path: Path | str) -> list[Path]:
    """The store's backups in ``backups/``, newest first (daily, manual and before a restore).

    A damaged store kept aside by ``restore`` (``…-damaged.db``) is not a backup.
    """
    return [p for _, p in _backups(path)]


def newest_backup(path: Path | str) -> Path | None:
    """The backup to restore from, if there is one."""
    found = _backups(path)
    return found[0][1] if found else None


def prune_backups(path: Path | str, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` daily backups; returns what was deleted.

    Backups made by hand (``credit-tui backup``) or before a restore have the
    time in their names and are left alone; so are leftovers of a backup
    interrupted less than an hour ago (``.….tmp``), older ones are removed.
    """
    daily = [p for key, p in _backups(path) if not key[1]]
    gone = daily[keep:] if keep > 0 else []
    for old in gone:
        old.unlink(missing_ok=True)
    folder = backups_dir(path)
    stale = time.time() - 3600  # file times are wall-clock times
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if (
                entry.name.startswith(f".{Path(path).stem}-")
                and entry.name.endswith(".tmp")
                and entry.stat().st_mtime < stale
            ):
                Path(entry.path).unlink(missing_ok=True)
    return gone


def _shell_word(text: str) -> str:
    return f'"{text}"' if any(ch.isspace() or ch in "'\"$&;|<>()" for ch in text) else text


def restore_command(path: Path | str, backup: Path | str) -> str:
    """The exact command that restores the store at ``path`` from ``backup``."""
    path, backup = Path(path), Path(backup)
    command = f"credit-tui restore {_shell_word(str(backup))}"
    try:
        default = default_db_path().resolve()
    except OSError:
        default = None
    if path.resolve() != default:
        command += f" --db {_shell_word(str(path))}"
    return command


def damaged_error(path: Path, what: str, *, hint_if_none: bool = True) -> DamagedStoreError:
    """``{path} {what}`` and the newest backup with the command that restores it."""
    backup = newest_backup(path)
    if backup is not None:
        hint = f"最新的备份是 {backup.name}，可用以下命令恢复：{restore_command(path, backup)}"
        return DamagedStoreError(f"{path} {what}。{hint}", backup)
    if hint_if_none:
        return DamagedStoreError(f"{path} {what}。{backups_dir(path)} 中没有可用的备份")
    return DamagedStoreError(f"{path} {what}")
