"""The workbench: the TUI's one door to the store and the live score (no textual here)."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from pathlib import Path

from credit_tui.scoring import make_evidence, score
from credit_tui.scoring.calendar import TaskStatus
from credit_tui.service.workbench import Workbench
from credit_tui.store.database import Store

TODAY = date(2024, 7, 15)


def bench_on(path: Path) -> Workbench:
    store = Store.open(path)
    bench = Workbench(store, TODAY)
    bench.load()
    return bench


def study(day: str, title: str = "二季度领导小组专题学习") -> object:
    from credit_tui.scoring import load_catalog

    return make_evidence(load_catalog(), {"indicator": "1.4", "date": day, "title": title})


def test_save_rescoring_matches_a_full_score(demo_db: Path) -> None:
    bench = bench_on(demo_db)
    before = bench.report.earned
    # The demo has 1.4 in Q1 and Q2 (2 points); a Q3 meeting on 07-10 adds the third.
    outcome = bench.save(study("2024-07-10"), [])
    assert outcome.after.earned == before + 2
    assert [(c.code, c.delta) for c in outcome.changes] == [("1.4", 2)]
    assert outcome.message == "已保存 · 一、4 +1 分 · 总分 37.5 → 38.5"
    fresh = score(bench.catalog, bench.store.records(), year=2024, as_of=TODAY)
    assert bench.report.to_dict() == fresh.to_dict()


def test_delete_then_undo_restores_the_score(demo_db: Path) -> None:
    bench = bench_on(demo_db)
    before = bench.report.earned
    gone = bench.delete("demo-009")  # the Q2 1.4 meeting: 1 point
    assert gone is not None and gone.after.earned == before - 2
    assert "已删除" in gone.message
    back = bench.undo()
    assert back is not None and back.after.earned == before
    assert back.message.startswith("已撤销“删除”")
    assert bench.delete("no-such-record") is None


def test_a_planned_record_lifts_the_projection_only(demo_db: Path) -> None:
    bench = bench_on(demo_db)
    earned = bench.report.earned
    projected = bench.projected.earned if bench.projected else 0
    planned = make_evidence(
        bench.catalog,
        {"indicator": "6.3", "date": "2024-09-20", "title": "赴先进地区学习", "status": "计划"},
    )
    bench.save(planned, [])
    assert bench.report.earned == earned
    assert bench.projected is not None and bench.projected.earned == projected + 4


def test_outside_writes_are_noticed(demo_db: Path) -> None:
    bench = bench_on(demo_db)
    assert not bench.changed_outside()
    other = Store.open(demo_db)
    other.save(study("2024-07-11", "外部写入"), [])
    other.close()
    assert bench.changed_outside()
    bench.load()
    assert not bench.changed_outside()
    assert any(r.title == "外部写入" for r in bench.records.values())


def test_trend_is_earned_at_each_month_end(demo_db: Path) -> None:
    bench = bench_on(demo_db)
    trend = bench.trend()
    # Months 1–6 have ended by 07-15, then today's score closes the series.
    assert [m for m, _ in trend] == [1, 2, 3, 4, 5, 6, 7]
    assert trend[-1][1] == bench.report.earned
    assert all(a <= b for (_, a), (_, b) in pairwise(trend))


def test_occurrences_follow_the_score(demo_db: Path) -> None:
    bench = bench_on(demo_db)
    q3 = next(
        o
        for o in bench.occurrences
        if (o.spec.indicator, o.spec.component, o.due) == ("1.4", "study", date(2024, 9, 30))
    )
    assert q3.status is TaskStatus.NOT_STARTED
    bench.save(study("2024-07-10"), [])
    q3 = next(
        o
        for o in bench.occurrences
        if (o.spec.indicator, o.spec.component, o.due) == ("1.4", "study", date(2024, 9, 30))
    )
    assert q3.status is TaskStatus.DONE
