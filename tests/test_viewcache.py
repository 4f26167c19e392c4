"""The read-command cache: a hit prints what a fresh run would, and any change is a miss."""

from __future__ import annotations

from pathlib import Path

from credit_tui.cli import viewcache


def test_status_is_cached_and_invalidated_by_a_write(run_cli, tmp_path: Path) -> None:
    assert run_cli("init", "--year", "2024").code == 0
    first = run_cli("status")
    key = viewcache.cache_key(run_cli.db, '["status", "2024-07-15"]')
    assert first.code == 0 and viewcache.get(run_cli.db, key) == first.out.rstrip("\n")
    assert run_cli("status").out == first.out  # a hit prints the same text

    csv = tmp_path / "one.csv"
    csv.write_text("指标,日期,责任单位,标题\n1.3,2024-03-05,政策研究室,年度工作要点\n", "utf-8")
    assert run_cli("import", csv).code == 0
    after = run_cli("status")
    assert after.out != first.out  # the import added an audit row: a miss, re-scored
    assert "总分 2 / 100" in after.out


def test_the_key_depends_on_the_command_and_its_dates(run_cli) -> None:
    assert run_cli("init", "--year", "2024").code == 0
    keys = {
        viewcache.cache_key(run_cli.db, command)
        for command in ('["status", "2024-07-15"]', '["status", "2024-07-16"]', '["score"]')
    }
    assert len(keys) == 3 and None not in keys


def test_an_unreadable_store_has_no_key(tmp_path: Path) -> None:
    bad = tmp_path / "not.db"
    bad.write_bytes(b"not a database at all")
    assert viewcache.cache_key(bad, "status") is None
    assert viewcache.get(bad, None) is None


def test_a_direct_sql_update_by_another_program_is_a_miss(run_cli, demo_db: Path) -> None:
    """The sqlite3 shell changes a record without an audit row; ``status`` re-scores.

    Demo store as of 2024-07-15: total 37.5, of which 一、3 (年度工作要点) gives 2
    from its one record. Moving that record to 2019 (outside the 2024 year) leaves
    一、3 at 0: 37.5 − 2 = 35.5.
    """
    import shutil
    import sqlite3
    import subprocess

    first = run_cli("--db", demo_db, "status")
    assert first.code == 0 and "总分 37.5 / 100" in first.out
    assert run_cli("--db", demo_db, "status").out == first.out  # a hit
    sql = "UPDATE evidence SET date = '2019-01-01' WHERE indicator = '1.3'"
    if shutil.which("sqlite3"):  # the real other program
        subprocess.run(["sqlite3", str(demo_db), sql], check=True)
    else:  # no shell installed: another connection, closed before status runs
        conn = sqlite3.connect(demo_db)
        with conn:
            conn.execute(sql)
        conn.close()
    after = run_cli("--db", demo_db, "status")
    assert after.code == 0 and after.out != first.out
    assert "总分 35.5 / 100" in after.out
