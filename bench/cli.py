"""Command-line benchmark: ``status`` and ``score --json`` as whole processes.

Run with ``.venv/bin/python bench/cli.py``. For N = 1,000 and 100,000 records it
builds a store (``Store.save_many`` with the synthetic records of
``bench/score.py``, attachments included; the stores live in a temporary folder
for this run only), then times, as separate processes:

* ``credit-tui --db S --today 2024-07-15 status``
* ``credit-tui --db S --today 2024-07-15 score --json``
* the baseline: ``python -c "import sqlite3; ... select * from evidence ..."``
  on the same store — what merely starting Python and reading the rows costs.

It prints best and median wall time of several runs and the ratio (median) to
the baseline's median, then where the time of ``status`` at 1,000 records goes:
phases timed in a fresh interpreter (start-up, imports, the light read of
``credit_tui.store.light``, score, occurrences, render) and the slowest imports
from ``python -X importtime``.

Targets (issue 17, judged on the median, same run): cold ``status`` at 1,000
records (view cache dropped, so it re-scores) at most 2.5× the bare sqlite3 read
of the same store, and warm ``status`` (view cache hit) at most 1.5× ``python -c
pass``; also the older target, ``status`` under 0.3 s and 4× the baseline.
Nothing asserts; the last lines say whether each is met. ``bench/cli.py 1000``
runs only the given sizes.
"""

from __future__ import annotations

import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2024-07-15"
SIZES = (1_000, 100_000)
RUNS = {1_000: 9, 100_000: 5}
STATUS_SECONDS_TARGET = 0.3
STATUS_RATIO_TARGET = 4.0
COLD_RATIO_TARGET = 2.5
WARM_RATIO_TARGET = 1.5
PHASE_RUNS = 7
BASELINE = (
    "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
    "rows = c.execute('select * from evidence').fetchall()"
)

PHASES = r"""
import json, sys, time
t0 = time.perf_counter()
from datetime import date
from pathlib import Path
import credit_tui.cli.entry
t1 = time.perf_counter()
from credit_tui.scoring.calendar import occurrences
from credit_tui.scoring.engine import score
from credit_tui.reports.text import status_view
from credit_tui.store import light
t2 = time.perf_counter()
found = light.read(Path(sys.argv[1]))
if found is None:
    raise SystemExit("the light read did not answer: the store needs the full open")
year, catalog, records = found.year, found.catalog, found.records
t3 = time.perf_counter()
as_of = date.fromisoformat(sys.argv[2])
report = score(catalog, records, year=year, as_of=as_of)
t4 = time.perf_counter()
projected = None
if any(r.planned for r in records):
    projected = score(catalog, records, year=year, as_of=as_of, projected=True)
t5 = time.perf_counter()
occs = occurrences(catalog, report)
t6 = time.perf_counter()
text = status_view(catalog, report, occs, projected=projected, soon_days=catalog.due_soon_days)
t7 = time.perf_counter()
print(json.dumps({
    "import credit_tui.cli.entry": t1 - t0,
    "import engine, calendar, textview, store.light": t2 - t1,
    "light read (open, table, records)": t3 - t2,
    "score (as of today)": t4 - t3,
    "score (projected)": t5 - t4,
    "occurrences": t6 - t5,
    "status_view (render)": t7 - t6,
    "_records": len(records),
}))
"""
IMPORTS = (
    "import credit_tui.cli.entry, credit_tui.store.light, credit_tui.scoring.engine, "
    "credit_tui.scoring.calendar, credit_tui.reports.text, credit_tui.reports.proof, "
    "credit_tui.reports.key_task_text"
)


def _load_score_bench():
    """``bench/score.py`` as a module (its synthetic record generator)."""
    spec = importlib.util.spec_from_file_location("bench_score", ROOT / "bench" / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def build_store(path: Path, n: int) -> float:
    """A 2024 store holding ``n`` synthetic records; returns seconds taken."""
    from credit_tui.store.database import AttachmentRef, Store

    bench = _load_score_bench()
    start = time.perf_counter()
    store, _ = Store.create(path, 2024)
    with store:
        records = bench.synthetic_records(n, catalog=store.catalog)
        items = [
            (rec, [AttachmentRef(sha, f"附件{k}.pdf") for k, sha in enumerate(rec.attachments)])
            for rec in records
        ]
        result = store.save_many(items, label="bench")
        assert result.added == n, result
    return time.perf_counter() - start


def _cli() -> list[str]:
    script = Path(sys.executable).parent / "credit-tui"
    return [str(script)] if script.exists() else [sys.executable, "-m", "credit_tui.cli.entry"]


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("CREDIT_TUI_")}


def time_process(
    cmd: list[str], runs: int, before: Callable[[], None] = lambda: None
) -> tuple[float, float]:
    """(best, median) wall seconds of ``runs`` runs of ``cmd`` (after one warm-up run).

    ``before`` runs ahead of each run, untimed (the cold rows drop the view cache).
    """
    env = _env()
    times: list[float] = []
    for i in range(runs + 1):
        before()
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, env=env, check=False)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr.decode()}")
        if i:  # the first run only warms the OS page cache
            times.append(elapsed)
    return min(times), statistics.median(times)


