"""Issue 18, item 6: a read-only store whose log still holds committed changes shows them.

A store written last by a process that ended without a checkpoint keeps its newest
records only in ``-wal``. In a folder nobody can write and without its ``-shm``,
SQLite could read it only as ``immutable``: the record was missing and ``check``
said 通过 on the old state. Now it is read through a private copy with the log.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_broken_stores import ROOT, _read_only

WRITE_AND_DIE = """
import os, sys
from credit_tui.store.database import Store
from credit_tui.scoring.evidence import make_evidence
store, _ = Store.create(sys.argv[1], 2024, keep_backups=0)
for rid, title in (("early", "早先"), ("late", "只在日志里")):
    record = make_evidence(store.catalog, {"id": rid, "indicator": "3.1", "date": "2024-05-03",
                                           "department": "法规科", "title": title})
    store.save(record)
    if rid == "early":
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # "early" is in the file
os._exit(0)  # no checkpoint at close: "late" is only in the -wal
"""

SHOW = """
import sys
from credit_tui.store.database import Store
with Store.open(sys.argv[1]) as store:
    print(store.read_only, sorted(r.id for r in store.records()))
"""


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="credit-tui-wal-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(folder)


def test_a_read_only_folder_shows_what_the_log_holds(shared_dir: Path) -> None:
    folder = shared_dir / "store"
    folder.mkdir()
    db = folder / "credit.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    subprocess.run([sys.executable, "-c", WRITE_AND_DIE, str(db)], env=env, check=True)
    assert Path(f"{db}-wal").stat().st_size > 0
    Path(f"{db}-shm").unlink()  # as copied from a share: the index is gone
    for path in folder.iterdir():
        path.chmod(0o444)
    folder.chmod(0o555)
    prefix = _read_only(folder)

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*prefix, sys.executable, *argv], capture_output=True, encoding="utf-8",
            cwd=shared_dir, env=env, timeout=120, check=False,
        )  # fmt: skip

    shown = run("-c", SHOW, str(db))
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == "True ['early', 'late']"
    cli = ["-m", "credit_tui.cli", "--db", str(db), "--today", "2024-07-15"]
    checked = run(*cli, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "（2 条佐证材料" in checked.stdout  # early + late
    status = run(*cli, "score", "--json")
    assert status.returncode == 0, status.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["credit.db", "credit.db-wal"]
    assert not list(Path(tempfile.gettempdir()).glob("credit-tui-view-*"))  # copies removed
