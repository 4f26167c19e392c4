"""The collection policy leaks nothing, gives Python's own settings back, and collects in pauses.

What it buys in time is ``bench/scale.py`` against ``bench/scale.py --python-gc``
(README, Performance), not something a test asserts.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from credit_tui.service import collector


@pytest.fixture(autouse=True)
def python_gc() -> Iterator[None]:
    """Each test starts and ends with the collector on, nothing frozen, Python's thresholds."""
    thresholds = gc.get_threshold()
    gc.unfreeze()
    gc.enable()
    yield
    gc.unfreeze()
    gc.enable()
    gc.set_threshold(*thresholds)


class Node:
    """A record stand-in in a reference cycle: only a collection can free it."""

    def __init__(self) -> None:
        self.me = self


def test_a_reload_lets_what_the_last_load_froze_go(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(collector, "FREEZE_FROM", 2)
    first = collector.load_frozen(lambda: [Node(), Node()], len)  # 2 ≥ 2: frozen
    gone = weakref.ref(first[0])
    del first
    gc.collect()
    assert gone() is not None  # frozen: no collection looks at it

    def reload() -> list[Node]:
        gc.collect()  # a large load allocates enough for Python's own collections to run
        return [Node()]

    collector.load_frozen(reload, len)  # thawed first, so a collection during it frees the old
    assert gone() is None


def test_a_small_load_in_a_run_that_never_froze_is_collected_as_usual() -> None:
    first = collector.load_frozen(lambda: [Node()], len)  # 1 < 10,000 and nothing frozen
    gone = weakref.ref(first[0])
    del first
    gc.collect()
    assert gone() is None


def test_a_quiet_start_is_resumed_once_and_python_s_thresholds_come_back() -> None:
    thresholds = gc.get_threshold()
    policy = collector.IdleCollector()
    collector.quiet_start()
    assert not gc.isenabled()
    assert policy.resume()  # on again, the app now runs the full collections
    assert gc.isenabled() and gc.get_threshold()[2] == collector.FULL_NEVER
    assert not policy.resume()  # once
    policy.stop()
    assert gc.get_threshold() == thresholds


def test_a_run_that_never_turned_it_off_is_left_alone() -> None:
    thresholds = gc.get_threshold()
    assert not collector.IdleCollector().resume()
    assert gc.get_threshold() == thresholds


@pytest.mark.parametrize(
    ("pending", "idle", "collects"),
    [
        (9, True, False),  # idle, but fewer than FULL_EVERY (10) young collections
        (10, True, True),
        (10, False, False),  # a key 0 s ago: waits
        (199, False, False),
        (200, False, True),  # FULL_OVERDUE: runs anyway
    ],
)
def test_a_full_collection_waits_for_a_pause_unless_long_overdue(
    monkeypatch: pytest.MonkeyPatch, pending: int, idle: bool, collects: bool
) -> None:
    ran: list[int] = []
    monkeypatch.setattr(gc, "get_count", lambda: (0, 0, pending))
    monkeypatch.setattr(gc, "collect", lambda *args: ran.append(1))
    clock = [100.0]
    monkeypatch.setattr(collector, "perf_counter", lambda: clock[0])
    policy = collector.IdleCollector()
    policy.input_seen()  # at 100.0
    clock[0] += collector.IDLE_SECONDS if idle else 0.0
    policy.collect_if_idle()
    assert ran == ([1] if collects else [])
