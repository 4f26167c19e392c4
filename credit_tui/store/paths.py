"""Where a store's files are: the default database, its backups and its attachments."""

from __future__ import annotations

import os
from pathlib import Path

BACKUPS_FOLDER = "backups"


def default_db_path(cwd: Path | None = None) -> Path:
    """``$CREDIT_TUI_DB``, else ``db/credit.db`` under the current directory."""
    env = os.environ.get("CREDIT_TUI_DB")
    if env:
        return Path(env)
    return (cwd or Path.cwd()) / "db" / "credit.db"


def backups_dir(path: Path | str) -> Path:
    """Where a store's backups are kept: ``backups/`` beside it."""
    return Path(path).parent / BACKUPS_FOLDER


def attachments_dir(path: Path) -> Path:
    """Where a store's attached files are kept: beside the database."""
    return path.parent / f"{path.stem}_attachments"
