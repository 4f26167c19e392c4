"""What a spreadsheet may attach: regular files inside the import file's own folder.

An import names its attachments by path. A hostile (or careless) file could name
``/etc/passwd``, climb out with ``..``, or point a symbolic link elsewhere, and the
file would be copied into the store and every evidence package. So an attachment
path is resolved (links followed) and must stay inside the folder of the import
file; what it names must be a regular file (a folder, a named pipe or a device is
refused by what it is, a pipe is never opened, so it cannot hang the import); and
it must fit the size limits: per file ``$CREDIT_TUI_MAX_ATTACHMENT_MB`` (default
200 MB) and per import ``$CREDIT_TUI_MAX_IMPORT_MB`` (default 2,000 MB). The store's
own database files are never read as attachments (closing a descriptor of them
would drop this process's SQLite locks). The form's file picker is the clerk's own
choice and is not confined.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from credit_tui.errors import UserFacingError
from credit_tui.faults import kind_of as _kind

FILE_LIMIT_ENV = "CREDIT_TUI_MAX_ATTACHMENT_MB"
IMPORT_LIMIT_ENV = "CREDIT_TUI_MAX_IMPORT_MB"
DEFAULT_FILE_MB = 200
DEFAULT_IMPORT_MB = 2000
MB = 1 << 20


class AttachmentRefused(Exception):
    """An attachment path that may not be read (a Chinese reason)."""


class LimitSettingError(UserFacingError):
    """A size limit in the environment that is not a positive number."""


def _limit(env: str, default: int) -> int:
    text = os.environ.get(env, "").strip()
    if not text:
        return default * MB
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0 or value > 1 << 40:
        raise LimitSettingError(f"环境变量 {env}：应为正数（单位 MB），而不是“{text}”")
    return int(value * MB)


def store_files(db: Path) -> frozenset[Path]:
    """The store's own files (database and logs), resolved."""
    base = Path(os.path.abspath(db))
    return frozenset(
        Path(os.path.realpath(f"{base}{suffix}")) for suffix in ("", "-wal", "-shm", "-journal")
    )


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB"


class AttachmentGuard:
    """Checks and hashes the attachments of one import (the per-import total included)."""

    def __init__(self, folder: Path, protected: frozenset[Path] = frozenset()) -> None:
        self.folder = Path(os.path.realpath(folder))
        self.protected = protected
        self.file_limit = _limit(FILE_LIMIT_ENV, DEFAULT_FILE_MB)
        self.import_limit = _limit(IMPORT_LIMIT_ENV, DEFAULT_IMPORT_MB)
        self.total = 0
        self._seen: dict[Path, str] = {}

    def resolve(self, part: str) -> Path:
        """The regular file ``part`` names inside the folder, or ``AttachmentRefused``."""
        if "\x00" in part:
            raise AttachmentRefused(f"文件名 {part!r} 含有空字符")
        given = Path(part)
        if given.is_absolute() or part.startswith("~"):
            raise AttachmentRefused(
                f"{part} 是绝对路径：附件须放在导入文件所在的文件夹（或其子文件夹）内，"
                "写相对于导入文件的路径"
            )
        try:
            real = Path(os.path.realpath(self.folder / given))
        except (OSError, ValueError) as exc:
            raise AttachmentRefused(f"{part} 无法解析（{exc}）") from None
        if not real.is_relative_to(self.folder):
            how = "经符号链接" if ".." not in given.parts else "用 .. "
            raise AttachmentRefused(
                f"{part} {how}指向导入文件所在文件夹之外（{real}），不能作为附件"
            )
        if real in self.protected:
            raise AttachmentRefused(f"{part} 是数据库文件本身，不能作为附件")
        try:
            info = os.stat(real)
        except FileNotFoundError:
            raise AttachmentRefused(f"文件 {part} 不存在") from None
        except OSError as exc:
            raise AttachmentRefused(f"文件 {part} 无法读取（{exc.strerror or exc}）") from None
        kind = _kind(info.st_mode)
        if kind:
            raise AttachmentRefused(f"{part} {kind}")
        if info.st_size > self.file_limit:
            raise AttachmentRefused(
                f"文件 {part} 过大（{_mb(info.st_size)}），每个附件最多 {_mb(self.file_limit)}"
                f"（可用环境变量 {FILE_LIMIT_ENV} 调整）"
            )
        return real

    def digest(self, part: str, real: Path) -> str:
        """The SHA-256 of a resolved attachment, counted against the per-import total."""
        known = self._seen.get(real)
        if known is not None:
            return known
        try:  # never follow a link swapped in meanwhile, never wait on a pipe
            fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError as exc:
            raise AttachmentRefused(f"文件 {part} 无法读取（{exc.strerror or exc}）") from None
        digest = hashlib.sha256()
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            kind = _kind(info.st_mode)
            if kind:
                raise AttachmentRefused(f"{part} {kind}")
            if info.st_size > self.file_limit:
                raise AttachmentRefused(f"文件 {part} 过大（{_mb(info.st_size)}）")
            self.total += info.st_size
            if self.total > self.import_limit:
                raise AttachmentRefused(
                    f"本次导入的附件合计已超过 {_mb(self.import_limit)}（到 {part} 为止 "
                    f"{_mb(self.total)}），请分批导入（可用环境变量 {IMPORT_LIMIT_ENV} 调整）"
                )
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        self._seen[real] = digest.hexdigest()
        return self._seen[real]
