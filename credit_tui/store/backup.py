"""Backups of an open store, made with SQLite's backup API: daily, now, or to a named file.

Each copy is consistent while another window writes (WAL), a single file and appears
whole or not at all. The folder they go to and its pruning: ``backup_folder``.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from pathlib import Path

from credit_tui.store.backup_folder import damaged_error, prune_backups
from credit_tui.store.connection import StoreBase
from credit_tui.store.errors import StoreError, sqlite_reason
from credit_tui.store.paths import backups_dir


class Backups(StoreBase):
    """Copying the whole store."""

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
            reason = sqlite_reason(exc) if isinstance(exc, sqlite3.Error) else exc.strerror
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
        return self._backup_or_say(target)

    def backup_as(self, out: Path) -> Path:
        """A backup to the new file ``out`` (``StoreError`` if it exists: never overwritten)."""
        if out.exists():
            raise StoreError(f"{out} 已存在，请换一个文件名（备份不覆盖已有文件）")
        return self._backup_or_say(out)

    def _backup_or_say(self, target: Path) -> Path:
        try:
            return self.backup_to(target)
        except sqlite3.DatabaseError as exc:
            raise self._problem(exc, "无法备份") from None
        except OSError as exc:
            raise StoreError(f"无法写入备份 {target}：{exc.strerror or exc}") from None
