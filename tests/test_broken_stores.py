"""Broken or foreign stores: a clear Chinese message, the backup to restore, or viewing only."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

import credit_tui.store.database as store_module
from credit_tui.scoring.evidence import make_evidence
from credit_tui.store.database import (
    DamagedStoreError,
    ReadOnlyStoreError,
    Store,
    StoreError,
    backups_dir,
    list_backups,
    newest_backup,
)

DAY = datetime(2024, 7, 15, 9, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent


def clock() -> datetime:
    return DAY


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def truncate_to_half(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# --- damaged files -------------------------------------------------------------------------


def test_a_truncated_store_names_the_newest_backup_and_the_command(run_cli, demo_db: Path) -> None:
    assert run_cli("backup", db=demo_db).code == 0
    newest = newest_backup(demo_db)
    assert newest is not None and len(list_backups(demo_db)) == 2  # the day's and this one
    truncate_to_half(demo_db)
    backups = sorted(backups_dir(demo_db).iterdir())

    result = run_cli("score", db=demo_db, proc=True)
    assert result.code == 2
    assert "Traceback" not in result.err
    assert "损坏" in result.err
    assert newest.name in result.err
    assert f"credit-tui restore {newest}" in result.err
    assert f"--db {demo_db}" in result.err  # not the default store: the command says which

    with pytest.raises(DamagedStoreError, match="损坏") as info:
        Store.open(demo_db, clock=clock)
    assert info.value.backup == newest
    assert sorted(backups_dir(demo_db).iterdir()) == backups  # a damaged store is never copied

    # The command given in the message works.
    command = result.err.split("可用以下命令恢复：", 1)[1].strip().split()
    assert command[:2] == ["credit-tui", "restore"]
    restored = run_cli(*command[1:], db=None)  # the message's own --db
    assert restored.code == 0, restored.err
    assert run_cli("score", db=demo_db).code == 0


def test_a_truncated_store_without_backups_says_so(run_cli, demo_db: Path) -> None:
    truncate_to_half(demo_db)
    result = run_cli("status", db=demo_db, proc=True)
    assert result.code == 2 and "Traceback" not in result.err
    assert "损坏" in result.err and "没有可用的备份" in result.err


def test_a_damaged_page_is_found_when_read(demo_db: Path) -> None:
    """Damage the header check cannot see: found by the first read, or by the day's check."""
    conn = sqlite3.connect(demo_db)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'evidence'").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with demo_db.open("r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\xff" * page_size)
    with pytest.raises(DamagedStoreError, match="损坏"):
        Store.open(demo_db, clock=clock)  # the daily backup's quick check refuses to copy it
    assert not backups_dir(demo_db).exists()
    with Store.open(demo_db, clock=clock, keep_backups=0) as store:
        with pytest.raises(DamagedStoreError, match="损坏"):
            store.records()
        with pytest.raises(DamagedStoreError, match="损坏"):
            store.count()


def test_an_emptied_store_with_backups_points_to_them(demo_db: Path) -> None:
    Store.open(demo_db, clock=clock).close()
    demo_db.write_bytes(b"")
    with pytest.raises(DamagedStoreError, match="空文件") as info:
        Store.open(demo_db)
    assert "credit-tui restore" in str(info.value)


