"""Attached files copied in before the write that uses them, moved into place after it.

A write that attaches files (an import, the form) first copies each new file into
a staging folder of its own inside ``<name>_attachments/``
(``.staging-<pid>-<random>-<host>/``), then commits the records, and only then moves the
files into place under their SHA-256. A process killed before the commit leaves
only its staging folder, which the next writable open removes (once its process is
gone; another machine's, on a shared folder, after a day); one killed between
the commit and the move leaves files the store already lists, which the next open
moves into place. So the folder always ends up as the store says (``check`` passes).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import socket
import time
from collections.abc import Callable
from pathlib import Path

PREFIX = ".staging-"
_HOST = re.sub(r"[^A-Za-z0-9.]", "_", socket.gethostname())[:64] or "host"
"""This machine, in staging folder names: another machine's process ids say nothing here."""
FOREIGN_STALE_S = 24 * 3600
"""A staging folder of another machine (a shared folder) is stale only after a day."""


class Staging:
    """One store connection's staging folder (made on first use)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        """The attachment folder (``<name>_attachments/``)."""
        self.path = folder / f"{PREFIX}{os.getpid()}-{secrets.token_hex(4)}-{_HOST}"
        self.files: dict[str, Path] = {}
        """Staged files by SHA-256, not yet in place."""
        self._made_folder = False

    def add(self, sha: str, file_name: str, copy: Callable[[Path], None]) -> Path:
        """Stage ``file_name`` (``<sha><suffix>``) by calling ``copy(target)``; returns it."""
        staged = self.files.get(sha)
        if staged is not None and staged.exists():
            return staged
        if not self.folder.exists():
            self._made_folder = True  # removed again if nothing is ever put in place
        self.path.mkdir(parents=True, exist_ok=True)
        target = self.path / file_name
        tmp = self.path / f".{file_name}.tmp"
        try:
            copy(tmp)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            raise
        self.files[sha] = target
        return target

    def publish(self, registered: Callable[[str], bool]) -> None:
        """Move every staged file the store now lists into place (after a commit)."""
        for sha, staged in list(self.files.items()):
            if registered(sha):
                _move_into_place(staged, self.folder / staged.name)
                del self.files[sha]
        if not self.files:
            self.remove()

    def discard(self) -> None:
        """Forget every staged file (the write failed or was never made)."""
        self.files.clear()
        self.remove()

    def remove(self) -> None:
        """Remove the staging folder and anything left in it."""
        with contextlib.suppress(OSError):
            shutil.rmtree(self.path)
        if self._made_folder:
            with contextlib.suppress(OSError):  # only if empty: a refused write leaves no trace
                self.folder.rmdir()


def _move_into_place(staged: Path, target: Path) -> None:
    if target.exists():  # another window stored the same content meanwhile
        staged.unlink(missing_ok=True)
    else:
        os.replace(staged, target)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True  # another connection of this process: it cleans up after itself
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, but belongs to someone else
    return True


def clean_stale(folder: Path, registered: Callable[[str], bool]) -> int:
    """Finish or remove the staging folders of processes that are gone; returns files moved.

    A staged file the store lists (its write committed) is moved into place; any
    other is deleted. Best effort: a folder that cannot be changed is left.
    """
    moved = 0
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(PREFIX) and e.is_dir()]
    except OSError:
        return 0
    for entry in entries:
        pid_text, _, rest = entry.name[len(PREFIX) :].partition("-")
        host = rest.partition("-")[2]
        if host == _HOST and pid_text.isdigit():
            if _alive(int(pid_text)):
                continue
        else:  # another machine's (or an unknown) folder: only once it has been left a day
            try:
                if time.time() - entry.stat().st_mtime < FOREIGN_STALE_S:
                    continue
            except OSError:
                continue
        with contextlib.suppress(OSError):
            for item in os.scandir(entry.path):
                sha = item.name[:64]
                if item.is_file() and not item.name.startswith(".") and registered(sha):
                    _move_into_place(Path(item.path), folder / item.name)
                    moved += 1
            shutil.rmtree(entry.path)
    return moved
