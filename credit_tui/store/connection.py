"""The connection under every ``Store``: schema checks, migrating, transactions, the campaign.

``StoreBase`` holds the SQLite connection and what every part of the store needs:
the Chinese error for a SQLite failure (``_problem``), one atomic write
(``transaction``), the schema checks and migrations, the campaign and its table.
The parts of ``Store`` (records, attachments, audit, undo, snapshots, backup)
are mixins over it; ``credit_tui.store.database`` composes them and opens stores.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, Self, TypeVar

from credit_tui.scoring.catalog import Catalog, CatalogError, catalog_path
from credit_tui.store import catalog as store_catalog
from credit_tui.store import paths
from credit_tui.store.backup_folder import damaged_error
from credit_tui.store.catalog_cache import load_checked
from credit_tui.store.errors import (
    NeedsReadOnly,
    ReadOnlyStoreError,
    StoreError,
    is_damage,
    is_read_only_error,
    sqlite_reason,
)
from credit_tui.store.header import _OPEN_FILES
from credit_tui.store.header import file_key as _file_key
from credit_tui.store.schema import APP_ID, SCHEMA_VERSION
from credit_tui.store.wal_snapshot import connect_copy, has_pending_log

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_TIMEOUT_S = 5.0
_P = ParamSpec("_P")
_R = TypeVar("_R")
Clock = Callable[[], datetime]
"""Wall-clock time for audit timestamps (injected; tests pass a fixed one)."""
system_clock: Clock = partial(datetime.now, UTC)


@dataclass(frozen=True, slots=True)
class Campaign:
    """What the store is for: the assessment year and its table."""

    year: int
    catalog_version: str
    organisation: str


def reads(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """A reading method: a damaged file found while reading is a ``DamagedStoreError``."""

    @functools.wraps(method)
    def guarded(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            store = args[0]
            assert isinstance(store, StoreBase)
            raise store._problem(exc, "无法读取") from None

    return guarded


class StoreBase:
    """An open connection to a credit-tui store (the parts of ``Store`` build on it)."""

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

    # --- connecting ------------------------------------------------------------------

    @classmethod
    def _connect(cls, path: Path, clock: Clock, *, read_only: bool = False) -> Self:
        try:
            if read_only:
                conn = _connect_read_only(path)
            else:
                conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path} 不是可用的 SQLite 数据库（{sqlite_reason(exc)}）") from None
        return cls(path, conn, clock, read_only=read_only)

    def _enable_wal(self) -> None:
        """WAL journal, set only once the file is known to be ours (a refusal changes nothing)."""
        try:
            if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self.conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.DatabaseError as exc:
            raise self._problem(exc, "无法打开") from None

    def _check_writable(self) -> None:
        """``NeedsReadOnly`` unless the file and its logs may be written.

        SQLite quietly opens a file it may not write read-only, so ask the system with
        ``os.access`` (a read-only disk answers EROFS, even to root). Never ``open()``:
        closing any descriptor of the file would drop this process's SQLite locks on it
        (POSIX), and another process could then reset the shared WAL index under us.
        """
        for path in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm")):
            if not os.path.lexists(path):
                continue  # no log yet: SQLite made the file's folder work above
            if not os.access(path, os.W_OK):
                raise NeedsReadOnly(f"数据库为只读，无法保存：{self.path}（文件或磁盘不可写）")

    def _problem(self, exc: sqlite3.Error, what: str) -> StoreError:
        """The Chinese error for a SQLite failure on this store (damage names a backup)."""
        text = str(exc)
        if not self.read_only and is_read_only_error(exc):
            return NeedsReadOnly(f"数据库为只读，无法保存：{self.path}（{sqlite_reason(exc)}）")
        if "file is not a database" in text:
            return damaged_error(
                self.path, f"不是可用的数据库（{sqlite_reason(exc)}）", hint_if_none=False
            )
        if is_damage(exc):
            return damaged_error(self.path, f"已损坏（{sqlite_reason(exc)}），无法使用")
        return StoreError(f"{self.path} {what}（{sqlite_reason(exc)}）")

    def close(self) -> None:
        """Close the connection (files staged for a write never made are dropped)."""
        self.discard_staged()
        self.conn.close()
        key, self._file_key = self._file_key, None
        if key is not None and _OPEN_FILES.get(key, 0) > 1:
            _OPEN_FILES[key] -= 1
        elif key is not None:
            _OPEN_FILES.pop(key, None)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def discard_staged(self) -> None:
        """Drop the files copied in for a write that failed (the attachments part has them)."""

    def _publish_staged(self) -> None:
        """After a commit: move the files it attached into place (the attachments part)."""

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

    # --- writing -----------------------------------------------------------------

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
            if isinstance(exc, sqlite3.OperationalError) and is_read_only_error(exc):
                raise ReadOnlyStoreError(
                    f"数据库为只读，无法保存：{self.path}（{sqlite_reason(exc)}）"
                ) from None
            if isinstance(exc, sqlite3.OperationalError):
                raise StoreError(f"写入数据库失败：{sqlite_reason(exc)}") from None
            if isinstance(exc, sqlite3.DatabaseError) and is_damage(exc):
                raise self._problem(exc, "无法写入") from None
            raise

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise ReadOnlyStoreError(
                f"数据库为只读，无法保存：{self.path}（文件、所在文件夹或磁盘不可写，仅供查看）"
            )

    def _now(self) -> str:
        return self.clock().isoformat(timespec="seconds")

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

    def forget_catalog(self) -> None:
        """Read the campaign and its table again (after the table in use changed)."""
        self.__dict__.pop("catalog", None)
        self.__dict__.pop("campaign", None)

    @property
    def attachments_dir(self) -> Path:
        """Where attached files are kept: beside the database."""
        return paths.attachments_dir(self.path)

    @reads
    def data_version(self) -> int:
        """Changes when another connection commits (``PRAGMA data_version``)."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])


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
        if not is_read_only_error(exc):
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
