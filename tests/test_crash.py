"""An import killed with SIGKILL leaves the store whole: all of the file or none of it.

SPEC section 8: "An import is all or nothing". The store writes an import as one
SQLite transaction in WAL mode, so a process killed at any moment must leave
either the store as it was or the store with every row of the file, and the
audit log must agree with the evidence. This test kills a real ``credit-tui
import`` of 50,000 rows at two moments:

* ``parsing``: the store is open (its ``-wal`` file exists, still empty) and
  the file is being read and checked — nothing has been written yet;
* ``writing``: the ``-wal`` file is several megabytes and still growing, i.e.
  the single write transaction is in progress (the page cache spills to the WAL
  long before the commit).

If the process finishes before it could be killed (a very fast machine), the
run must then hold every row; the test never skips.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from credit_tui.interchange.evidence import import_file
from credit_tui.store.database import Store

TODAY = date(2024, 7, 15)
PRIOR = 10
BIG = 50_000
HEADER = ("indicator", "component", "item", "date", "department", "title")
# Components without an item, all valid in the 2024 catalog.
COMPONENTS = (
    ("1.4", "study", "法规科"),
    ("2.1", "joint", "办公室"),
    ("6.2", "training", "客运科"),
    ("6.3", "exchange", "办公室"),
    ("3.1", "info", "法规科"),
    ("1.3", "plan", "政策研究室"),
)
WAL_WRITING_BYTES = 2 << 20  # the write transaction has spilled at least 2 MiB to the WAL
RUN_TIMEOUT_S = 60.0  # generous; a full import of 50,000 rows takes ~10 s here
POLL_S = 0.01


def write_csv(path: Path, n: int, prefix: str) -> None:
    """``n`` valid rows with unique titles (so unique derived ids), dated in 2024."""
    start = date(2024, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for i in range(n):
            code, comp, dept = COMPONENTS[i % len(COMPONENTS)]
            day = start + timedelta(days=i % 366)
            writer.writerow((code, comp, "", day.isoformat(), dept, f"{prefix}材料 {i:06d}"))


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A store holding ``PRIOR`` records (closed cleanly, no WAL left) and the big file."""
    root = tmp_path_factory.mktemp("crash")
    small, big = root / "small.csv", root / "big.csv"
    write_csv(small, PRIOR, "先前")
    write_csv(big, BIG, "批量")
    base = root / "base.db"
    store, created = Store.create(base, 2024)
    assert created
    with store:
        result = import_file(store, small, today=TODAY)
    assert result.added == PRIOR
    assert not Path(f"{base}-wal").exists()
    return base, big


def _wal_size(db: Path) -> int | None:
    try:
        return os.stat(f"{db}-wal").st_size
    except FileNotFoundError:
        return None


def _ready(moment: str, db: Path, sizes: list[int]) -> bool:
    """Whether the import has reached ``moment`` (``sizes``: WAL sizes seen so far)."""
    size = _wal_size(db)
    if size is None:
        return False
    sizes.append(size)
    if moment == "parsing":
        # Store.open has run (it creates the empty WAL); give the parser a moment.
        return len(sizes) >= 20 and sizes[-1] == 0
    # writing: well into the transaction and still growing
    return len(sizes) >= 2 and sizes[-1] >= WAL_WRITING_BYTES and sizes[-1] > sizes[-2]


def _counts(db: Path) -> tuple[str, int, int, int, int]:
    """(integrity_check, live evidence, all evidence, audit rows, audit batches)."""
    with Store.open(db) as store:
        conn = store.conn
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        assert fk == [], fk
        live = store.count()
        total = conn.execute("SELECT count(*) FROM evidence").fetchone()[0]
        audit = conn.execute("SELECT count(*) FROM audit").fetchone()[0]
        batches = conn.execute("SELECT count(DISTINCT batch) FROM audit").fetchone()[0]
        assert len(store.records()) == live
    return integrity, live, total, audit, batches


@pytest.mark.parametrize("moment", ["parsing", "writing"])
def test_killed_import_is_all_or_nothing(
    files: tuple[Path, Path], tmp_path: Path, moment: str
) -> None:
    base, big = files
    db = tmp_path / "credit.db"
    shutil.copyfile(base, db)
    cmd = [
        sys.executable, "-m", "credit_tui.cli", "--db", str(db), "--today", TODAY.isoformat(),
        "import", str(big),
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith("CREDIT_TUI_")}
    proc = subprocess.Popen(
        cmd,
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    sizes: list[int] = []
    killed = False
    deadline = time.monotonic() + RUN_TIMEOUT_S
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if _ready(moment, db, sizes):
                os.kill(proc.pid, signal.SIGKILL)
                killed = True
                break
            time.sleep(POLL_S)
        if proc.poll() is None and not killed:  # timed out without seeing the moment
            os.kill(proc.pid, signal.SIGKILL)
            killed = True
        out, err = proc.communicate(timeout=RUN_TIMEOUT_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    # Killed, or (if it beat the kill) finished cleanly: never a fault exit.
    if proc.returncode == -signal.SIGKILL:
        assert killed
    else:
        assert proc.returncode == 0, err
        assert f"新增 {BIG} 条" in out

    integrity, live, total, audit, batches = _counts(db)
    print(f"{moment}: exit {proc.returncode}, WAL {sizes[-3:]} bytes, {live} records after")
    assert integrity == "ok"
    assert live == total  # nothing soft-deleted by a half-done import
    assert live in (PRIOR, PRIOR + BIG), f"partial import: {live} records ({moment})"
    # One audit row per inserted record; one batch per import that landed.
    assert audit == live
    assert batches == (1 if live == PRIOR else 2)
    if proc.returncode == 0:
        assert live == PRIOR + BIG
    if moment == "parsing" and proc.returncode == -signal.SIGKILL and sizes[-1] == 0:
        assert live == PRIOR  # killed before anything was written

    # The store is still usable for writing: a small import lands on top.
    with Store.open(db) as store:
        result = import_file(store, base.parent / "small.csv", today=TODAY)
        assert result.added == 0 and result.unchanged == PRIOR
