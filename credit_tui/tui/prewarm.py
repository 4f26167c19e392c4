"""Building the screens not yet shown in idle moments, so each is ready on its first visit.

Building a screen (its module, compose, styles, layout) and painting it the first
time take 100–300 ms that the first press of its key would otherwise wait for.
``Prewarmer`` imports each screen module, builds each screen as Textual builds a
mode on its first ``switch_mode`` (``compat.build_mode``) without showing it, and
paints its widgets for nobody a band of lines at a time, filling their line
caches: a step of about ``PREWARM_STEP`` at a time, in idle moments.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from importlib import import_module
from time import perf_counter
from typing import Any

from textual.app import App
from textual.geometry import Region

from credit_tui.service import collector
from credit_tui.tui import compat
from credit_tui.tui.host import host
from credit_tui.tui.screens.base import MainScreen

PREWARM_SECONDS = 0.5
"""Idle time after loading (and between steps) before the next step of building screens."""
PREWARM_SOON = 0.1
"""The wait between building steps (seconds) from when a worker starts reading the
records until every screen is drawn with them (the UI thread has nothing else to do
while they are read, and the screens built then are stale once they are in)."""
PREWARM_STEP = 0.03
"""About how long one step of painting a screen unseen may take (seconds)."""
PREWARM_BAND = 8
"""Lines of a widget painted unseen at once."""

WAIT_FOR_RECORDS = "(records)"
"""What a building step says when the screens are built and the records not yet read."""

LAZY_SCREENS = ("tasks", "calendar", "evidence", "indicator", "form")
"""Screen modules imported on first use, or ahead of it in idle moments (``Prewarmer``)."""


def import_next_screen() -> bool:
    """Import the first of ``LAZY_SCREENS`` not yet imported; False when all are."""
    for module in LAZY_SCREENS:
        name = f"{__package__}.screens.{module}"
        if name not in sys.modules:
            import_module(name)
            return True
    return False


class Prewarmer:
    """The app's screens built in idle time: a step at a time, on timers of ``app``."""

    def __init__(self, app: App[Any], seconds: float | None) -> None:
        self._app = app
        self.seconds = seconds
        """Idle time before each step (None: never build ahead)."""
        self.done = False
        """Every screen has been built (in idle moments from the start, or by a visit)."""
        self.soon = False
        """Screens are wanted soon (records being read, or just read): shorter waits."""
        self.hold_threads = False
        """Thread workers wait for the build (the store is read in a worker: a large one)."""
        self._after: list[Callable[[], object]] = []
        self._steps: Iterator[str] | None = None
        self._parked = False

    def start(self) -> None:
        """Begin building the other screens in idle moments (once)."""
        if self._steps is None and self.seconds is not None:
            self._steps = self._build_steps()
            self._arm()

    def records_in(self) -> None:
        """The records were read: a build waiting for them goes on once this frame is shown."""
        if self._parked:
            self._parked = False
            self._app.call_after_refresh(self.step)

    def _arm(self) -> None:
        """The next building step after the idle wait (shorter when screens are wanted soon)."""
        if self.seconds is not None:
            wait = self.seconds
            if self.soon:
                wait = min(wait, PREWARM_SOON)
            self._app.set_timer(wait, self.step)

    def step(self) -> None:
        """Take the next step of building the screens not yet shown, then wait for another."""
        app = self._app
        if not app.is_running or not app.screen_stack or self._steps is None:
            return  # closing
        step = next(self._steps, None)
        if step is None:
            self.done = True
            self.soon = False
            app.call_after_refresh(collector.freeze_again)
            waiting, self._after = self._after, []
            for start in waiting:
                start()
        elif step == WAIT_FOR_RECORDS:
            self._parked = True  # ``records_in`` takes it on
        else:
            self._arm()

    def after(self, start: Callable[[], object]) -> None:
        """Start a thread worker once every screen is built; now if they are (or never will be).

        Only for a store read in a worker (a large one): the Python interpreter runs
        one thread at a time, and with two busy threads besides the screen's own
        the screen can wait 50–130 ms for its turn.
        """
        if not self.hold_threads or self.done or self.seconds is None:
            start()
        elif start not in self._after:
            self._after.append(start)

    def _build_steps(self) -> Iterator[str]:
        """Build each screen not yet shown and paint it unseen; with the records, again.

        A large store's screens are built while a worker reads the records, with
        nothing in them; once the records are in, each is drawn with them and
        painted again. The clerk finds every screen ready.
        """
        app = self._app
        while import_next_screen():
            yield "(module)"
        for mode in app.MODES:
            if compat.built_screen(app, mode) is None:
                compat.build_mode(app, mode)
                yield mode
                yield from self._paint_unseen(mode)
        while not host(app).loaded:
            yield WAIT_FOR_RECORDS
        for mode in app.MODES:
            screen = compat.built_screen(app, mode)
            if isinstance(screen, MainScreen) and screen is not app.screen and screen.stale:
                screen.refresh_if_stale()
                yield mode
                yield from self._paint_unseen(mode)

    def _paint_unseen(self, mode: str) -> Iterator[str]:
        """Paint a screen not shown, a band of lines of a widget at a time, in short steps."""
        app = self._app
        screen = compat.built_screen(app, mode)
        if screen is None:
            return
        until = perf_counter() + PREWARM_STEP
        for widget, region in compat.visible_widgets(screen):  # none if not laid out
            if widget is screen:
                continue
            for top in range(0, region.height, PREWARM_BAND):  # a few lines at a time
                if screen is app.screen or not widget.is_mounted:
                    break  # shown meanwhile (Textual paints it), or gone
                height = min(PREWARM_BAND, region.height - top)
                widget.render_lines(Region(0, top, region.width, height))
                if perf_counter() > until:
                    yield mode
                    until = perf_counter() + PREWARM_STEP
