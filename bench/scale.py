"""Scale benchmark of the TUI at 1,000, 5,000 and 100,000 records (run: ``python bench/scale.py``).

Each size gets a store built once (``Store.create`` + ``save_many`` of
``synthetic_records(n, seed)``, in its own process). Fresh processes then
drive the app in-process with ``app.run_test(size=(120, 40))`` and measure:

* start — from ``make_app`` to the first frame (the header, tabs, score panel
  and keys with 正在载入 where the dashboard's boxes come a moment later), and
  to the first frame with the records loaded and scored (``_loaded``, then the
  next frame); also the
  longest stall of the UI's event loop from the first frame until every
  screen is built in idle time (what the clerk would see as a frozen screen).
  Each start is its own process (imports done before the clock starts); in all
  but the last, 2 is pressed as soon as the records show, before its screen
  is built;
* screen switch — from pressing 2, 3, 4, 5, 1 until the new screen's first
  frame: on the first visit (the screen was built in idle time after
  loading), on a revisit, and right after a save on the screen before (the
  screen redraws its data). Textual's ``switch_mode`` holds the frame back
  50 ms (``delay_update``); the app ends that hold once the new screen has
  redrawn, the minimal app of the baseline keeps it. The first frame is the
  whole new screen (``tests/test_prewarm.py``). Measured with a wrapper of
  ``App._display``, never by ``pilot.pause()`` (which forces a frame);
* filter — on the evidence list: words set then Enter (Enter skips the
  typing pause), and the indicator select; from the key or choice until the
  first frame after ``_apply_filter``;
* save → panel — as in ``bench/startup.py``'s ``save_to_panel``:
  ``bench.save`` and ``_after_change`` on each screen, until the
  ``ScorePanel`` renders the new report (store write, re-score, the screen's
  redraw, layout, paint).

A "frame" is a call of ``App._display`` with updates not held back; the wrapper
also turns the update into terminal bytes (``render_segments``), the part the
headless driver skips. A minimal Textual app run through the same harness
gives the floor of this machine. Timings are medians of a few repeats, whole
milliseconds. Peak memory is ``ru_maxrss`` of the process that ran one start
and every interaction; full garbage collections are timed there too. Targets:
up to 5,000 records (an office's year) every interaction under 100 ms; beyond,
every interaction under 300 ms and no stall over 500 ms; memory under 300 MB;
a line per size says which are met. The app runs full collections itself when no
key came for a second (``credit_tui.service.collector``); the harness presses keys without
such pauses, so few or none run here. ``python bench/scale.py 1000 5000`` runs only
those sizes; ``--python-gc`` runs with Python's own collector (what the policy buys).
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = (1_000, 5_000, 100_000)
SEED = 7
YEAR = 2024
TODAY = date(2024, 7, 15)
SIZE = (120, 40)
TARGET_MS = 100
"""Every interaction at an office's year of records (up to ``TARGET_UP_TO``)."""
TARGET_UP_TO = 5_000
USABLE_MS = 300
"""Every interaction beyond ``TARGET_UP_TO`` records (100,000: still usable)."""
USABLE_STALL_MS = 500
"""No stall of the UI longer than this beyond ``TARGET_UP_TO`` records."""
TARGET_MB = 300
START_REPEATS = 3
REVISITS = 3
STALE_VISITS = 3
SAVES = 6
SWITCH_KEYS = (("2", "tasks"), ("3", "calendar"), ("4", "evidence"), ("5", "indicator"))
SWITCH_KEYS += (("1", "dashboard"),)
LABELS = {"dashboard": "1 总览", "tasks": "2 任务", "calendar": "3 日历"}
LABELS |= {"evidence": "4 证据", "indicator": "5 指标"}
WORDS = ("材料 250", "信用工作材料", "不存在的词", "1.4 材料 7", "r00012")
INDICATORS = ("1.4", "3.1", "6.1")
TIMEOUT_S = 60.0
ME = (sys.executable, str(Path(__file__).resolve()))
GC_ENV = "CREDIT_TUI_BENCH_GC"
"""``python``: the app started with Python's own collector (no ``service.collector`` policy)."""


def ms(seconds: float) -> int:
    return round(seconds * 1000)


def med(values: list[int]) -> int:
    return round(statistics.median(values))


# --- building a store (its own process) ------------------------------------------------


