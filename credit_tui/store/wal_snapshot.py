"""Reading a WAL store in a folder nobody can write, with committed pages still in its log.

SQLite reads a WAL database through its ``-shm`` index. In a read-only folder a
store whose ``-shm`` is gone (copied from a share, cleaned up by hand) cannot get
one, and SQLite then reads it only as ``immutable``: the main file alone, without
the changes committed to the ``-wal`` and not yet copied back. That view is stale
(a record saved last is missing, ``check`` passes on the old state). So such a
store is read from a private copy of the file and its log in a temporary folder,
where SQLite can rebuild the index: every committed change is seen. Nobody can be
writing the original (nobody can write there), so the copy is exact.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import tempfile
from pathlib import Path


class SnapshotConnection(sqlite3.Connection):
    """A connection to a private copy; closing it removes the copy."""

    snapshot_dir: str | None = None

    def close(self) -> None:
        super().close()
        if self.snapshot_dir:
            with contextlib.suppress(OSError):
                shutil.rmtree(self.snapshot_dir)
            self.snapshot_dir = None


def has_pending_log(path: Path) -> bool:
    """Whether ``path-wal`` holds pages (committed changes may not be in the file yet)."""
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False


def connect_copy(path: Path, timeout: float) -> sqlite3.Connection:
    """A connection that sees the store and its log, through a copy of both."""
    folder = tempfile.mkdtemp(prefix="credit-tui-view-")
    try:
        copy = Path(folder) / path.name
        shutil.copyfile(path, copy)
        shutil.copyfile(f"{path}-wal", f"{copy}-wal")
        conn = sqlite3.connect(
            copy, timeout=timeout, check_same_thread=False, factory=SnapshotConnection
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    assert isinstance(conn, SnapshotConnection)
    conn.snapshot_dir = folder
    return conn