def phases(db: Path) -> tuple[dict[str, float], float]:
    """Median seconds per phase of ``status`` in a fresh interpreter, and bare start-up."""
    env = _env()
    samples: list[dict[str, float]] = []
    for _ in range(PHASE_RUNS):
        out = subprocess.run(
            [sys.executable, "-c", PHASES, str(db), TODAY],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout
        samples.append(json.loads(out.strip().splitlines()[-1]))
    keys = [k for k in samples[0] if not k.startswith("_")]
    medians = {k: statistics.median(s[k] for s in samples) for k in keys}
    _, startup = time_process([sys.executable, "-c", "pass"], PHASE_RUNS)
    return medians, startup


def import_times(limit: int = 15) -> tuple[list[tuple[int, int, str]], list[tuple[int, str]]]:
    """``-X importtime`` of the status imports: (slowest by self time, top-level cumulative)."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", IMPORTS],
        capture_output=True,
        text=True,
        env=_env(),
        check=True,
    )
    rows: list[tuple[int, int, str]] = []
    top: list[tuple[int, str]] = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative, name = line[len("import time:") :].split("|", 2)
        rows.append((int(self_us), int(cumulative), name.strip()))
        if not name[1:].startswith(" "):  # no nesting indentation: imported at top level
            top.append((int(cumulative), name.strip()))
    rows.sort(reverse=True)
    top.sort(reverse=True)
    return rows[:limit], top[:limit]


def main() -> None:
    import compileall

    import credit_tui

    # bytecode as an installed wheel has it (pip compiles at install); an editable checkout
    # run with PYTHONDONTWRITEBYTECODE would otherwise compile every module on every run
    compileall.compile_dir(Path(credit_tui.__file__).parent, quiet=1)
    sizes = tuple(int(a) for a in sys.argv[1:]) or SIZES
    cli = _cli()
    print("CLI benchmark — whole processes, wall time in seconds")
    print(f"Python {sys.version.split()[0]}; {' '.join(cli)}; --today {TODAY}")
    print()
    results: dict[tuple[int, str], tuple[float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="credit-tui-bench-") as tmp:
        stores: dict[int, Path] = {}
        for n in sizes:
            db = Path(tmp) / f"store_{n}.db"
            took = build_store(db, n)
            stores[n] = db
            print(f"built store of {n:,} records in {took:.1f} s ({db.stat().st_size:,} bytes)")
        print()
        header = (
            f"{'N':>9}  {'command':<16}  {'best s':>8}  {'median s':>9}  "
            f"{'runs':>4}  {'× baseline':>10}"
        )
        print(header)
        print("-" * len(header))
        for n in sizes:
            db = stores[n]
            runs = RUNS[n]
            status = [*cli, "--db", str(db), "--today", TODAY, "status"]
            score = [*cli, "--db", str(db), "--today", TODAY, "score", "--json"]
            commands = {
                "baseline": [sys.executable, "-c", BASELINE, str(db)],
                "python -c pass": [sys.executable, "-c", "pass"],
                "status (cold)": status,
                "score (cold)": score,
                "status": status,
                "score --json": score,
            }
            cache = db.with_name(db.name + ".viewcache.json")
            for name, cmd in commands.items():
                drop = (lambda c=cache: c.unlink(missing_ok=True)) if "cold" in name else None
                results[n, name] = (
                    time_process(cmd, runs, drop) if drop else time_process(cmd, runs)
                )
            base = results[n, "baseline"][1]
            for name in commands:
                best, median = results[n, name]
                print(
                    f"{n:>9,}  {name:<16}  {best:>8.3f}  {median:>9.3f}  "
                    f"{runs:>4}  {median / base:>9.2f}×"
                )
        print("(ratio: median / baseline median; the first run of each command is a warm-up;")
        print(" cold: the view cache is dropped before each run, so every run re-scores)")
        print()

        small = min(sizes)
        medians, startup = phases(stores[small])
        total = startup + sum(medians.values())
        print(f"where `status` goes at {small:,} records (median of {PHASE_RUNS} fresh processes)")
        print(f"  {'interpreter start-up (python -c pass)':<44} {startup * 1000:>8.1f} ms")
        for name, seconds in medians.items():
            print(f"  {name:<44} {seconds * 1000:>8.1f} ms")
        print(f"  {'sum':<44} {total * 1000:>8.1f} ms")
        print()
    slow, top = import_times()
    print("python -X importtime of the status imports (µs):")
    print("  slowest modules by self time:")
    for self_us, cumulative, name in slow:
        print(f"    {self_us:>8,} self  {cumulative:>9,} cumulative  {name}")
    print("  top-level imports by cumulative time:")
    for cumulative, name in top:
        print(f"    {cumulative:>9,} cumulative  {name}")
    print()
    cold = results[small, "status (cold)"][1] / results[small, "baseline"][1]
    warm = results[small, "status"][1] / results[small, "python -c pass"][1]
    print(
        f"target, cold status at {small:,} records ≤ {COLD_RATIO_TARGET:g}× a bare sqlite3 read — "
        f"{'met' if cold <= COLD_RATIO_TARGET else 'MISSED'} ({cold:.2f}×)"
    )
    print(
        f"target, warm status (view cache hit) ≤ {WARM_RATIO_TARGET:g}× python -c pass — "
        f"{'met' if warm <= WARM_RATIO_TARGET else 'MISSED'} ({warm:.2f}×)"
    )
    for name in ("status", "status (cold)"):
        best, median = results[small, name]
        ratio = median / results[small, "baseline"][1]
        fast_ok = median < STATUS_SECONDS_TARGET
        ratio_ok = ratio < STATUS_RATIO_TARGET
        print(
            f"targets, {name}: at {small:,} records under {STATUS_SECONDS_TARGET:g} s — "
            f"{'met' if fast_ok else 'MISSED'} ({median:.3f} s median, {best:.3f} s best); "
            f"under {STATUS_RATIO_TARGET:g}× the baseline — "
            f"{'met' if ratio_ok else 'MISSED'} ({ratio:.2f}×)"
        )


if __name__ == "__main__":
    main()
