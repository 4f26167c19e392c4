"""Two windows, one store: a second process holding the write lock, for real.

Writes wait for the lock (SQLite's busy timeout) instead of failing; a write that
still cannot proceed says so in Chinese, keeps what the clerk typed, and loses
nothing; both sides see each other's changes.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from credit_tui.scoring import make_evidence
from credit_tui.service.demo import DEMO_TODAY, build_demo
from credit_tui.store import connection as store_module
from credit_tui.store.database import Store, StoreError
from credit_tui.tui.app import make_app
from credit_tui.tui.screens.form import EvidenceForm

HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE campaign SET created_at = created_at WHERE id = 1")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def hold_lock(db: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process that takes the store's write lock for ``seconds``."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    build_demo(path).close()
    return path


def study(store: Store, title: str) -> object:
    return make_evidence(store.catalog, {"indicator": "1.4", "date": "2024-07-10", "title": title})


def test_a_write_waits_for_the_other_window(demo: Path) -> None:
    store = Store.open(demo)
    count = store.count()
    other = hold_lock(demo, 1.0)
    started = time.perf_counter()
    store.save(study(store, "等待后保存"), [])  # waits about a second, then writes
    assert time.perf_counter() - started >= 0.5
    assert store.count() == count + 1
    other.wait(timeout=10)
    store.close()


def test_a_write_that_cannot_proceed_says_so_and_changes_nothing(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.3)
    store = Store.open(demo)
    count = store.count()
    other = hold_lock(demo, 3.0)
    with pytest.raises(StoreError, match="正被其他程序写入"):
        store.save(study(store, "被锁住"), [])
    other.wait(timeout=10)
    assert store.count() == count
    store.save(study(store, "锁释放后"), [])  # the same connection works again afterwards
    assert store.count() == count + 1
    store.close()


async def test_the_form_keeps_what_was_typed_when_the_store_is_busy(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.3)
    store = Store.open(demo)
    app = make_app(store, DEMO_TODAY, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        count = len(app.bench.records)
        await pilot.press("5", "right", "right", "right", "n")
        form = app.screen
        assert isinstance(form, EvidenceForm)
        form.query_one("#f-date", Input).value = "2024-07-10"
        form.query_one("#f-title", Input).value = "三季度专题学习（锁住时录入）"
        other = hold_lock(demo, 3.0)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # still open, nothing thrown away
        assert form.query_one("#f-title", Input).value == "三季度专题学习（锁住时录入）"
        shown = " ".join(str(w.render()) for w in form.query(Static))
        assert "正被其他程序写入" in shown
        assert len(app.bench.records) == count
        other.wait(timeout=10)
        await pilot.press("ctrl+s")  # once the other window lets go, the same form saves
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is not form
        assert len(app.bench.records) == count + 1
    store.close()


def test_both_sides_see_each_others_changes(demo: Path) -> None:
    first, second = Store.open(demo), Store.open(demo)
    version = first.data_version()
    second.save(study(second, "第二个窗口写入"), [])
    assert first.data_version() != version  # what the workbench polls for
    assert any(r.title == "第二个窗口写入" for r in first.records())
    first.save(study(first, "第一个窗口写入"), [])
    assert any(r.title == "第一个窗口写入" for r in second.records())
    first.close()
    second.close()