def build(n: int, path: Path) -> None:
    from bench.score import synthetic_records
    from credit_tui.store.database import Store

    store, _ = Store.create(path, YEAR)
    store.save_many([(r, []) for r in synthetic_records(n, seed=SEED)], label="基准数据")
    store.close()


# --- measuring (its own process per size) --------------------------------------------


class Frames:
    """Every frame the app shows: (time, mode of its screen), made into terminal bytes.

    The mode, not the screen: holding every screen shown would keep each closed
    dialog alive and make the memory figure grow with the run.
    """

    def __init__(self, app: Any) -> None:
        from textual._compositor import CompositorUpdate

        self.log: list[tuple[float, str]] = []
        display = app._display

        def timed(screen: Any, renderable: Any) -> None:
            if renderable is not None and not app._batch_count:
                if isinstance(renderable, CompositorUpdate):
                    renderable.render_segments(app.console)
                self.log.append((time.perf_counter(), getattr(screen, "MODE", "") or "?"))
            display(screen, renderable)

        app._display = timed

    def first_after(self, start: float, test: Callable[[str], bool] = bool) -> float | None:
        """When the first frame at or after ``start`` of a screen passing ``test`` was shown."""
        for when, mode in self.log:
            if when >= start and test(mode):
                return when
        return None

    async def wait(self, start: float, test: Callable[[str], bool] = bool) -> float:
        return await until(lambda: self.first_after(start, test))


async def until(probe: Callable[[], float | None]) -> float:
    """Poll (without forcing a frame) until ``probe`` gives a time."""
    deadline = time.perf_counter() + TIMEOUT_S
    while (found := probe()) is None:
        if time.perf_counter() > deadline:
            raise TimeoutError("nothing was painted")
        await asyncio.sleep(0.001)
    return found


async def watch_loop(gaps: list[tuple[float, float]], stop: asyncio.Event) -> None:
    """Record how long each 1 ms sleep of the event loop really took (the UI's stalls)."""
    while not stop.is_set():
        start = time.perf_counter()
        await asyncio.sleep(0.001)
        gaps.append((start, time.perf_counter() - start - 0.001))


