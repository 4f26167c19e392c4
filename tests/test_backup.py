"""Backups: a daily copy on the first open, rotation, ``backup`` and ``restore``."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from credit_tui.store.database import (
    KEEP_BACKUPS,
    Store,
    StoreError,
    backups_dir,
    list_backups,
    newest_backup,
)

DAY = datetime(2024, 7, 15, 9, 0, tzinfo=UTC)


def at(moment: datetime):
    return lambda: moment


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_state(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its hash: what must not change on a refusal."""
    return {
        p.relative_to(folder).as_posix(): digest(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def live_ids(path: Path) -> set[str]:
    with Store.open(path, keep_backups=0) as store:
        return {r.id for r in store.records()}


def backup_path(out: str) -> Path:
    """The path ``backup`` printed (``已备份数据库 … 到 PATH``)."""
    line = next(line for line in out.splitlines() if line.startswith("已备份数据库"))
    return Path(line.rsplit(" 到 ", 1)[1].strip())


# --- the daily backup ------------------------------------------------------------------


def test_first_open_of_the_day_makes_one_backup(demo_db: Path) -> None:
    folder = backups_dir(demo_db)
    assert folder == demo_db.parent / "backups"
    assert not folder.exists()  # a new store is not backed up: there is nothing to lose yet
    with Store.open(demo_db, clock=at(DAY)) as store:
        expected = folder / "demo-2024-07-15.db"
        assert store.daily_backup == expected and store.backup_error is None
        count = store.count()
    assert [p.name for p in folder.iterdir()] == ["demo-2024-07-15.db"]
    first = digest(expected)

    with Store.open(demo_db, clock=at(DAY + timedelta(hours=8))) as store:  # same day
        assert store.daily_backup is None
        store.delete(store.records()[0].id)
    assert [p.name for p in folder.iterdir()] == ["demo-2024-07-15.db"]
    assert digest(expected) == first  # not made twice the same day

    with Store.open(demo_db, clock=at(DAY + timedelta(days=1))) as store:
        assert store.daily_backup == folder / "demo-2024-07-16.db"
    assert sorted(p.name for p in folder.iterdir()) == ["demo-2024-07-15.db", "demo-2024-07-16.db"]

    # The backup is a whole store on its own: one file (no -wal), the records of that morning.
    with Store.open(expected, keep_backups=0, read_only=True) as copy:
        assert copy.count() == count
        assert copy.campaign.year == 2024
    with Store.open(folder / "demo-2024-07-16.db", keep_backups=0, read_only=True) as copy:
        assert copy.count() == count - 1
    raw = sqlite3.connect(expected)
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        raw.close()


def test_create_on_an_existing_store_backs_it_up_but_a_refusal_does_not(tmp_path: Path) -> None:
    path = tmp_path / "credit.db"
    store, created = Store.create(path, 2024, clock=at(DAY))
    store.close()
    assert created and not backups_dir(path).exists()
    with pytest.raises(StoreError, match="2025"):
        Store.create(path, 2025, clock=at(DAY))
    assert not backups_dir(path).exists()  # never back up a store being refused
    store, created = Store.create(path, 2024, clock=at(DAY))
    store.close()
    assert not created
    assert [p.name for p in backups_dir(path).iterdir()] == ["credit-2024-07-15.db"]


def test_rotation_keeps_the_newest_fourteen(demo_db: Path) -> None:
    assert KEEP_BACKUPS == 14
    for n in range(20):
        Store.open(demo_db, clock=at(DAY + timedelta(days=n))).close()
    names = sorted(p.name for p in backups_dir(demo_db).iterdir())
    expected = [f"demo-{(DAY + timedelta(days=n)).date().isoformat()}.db" for n in range(6, 20)]
    assert names == expected
    assert newest_backup(demo_db) == backups_dir(demo_db) / "demo-2024-08-03.db"


def test_rotation_is_configurable_and_leaves_manual_backups(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(demo_db, clock=at(DAY), keep_backups=2) as store:
        manual = store.backup_now()
    assert manual.name == "demo-2024-07-15-090000.db"
    for n in range(1, 5):
        Store.open(demo_db, clock=at(DAY + timedelta(days=n)), keep_backups=2).close()
    names = sorted(p.name for p in backups_dir(demo_db).iterdir())
    assert names == ["demo-2024-07-15-090000.db", "demo-2024-07-18.db", "demo-2024-07-19.db"]

    monkeypatch.setenv("CREDIT_TUI_KEEP_BACKUPS", "1")
    Store.open(demo_db, clock=at(DAY + timedelta(days=5))).close()
    names = sorted(p.name for p in backups_dir(demo_db).iterdir())
    assert names == ["demo-2024-07-15-090000.db", "demo-2024-07-20.db"]

    monkeypatch.setenv("CREDIT_TUI_KEEP_BACKUPS", "0")  # 0: no automatic backups
    Store.open(demo_db, clock=at(DAY + timedelta(days=6))).close()
    assert len(list(backups_dir(demo_db).iterdir())) == 2

    monkeypatch.setenv("CREDIT_TUI_KEEP_BACKUPS", "很多")
    with pytest.raises(StoreError, match="CREDIT_TUI_KEEP_BACKUPS"):
        Store.open(demo_db, clock=at(DAY + timedelta(days=7)))


def test_a_backup_that_cannot_be_written_does_not_stop_the_work(demo_db: Path) -> None:
    backups_dir(demo_db).write_text("挡路的同名文件", encoding="utf-8")  # no folder can be made
    with Store.open(demo_db, clock=at(DAY)) as store:
        assert store.daily_backup is None
        assert store.backup_error and "备份失败" in store.backup_error
        assert store.count() > 0


# --- backup and restore on the command line --------------------------------------------


def test_backup_command(run_cli, demo_db: Path) -> None:
    result = run_cli("backup", db=demo_db)
    assert result.code == 0, result.err
    made = backup_path(result.out)
    assert made.parent == backups_dir(demo_db) and made.is_file()
    assert made in list_backups(demo_db)
    assert newest_backup(demo_db) == made  # after the day's automatic one
    with Store.open(made, keep_backups=0, read_only=True) as copy:
        assert {r.id for r in copy.records()} == live_ids(demo_db)

    out = demo_db.parent / "elsewhere" / "copy.db"
    result = run_cli("backup", "--out", out, db=demo_db)
    assert result.code == 0, result.err
    assert backup_path(result.out) == out and out.is_file()
    before = digest(out)
    result = run_cli("backup", "--out", out, db=demo_db)
    assert result.code == 2 and "已存在" in result.err
    assert digest(out) == before

    assert "退出状态为 1" in run_cli("check", "-h").out


def test_restore_round_trip_brings_deleted_records_back(run_cli, demo_db: Path) -> None:
    result = run_cli("backup", db=demo_db)
    assert result.code == 0, result.err
    saved = backup_path(result.out)
    everything = live_ids(demo_db)

    with Store.open(demo_db, keep_backups=0) as store:
        gone = sorted(everything)[:3]
        for rid in gone:
            assert store.delete(rid)
        assert store.count() == len(everything) - 3

    result = run_cli("restore", saved, db=demo_db)
    assert result.code == 0, result.err
    assert live_ids(demo_db) == everything
    assert "已先备份当前数据库到" in result.out and "2024 年度" in result.out
    assert f"{len(everything)} 条佐证材料" in result.out

    # The store as it was just before the restore was backed up first.
    first = Path(result.out.splitlines()[0].split("到 ", 1)[1].strip())
    assert first.parent == backups_dir(demo_db) and first != saved
    with Store.open(first, keep_backups=0, read_only=True) as before:
        assert {r.id for r in before.records()} == everything - set(gone)

    # Still a store in WAL mode, whole, and the audit trail is the backup's.
    raw = sqlite3.connect(demo_db)
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert raw.execute("SELECT count(*) FROM audit WHERE action = 'delete'").fetchone()[0] == 0
    finally:
        raw.close()
    assert run_cli("check", db=demo_db).code == 0


def test_restore_writes_into_the_live_store(run_cli, demo_db: Path) -> None:
    """A window holding the store open sees the restored content (same file, same WAL)."""
    saved = backup_path(run_cli("backup", db=demo_db).out)
    with Store.open(demo_db, keep_backups=0) as window:
        total = window.count()
        window.delete(window.records()[0].id)
        seen = window.data_version()
        result = run_cli("restore", saved, db=demo_db)
        assert result.code == 0, result.err
        assert window.data_version() != seen
        assert window.count() == total


def test_restore_refuses_and_changes_nothing(run_cli, demo_db: Path, tmp_path: Path) -> None:
    saved = backup_path(run_cli("backup", db=demo_db).out)
    bad = tmp_path / "bad"
    bad.mkdir()
    text = bad / "notes.db"
    text.write_text("不是数据库\n" * 100, encoding="utf-8")
    foreign = bad / "other.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE customers (name TEXT)")
    conn.commit()
    conn.close()
    newer = bad / "newer.db"
    shutil.copyfile(saved, newer)
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    truncated = bad / "truncated.db"
    shutil.copyfile(saved, truncated)
    with truncated.open("r+b") as fh:
        fh.truncate(truncated.stat().st_size // 2)

    cases = [
        (text, "不是 credit-tui 数据库"),
        (foreign, "不是 credit-tui 数据库"),
        (newer, "较新版本"),
        (truncated, "损坏"),
        (bad / "missing.db", "不存在"),
        (demo_db, "当前数据库本身"),
    ]
    store_folder = folder_state(demo_db.parent)
    bad_files = folder_state(bad)
    for file, words in cases:
        result = run_cli("restore", file, db=demo_db, proc=file is text)
        assert result.code == 2, (file, result)
        assert words in result.err and "未恢复" in result.err, result.err
        assert "Traceback" not in result.err
        assert folder_state(demo_db.parent) == store_folder, file  # byte for byte, no new backup
        assert folder_state(bad) == bad_files  # and the offered file is not touched either


def test_restore_replaces_a_damaged_store_and_keeps_it_aside(run_cli, demo_db: Path) -> None:
    saved = backup_path(run_cli("backup", db=demo_db).out)
    everything = live_ids(demo_db)
    with demo_db.open("r+b") as fh:
        fh.truncate(demo_db.stat().st_size // 2)
    damaged = digest(demo_db)
    assert run_cli("score", db=demo_db).code == 2

    result = run_cli("restore", saved, db=demo_db)
    assert result.code == 0, result.err
    assert "损坏的数据库已原样另存为" in result.out
    kept = Path(result.out.splitlines()[0].split("另存为 ", 1)[1].strip())
    assert kept.name.endswith("-damaged.db") and digest(kept) == damaged
    assert kept not in list_backups(demo_db)  # never offered as a backup to restore from
    assert live_ids(demo_db) == everything
    assert run_cli("score", db=demo_db).code == 0


def test_restore_creates_a_missing_store(run_cli, demo_db: Path, tmp_path: Path) -> None:
    saved = backup_path(run_cli("backup", db=demo_db).out)
    target = tmp_path / "new" / "credit.db"
    result = run_cli("restore", saved, db=target)
    assert result.code == 0, result.err
    assert live_ids(target) == live_ids(demo_db)
