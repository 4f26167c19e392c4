"""Choosing files: a path box that completes folders and files, and a filtered folder tree.

Shared by the import dialog (.csv/.xlsx) and the form's attachment picker (any
file). ``complete_path`` is plain Python (tested on its own); the box offers its
completion greyed after the cursor, → takes it (Textual's ``Suggester``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from textual.suggester import Suggester
from textual.widgets import DirectoryTree


def shown_path(path: Path | str) -> str:
    """A path as the clerk reads it: the home folder as ``~``."""
    text = str(path)
    home = str(Path.home())
    if text == home:
        return "~"
    if text.startswith(home.rstrip(os.sep) + os.sep):
        return "~" + text[len(home.rstrip(os.sep)) :]
    return text


def wanted(path: Path, suffixes: tuple[str, ...] | None) -> bool:
    """Whether a folder or file is offered: not hidden; a file only with one of ``suffixes``."""
    if path.name.startswith((".", "~$")):
        return False
    try:
        if path.is_dir():
            return True
        return path.is_file() and (suffixes is None or path.suffix.lower() in suffixes)
    except OSError:
        return False


def complete_path(value: str, suffixes: tuple[str, ...] | None = None) -> str | None:
    """``~/收`` → ``~/收件/``: the first folder or wanted file whose name starts as typed.

    Folders come first and end with ``/``; the text typed is kept as typed (``~``
    stays), so the result always starts with ``value``. None when nothing fits.
    """
    if not value.strip():
        return None
    expanded = os.path.expanduser(value)
    folder, prefix = os.path.split(expanded)
    try:
        entries = list(os.scandir(folder or "."))
    except OSError:
        return None
    folders, files = [], []
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        path = Path(entry.path)
        if not wanted(path, suffixes) and not (prefix.startswith(".") and entry.is_dir()):
            continue
        (folders if path.is_dir() else files).append(entry.name)
    for name, tail in [*((n, "/") for n in sorted(folders)), *((n, "") for n in sorted(files))]:
        done = value[: len(value) - len(prefix)] + name + tail
        if done != value:
            return done
    return None


class PathSuggester(Suggester):
    """Completes the path typed so far (see ``complete_path``)."""

    def __init__(self, suffixes: tuple[str, ...] | None = None) -> None:
        super().__init__(use_cache=False, case_sensitive=True)  # folders change
        self.suffixes = suffixes

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value, self.suffixes)


class FileTree(DirectoryTree):
    """A folder tree offering only folders and wanted files (none hidden)."""

    def __init__(
        self, path: Path, suffixes: tuple[str, ...] | None = None, *, id: str | None = None
    ) -> None:
        self.suffixes = suffixes
        super().__init__(path, id=id)

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [p for p in paths if wanted(p, self.suffixes)]
