"""Issue 18, items 2 and 3: what an import may attach, and a killed import leaves no orphans.

Attachments of an import are regular files inside the import file's folder, within
the size limits; anything else is refused as ``FILE:ROW: 附件: …`` with nothing
stored. Files are copied into a staging folder and moved into place only after
the commit, so an import killed mid-way leaves the attachment folder as the store
says once the next command has opened it (``check`` passes).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from credit_tui.store.database import Store
from credit_tui.store.staging import _HOST, FOREIGN_STALE_S, PREFIX

TODAY = "2024-07-15"
HEADER = "编号,指标,日期,责任单位,标题,附件"


def write_import(folder: Path, cell: str, rid: str = "r1") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ev.csv"
    path.write_text(f"{HEADER}\n{rid},3.1,2024-05-03,法规科,附件测试,{cell}\n", "utf-8")
    return path


def attachments_dir(run_cli) -> Path:
    return run_cli.db.parent / f"{run_cli.db.stem}_attachments"


def refused(run_cli, csv_path: Path) -> str:
    """Import ``csv_path``: refused with one ``ev.csv:2: 附件:`` line, nothing stored."""
    result = run_cli("import", csv_path)
    assert result.code == 2, result.out
    lines = [x for x in result.err.splitlines() if not x.startswith("credit-tui")]
    assert len(lines) == 1 and lines[0].startswith("ev.csv:2: 附件: "), result.err
    with Store.open(run_cli.db) as store:
        assert store.count() == 0 and store.log(10) == []
    folder = attachments_dir(run_cli)
    assert not folder.exists() or list(folder.iterdir()) == []
    assert run_cli("check").code == 0
    return lines[0]


@pytest.fixture
def initialised(run_cli):
    assert run_cli("init", "--year", "2024").code == 0
    return run_cli


def test_an_absolute_path_is_refused(initialised, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("password", "utf-8")
    line = refused(initialised, write_import(tmp_path / "in", str(secret)))
    assert f"{secret} 是绝对路径" in line


def test_the_system_password_file_is_refused(initialised, tmp_path: Path) -> None:
    line = refused(initialised, write_import(tmp_path / "in", "../../../../../../etc/passwd"))
    assert "指向导入文件所在文件夹之外" in line


def test_a_symbolic_link_leaving_the_folder_is_refused(initialised, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("ssh key", "utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "key.pdf").symlink_to(tmp_path / "secret.txt")
    line = refused(initialised, write_import(folder, "key.pdf"))
    assert "key.pdf 经符号链接指向导入文件所在文件夹之外" in line


def test_a_symbolic_link_inside_the_folder_is_followed(initialised, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "real.pdf").write_bytes(b"%PDF inside")
    (folder / "link.pdf").symlink_to(folder / "sub" / "real.pdf")
    result = initialised("import", write_import(folder, "link.pdf"))
    assert result.code == 0, result.err
    with Store.open(initialised.db) as store:
        (ref,) = store.attachments_of("r1")
        assert ref.name == "link.pdf"
        assert store.attachment_path(ref.sha256).read_bytes() == b"%PDF inside"


def test_a_folder_is_refused_as_a_folder(initialised, tmp_path: Path) -> None:
    (tmp_path / "in" / "材料").mkdir(parents=True)
    line = refused(initialised, write_import(tmp_path / "in", "材料"))
    assert line.endswith("材料 是文件夹，不是文件")


def test_a_named_pipe_is_refused_without_hanging(initialised, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.pdf")  # opening it for reading would wait for a writer forever
    line = refused(initialised, write_import(folder, "pipe.pdf"))
    assert line.endswith("pipe.pdf 是命名管道，不是文件")


def test_a_device_is_refused_as_a_device(initialised, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "zero.pdf").symlink_to("/dev/zero")  # outside too: confined first
    assert "指向导入文件所在文件夹之外" in refused(initialised, write_import(folder, "zero.pdf"))
    if os.geteuid() != 0:
        return  # only root may make a device node inside the folder
    os.mknod(folder / "null.pdf", 0o600 | 0o020000, os.makedev(1, 3))  # character device
    line = refused(initialised, write_import(folder, "null.pdf"))
    assert line.endswith("null.pdf 是设备文件，不是普通文件")


def test_a_socket_is_refused(initialised, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(folder / "s.pdf"))
        assert refused(initialised, write_import(folder, "s.pdf")).endswith("是套接字，不是文件")
    finally:
        sock.close()


def test_the_store_itself_is_never_read_as_an_attachment(run_cli, tmp_path: Path) -> None:
    """An import beside the store naming ``credit.db``: refused (reading it would drop locks)."""
    assert run_cli("init", "--year", "2024").code == 0
    line = refused(run_cli, write_import(run_cli.db.parent, run_cli.db.name))
    assert line.endswith("credit.db 是数据库文件本身，不能作为附件")


def test_a_file_over_the_limit_is_refused(
    initialised, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CREDIT_TUI_MAX_ATTACHMENT_MB", "1")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "big.pdf").write_bytes(b"x" * (3 << 19))  # 1.5 MiB = 1.5 MB shown, limit 1.0 MB
    line = refused(initialised, write_import(folder, "big.pdf"))
    assert "big.pdf 过大（1.5 MB），每个附件最多 1.0 MB" in line
    assert "CREDIT_TUI_MAX_ATTACHMENT_MB" in line


def test_an_import_over_its_total_is_refused(
    initialised, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CREDIT_TUI_MAX_IMPORT_MB", "1")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(b"a" * (600 << 10))  # 600 KiB
    (folder / "b.pdf").write_bytes(b"b" * (600 << 10))  # + 600 KiB = 1200 KiB > 1024 KiB
    line = refused(initialised, write_import(folder, "a.pdf;b.pdf"))
    assert "本次导入的附件合计已超过 1.0 MB（到 b.pdf 为止 1.2 MB）" in line


def test_a_bad_limit_setting_is_named(
    initialised, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CREDIT_TUI_MAX_ATTACHMENT_MB", "很多")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.pdf").write_bytes(b"%PDF")
    result = initialised("import", write_import(tmp_path / "in", "a.pdf"))
    assert result.code == 2
    assert "环境变量 CREDIT_TUI_MAX_ATTACHMENT_MB：应为正数（单位 MB），而不是“很多”" in result.err


# --- item 3: a killed import leaves no orphans ------------------------------------------


ROWS = 1500


def test_an_import_killed_while_copying_leaves_no_orphans(run_cli, tmp_path: Path) -> None:
    assert run_cli("init", "--year", "2024").code == 0
    folder = tmp_path / "in"
    folder.mkdir()
    lines = [HEADER]
    for n in range(ROWS):
        (folder / f"f{n}.pdf").write_bytes(os.urandom(64 << 10))  # 64 KiB each, all different
        lines.append(f"r{n},3.1,2024-05-03,法规科,附件{n},f{n}.pdf")
    (folder / "ev.csv").write_text("\n".join(lines) + "\n", "utf-8")
    cli = [sys.executable, "-m", "credit_tui.cli", "--db", str(run_cli.db), "--today", TODAY]
    proc = subprocess.Popen(
        [*cli, "import", str(folder / "ev.csv")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    store_files = attachments_dir(run_cli)
    deadline = time.monotonic() + 60
    copied = 0
    while time.monotonic() < deadline and proc.poll() is None:
        staged = [p for p in store_files.glob(f"{PREFIX}*/*")] if store_files.exists() else []
        copied = len(staged)
        if copied >= 100:  # mid-way through the copies, before the commit
            break
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert copied >= 100 and proc.returncode == -signal.SIGKILL, "not killed mid-way"
    done = run_cli("check")  # the next command: opens the store and finishes the clean-up
    assert done.code == 0, done.out
    with Store.open(run_cli.db) as store:
        count = store.count()
    left = sorted(p.name for p in store_files.iterdir()) if store_files.exists() else []
    assert count in (0, ROWS)  # all or nothing
    assert len(left) == count  # one stored file per record, nothing else (no staging either)


def test_a_kill_after_the_commit_moves_the_staged_files_in(run_cli, tmp_path: Path) -> None:
    """Killed between the commit and the move: the next open moves the files into place."""
    assert run_cli("init", "--year", "2024").code == 0
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(b"%PDF committed")
    script = (
        "import os, sys\n"
        "from credit_tui.store.database import Store\n"
        "from credit_tui.interchange.evidence import import_file\n"
        "Store._publish_staged = lambda self: os._exit(9)  # dies right after the commit\n"
        "store = Store.open(sys.argv[1])\n"
        "import_file(store, sys.argv[2])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(run_cli.db), str(write_import(folder, "a.pdf"))],
        check=False,
    )
    assert done.returncode == 9
    staged = list(attachments_dir(run_cli).glob(f"{PREFIX}*/*.pdf"))
    assert len(staged) == 1  # committed, not yet in place
    result = run_cli("check")
    assert result.code == 0, result.out
    with Store.open(run_cli.db) as store:
        (ref,) = store.attachments_of("r1")
        assert store.attachment_path(ref.sha256).read_bytes() == b"%PDF committed"
    assert [p.name for p in attachments_dir(run_cli).iterdir()] == [f"{ref.sha256}.pdf"]


def test_another_machines_staging_is_left_for_a_day(run_cli, tmp_path: Path) -> None:
    """On a shared folder another machine's process ids say nothing: its staging waits."""
    assert run_cli("init", "--year", "2024").code == 0
    folder = attachments_dir(run_cli)
    theirs = folder / f"{PREFIX}1-abcd1234-other.machine"
    ours_dead = folder / f"{PREFIX}999999999-abcd1234-{_HOST}"  # no such process here
    for staging in (theirs, ours_dead):
        staging.mkdir(parents=True)
        (staging / ("0" * 64 + ".pdf")).write_bytes(b"uncommitted")
    assert run_cli("check").code == 0
    assert theirs.exists() and not ours_dead.exists()
    day_ago = time.time() - FOREIGN_STALE_S - 60
    os.utime(theirs, (day_ago, day_ago))
    assert run_cli("check").code == 0
    assert list(folder.iterdir()) == []  # neither was committed: both removed
