"""What every command is given: the store's path, the day, the parsed words; how it refuses."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

from credit_tui.errors import UserFacingError
from credit_tui.scoring.dates import DateFormatError, parse_date

EXIT_OK, EXIT_FAULT, EXIT_USAGE = 0, 1, 2

MAX_LIMIT = 1_000_000_000

MAX_ERROR_LINES = 50
"""An import's problems listed at most (then how many more): a million columns, a million lines."""


class UserError(UserFacingError):
    """Bad input or usage: reported in Chinese with exit status 2."""


class Context:
    """What every command needs: where the store is and what day it is."""

    def __init__(self, args: argparse.Namespace, system_today: Callable[[], date]) -> None:
        self.args = args
        self.db: Path = args.db or _default_db()
        env_today = os.environ.get("CREDIT_TUI_TODAY")
        self.today_given = args.today is not None or bool(env_today)
        if args.today is not None:
            self.today: date = args.today
        elif env_today:
            try:
                self.today = parse_date(env_today)
            except DateFormatError as exc:
                raise UserError(f"环境变量 CREDIT_TUI_TODAY：{exc}") from None
        else:
            self.today = system_today()

    def open_store(self):
        from credit_tui.store.database import Store

        return Store.open(self.db)

    def create_store(self):
        from credit_tui.store.database import Store

        store, _ = Store.create(self.db, self.today.year)
        return store


def _default_db() -> Path:
    from credit_tui.store.database import default_db_path

    return default_db_path()


def _system_today() -> date:
    """The one place the real date is read: the edge of the program."""
    return date.today()
