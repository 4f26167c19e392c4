"""Issue 18, item 7: faults of the world are clear exits (2, a Chinese message), not crashes.

Each used to end as ``程序内部错误`` (exit 1) or hang: a named pipe as the store, an
export into a read-only or full folder, huge numbers, a parent path that is a file,
a stored record with a bad date. Each must now exit 2 naming the path or argument,
leave nothing half-written, and the store must still pass ``check``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from test_broken_stores import ROOT, _read_only

TODAY = "2024-07-15"
ROW = "编号,指标,日期,责任单位,标题\nr1,3.1,2024-05-03,法规科,第一条\n"


@pytest.fixture
def filled(run_cli, tmp_path: Path):
    """A 2024 store holding one record."""
    source = tmp_path / "in" / "ev.csv"
    source.parent.mkdir()
    source.write_text(ROW, "utf-8")
    assert run_cli("import", source).code == 0
    return run_cli


def clear_exit(result, *needles: str) -> None:
    assert result.code == 2, (result.code, result.out, result.err)
    assert "程序内部错误" not in result.err and "Traceback" not in result.err, result.err
    for needle in needles:
        assert needle in result.err, result.err


def test_a_named_pipe_as_the_store_is_refused_at_once(run_cli, tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.db"
    os.mkfifo(pipe)
    for argv in (["status"], ["score"], ["check"], ["undo"], ["init", "--year", "2024"]):
        clear_exit(run_cli(*argv, db=pipe, proc=argv == ["status"]), f"{pipe} 是命名管道")
    source = tmp_path / "ev.csv"
    source.write_text(ROW, "utf-8")
    clear_exit(run_cli("import", source, db=pipe), "是命名管道")
    assert not list(tmp_path.glob("pipe.db-*"))  # nothing made beside it


def test_huge_numbers_name_their_argument(filled, tmp_path: Path) -> None:
    clear_exit(filled("log", "--limit", "99999999999999999999999"), "--limit：应为 1 至")
    out = tmp_path / "节点.ics"
    clear_exit(
        filled("export", "ics", "--out", out, "--remind-days", "99999999999"),
        "--remind-days：应为 0 至 366",
    )
    assert not out.exists()
    assert filled("log", "--limit", "1000000000").code == 0  # the largest allowed
    assert filled("check").code == 0


def test_a_parent_path_that_is_a_file(filled, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    clear_exit(filled("init", "--year", "2024", db=blocker / "credit.db"), str(blocker))
    for what, name in (("evidence", "x.csv"), ("self-assessment", "x.xlsx"), ("ics", "x.ics")):
        clear_exit(filled("export", what, "--out", blocker / name), str(blocker))
    assert blocker.read_text("utf-8") == "not a folder"
    assert filled("check").code == 0


def _tampered(run_cli, day: str) -> None:
    conn = sqlite3.connect(run_cli.db)
    with conn:
        conn.execute("UPDATE evidence SET date = ? WHERE id = 'r1'", (day,))
    conn.close()


def test_a_stored_record_with_a_bad_date_is_named(filled, tmp_path: Path) -> None:
    _tampered(filled, "2024-13-45")
    message = "数据库中的记录 r1 日期“2024-13-45”无效"
    for argv in (["status"], ["score", "--json"], ["deadlines"]):
        clear_exit(filled(*argv), message)
    out = tmp_path / "out" / "全部.csv"
    clear_exit(filled("export", "evidence", "--out", out), message)
    assert not out.parent.exists() or list(out.parent.iterdir()) == []
    checked = filled("check")  # the store really is wrong: check says where, exit 1
    assert checked.code == 1 and "记录 r1" in checked.out
    _tampered(filled, "2024-05-03")  # put right again: all is well
    assert filled("check").code == 0


# --- a read-only and a full folder (real ones: a read-only mount, a tiny tmpfs) ---------------


def _in_namespace(script: str, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["unshare", "--mount", "sh", "-c", script, *argv],
        capture_output=True, encoding="utf-8", timeout=120, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip


def _cli(db: Path) -> list[str]:
    return [sys.executable, "-m", "credit_tui.cli", "--db", str(db), "--today", TODAY]


def test_export_into_a_read_only_folder(filled, tmp_path: Path) -> None:
    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o555)
    prefix = _read_only(folder)
    for what, name in (
        ("evidence", "全部.csv"),
        ("evidence", "全部.xlsx"),
        ("ledger", "台账.xlsx"),
    ):
        extra = ["--month", "2024-05", "--record"] if what == "ledger" else []
        done = subprocess.run(
            [*prefix, *_cli(filled.db), "export", what, "--out", str(folder / name), *extra],
            capture_output=True, encoding="utf-8", timeout=120, check=False,
            env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"},
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        assert "程序内部错误" not in done.stderr and str(folder) in done.stderr, done.stderr
        assert f"{folder / name}：" in done.stderr, done.stderr
        assert "只读" in done.stderr or "没有权限" in done.stderr, done.stderr
    folder.chmod(0o755)
    assert list(folder.iterdir()) == []
    assert filled("log").out.count("导入") == 1  # the ledger was not recorded either
    assert filled("check").code == 0


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("unshare") is None,
    reason="a full disk is made as a tiny tmpfs, which needs root and unshare",
)
def test_export_into_a_full_folder(filled, tmp_path: Path) -> None:
    folder = tmp_path / "满"
    folder.mkdir()
    script = (
        'mount -t tmpfs -o size=64k tmpfs "$0" && head -c 60000 /dev/zero > "$0/fill" ; '
        'for out in "$0/全部.csv" "$0/全部.xlsx" "$0/台账.xlsx"; do '
        '  case "$out" in *台账*) extra="ledger --month 2024-05 --record";; '
        "  *) extra=evidence;; esac; "
        '  "$@" export $extra --out "$out"; echo "exit=$?"; done; ls -a "$0"'
    )
    # a few hundred records: more than the 4 KiB left on the disk
    many = tmp_path / "in" / "many.csv"
    lines = ["编号,指标,日期,责任单位,标题"]
    lines += [f"m{n},3.1,2024-05-03,法规科,{'很长的标题' * 20}{n}" for n in range(300)]
    many.write_text("\n".join(lines) + "\n", "utf-8")
    assert filled("import", many).code == 0
    done = _in_namespace(script, str(folder), *_cli(filled.db))
    assert done.stdout.count("exit=2") == 3, done.stdout + done.stderr
    assert "程序内部错误" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    for name in ("全部.csv", "全部.xlsx", "台账.xlsx"):
        assert f"{folder / name}：磁盘已满，操作未完成" in done.stderr, done.stderr
    listing = done.stdout.split("exit=2")[-1].split()
    assert sorted(listing) == [".", "..", "fill"]  # no .tmp, no half-written file
    assert filled("log").out.count("台账") == 0
    assert filled("check").code == 0


def test_a_named_pipe_as_the_import_file_is_refused_at_once(filled, tmp_path: Path) -> None:
    pipe = tmp_path / "管道.csv"
    os.mkfifo(pipe)
    clear_exit(filled("import", pipe, proc=True), f"{pipe}: 是命名管道，不是文件")
    assert filled("check").code == 0


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("unshare") is None,
    reason="a full disk is made as a tiny tmpfs, which needs root and unshare",
)
def test_an_attachment_that_does_not_fit_on_the_stores_disk(tmp_path: Path) -> None:
    """The store's disk fills while copying an attachment: exit 2, no copy left, check passes."""
    disk, source = tmp_path / "盘", tmp_path / "in"
    disk.mkdir()
    source.mkdir()
    (source / "大.pdf").write_bytes(os.urandom(3 << 20))  # 3 MiB onto a 2 MiB disk
    (source / "ev.csv").write_text(
        "编号,指标,日期,责任单位,标题,附件\nr1,3.1,2024-05-03,法规科,大附件,大.pdf\n", "utf-8"
    )
    db = disk / "credit.db"
    script = (
        'mount -t tmpfs -o size=2m tmpfs "$0" && '
        '"$@" init --year 2024 >/dev/null && '
        f'"$@" import "{source / "ev.csv"}"; echo "import=$?"; '
        '"$@" check; echo "check=$?"; ls -A "$0/credit_attachments" 2>/dev/null; echo "ls-done"'
    )
    done = _in_namespace(script, str(disk), *_cli(db))
    assert "import=2" in done.stdout, done.stdout + done.stderr
    assert f"无法把附件 大.pdf 复制到 {disk / 'credit_attachments'}：磁盘已满" in done.stderr
    assert "程序内部错误" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert "check=0" in done.stdout, done.stdout
    assert done.stdout.split("check=0", 1)[1].split() == ["ls-done"]  # no folder or copy left
