"""The light read path of ``status`` and ``score`` (``credit_tui.store.light``).

A fresh interpreter runs each command on the demo store and lists what it
imported: neither pydantic nor textual nor openpyxl (nor the full store). The
light read gives what ``Store.open`` gives, and hands every case it cannot answer
quietly (a store to back up today, to migrate, damaged, read-only) to the full path.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from credit_tui.scoring.engine import score
from credit_tui.store import light, staging
from credit_tui.store.database import Store
from credit_tui.store.paths import backups_dir

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2024, 7, 15)

SCRIPT = """
import contextlib, io, json, sys
from credit_tui.cli.entry import main

out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(sys.argv[1:])
heavy = ("pydantic", "pydantic_core", "textual", "openpyxl", "sqlite_utils", "docx")
print(json.dumps({
    "code": code,
    "first": out.getvalue().splitlines()[:2],
    "banned": sorted(m for m in sys.modules if m.split(".")[0] in heavy),
    "full_store": "credit_tui.store.database" in sys.modules,
}, ensure_ascii=False))
"""


def _run(db: Path, *words: str) -> dict[str, object]:
    db.with_name(db.name + ".viewcache.json").unlink(missing_ok=True)  # cold: re-score
    env = {k: v for k, v in os.environ.items() if not k.startswith("CREDIT_TUI_")}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, "--db", str(db), "--today", "2024-07-15", *words],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env | {"PYTHONIOENCODING": "utf-8"},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_status_and_score_import_no_pydantic_textual_or_openpyxl(demo_db: Path) -> None:
    Store.open(demo_db).close()  # today's backup made: the quick reads only read
    for words in (["status"], ["score"], ["score", "--json"], ["score", "--projected"]):
        out = _run(demo_db, *words)
        assert out["code"] == 0, words
        assert out["banned"] == [], words
        assert out["full_store"] is False, words  # the light read answered
    assert _run(demo_db, "status")["first"][1].startswith("总分 37.5 / 100")


def test_the_first_status_of_the_day_takes_the_full_path_and_backs_up(demo_db: Path) -> None:
    backups = backups_dir(demo_db)
    if backups.exists():
        for old in backups.iterdir():
            old.unlink()
    assert light.read(demo_db) is None  # a backup is due: only the full open makes it
    out = _run(demo_db, "status")
    assert out["full_store"] is True and out["banned"] == []
    assert any(backups.iterdir())
    assert light.read(demo_db) is not None


def test_hand_checked_demo_scores(demo_db: Path) -> None:
    """The demo store as of 2024-07-15, worked out from the table's rule text.

    1.4 (per quarter, 1 point each, at most 1 a quarter; not the same material
    as a 6.1 record): records on 03-20 (Q1) and 05-20 (Q2), neither sharing a
    date, title or attachment with 6.1's 06-06 record → 2 earned; Q3 and Q4
    have not ended → 0 lost, 4 still possible. 2.1 (per quarter, 1 each): one
    record on 03-15 (Q1) → 1 earned; Q2 ended on 06-30 with none → 1 lost;
    1 + 2 quarters to come → 3 possible. The whole: 37.5 points.
    """
    Store.open(demo_db).close()
    found = light.read(demo_db)
    assert found is not None
    report = score(found.catalog, found.records, year=found.year, as_of=AS_OF)
    assert report.earned == 75  # halves: 37.5 points
    by_code = {ind.code: ind for ind in report.indicators}
    assert (by_code["1.4"].earned, by_code["1.4"].lost, by_code["1.4"].potential) == (4, 0, 8)
    assert (by_code["2.1"].earned, by_code["2.1"].lost, by_code["2.1"].potential) == (2, 2, 6)


def test_the_light_read_gives_what_the_store_gives(demo_db: Path) -> None:
    with Store.open(demo_db) as store:
        year, catalog, records = store.campaign.year, store.catalog, store.records()
    found = light.read(demo_db)
    assert found is not None
    assert found.year == year and found.catalog == catalog
    assert found.records == [r.model_copy(update={"note": ""}) for r in records]  # no notes


def test_the_staging_prefix_it_repeats_is_the_stores() -> None:
    assert light.STAGING_PREFIX == staging.PREFIX


def _break_date(db: Path) -> None:
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "UPDATE evidence SET date = 'soon' WHERE rowid = (SELECT min(rowid) FROM evidence)"
        )
    conn.close()


def _old_schema(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 2")
    conn.close()


def _rollback_journal(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


def _staging_left(db: Path) -> None:
    (db.parent / f"{db.stem}_attachments" / ".staging-1-x-host").mkdir(parents=True)


def _bad_table(db: Path) -> None:
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE catalogs SET data = '{\"version\": 1}'")
    conn.close()


@pytest.mark.parametrize(
    "spoil", [_break_date, _old_schema, _rollback_journal, _staging_left, _bad_table]
)
def test_what_the_light_read_leaves_to_the_full_path(
    demo_db: Path, spoil: Callable[[Path], None]
) -> None:
    Store.open(demo_db).close()
    assert light.read(demo_db) is not None
    spoil(demo_db)
    assert light.read(demo_db) is None


def test_a_read_only_store_takes_the_full_path(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store the clerk may not write (as a 0444 file is to anyone but root) is not read light."""
    Store.open(demo_db).close()
    assert light.read(demo_db) is not None
    real_access = os.access

    def access(path: object, mode: int) -> bool:
        if mode & os.W_OK and Path(str(path)) == demo_db:
            return False
        return real_access(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(light.os, "access", access)
    assert light.read(demo_db) is None


def test_keep_backups_set_to_nothing_needs_no_backup(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backups = backups_dir(demo_db)
    monkeypatch.setenv("CREDIT_TUI_KEEP_BACKUPS", "0")
    Store.open(demo_db).close()
    if backups.exists():
        for old in backups.iterdir():
            old.unlink()
    assert light.read(demo_db) is not None
    monkeypatch.setenv("CREDIT_TUI_KEEP_BACKUPS", "3")
    assert light.read(demo_db) is None  # backups kept again, and none today: one is due


def test_the_kept_json_builds_the_table_it_was_made_from() -> None:
    """The canonical JSON of the bundled table rebuilds, without pydantic, the same table."""
    from credit_tui.scoring.build import from_raw
    from credit_tui.scoring.canonical import to_json
    from credit_tui.scoring.catalog import load_catalog

    checked = load_catalog()
    rebuilt = from_raw(json.loads(to_json(checked)))
    assert rebuilt == checked and rebuilt is not checked
    assert to_json(rebuilt) == to_json(checked)
    assert rebuilt.by_code["1.4"].components[0].qualify[0].indicator == "6.1"
    assert rebuilt.dependents("6.1") == ("1.4",)
