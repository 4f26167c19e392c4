"""The workbench's garbage-collection policy, all of it (``bench/scale.py --python-gc`` shows
what it buys at 5,000 records: README, Performance).

``credit-tui`` starts with the collector off (``quiet_start``): a start builds
the modules, styles, widgets and records the app keeps for its whole life, and
collecting while they pile up only rescans them. Once the first screen with data
is up, everything alive is frozen out of later collections and the collector
turned back on; full collections (15–400 ms on this machine with a year's
records) then wait for a pause in the clerk's keys (``IdleCollector``). A run
that never turned the collector off (tests, another host) is left as it is.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from time import perf_counter
from typing import TypeVar

IDLE_SECONDS = 1.0
"""Seconds without a key or click after which a full garbage collection may run."""
FULL_EVERY = 10
"""Young collections since the last full one before an idle full one (Python's own: 10)."""
FULL_OVERDUE = 200
"""Young collections after which a full one runs, idle or not."""
FULL_NEVER = 1_000_000_000
"""The third threshold while the app runs full collections itself."""
CHECK_EVERY = 0.25
"""Seconds between the app's looks at whether a full collection is due."""
FREEZE_FROM = 10_000
"""A load of this many records or more is frozen out of full collections."""

T = TypeVar("T")


def quiet_start() -> None:
    """Turn the collector off for a start (``cli.cmd_tui``); the app resumes it once up."""
    gc.disable()


def resume_collection() -> bool:
    """Freeze what is alive and turn the collector back on, if the start turned it off."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
        return True
    return False


def freeze_again() -> None:
    """Freeze what was built since ``resume_collection`` too (it lives as long as the app).

    Only when the start froze: a run that never turned the collector off is left as it is.
    """
    if gc.isenabled() and gc.get_freeze_count() > 0:
        gc.freeze()


def load_frozen(load: Callable[[], T], size: Callable[[T], int]) -> T:
    """Run ``load`` (read every record); freeze what it built if the start froze or it is large.

    The records live until the next load, and a full collection would scan each of
    them (0.1–0.3 s at 100,000). Records hold no reference cycles, so reference
    counting frees the old ones; a reload unfreezes first, so that a later
    collection can find anything else that was frozen with them.
    """
    frozen = gc.get_freeze_count() > 0
    if frozen:
        gc.unfreeze()
    loaded = load()
    if frozen or size(loaded) >= FREEZE_FROM:
        gc.freeze()
    return loaded


class IdleCollector:
    """Full collections when no key or click came for ``IDLE_SECONDS`` (or long overdue)."""

    def __init__(self) -> None:
        self._thresholds: tuple[int, int, int] | None = None
        """Python's thresholds while the app runs full collections itself (None: it does not)."""
        self._last_input = perf_counter()

    def resume(self) -> bool:
        """``resume_collection``; True when the app should now check ``collect_if_idle``."""
        if resume_collection() and self._thresholds is None:
            self._thresholds = gc.get_threshold()
            young, middle, _ = self._thresholds
            gc.set_threshold(young, middle, FULL_NEVER)
            return True
        return False

    def input_seen(self) -> None:
        """A key or click came (a full collection now would delay its answer)."""
        self._last_input = perf_counter()

    def collect_if_idle(self) -> None:
        """Run a full collection if one is due and the clerk paused (or it is long overdue)."""
        pending = gc.get_count()[2]  # young collections since the last full one
        idle = perf_counter() - self._last_input >= IDLE_SECONDS
        if pending >= FULL_OVERDUE or (idle and pending >= FULL_EVERY):
            gc.collect()

    def stop(self) -> None:
        """Python's own thresholds back (the app closes)."""
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None