def gc_timer(pauses: list[float]) -> Callable[[str, dict[str, int]], None]:
    """A ``gc.callbacks`` entry recording how long each full (generation 2) collection took."""
    began = [0.0]

    def timer(phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            began[0] = time.perf_counter()
        else:
            pauses.append(time.perf_counter() - began[0])

    return timer


async def settle(app: Any, pilot: Any) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()


async def measure(n: int, path: Path, *, interact: bool) -> dict[str, Any]:
    """One start (then, if asked, every interaction), with this process's peak memory."""
    from credit_tui.store.database import Store

    store = Store.open(path)
    assert store.count() == n, f"{path} holds {store.count()} records, not {n}"
    pauses: list[float] = []
    gc.callbacks.append(gc_timer(pauses))
    start, result = await start_once(store, interact=interact)
    store.close()
    result |= {"n": n, "start": [start], "gc_full": [ms(p) for p in pauses]}
    result["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return result


async def start_once(store: Any, *, interact: bool) -> tuple[dict[str, int], dict[str, Any]]:
    """Start the app; time its first frames (then run the interactions if asked)."""
    from credit_tui.tui.app import make_app

    gaps: list[tuple[float, float]] = []
    stop = asyncio.Event()
    monitor = asyncio.create_task(watch_loop(gaps, stop))
    start = time.perf_counter()
    app = make_app(store, TODAY, poll_seconds=0)
    frames = Frames(app)
    loaded: list[float] = []
    shown = app._loaded

    def timed_loaded() -> None:
        loaded.append(time.perf_counter())
        shown()

    app._loaded = timed_loaded
    more: dict[str, Any] = {}
    async with app.run_test(size=SIZE) as pilot:
        first = await frames.wait(start)
        data = await until(lambda: frames.first_after(loaded[0]) if loaded else None)
        await app.workers.wait_for_complete()  # the load, then the dashboard's trend
        if interact:
            ready = await until(lambda: time.perf_counter() if app.prewarmed else None)
        else:  # a key pressed as soon as the records show: the screen is not built yet
            early = await switch(app, pilot, frames, "2", "tasks")
        stop.set()
        await monitor
        stall = max((gap for when, gap in gaps if when >= first), default=0.0)
        if interact:
            await settle(app, pilot)
            more = await interactions(app, pilot, frames)
    timings = {"first": ms(first - start), "data": ms(data - start), "stall": ms(stall)}
    if interact:
        timings["ready"] = ms(ready - start)
    else:
        timings["early"] = early
    return timings, more


async def switch(app: Any, pilot: Any, frames: Frames, key: str, mode: str) -> int:
    start = time.perf_counter()
    await pilot.press(key)
    shown = await frames.wait(start, lambda shown_mode: shown_mode == mode)
    assert mode == app.screen.MODE
    await settle(app, pilot)
    return ms(shown - start)


async def save_once(app: Any, pilot: Any, i: int) -> tuple[int, Any]:
    """Save one record on the current screen; ms until the panel showed the new score."""
    from credit_tui.scoring.evidence import make_evidence
    from credit_tui.tui.widgets.score_panel import ScorePanel

    record = make_evidence(
        app.bench.catalog,
        {"indicator": "1.4", "date": f"2024-07-1{i % 6}", "title": f"规模基准 {i}"},
    )
    panel = app.screen.query_one(ScorePanel)
    painted: list[float] = []
    render_lines = panel.render_lines

    def timed(crop: Any, render_lines: Any = render_lines, painted: list[float] = painted) -> Any:
        painted.append(time.perf_counter())
        return render_lines(crop)

    panel.render_lines = timed
    start = time.perf_counter()
    outcome = app.bench.save(record, [])
    app._after_change(outcome)
    done = await until(lambda: painted[0] if painted else None)
    panel.render_lines = render_lines
    assert panel._report is app.bench.report
    await settle(app, pilot)
    return ms(done - start), outcome


async def interactions(app: Any, pilot: Any, frames: Frames) -> dict[str, Any]:
    switches = {mode: {"first": [], "again": [], "stale": []} for _, mode in SWITCH_KEYS}
    for key, mode in SWITCH_KEYS:  # 1 总览 was first shown at the start: back to it is a revisit
        took = await switch(app, pilot, frames, key, mode)
        switches[mode]["again" if mode == "dashboard" else "first"].append(took)
    for _ in range(REVISITS):
        for key, mode in SWITCH_KEYS:
            switches[mode]["again"].append(await switch(app, pilot, frames, key, mode))
    saved = 0
    for _ in range(STALE_VISITS):
        for key, mode in SWITCH_KEYS:
            await save_once(app, pilot, saved)  # on the screen before: this one is now stale
            saved += 1
            switches[mode]["stale"].append(await switch(app, pilot, frames, key, mode))

    filters = await filter_timings(app, pilot, frames)

    saves: dict[str, list[int]] = {}
    for key, mode in SWITCH_KEYS:
        await switch(app, pilot, frames, key, mode)
        saves[mode] = []
        for _ in range(SAVES):
            saves[mode].append((await save_once(app, pilot, saved))[0])
            saved += 1
    return {"switch": switches, "filter": filters, "save": saves}


async def filter_timings(app: Any, pilot: Any, frames: Frames) -> dict[str, list[int]]:
    from textual.widgets import Input, Select

    await switch(app, pilot, frames, "4", "evidence")
    screen = app.screen
    applied: list[float] = []
    apply = screen._apply_filter

    def timed(*, keep_page: bool = False) -> None:
        apply(keep_page=keep_page)
        applied.append(time.perf_counter())

    screen._apply_filter = timed

    async def shown(start: float) -> int:
        painted = await until(lambda: frames.first_after(applied[0]) if applied else None)
        await settle(app, pilot)
        return ms(painted - start)

    words = screen.query_one("#filter-words", Input)

    async def by_words(text: str) -> int:
        await pilot.press("slash")
        await settle(app, pilot)
        with words.prevent(Input.Changed):  # as if typed; Enter filters without the pause
            words.value = text
        applied.clear()
        start = time.perf_counter()
        await pilot.press("enter")
        return await shown(start)

    timings: dict[str, list[int]] = {"words_first": [], "words": [], "clear": []}
    timings |= {"indicator": [], "indicator_clear": []}
    for i, text in enumerate(WORDS):
        took = await by_words(text)
        timings["words_first" if i == 0 else "words"].append(took)
        assert len(screen._filtered) < len(app.bench.index) or text == "信用工作材料"
        timings["clear"].append(await by_words(""))
    select = screen.query_one("#filter-indicator", Select)
    for code in INDICATORS:
        applied.clear()
        start = time.perf_counter()
        select.value = code
        timings["indicator"].append(await shown(start))
        assert {r.indicator for r in screen._filtered} == {code}
        applied.clear()
        start = time.perf_counter()
        select.clear()
        timings["indicator_clear"].append(await shown(start))
    screen._apply_filter = apply
    return timings


async def baseline() -> dict[str, list[int]]:
    """The same harness on a minimal Textual app: two modes, each a Static and a Footer."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.screen import Screen
    from textual.widgets import Footer, Static

    class Plain(Screen[None]):
        def __init__(self, mode: str) -> None:
            super().__init__()
            self.MODE = mode

        def compose(self) -> ComposeResult:
            yield Static(f"信用交通县 {self.MODE}")
            yield Footer()

    class Minimal(App[None]):
        MODES = {"a": lambda: Plain("a"), "b": lambda: Plain("b")}
        DEFAULT_MODE = "a"
        BINDINGS = [Binding("1", "switch_mode('a')", "一"), Binding("2", "switch_mode('b')", "二")]

    result: dict[str, list[int]] = {"start": [], "switch": []}
    for repeat in range(START_REPEATS):
        gc.collect()
        start = time.perf_counter()
        app = Minimal()
        frames = Frames(app)
        async with app.run_test(size=SIZE) as pilot:
            result["start"].append(ms(await frames.wait(start) - start))
            await settle(app, pilot)
            if repeat == START_REPEATS - 1:
                await switch(app, pilot, frames, "2", "b")  # first visit
                for _ in range(REVISITS):
                    for key, mode in (("1", "a"), ("2", "b")):
                        result["switch"].append(await switch(app, pilot, frames, key, mode))
    return result


# --- reporting ---------------------------------------------------------------------


def run_size(n: int, tmp: Path) -> dict[str, Any]:
    """Build the store, start the app in fresh processes, then measure everything in one."""
    path = tmp / f"scale-{n}.db"
    began = time.perf_counter()
    subprocess.run([*ME, "--build", str(n), str(path)], check=True)
    built = time.perf_counter() - began
    starts = [child("--start", str(n), str(path))["start"][0] for _ in range(START_REPEATS - 1)]
    result = child("--measure", str(n), str(path))
    result["start"] = [*starts, *result["start"]]
    result["built_s"] = round(built)
    return result


def child(*args: str) -> dict[str, Any]:
    """Run this script with ``args`` in a new process; its last line of output, as JSON."""
    out = subprocess.run([*ME, *args], check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


Worst = tuple[int, str]


def report(result: dict[str, Any]) -> dict[str, Worst]:
    """Print one size's table; return the worst figure of each interaction (ms, which)."""
    from credit_tui.reports.text import pad

    start = result["start"]
    print(
        f"\n{result['n']:,} records — store built in {result['built_s']} s (not timed below); "
        f"peak memory {result['peak_mb']} MB"
    )
    first = med([s["first"] for s in start])
    data = med([s["data"] for s in start])
    ready = med([s["ready"] for s in start if "ready" in s])
    stall = max(s["stall"] for s in start)
    early = med([s["early"] for s in start if "early" in s])
    print(f"  start, make_app → (median of {len(start)})")
    print(f"    {'first frame':<44}{first:>6} ms")
    print(f"    {'first frame with the records scored':<44}{data:>6} ms")
    print(f"    {'every screen built (idle time after that)':<44}{ready:>6} ms")
    print(f"    {'longest UI stall from first frame to built':<44}{stall:>6} ms")
    print(f"    {'2 任务 pressed as the records show (unbuilt)':<44}{early:>6} ms")
    worst: dict[str, Worst] = {"start": (first, "first frame"), "stall": (stall, "longest stall")}
    worst["early"] = (early, "2 任务 as the records show")
    full = result["gc_full"]
    print(
        f"  garbage collection: {len(full)} full collections in the run, "
        f"longest {max(full, default=0)} ms, {sum(p >= TARGET_MS for p in full)} of "
        f"{TARGET_MS} ms or more (each one a stall wherever it falls)"
    )

    print("  screen switch, key → the new screen's first frame (whole)")
    print(
        f"    {'':10}{'first visit':>14}{'revisit':>14}{'after a save':>14}  (built in idle time)"
    )
    worst["switch"] = (0, "")
    for mode, cells in result["switch"].items():
        row = f"    {pad(LABELS[mode], 10)}"
        for kind, name in (("first", "first visit"), ("again", "revisit"), ("stale", "after save")):
            values = cells[kind]
            if not values:
                row += f"{'(at start)':>14}"
                continue
            value = med(values)
            row += f"{value:>11} ms"
            worst["switch"] = max(worst["switch"], (value, f"{LABELS[mode]} {name}"))
        print(row)

    filters = result["filter"]
    print("  evidence filter, Enter / choice → the filtered table's first frame")
    rows = (
        ("words_first", "words", "words, first search of the run"),
        ("words", "words", f"words, median of {len(filters['words'])}"),
        ("clear", "words cleared", f"words cleared, median of {len(filters['clear'])}"),
        ("indicator", "indicator", f"indicator chosen, median of {len(filters['indicator'])}"),
        (
            "indicator_clear",
            "indicator cleared",
            f"indicator cleared, median of {len(filters['indicator_clear'])}",
        ),
    )
    worst["filter"] = (0, "")
    for key, short, name in rows:
        value = med(filters[key])
        worst["filter"] = max(worst["filter"], (value, short))
        print(f"    {name:<44}{value:>6} ms")

    print("  save → score panel painted, on each screen")
    worst["save"] = (0, "")
    for mode, values in result["save"].items():
        value = med(values)
        worst["save"] = max(worst["save"], (value, f"on {LABELS[mode]}"))
        name = f"on {LABELS[mode]}, median of {len(values)}"
        print(f"    {pad(name, 44)}{value:>6} ms (max {max(values)})")
    return worst


def main(sizes: tuple[int, ...]) -> None:
    print("credit-tui scale benchmark — in-process, headless run_test(size=(120, 40))")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    policy = "Python's own (--python-gc)" if os.environ.get(GC_ENV) == "python" else "the app's"
    print(
        f"Python {sys.version.split()[0]}; {os.cpu_count()} CPUs, load {load}; whole ms; "
        f"garbage collection: {policy}",
        flush=True,
    )
    base = child("--baseline")
    print(
        f"\nbaseline, a minimal Textual app (a Static and a Footer per screen), same harness: "
        f"first frame {med(base['start'])} ms · screen switch {med(base['switch'])} ms "
        "(Textual's 50 ms hold kept)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        results = [run_size(n, Path(tmp)) for n in sizes]
    for result in results:
        verdict(result["n"], report(result), result["peak_mb"])


def verdict(n: int, worst: dict[str, Worst], peak_mb: int) -> None:
    """Print whether every interaction at ``n`` records met its target."""
    limit = TARGET_MS if n <= TARGET_UP_TO else USABLE_MS
    parts = []
    for key, name in (("start", "first frame"), ("early", "switch as the records show")):
        parts.append((name, *worst[key], limit))
    parts.append(
        ("longest stall", *worst["stall"], TARGET_MS if n <= TARGET_UP_TO else USABLE_STALL_MS)
    )
    for key, name in (("switch", "screen switch"), ("filter", "filter"), ("save", "save → panel")):
        parts.append((name, *worst[key], limit))
    said = [
        f"{name} {'met' if value < target else 'MISSED'} (worst {value} ms, {which})"
        for name, value, which, target in parts
    ]
    said.append(f"memory {'met' if peak_mb < TARGET_MB else 'MISSED'} (peak {peak_mb} MB)")
    print(f"targets at {n:,} records — every interaction under {limit} ms: " + "; ".join(said))


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--build"]:
        build(int(args[1]), Path(args[2]))
    elif args[:1] == ["--baseline"]:
        print(json.dumps(asyncio.run(baseline())))
    elif args[:1] in (["--start"], ["--measure"]):
        interact = args[0] == "--measure"
        if os.environ.get(GC_ENV) != "python":
            from credit_tui.service.collector import quiet_start

            quiet_start()  # as credit-tui starts (cli.cmd_tui); the app turns it on once loaded
        print(json.dumps(asyncio.run(measure(int(args[1]), Path(args[2]), interact=interact))))
    else:
        if "--python-gc" in args:  # what the collector policy buys: the same run without it
            args.remove("--python-gc")
            os.environ[GC_ENV] = "python"
        main(tuple(int(a) for a in args) or SIZES)
