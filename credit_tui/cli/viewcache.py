"""A cache of read-only command output (``status``, ``score``), for quick checks in a meeting.

Scoring itself takes milliseconds; starting Python with pydantic and the
catalog takes most of a ``status`` run. So the text a read command printed is
kept in a small file beside the store, keyed by everything it depends on: the
store's last change (every write adds an audit row), its record count and
schema, the command and its dates, the program's code and the bundled tables,
and the size, change time and inode of the database file and its ``-wal`` (so a
write by another program, which adds no audit row, is a miss too; taken with
``os.stat`` before connecting, never by opening the files outside SQLite).
A hit needs only ``sqlite3``; any change to any of those is a miss.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from credit_tui.store.state import content_state

PACKAGE = Path(__file__).parent.parent
CODE_FOLDERS = ("", "cli", "store", "scoring", "scoring/data", "reports", "service")
"""The folders of the modules (and bundled tables) that ``status`` and ``score`` run."""
_FILE_SUFFIX = ".viewcache.json"


def _code_stamp() -> str:
    """Changes whenever a module or a bundled table of the program changes."""
    parts = []
    for folder in (PACKAGE / name for name in CODE_FOLDERS):
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.is_file() and entry.name.endswith((".py", ".toml")):
                info = entry.stat()
                parts.append(f"{entry.name}:{info.st_size}:{info.st_mtime_ns}")
    return "|".join(parts)


def file_stamp(db: Path) -> list[list[int] | None]:
    """(size, mtime_ns, inode) of the database and its ``-wal``; None for a missing file.

    An empty ``-wal`` counts as missing: it holds no change, and a read-only
    connection may leave one behind where the last writer removed it.
    """
    stamps: list[list[int] | None] = []
    for path in (db, db.with_name(db.name + "-wal")):
        try:
            info = path.stat()
        except OSError:
            stamps.append(None)
            continue
        if info.st_size == 0 and path is not db:
            stamps.append(None)
        else:
            stamps.append([info.st_size, info.st_mtime_ns, info.st_ino])
    return stamps


def cache_key(db: Path, command: str) -> str | None:
    """The key for ``command`` (its words and dates) on the store at ``db``; None if unreadable.

    A store cut short is left alone (None): connecting would make empty ``-wal``/``-shm``
    files beside it, and the command refuses it untouched.
    """
    files = file_stamp(db)  # before connecting
    found = content_state(db)
    if found is None:
        return None
    state, version = found
    material = json.dumps([command, state, version, files, _code_stamp()], ensure_ascii=False)
    return material  # compared whole: no digest, so a hit need not load hashlib (~3 ms)


def _path(db: Path) -> Path:
    return db.with_name(db.name + _FILE_SUFFIX)


def get(db: Path, key: str | None) -> str | None:
    """The cached text for ``key``, if any."""
    if key is None:
        return None
    try:
        data = json.loads(_path(db).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data.get("text") if isinstance(data, dict) and data.get("key") == key else None


def put(db: Path, key: str | None, text: str) -> None:
    """Remember ``text`` for ``key`` (best effort: a read-only folder just means no cache)."""
    if key is None:
        return
    path = _path(db)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps({"key": key, "text": text}, ensure_ascii=False), "utf-8")
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):  # a read-only folder refuses even the clean-up
            tmp.unlink(missing_ok=True)
