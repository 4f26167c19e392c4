"""The SQLite store: refusing foreign files, pragmas, audit trail, soft delete, undo."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from credit_tui.scoring.evidence import make_evidence
from credit_tui.store.database import Store, StoreError

STAMP = datetime(2024, 7, 15, 9, 0, tzinfo=UTC)


def clock() -> datetime:
    return STAMP


def new_store(path: Path) -> Store:
    store, created = Store.create(path, 2024, clock=clock)
    assert created
    return store


def record(store: Store, **overrides: object):
    data = {
        "id": "r1",
        "indicator": "3.1",
        "date": "2024-05-03",
        "department": "法规科",
        "title": "信用信息报送",
    }
    data.update(overrides)
    return make_evidence(store.catalog, data)


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def audit_rows(store: Store) -> list[dict]:
    cursor = store.conn.execute(
        "SELECT action, evidence_id, before, after, batch, at FROM audit ORDER BY id"
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


# --- opening and refusing --------------------------------------------------------------


def test_create_then_open(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "folder" / "s.db"
    new_store(path).close()
    with Store.open(path) as store:
        assert store.campaign.year == 2024
        assert store.count() == 0
    again, created = Store.create(path, 2024)
    again.close()
    assert not created
    with pytest.raises(StoreError, match=r"2024.*2025"):
        Store.create(path, 2025)


def test_wal_mode_and_foreign_keys_are_on(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    new_store(path).close()
    with Store.open(path) as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(sqlite3.IntegrityError):
            store.conn.execute(
                "INSERT INTO evidence_attachments (evidence_id, sha256, name, position) "
                "VALUES ('nobody', 'nothing', 'x', 0)"
            )
    plain = sqlite3.connect(path)
    try:
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persistent
    finally:
        plain.close()


def test_store_from_a_newer_version_is_refused(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    new_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="较新版本"):
        Store.open(path)
    with pytest.raises(StoreError, match="较新版本"):
        Store.create(path, 2024)
    result = run_cli("score", db=path, proc=True)
    assert result.code == 2
    assert "较新版本" in result.err and "Traceback" not in result.err


def test_a_file_that_is_not_sqlite_is_refused(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("这不是数据库，只是一些文字。\n" * 50, encoding="utf-8")
    before = file_hash(path)
    with pytest.raises(StoreError, match="不是") as info:
        Store.open(path)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value))
    result = run_cli("score", db=path, proc=True)
    assert result.code == 2
    assert "不是" in result.err and "Traceback" not in result.err
    result = run_cli("init", "--year", "2024", db=path, proc=True)
    assert result.code == 2 and "Traceback" not in result.err
    assert file_hash(path) == before


def _foreign_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (name TEXT)")
    conn.execute("INSERT INTO customers VALUES ('张三')")
    conn.commit()
    conn.close()


def test_a_sqlite_file_with_other_tables_is_refused(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    _foreign_database(path)
    with pytest.raises(StoreError, match="不是 credit-tui 数据库"):
        Store.open(path)
    with pytest.raises(StoreError, match="不是 credit-tui 数据库"):
        Store.create(path, 2024)
    for args in (["score"], ["init", "--year", "2024"]):
        result = run_cli(*args, db=path, proc=True)
        assert result.code == 2
        assert "不是 credit-tui 数据库" in result.err and "Traceback" not in result.err
    conn = sqlite3.connect(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert tables == {"customers"}
        assert conn.execute("SELECT name FROM customers").fetchall() == [("张三",)]
    finally:
        conn.close()


def test_refusing_a_foreign_sqlite_file_leaves_it_byte_for_byte(run_cli, tmp_path: Path) -> None:
    """Exit 2 means nothing changed: not even the journal mode of someone else's file."""
    path = tmp_path / "other.db"
    _foreign_database(path)
    before = file_hash(path)
    result = run_cli("score", db=path, proc=True)
    assert result.code == 2
    with pytest.raises(StoreError):
        Store.open(path)
    assert file_hash(path) == before
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()


# --- writes, audit and soft delete -----------------------------------------------------


def test_every_write_is_audited_with_before_and_after(tmp_path: Path) -> None:
    with new_store(tmp_path / "s.db") as store:
        first = record(store)
        assert store.save(first).added == 1
        changed = record(store, title="信用信息报送（修订）")
        assert store.save(changed).replaced == 1
        assert store.save(changed).unchanged == 1  # no write, no audit row
        assert store.delete("r1")

        rows = audit_rows(store)
        assert [(r["action"], r["evidence_id"]) for r in rows] == [
            ("insert", "r1"),
            ("update", "r1"),
            ("delete", "r1"),
        ]
        insert, update, delete = rows
        assert insert["before"] is None
        assert json.loads(insert["after"])["title"] == "信用信息报送"
        assert json.loads(update["before"])["title"] == "信用信息报送"
        assert json.loads(update["after"])["title"] == "信用信息报送（修订）"
        assert json.loads(delete["before"])["title"] == "信用信息报送（修订）"
        assert delete["after"] is None
        assert len({r["batch"] for r in rows}) == 3
        assert all(r["at"] == STAMP.isoformat(timespec="seconds") for r in rows)
        after = json.loads(update["after"])
        assert after["id"] == "r1" and after["date"] == "2024-05-03" and after["indicator"] == "3.1"

        entries = store.log()
        assert [e.action for e in entries] == ["delete", "update", "insert"]  # newest first
        assert entries[1].before["title"] == "信用信息报送"
        assert entries[1].after["title"] == "信用信息报送（修订）"


def test_save_many_is_one_batch(tmp_path: Path) -> None:
    with new_store(tmp_path / "s.db") as store:
        items = [(record(store, id=f"r{i}", title=f"信息 {i}"), None) for i in range(3)]
        assert store.save_many(items).added == 3
        rows = audit_rows(store)
        assert len(rows) == 3 and len({r["batch"] for r in rows}) == 1
        assert store.undo()
        assert store.count() == 0
        undo_rows = audit_rows(store)[3:]
        assert [r["action"] for r in undo_rows] == ["undo"] * 3
        assert all(json.loads(r["before"]) and r["after"] is None for r in undo_rows)


def test_delete_is_soft_and_undo_brings_it_back(tmp_path: Path) -> None:
    with new_store(tmp_path / "s.db") as store:
        rec = record(store)
        store.save(rec)
        assert store.delete("r1")
        assert store.get("r1") is None
        assert store.count() == 0
        assert store.records() == []
        row = store.conn.execute(
            "SELECT title, deleted_at FROM evidence WHERE id = 'r1'"
        ).fetchone()
        assert row is not None
        assert row[0] == "信用信息报送" and row[1] == STAMP.isoformat(timespec="seconds")
        assert not store.delete("r1")
        assert not store.delete("never-was")

        assert store.undo()
        assert store.get("r1") == rec
        assert store.undo()  # and the insert before it
        assert store.get("r1") is None
        assert store.undo() is None
        assert store.conn.execute("SELECT count(*) FROM evidence").fetchone()[0] == 1


def test_undo_of_a_replacement_restores_the_old_record(tmp_path: Path) -> None:
    with new_store(tmp_path / "s.db") as store:
        old = record(store)
        store.save(old)
        store.save(record(store, title="改过的标题", department="办公室"))
        assert store.get("r1").title == "改过的标题"
        assert store.undo()
        assert store.get("r1") == old
