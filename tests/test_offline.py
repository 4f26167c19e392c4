"""Never online (issue “Nothing lost, nothing stuck”, part 6).

Every command-line command and the workbench run with the network taken away:
``socket.socket``, ``socket.create_connection`` and ``socket.getaddrinfo`` raise,
and every attempt is recorded. Everything still works, and nothing even tried.
"""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from credit_tui.service.demo import DEMO_FILE, DEMO_TODAY, build_demo

NO_NETWORK = r"""
import contextlib, io, json, socket, sys

attempts = []


def refuse(what):
    attempts.append(what)
    raise OSError(f"network disabled: {what}")


class NoSocket(socket.socket):
    # A subclass, not a function, so that modules subclassing socket.socket still import.
    def __init__(self, *args, **kwargs):
        refuse("socket.socket")


socket.socket = NoSocket
socket.create_connection = lambda *a, **k: refuse("create_connection")
socket.getaddrinfo = lambda *a, **k: refuse("getaddrinfo")
for probe in (socket.socket, lambda: socket.create_connection(("192.0.2.1", 80))):
    try:
        probe()
    except OSError:
        pass
    else:
        sys.exit("the guard let a socket through")
attempts.clear()

from credit_tui.cli.entry import main

results = []
for argv in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code
    results.append({"argv": argv, "code": code, "out": out.getvalue(), "err": err.getvalue()})
print(json.dumps({"results": results, "attempts": attempts}, ensure_ascii=False))
"""
"""Runs ``main`` once per argv in one process, with no socket to be had (the command line
has no event loop, so even local socket pairs are refused)."""


def run_offline(cwd: Path, commands: list[list[str]]) -> tuple[list[dict], list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", NO_NETWORK, json.dumps(commands, ensure_ascii=False)],
        capture_output=True,
        encoding="utf-8",
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8", "HOME": str(cwd)},
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return report["results"], report["attempts"]


def test_every_command_works_without_a_network(tmp_path: Path) -> None:
    demo = tmp_path / "demo" / "demo.db"
    build_demo(demo).close()
    fresh = tmp_path / "fresh" / "credit.db"
    out = tmp_path / "out"
    on_demo = ["--db", str(demo), "--today", "2024-07-15"]
    on_fresh = ["--db", str(fresh), "--today", "2024-07-15"]
    commands = [
        [*on_fresh, "init", "--year", "2024"],
        [*on_fresh, "import", str(DEMO_FILE)],
        [*on_demo, "export", "evidence", "--out", str(out / "evidence.csv")],
        [*on_demo, "export", "evidence", "--out", str(out / "evidence.xlsx")],
        [*on_fresh, "import", str(out / "evidence.xlsx")],
        [*on_demo, "score", "--json"],
        [*on_demo, "status"],
        [*on_demo, "deadlines"],
        [*on_demo, "export", "ledger", "--month", "2024-05", "--out", str(out / "ledger.xlsx")],
        [*on_demo, "export", "self-assessment", "--out", str(out / "self.xlsx")],
        [*on_demo, "export", "package", "--out", str(out / "package.zip")],
        [*on_demo, "export", "ics", "--out", str(out / "deadlines.ics")],
        [*on_demo, "export", "template", "--department", "客运科", "--out", str(out / "t.xlsx")],
        [*on_demo, "report", "--out", str(out / "report.html")],
        [*on_demo, "snapshot", "--label", "x"],
        [*on_demo, "snapshots"],
        [*on_demo, "log"],
        [*on_demo, "undo"],
        [*on_fresh, "undo"],
        [*on_fresh, "log"],
    ]

    results, attempts = run_offline(tmp_path, commands)

    assert attempts == []
    assert len(results) == len(commands)
    for result in results:
        assert result["code"] == 0, (result["argv"], result["err"])
        assert "Traceback" not in result["err"]
    shown = {" ".join(r["argv"][4:6]): r["out"] for r in results}  # "score --json": its output
    assert json.loads(shown["score --json"])["earned"] > 0
    assert "导入完成：新增" in results[1]["out"]
    assert "已保存得分快照“x”" in shown["snapshot --label"]
    assert "x" in shown["snapshots"]
    assert "已撤销" in results[-3]["out"] and "已撤销" in results[-2]["out"]
    for name in ("evidence.csv", "evidence.xlsx", "ledger.xlsx", "self.xlsx", "package.zip"):
        assert (out / name).is_file(), name
    for name in ("deadlines.ics", "t.xlsx", "report.html"):
        assert (out / name).stat().st_size > 0, name


class _Guard:
    """Takes the network away in this process, keeping a list of what was tried."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.attempts: list[str] = []
        guard = self

        class InetRefused(socket.socket):
            def __init__(
                self,
                family: int = -1,
                type: int = -1,  # socket.socket's own parameter names
                proto: int = -1,
                fileno: int | None = None,
            ) -> None:
                if fileno is None and family in (-1, socket.AF_INET, socket.AF_INET6):
                    guard.refuse(f"socket.socket(family={family})")
                super().__init__(family, type, proto, fileno)

        monkeypatch.setattr(socket, "socket", InetRefused)
        monkeypatch.setattr(socket, "create_connection", lambda *a, **k: self.refuse("connect"))
        monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: self.refuse("getaddrinfo"))

    def refuse(self, what: str) -> None:
        self.attempts.append(what)
        raise OSError(f"network disabled: {what}")


def test_the_workbench_works_without_a_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workbench with Internet sockets (AF_INET, AF_INET6) refused.

    asyncio's event loop on Linux makes an AF_UNIX socket pair for its self-pipe;
    refusing every socket would break the loop itself, not the program, so local
    Unix sockets are let through: the point is no network. The event loop is
    created after the guard is in place (``asyncio.run`` below), so its own
    sockets go through the guard too.
    """
    guard = _Guard(monkeypatch)
    with pytest.raises(OSError, match="network disabled"):
        socket.create_connection(("192.0.2.1", 80))  # the guard works
    guard.attempts.clear()

    from credit_tui.tui.app import make_app
    from credit_tui.tui.screens.form import EvidenceForm

    store = build_demo(tmp_path / "demo.db")
    app = make_app(store, DEMO_TODAY, poll_seconds=0)
    seen: list[str] = []

    async def visit() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            for key in "12345":
                await pilot.press(key)
                await pilot.pause()
                seen.append(app.current_mode)
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, EvidenceForm)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, EvidenceForm)
            seen.append(app.current_mode)

    try:
        asyncio.run(visit())
    finally:
        store.close()
    assert seen == ["dashboard", "tasks", "calendar", "evidence", "indicator", "indicator"]
    assert guard.attempts == []
