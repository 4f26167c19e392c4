"""Reading the store at start-up and again after outside changes (mixed into ``CreditApp``).

A small store is read on the UI thread just after the first frame; a large one
in a worker, once the first screen's body is painted, the other screens'
stylesheets read and their modules imported. The garbage collector, held off
while starting (``collector``), comes back once the data is shown.
"""

from __future__ import annotations

import asyncio
import sqlite3
from typing import TYPE_CHECKING

from textual import work

from credit_tui.service import collector
from credit_tui.store.database import StoreError
from credit_tui.tui.prewarm import import_next_screen
from credit_tui.tui.screens.base import MainScreen

if TYPE_CHECKING:
    from textual.app import App

    from credit_tui.service.workbench import Workbench
    from credit_tui.tui.prewarm import Prewarmer

    _Base = App[None]
else:
    _Base = object


class Loading(_Base):
    """The records read, then the screens redrawn with them (``_loaded``)."""

    bench: Workbench
    loaded: bool
    prewarmer: Prewarmer
    _collector: collector.IdleCollector

    async def _load_now(self) -> None:
        """Read the records on the UI thread (a small store), then the other screens' styles.

        The event loop has a turn between reading and redrawing: at 5,000 records
        reading and scoring take 50–60 ms and the redraw 20–40, each a stall of its
        own rather than one of 80–110 ms (a key pressed meanwhile waits less).
        """
        if self._read_bench():
            await asyncio.sleep(0)
            self._loaded()
        self.call_after_refresh(self.read_later_styles)

    async def _body_then_load(self) -> None:
        """Put the first screen's body in place, the other screens' styles, then the records."""
        screen = self.screen
        if isinstance(screen, MainScreen):
            await screen.mount_body()
        self.set_timer(0.02, self._styles_then_load)  # the body painted first, on its own

    def _styles_then_load(self) -> None:
        self.read_later_styles()
        self._import_then_load()

    def _import_then_load(self) -> None:
        """Import the other screens' modules, one an idle moment, then read the records.

        Not while the records are read: an import waits for the loading thread
        at each file it opens (5 ms a time), 6 ms became 200.
        """
        if import_next_screen():
            self.set_timer(0.01, self._import_then_load)
            return
        self.load_bench()
        self.prewarmer.soon = True
        self.prewarmer.start()  # the screens built while the records are read

    @work(thread=True, exclusive=True, group="load")
    def load_bench(self) -> None:
        """Read and score every record off the UI thread."""
        if self._read_bench(from_thread=True):
            self.call_from_thread(self._loaded)

    def _read_bench(self, *, from_thread: bool = False) -> bool:
        try:
            self.bench.load()
        except (StoreError, sqlite3.DatabaseError) as exc:
            if from_thread:
                self.call_from_thread(self._cannot_read, exc)
            else:
                self._cannot_read(exc)
            return False
        return True

    def _cannot_read(self, exc: Exception) -> None:
        self.notify(f"{exc}", title="无法读取数据库", severity="error", timeout=30)
        self.call_after_refresh(self._resume_collection)

    def _loaded(self) -> None:
        first = not self.loaded
        self.loaded = True
        self.refresh_screen()
        self.call_after_refresh(self._resume_collection)
        if first:
            self.prewarmer.start()
        self.prewarmer.records_in()  # the screens were built while loading: now their records

    def _resume_collection(self) -> None:
        """Turn the collector back on once the data is shown (``collector.IdleCollector``)."""
        if self._collector.resume():
            self.set_interval(collector.CHECK_EVERY, self._collector.collect_if_idle)

    def _check_outside_changes(self) -> None:
        if self.loaded and self.bench.changed_outside():
            self.load_bench()

    def refresh_screen(self, delta: str = "") -> None:
        """Redraw the current screen (the others redraw when shown)."""
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.refresh_if_stale(delta)
