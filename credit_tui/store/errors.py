"""The store's errors (Chinese messages) and the reading of SQLite's own error texts."""

from __future__ import annotations

from pathlib import Path

from credit_tui.errors import UserFacingError


class StoreError(UserFacingError):
    """A store that cannot be used or a write that cannot be done (Chinese message)."""


class DamagedStoreError(StoreError):
    """The file is damaged (truncated, malformed, not a database): names the newest backup."""

    def __init__(self, message: str, backup: Path | None = None) -> None:
        super().__init__(message)
        self.backup = backup


class ReadOnlyStoreError(StoreError):
    """A write on a store that can only be read."""


class NeedsReadOnly(ReadOnlyStoreError):
    """Opening for writing failed because the file, folder or disk is read-only."""


def sqlite_reason(exc: BaseException) -> str:
    """SQLite's error in the clerk's words (the text itself when unknown)."""
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


def is_read_only_error(exc: BaseException) -> bool:
    """SQLite could not write: the file, folder or disk is read-only."""
    return any(key in str(exc) for key in _READ_ONLY_ERRORS)


def is_damage(exc: BaseException) -> bool:
    """SQLite found the file damaged or not a database."""
    return any(key in str(exc) for key in _DAMAGE_ERRORS)
