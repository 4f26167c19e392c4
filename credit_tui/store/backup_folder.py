"""The ``backups/`` folder beside a store: how many are kept, listing, pruning, pointing at one.

A damaged store is reported with the newest backup and the exact command that
restores it (``damaged_error``).
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from pathlib import Path

from credit_tui.store.errors import DamagedStoreError, StoreError
from credit_tui.store.paths import backups_dir, default_db_path

KEEP_BACKUPS = 14
"""Daily backups kept in ``backups/`` (``$CREDIT_TUI_KEEP_BACKUPS`` overrides; 0: none)."""
KEEP_BACKUPS_ENV = "CREDIT_TUI_KEEP_BACKUPS"

_BACKUP_NAME = r"-(\d{4}-\d{2}-\d{2})(?:-(\d{6}))?(?:-(\d+))?\.db"


def backups_to_keep(keep: int | None) -> int:
    """How many daily backups to keep: ``keep``, else the environment, else ``KEEP_BACKUPS``."""
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
