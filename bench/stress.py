"""Concurrent writers: N processes × M one-row imports into one store, a reader open too.

Each writer runs the command line in its own process (``credit_tui.cli.entry.main``, as
``credit-tui import`` does) on one-row CSV files with ids of its own, and records
what each import answered. A reader process keeps the store open the whole time,
polling it as the workbench does. Afterwards every id an import acknowledged
(exit 0, 导入完成) must be in the store, no process may have died (SIGBUS …), no
import may have been told the store is damaged (已损坏), and ``check`` must pass.

``python bench/stress.py [WRITERS] [IMPORTS]`` prints one line per run:
writers × imports, acknowledged, lost, processes crashed (and how), imports unanswered,
false damage, busy refusals, other failures, ``check``'s exit status, seconds.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

TODAY = "2024-07-15"
HEADER = "id,indicator,component,date,department,title\n"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a stress run found."""

    writers: int
    imports: int
    acknowledged: int
    lost: int
    crashed: int
    """Processes that died (writers and the reader)."""
    unanswered: int
    """Imports that never answered (their writer died first)."""
    false_damage: int
    busy: int
    other_failures: int
    check_code: int
    seconds: float
    deaths: str = ""
    """How the processes that died ended (``SIGBUS×2``), if any."""

    def line(self) -> str:
        """The figures as one line."""
        return (
            f"{self.writers} writers × {self.imports} imports: "
            f"acknowledged {self.acknowledged}, lost {self.lost}, "
            f"processes crashed {self.crashed}, imports unanswered {self.unanswered}, "
            f"false 已损坏 {self.false_damage}, busy {self.busy}, "
            f"other failures {self.other_failures}, check exit {self.check_code}, "
            f"{self.seconds:.1f} s" + (f" (died: {self.deaths})" if self.deaths else "")
        )


def _cli(argv: list[str]) -> tuple[int, str, str]:
    from credit_tui.cli.entry import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def _writer(db: str, folder: str, worker: int, imports: int, start, queue) -> None:
    """One process: ``imports`` one-row imports, each answer put on the queue."""
    start.wait()
    base = Path(folder) / f"w{worker}"
    base.mkdir()
    for n in range(imports):
        rid = f"w{worker}-{n}"
        path = base / f"{rid}.csv"
        path.write_text(HEADER + f"{rid},3.1,info,2024-05-03,法规科,并发{rid}\n", "utf-8")
        code, out, err = _cli(["--db", db, "--today", TODAY, "import", str(path)])
        queue.put((rid, code, out, err))
    queue.put(None)


def _reader(db: str, stop) -> None:
    """The workbench's side: the store open all the time, re-read when it changes."""
    from credit_tui.store.database import Store

    with Store.open(db) as store:
        seen = -1
        while not stop.is_set():
            version = store.data_version()
            if version != seen:
                seen = version
                store.records()
            time.sleep(0.05)


def run(writers: int, imports: int, folder: Path | None = None) -> Outcome:
    """One stress run in ``folder`` (a fresh temporary one by default)."""
    with contextlib.ExitStack() as stack:
        if folder is None:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="stress-")))
        return _run(writers, imports, folder)


def _run(writers: int, imports: int, folder: Path) -> Outcome:
    db = str(folder / "store" / "credit.db")
    code, _out, err = _cli(["--db", db, "--today", TODAY, "init", "--year", "2024"])
    assert code == 0, err
    ctx = multiprocessing.get_context("spawn")  # a clean interpreter each, like a real command
    queue, start, stop = ctx.Queue(), ctx.Event(), ctx.Event()
    reader = ctx.Process(target=_reader, args=(db, stop))
    reader.start()
    procs = [
        ctx.Process(target=_writer, args=(db, str(folder), w, imports, start, queue))
        for w in range(writers)
    ]
    for proc in procs:
        proc.start()
    began = time.perf_counter()
    start.set()
    answers: list[tuple[str, int, str, str]] = []
    running = writers
    while running:
        try:
            item = queue.get(timeout=1.0)
        except Exception:  # queue.Empty: see whether a writer died
            if all(not p.is_alive() for p in procs):
                break
            continue
        if item is None:
            running -= 1
        else:
            answers.append(item)
    for proc in procs:
        proc.join(30)
    seconds = time.perf_counter() - began
    stop.set()
    reader.join(30)
    died = [p.exitcode for p in [*procs, reader] if p.exitcode != 0]
    crashed = len(died)
    deaths = ", ".join(
        f"{_how(code)}×{died.count(code)}" for code in sorted(set(died), key=lambda c: c or 0)
    )
    acknowledged = {rid for rid, code, out, _ in answers if code == 0 and "导入完成" in out}
    false_damage = sum(1 for *_, err in answers if "已损坏" in err or "不是可用" in err)
    busy = sum(1 for _, code, _, err in answers if code == 2 and "正被其他程序写入" in err)
    other = sum(1 for _, code, _, _ in answers if code != 0) - false_damage - busy
    unanswered = writers * imports - len(answers)  # their process died first
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        stored = {r[0] for r in conn.execute("SELECT id FROM evidence WHERE deleted_at IS NULL")}
    except sqlite3.DatabaseError:  # the store itself was damaged: everything counts as lost
        stored = set()
    finally:
        conn.close()
    check_code, _out, _err = _cli(["--db", db, "--today", TODAY, "check"])
    return Outcome(
        writers,
        imports,
        len(acknowledged),
        len(acknowledged - stored),
        crashed,
        unanswered,
        false_damage,
        busy,
        other,
        check_code,
        seconds,
        deaths,
    )


def _how(exitcode: int | None) -> str:
    """A process's end in words: a signal's name, or its exit status."""
    if exitcode is None:
        return "still running"
    if exitcode < 0:
        return signal.Signals(-exitcode).name
    return f"exit {exitcode}"


def main(argv: list[str]) -> int:
    """Print the figures of each run; exit 1 if anything was lost, crashed or refused."""
    runs = [(int(argv[0]), int(argv[1]))] if len(argv) >= 2 else [(3, 300), (6, 100)]
    bad = False
    for writers, imports in runs:
        outcome = run(writers, imports)
        print(outcome.line(), flush=True)
        bad |= bool(
            outcome.lost
            or outcome.crashed
            or outcome.unanswered
            or outcome.false_damage
            or outcome.other_failures
        )
        bad |= outcome.check_code != 0
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
