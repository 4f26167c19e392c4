"""Issue 18, item 4: undo restores exactly the state before each change.

A hypothesis state machine adds, replaces, deletes and undoes in any order on a
real store and compares it after every step with a plain model: a dict of
id → (title, attachments) and a stack of the dicts before each change that wrote
something. The CLI test replays the sequence the attack found (delete →
re-import of the same id → undo → undo).
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from credit_tui.scoring.evidence import make_evidence
from credit_tui.store.database import Store
from credit_tui.store.integrity import check_store

IDS = st.sampled_from(["a", "b", "c"])
TITLES = st.sampled_from(["甲", "乙", "丙"])
FILES = st.sampled_from([(), ("x",), ("x", "y")])
Content = tuple[str, tuple[str, ...]]


def clock() -> datetime:
    return datetime(2024, 7, 15, 9, 0, tzinfo=UTC)


class UndoMachine(RuleBasedStateMachine):
    """The store against ``model`` (what is live) and ``history`` (model before each change)."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="undo-"))
        self.store, _ = Store.create(self.folder / "s.db", 2024, clock=clock, keep_backups=0)
        self.files = {}
        for name in ("x", "y"):
            src = self.folder / f"{name}.pdf"
            src.write_bytes(f"file {name}".encode())
            self.files[name] = self.store.store_file(src, f"{name}.pdf")
        self.model: dict[str, Content] = {}
        self.history: list[dict[str, Content]] = []

    def teardown(self) -> None:
        problems = check_store(self.store)  # integrity, attachments, audit log agreeing
        self.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)
        assert problems == []

    def _save(self, rid: str, title: str, files: tuple[str, ...]) -> None:
        record = make_evidence(
            self.store.catalog,
            {"id": rid, "indicator": "3.1", "date": "2024-05-03", "department": "法规科"}
            | {"title": title},
            attachments=tuple(self.files[f].sha256 for f in files),
        )
        before = dict(self.model)
        result = self.store.save(record, [self.files[f] for f in files])
        assert result.changed == (self.model.get(rid) != (title, files))
        if result.changed:
            self.history.append(before)
            self.model[rid] = (title, files)

    @rule(rid=IDS, title=TITLES, files=FILES)
    def add_or_replace(self, rid: str, title: str, files: tuple[str, ...]) -> None:
        self._save(rid, title, files)

    @rule(rid=IDS)
    def delete(self, rid: str) -> None:
        before = dict(self.model)
        assert self.store.delete(rid) == (rid in self.model)
        if rid in before:
            self.history.append(before)
            del self.model[rid]

    @rule()
    def undo(self) -> None:
        done = self.store.undo()
        assert (done is not None) == bool(self.history)
        if self.history:
            self.model = self.history.pop()

    @invariant()
    def store_matches_model(self) -> None:
        live = {
            r.id: (r.title, tuple(ref.name[0] for ref in self.store.attachments_of(r.id)))
            for r in self.store.records()
        }
        assert live == self.model


UndoMachine.TestCase.settings = settings(
    max_examples=60, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)  # fmt: skip
test_undo_is_exact = UndoMachine.TestCase


def test_delete_reimport_undo_undo_brings_back_the_first_content(run_cli, tmp_path: Path) -> None:
    """The attack's sequence: the record comes back as it was before the delete."""
    first = tmp_path / "first.csv"
    first.write_text("编号,指标,日期,责任单位,标题\nr1,3.1,2024-05-03,法规科,原来的标题\n", "utf-8")
    second = tmp_path / "second.csv"
    second.write_text("编号,指标,日期,责任单位,标题\nr1,3.1,2024-05-03,法规科,重新导入\n", "utf-8")
    assert run_cli("import", first).code == 0
    with Store.open(run_cli.db) as store:
        assert store.delete("r1")
    assert run_cli("import", second).code == 0
    assert run_cli("undo").code == 0  # the re-import: r1 deleted again
    with Store.open(run_cli.db) as store:
        assert store.get("r1") is None
    assert run_cli("undo").code == 0  # the delete: r1 as first imported
    with Store.open(run_cli.db) as store:
        assert store.get("r1").title == "原来的标题"
    assert run_cli("check").code == 0
