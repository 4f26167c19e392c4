"""Evidence export: XLSX against CSV time at a few sizes (the XLSX writer must stay linear).

Run with ``.venv/bin/python bench/export.py``. For each size it builds a store of
synthetic records (``bench/score.py``'s generator; attachment files absent, so
only the sheet is timed), then times ``export_evidence`` to ``.csv`` and to
``.xlsx`` in this process (best of 3). It prints both, the ratio xlsx / csv, and
the XLSX time per 1,000 rows: a linear writer keeps that last figure about flat
as the size grows (the old writer read ``sheet.max_row`` for every row: 2,000 rows
3 s, 8,000 rows 46 s).
"""

from __future__ import annotations

import sys
import tempfile
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cli import build_store  # bench/cli.py, beside this file

SIZES = (2_000, 8_000, 32_000)
RUNS = 3


def best(run) -> float:
    """The best of ``RUNS`` wall times of ``run()``."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    from credit_tui.interchange.evidence_export import export_evidence
    from credit_tui.store.database import Store

    print(f"{'rows':>7}  {'csv s':>7}  {'xlsx s':>7}  {'xlsx/csv':>8}  {'xlsx ms/1000':>12}")
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        for n in SIZES:
            db = Path(tmp) / f"s{n}.db"
            build_store(db, n)
            with Store.open(db, keep_backups=0) as store:
                csv_s = best(partial(export_evidence, store, Path(tmp) / f"e{n}.csv"))
                xlsx_s = best(partial(export_evidence, store, Path(tmp) / f"e{n}.xlsx"))
            print(
                f"{n:>7,}  {csv_s:>7.2f}  {xlsx_s:>7.2f}  {xlsx_s / csv_s:>7.1f}×  "
                f"{xlsx_s / n * 1e6:>12.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