def test_random_bytes_are_refused_in_chinese(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "credit.db"
    path.write_bytes(os.urandom(64 * 1024))
    before = digest(path)
    with pytest.raises(StoreError, match="不是可用的数据库") as info:
        Store.open(path)
    assert has_chinese(str(info.value))
    for args in (["score"], ["check"], ["backup"], ["init", "--year", "2024"]):
        result = run_cli(*args, db=path, proc=args == ["score"])
        assert result.code == 2, args
        assert "不是可用的数据库" in result.err and "Traceback" not in result.err
    assert digest(path) == before
    assert not backups_dir(path).exists()


def test_random_bytes_with_backups_beside_suggest_a_restore(demo_db: Path) -> None:
    Store.open(demo_db, clock=clock).close()
    demo_db.write_bytes(os.urandom(64 * 1024))
    with pytest.raises(DamagedStoreError, match="credit-tui restore"):
        Store.open(demo_db)


def test_a_store_from_a_newer_version_is_refused_and_not_backed_up(run_cli, demo_db: Path) -> None:
    conn = sqlite3.connect(demo_db)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = digest(demo_db)
    with pytest.raises(StoreError, match="较新版本"):
        Store.open(demo_db, clock=clock)
    for args in (["score"], ["check"], ["backup"]):
        result = run_cli(*args, db=demo_db, proc=args == ["check"])
        assert result.code == 2 and "较新版本" in result.err and "Traceback" not in result.err
    assert digest(demo_db) == before
    assert not backups_dir(demo_db).exists()


def test_a_folder_is_not_a_store(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "credit.db"
    folder.mkdir()
    with pytest.raises(StoreError, match="文件夹"):
        Store.open(folder)
    result = run_cli("score", db=folder)
    assert result.code == 2 and "文件夹" in result.err


# --- read-only stores ----------------------------------------------------------------------


def _record(store: Store):
    return make_evidence(
        store.catalog,
        {"indicator": "3.1", "date": "2024-05-03", "department": "法规科", "title": "新信息"},
    )


def _assert_every_write_is_refused(store: Store, tmp_path: Path) -> None:
    attachment = tmp_path / "a.pdf"
    attachment.write_bytes(b"%PDF")
    first = store.records()[0].id
    writes = [
        lambda: store.save(_record(store)),
        lambda: store.delete(first),
        lambda: store.undo(),
        lambda: store.save_snapshot("第二季度末", {"as_of": "2024-06-30"}),
        lambda: store.store_file(attachment),
    ]
    for write in writes:
        with pytest.raises(ReadOnlyStoreError, match=r"^数据库为只读，无法保存："):
            write()


def test_read_only_mode_reads_and_refuses_writes(demo_db: Path, tmp_path: Path) -> None:
    before = digest(demo_db)
    with Store.open(demo_db, read_only=True, clock=clock) as store:
        assert store.read_only
        count = store.count()
        assert count > 0 and len(store.records()) == count
        assert store.log(5) and store.campaign.year == 2024
        _assert_every_write_is_refused(store, tmp_path)
        assert store.count() == count
    assert digest(demo_db) == before
    assert not backups_dir(demo_db).exists()  # nothing is written beside it either
    assert not store.attachments_dir.joinpath(hashlib.sha256(b"%PDF").hexdigest()).exists()
    with Store.open(demo_db, clock=clock) as store:
        assert not store.read_only


def test_a_disk_that_refuses_writes_opens_read_only(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root ignores permission bits, a read-only disk does not: simulate that disk."""
    real_access = os.access
    asked: list[str] = []

    def read_only_disk(path, mode, *args, **kwargs):
        # the look before connecting passes, the one once connected (file, -wal, -shm)
        # does not; the store never open()s its own files, which would drop SQLite's locks
        if Path(path).name.startswith(demo_db.name) and mode & os.W_OK:
            asked.append(str(path))
            return len(asked) == 1
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(store_module.os, "access", read_only_disk)
    with Store.open(demo_db, clock=clock) as store:
        assert store.read_only
        assert store.daily_backup is None
        assert store.count() > 0
        _assert_every_write_is_refused(store, tmp_path)


def test_sqlite_refusing_to_write_falls_back_to_read_only(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``attempt to write a readonly database`` while setting up WAL: open for viewing."""

    def refuse(self: Store) -> None:
        raise self._problem(sqlite3.OperationalError("attempt to write a readonly database"), "")

    monkeypatch.setattr(Store, "_enable_wal", refuse)
    with Store.open(demo_db, clock=clock) as store:
        assert store.read_only and store.count() > 0


def _read_only(target: Path) -> list[str]:
    """How to run a command for which ``target`` really is read-only.

    As an ordinary user the permission bits already bind. Root ignores them, so as root
    the command runs in its own mount namespace where ``target`` is bind-mounted
    read-only (a read-only share, as on an office file server): even root gets EROFS.
    This needs no other user to reach the source tree or the venv, wherever CI clones.
    """
    if os.geteuid() != 0:
        return []
    unshare = shutil.which("unshare")
    assert unshare, "running as root needs unshare (util-linux) to test a read-only store"
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    return [unshare, "--mount", "sh", "-c", script, str(target)]


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder another user can reach (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="credit-tui-ro-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(folder)


READ_SCRIPT = """
import sys
from credit_tui.store.database import Store, StoreError
with Store.open(sys.argv[1]) as store:
    print(store.read_only, store.count())
    try:
        store.delete(store.records()[0].id)
    except StoreError as exc:
        print(exc)
"""


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_really_read_only_store_opens_for_viewing(shared_dir: Path, what: str) -> None:
    """File mode 0o444 or folder 0o555 (for root: a read-only mount of the file or folder)."""
    path = shared_dir / "store" / "credit.db"
    from credit_tui.service.demo import build_demo

    build_demo(path).close()
    count = len(Store.open(path, read_only=True).records())
    for p in [path.parent, *path.parent.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    if what == "file":
        path.chmod(0o444)
    else:
        path.parent.chmod(0o555)
    before = digest(path)
    prefix = _read_only(path if what == "file" else path.parent)

    def as_nobody(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*prefix, sys.executable, *argv],
            capture_output=True,
            encoding="utf-8",
            cwd=shared_dir,
            env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"},
            timeout=120,
            check=False,
        )

    done = as_nobody("-c", READ_SCRIPT, str(path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"True {count}"
    assert lines[1].startswith("数据库为只读，无法保存：")

    cli = ["-m", "credit_tui.cli", "--db", str(path), "--today", "2024-07-15"]
    shown = as_nobody(*cli, "score")
    assert shown.returncode == 0, shown.stderr
    assert as_nobody(*cli, "check").returncode == 0
    refused = as_nobody(*cli, "undo")
    assert refused.returncode == 2 and "只读" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert digest(path) == before
    assert not backups_dir(path).exists()
