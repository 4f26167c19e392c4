"""The store file's header, read without SQLite (light: no other module of the program).

``truncation`` tells a store cut short (a copy interrupted, a full disk) from its
first 100 bytes, before anything connects: SQLite would otherwise make empty
``-wal``/``-shm`` files beside a store that is then refused. ``_OPEN_FILES`` lists
the store files this process has a connection to: those are never opened here
(closing a descriptor of a file drops this process's POSIX locks on it).
"""

from __future__ import annotations

import os
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"

_OPEN_FILES: dict[tuple[int, int], int] = {}
"""The store files this process has a connection to, by (device, inode): never ``open()``ed."""


def file_key(path: Path) -> tuple[int, int] | None:
    """The file's (device, inode), or None if it cannot be seen."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def truncation(path: Path) -> str | None:
    """Why the file is shorter than its own header says, or None (O(1): reads 100 bytes).

    Only when no write-ahead log holds pages the file does not have yet, and never for a
    file this process already has a store open on (it was looked at then): closing the
    descriptor read here would drop that connection's locks (POSIX).
    """
    key = file_key(path)
    if key is not None and key in _OPEN_FILES:
        return None
    try:
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return None
        size = path.stat().st_size
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError:
        return None
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        return None  # SQLite itself says "not a database"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    header_valid = header[24:28] == header[92:96]  # "version-valid-for" matches the change counter
    expected = pages * page_size
    if header_valid and pages and size < expected:
        return f"文件不完整：应有 {expected} 字节，实际只有 {size} 字节"
    return None
