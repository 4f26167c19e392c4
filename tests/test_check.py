"""``credit-tui check``: integrity, attachments and their SHA-256, orphaned files, audit log."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from credit_tui.scoring.evidence import make_evidence
from credit_tui.store.database import Store
from credit_tui.store.integrity import check_store

DAY = datetime(2024, 7, 15, 9, 0, tzinfo=UTC)


def open_store(path: Path) -> Store:
    return Store.open(path, clock=lambda: DAY, keep_backups=0)


def attachment_files(path: Path) -> list[Path]:
    with open_store(path) as store:
        return sorted(p for p in store.attachments_dir.iterdir() if not p.name.startswith("."))


def problems_of(run_cli, db: Path) -> list[str]:
    result = run_cli("check", db=db)
    assert result.code == 1, result
    lines = result.out.splitlines()
    assert lines[0].startswith(f"检查发现 {len(lines) - 1} 个问题")
    return [line.strip() for line in lines[1:]]


def raw(path: Path, *statements: str) -> None:
    """Change the file behind the store's back (no audit, foreign keys off)."""
    conn = sqlite3.connect(path)
    try:
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def test_the_demo_store_is_clean(run_cli, demo_db: Path) -> None:
    result = run_cli("check", db=demo_db)
    assert result.code == 0, result.out + result.err
    assert result.out.startswith("检查通过")
    assert attachment_files(demo_db)  # the check did look at files


def test_undo_history_is_consistent(tmp_path: Path) -> None:
    store, _ = Store.create(tmp_path / "s.db", 2024, clock=lambda: DAY)
    with store:
        data = {"indicator": "3.1", "date": "2024-05-03", "department": "法规科", "title": "一"}
        store.save(make_evidence(store.catalog, {**data, "id": "r1"}))
        store.save(make_evidence(store.catalog, {**data, "id": "r1", "title": "二"}))
        store.save(make_evidence(store.catalog, {**data, "id": "r2"}))
        store.delete("r1")
        store.undo()  # r1 back
        store.undo()  # r2 gone
        store.undo()  # r1 titled 一 again
        assert check_store(store) == []


def test_a_deleted_attachment_file(run_cli, demo_db: Path) -> None:
    victim = attachment_files(demo_db)[0]
    victim.unlink()
    (line,) = problems_of(run_cli, demo_db)
    assert "附件文件缺失" in line and victim.name in line
    assert "记录" in line  # names the record that uses it


def test_a_modified_attachment_file(run_cli, demo_db: Path) -> None:
    victim = attachment_files(demo_db)[1]
    victim.write_bytes(victim.read_bytes() + b"changed")
    (line,) = problems_of(run_cli, demo_db)
    assert "SHA-256" in line and victim.name in line


def test_an_orphaned_file_but_not_a_copy_in_progress(run_cli, demo_db: Path) -> None:
    folder = attachment_files(demo_db)[0].parent
    (folder / "stray.pdf").write_bytes(b"nobody refers to me")
    (folder / ".abc.1234.tmp").write_bytes(b"a copy in progress")
    (line,) = problems_of(run_cli, demo_db)
    assert "未登记" in line and "stray.pdf" in line


def test_problems_in_the_audit_log(run_cli, demo_db: Path) -> None:
    with open_store(demo_db) as store:
        first, second, third = (r.id for r in store.records()[:3])
    raw(
        demo_db,
        f"DELETE FROM audit WHERE evidence_id = '{first}'",
        f"UPDATE evidence SET title = '悄悄改过' WHERE id = '{second}'",
        "UPDATE audit SET after = '{broken' WHERE id = "
        f"(SELECT max(id) FROM audit WHERE evidence_id = '{third}')",
    )
    lines = problems_of(run_cli, demo_db)
    assert len(lines) == 3, lines
    assert any(first in line and "没有任何修改记录" in line for line in lines)
    assert any(second in line and "不一致" in line for line in lines)
    assert any("无法解析" in line for line in lines)


def test_a_foreign_key_problem(run_cli, demo_db: Path) -> None:
    raw(
        demo_db,
        "INSERT INTO evidence_attachments (evidence_id, sha256, name, position) "
        "VALUES ('nobody', 'nothing', 'x.pdf', 0)",
    )
    lines = problems_of(run_cli, demo_db)
    assert any("evidence_attachments" in line and "不存在" in line for line in lines)


def test_several_problems_are_listed_one_per_line(run_cli, demo_db: Path) -> None:
    files = attachment_files(demo_db)
    files[0].unlink()
    files[1].write_bytes(b"other")
    (files[0].parent / "stray.txt").write_text("x", encoding="utf-8")
    lines = problems_of(run_cli, demo_db)
    assert len(lines) == 3
    assert [line.split(".", 1)[0] for line in lines] == ["1", "2", "3"]


@pytest.mark.parametrize("clean", [True, False])
def test_check_store_returns_chinese_lines(demo_db: Path, clean: bool) -> None:
    if not clean:
        attachment_files(demo_db)[0].unlink()
    with open_store(demo_db) as store:
        problems = check_store(store)
    assert (problems == []) == clean
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in line) for line in problems)
