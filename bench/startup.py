"""Start-up and save→panel benchmark of the workbench (run: ``.venv/bin/python bench/startup.py``).

1. Cold start to first paint, as whole processes (headless, exit after the first
   refresh with data on screen): the app on the demo store against a minimal
   Textual app, measured in the same run, the two alternated run by run. Both
   start from compiled bytecode, as an installed app does (the checkout is
   compiled first), and the app from its steady state: the checked scoring
   table in the user's cache (``credit_tui.store.catalog_cache``), written by the
   uncounted warm-up run. Target: under 2×.
2. Saving a record (dated this month) to the updated score panel with 10,000
   records stored, on the dashboard: from the save until the compositor paints
   the panel with the new total (the store write, the re-score, the screen's
   update and the next frame's layout). Target: under 50 ms.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static("信用交通县")
    def on_mount(self):
        self.call_after_refresh(self.exit)

Minimal().run(headless=True)
"""

CREDIT_APP = """
import gc
gc.disable()  # as credit-tui does (cli.cmd_tui); the app resumes it after the first paint
import sys
from datetime import date
from credit_tui.tui.app import make_app
from credit_tui.store.database import Store

store = Store.open(sys.argv[1])
app = make_app(store, date(2024, 7, 15), poll_seconds=0)
shown = app._loaded
def loaded():
    shown()
    app.call_after_refresh(app.exit)
app._loaded = loaded
app.run(headless=True)
"""


def run_pair(demo: Path, repeats: int = 15) -> tuple[list[float], list[float]]:
    """Wall times of the minimal app and of credit-tui, alternated run by run.

    Alternating keeps a change in the machine's load (another process starting)
    from landing on one side only; one warm-up run of each is not counted.
    """
    minimal: list[float] = []
    credit: list[float] = []
    for n in range(repeats + 1):
        for code, args, times in ((MINIMAL_APP, (), minimal), (CREDIT_APP, (str(demo),), credit)):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True)
            if n:
                times.append(time.perf_counter() - start)
    return minimal, credit


async def save_to_panel(n: int) -> list[float]:
    """Milliseconds from saving a record to the panel showing the new total."""
    from bench.score import synthetic_records
    from credit_tui.scoring.evidence import make_evidence
    from credit_tui.store.database import Store
    from credit_tui.tui.app import make_app
    from credit_tui.tui.widgets.score_panel import ScorePanel

    tmp = Path(tempfile.mkdtemp())
    store, _ = Store.create(tmp / "bench.db", 2024)
    store.save_many([(r, []) for r in synthetic_records(n, seed=7)], label="基准数据")
    app = make_app(store, date(2024, 7, 15), poll_seconds=0)
    timings = []
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for i in range(20):
            record = make_evidence(
                store.catalog,
                {"indicator": "1.4", "date": f"2024-07-1{i % 6}", "title": f"基准 {i}"},
            )
            panel = app.screen.query_one(ScorePanel)
            painted: list[float] = []
            render_lines = panel.render_lines

            def timed(crop, render_lines=render_lines, painted=painted):
                painted.append(time.perf_counter())
                return render_lines(crop)

            panel.render_lines = timed  # type: ignore[method-assign]
            start = time.perf_counter()
            outcome = app.bench.save(record, [])  # the store write and the re-score
            app._after_change(outcome)  # the panel and the screen take the new score
            await pilot.pause()  # the next frame is laid out and painted
            panel.render_lines = render_lines  # type: ignore[method-assign]
            assert painted and panel._report is app.bench.report
            timings.append((painted[0] - start) * 1000)  # until the panel was painted
    store.close()
    return timings


def main() -> None:
    import compileall

    from credit_tui.service.demo import build_demo

    # bytecode as an installed wheel has it (pip compiles at install); an editable checkout
    # run with PYTHONDONTWRITEBYTECODE would otherwise compile every module on every start
    compileall.compile_dir(ROOT / "credit_tui", quiet=1)
    print("workbench start-up benchmark — whole processes, wall time")
    print(f"Python {sys.version.split()[0]}\n")
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo.db"
        build_demo(demo).close()
        base, app = run_pair(demo)
    base_best, base_median = min(base), statistics.median(base)
    app_best, app_median = min(app), statistics.median(app)
    ratio = app_median / base_median
    print(f"{'':24}{'best s':>9}{'median s':>10}{'× minimal':>11}")
    print(f"{'minimal Textual app':24}{base_best:>9.3f}{base_median:>10.3f}{1:>10.2f}×")
    print(f"{'credit-tui (demo store)':24}{app_best:>9.3f}{app_median:>10.3f}{ratio:>10.2f}×")
    print(f"({len(app)} runs of each, alternated; best against best: {app_best / base_best:.2f}×)")
    timings = asyncio.run(save_to_panel(10_000))
    median_ms = statistics.median(timings)
    print(
        f"\nsave → panel at 10,000 records: median {median_ms:.1f} ms, "
        f"max {max(timings):.1f} ms ({len(timings)} saves)"
    )
    print(
        f"\ntargets: cold start under 2× a minimal app — {'met' if ratio < 2 else 'MISSED'} "
        f"({ratio:.2f}×); save → panel under 50 ms — "
        f"{'met' if median_ms < 50 else 'MISSED'} ({median_ms:.1f} ms median)"
    )


if __name__ == "__main__":
    main()
