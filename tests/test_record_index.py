"""The workbench's record index: newest first and filtered, kept in step with every change.

Each check compares the index with what a fresh sort and a plain loop over
every record give (the way the evidence list worked before the index).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path
from random import Random

from credit_tui.scoring import load_catalog, make_evidence
from credit_tui.scoring.evidence import Evidence
from credit_tui.service.workbench import RecordIndex, Workbench
from credit_tui.store.database import Store

CAT = load_catalog()
TODAY = date(2024, 7, 15)
COMPONENTS = [(ind.code, comp) for ind in CAT.indicators for comp in ind.components]
DEPARTMENTS = list(CAT.departments)
TITLES = ["季度研究", "信用专题学习", "Case A 培训", "信用工作信息", "诚信春运"]
NOTES = ["", "", "见附件", "Note B"]


def search_text(record: Evidence) -> str:
    """What the evidence list searched before the index (the same fields, folded)."""
    comp = CAT.by_code[record.indicator].component(record.component)
    fields = (
        record.title,
        record.item,
        record.note,
        record.department,
        CAT.display_code(record.indicator),
        comp.label,
        record.id,
    )
    return "\x1f".join(fields).casefold()


def newest_first(records: Iterable[Evidence]) -> list[Evidence]:
    return sorted(records, key=lambda r: (r.date, r.id), reverse=True)


def plain_find(
    records: Iterable[Evidence],
    indicator: str | None = None,
    department: str | None = None,
    start: date | None = None,
    end: date | None = None,
    words: Sequence[str] = (),
) -> list[Evidence]:
    """The evidence list's filter as it was: one loop over every record."""
    out = []
    for rec in newest_first(records):
        if indicator and rec.indicator != indicator:
            continue
        if department and rec.department != department:
            continue
        if start and rec.date < start:
            continue
        if end and rec.date > end:
            continue
        if words and not all(w in search_text(rec) for w in words):
            continue
        out.append(rec)
    return out


FILTERS: list[dict[str, object]] = [
    {},
    {"indicator": "1.4"},
    {"indicator": "7.1", "department": "法规科"},
    {"department": "办公室"},
    {"department": "不存在的单位"},
    {"indicator": "9.9"},
    {"start": date(2024, 3, 1), "end": date(2024, 3, 31)},
    {"start": date(2024, 3, 31)},
    {"end": date(2024, 1, 31)},
    {"start": date(2024, 5, 1), "end": date(2024, 4, 1)},
    {"words": ["信用"]},
    {"words": ["case", "a"]},
    {"words": ["一、4"]},
    {"words": ["note", "b"]},
    {"words": ["r00007"]},
    {"words": ["不存在的词"]},
    {"indicator": "1.4", "department": "法规科", "start": date(2024, 2, 1), "words": ["学习"]},
]


def random_record(rng: Random, record_id: str) -> Evidence:
    """A record of any component, dated across the year (and just outside it)."""
    code, comp = rng.choice(COMPONENTS)
    day = date(2024, 1, 1) + timedelta(days=rng.randrange(-3, 370))
    return Evidence(
        id=record_id,
        indicator=code,
        component=comp.key,
        date=day,
        department=rng.choice(comp.departments),
        title=f"{rng.choice(TITLES)} {rng.randrange(20)}",
        item=rng.choice(["", "Case A", "出租车数据"]),
        note=rng.choice(NOTES),
        status="planned" if rng.random() < 0.2 else "done",
    )


def assert_in_step(index: RecordIndex, records: dict[str, Evidence]) -> None:
    """The index says what a fresh sort and a loop over ``records`` say."""
    assert index.newest_first() == newest_first(records.values())
    for code in ("1.4", "7.1", "9.9"):
        assert index.newest_first(code) == plain_find(records.values(), indicator=code)
    for filters in FILTERS:
        assert index.find(**filters) == plain_find(records.values(), **filters), filters
    counts = Counter((r.indicator, r.component) for r in records.values())
    assert index.counts() == dict(counts)
    assert index.planned == sum(r.planned for r in records.values())
    assert len(index) == len(records)


def test_the_index_stays_in_step_through_random_changes() -> None:
    rng = Random(7)
    records = {f"r{i:05d}": random_record(rng, f"r{i:05d}") for i in range(300)}
    index = RecordIndex(search_text, records.values())
    assert_in_step(index, records)
    next_id = len(records)
    for step in range(400):
        roll = rng.random()
        if roll < 0.35 or not records:  # a new record, sometimes the same day as others
            record_id = f"r{next_id:05d}"
            next_id += 1
            new = random_record(rng, record_id)
            index.replace(None, new)
            records[record_id] = new
        elif roll < 0.75:  # an edit: date, indicator, department, words or status may change
            old = records[rng.choice(sorted(records))]
            new = random_record(rng, old.id)
            if rng.random() < 0.5:
                new = new.model_copy(update={"date": old.date})  # same place, other fields
            index.replace(old, new)
            records[old.id] = new
        else:
            old = records.pop(rng.choice(sorted(records)))
            index.replace(old, None)
        if step % 40 == 0:
            assert_in_step(index, records)
    assert_in_step(index, records)


def test_a_new_list_each_time() -> None:
    rng = Random(3)
    records = [random_record(rng, f"r{i}") for i in range(20)]
    index = RecordIndex(search_text, records)
    listed = index.find()
    listed.clear()
    index.newest_first().clear()
    assert len(index.find()) == 20 and len(index.newest_first()) == 20


def test_records_of_one_day_run_by_id_descending() -> None:
    day = date(2024, 5, 3)
    records = [random_record(Random(i), f"r{i}").model_copy(update={"date": day}) for i in range(5)]
    index = RecordIndex(search_text, records[::2])
    for rec in records[1::2]:
        index.replace(None, rec)
    assert [r.id for r in index.newest_first()] == ["r4", "r3", "r2", "r1", "r0"]


# --- through the workbench: saves, deletes, undo and another process's writes ----------


def bench_on(path: Path) -> Workbench:
    bench = Workbench(Store.open(path), TODAY)
    bench.load()
    return bench


def assert_bench_in_step(bench: Workbench) -> None:
    live = {r.id: r for r in bench.store.records()}
    assert {r.id for r in bench.records.values()} == set(live)
    assert bench.records_newest_first() == newest_first(bench.records.values())
    assert [r.id for r in bench.records_newest_first()] == [
        r.id for r in newest_first(live.values())
    ]
    for filters in FILTERS:
        assert bench.index.find(**filters) == plain_find(bench.records.values(), **filters), filters
    for code in ("1.4", "6.3"):
        assert bench.evidence_of(code) == plain_find(bench.records.values(), indicator=code)
    assert bench.evidence_of("1.1", "office") == [
        r for r in plain_find(bench.records.values(), indicator="1.1") if r.component == "office"
    ]
    counts = Counter((r.indicator, r.component) for r in bench.records.values())
    assert bench.evidence_counts() == dict(counts)
    assert bench.has_planned == any(r.planned for r in bench.records.values())


def test_the_workbench_index_follows_saves_deletes_undo_and_outside_writes(demo_db: Path) -> None:
    bench = bench_on(demo_db)
    assert_bench_in_step(bench)
    study = make_evidence(
        CAT,
        {"indicator": "1.4", "date": "2024-07-10", "title": "Case A 专题学习", "note": "Note B"},
    )
    bench.save(study, [])
    assert bench.index.find(words=["case", "a", "note"]) == [bench.records[study.id]]
    assert_bench_in_step(bench)
    moved = study.model_copy(update={"date": date(2024, 2, 1), "department": "办公室"})
    bench.save(moved, [])  # an edit moves it down the list
    assert_bench_in_step(bench)
    planned = make_evidence(
        CAT,
        {"indicator": "6.3", "date": "2024-09-20", "title": "赴先进地区学习", "status": "计划"},
    )
    bench.save(planned, [])
    assert bench.has_planned
    assert_bench_in_step(bench)
    assert bench.delete(study.id) is not None
    assert study.id not in {r.id for r in bench.index.find()}
    assert_bench_in_step(bench)
    for _ in range(3):  # back through the delete, the planned save and the edit
        assert bench.undo() is not None
        assert_bench_in_step(bench)
    assert bench.records[study.id].date == date(2024, 7, 10)
    other = Store.open(demo_db)
    other.save(
        make_evidence(CAT, {"indicator": "6.3", "date": "2024-07-12", "title": "外部写入"}), []
    )
    other.close()
    assert bench.changed_outside()
    bench.load()
    assert [r.title for r in bench.index.find(words=["外部写入"])] == ["外部写入"]
    assert_bench_in_step(bench)


def test_words_are_looked_for_in_every_listed_field(demo_db: Path) -> None:
    bench = bench_on(demo_db)
    rec = make_evidence(
        CAT,
        {
            "id": "Mixed-Case-01",
            "indicator": "7.2",
            "item": bench.catalog.vocabulary.products[0],
            "date": "2024-07-01",
            "department": "客运科",
            "title": "Title WORDS",
            "note": "备注里的话",
        },
    )
    bench.save(rec, [])
    comp = bench.catalog.by_code["7.2"].components[0]
    for word in (
        "title",
        "words",
        bench.catalog.vocabulary.products[0],
        "备注里的话",
        "客运科",
        "七、2",
        comp.label,
        "mixed-case-01",
    ):
        found = [r.id for r in bench.index.find(words=[word.casefold()])]
        assert rec.id in found, word


def test_records_given_oldest_first_or_in_any_order_come_out_newest_first() -> None:
    rng = Random(11)
    records = [random_record(rng, f"r{i:03d}") for i in range(200)]
    want = sorted(records, key=lambda r: (r.date, r.id), reverse=True)
    as_stored = want[::-1]  # what ``Store.records`` gives: oldest first, then by id
    assert RecordIndex(search_text, as_stored).newest_first() == want
    swapped = [as_stored[1], as_stored[0], *as_stored[2:]]  # one pair out of order
    if (swapped[0].date, swapped[0].id) != (swapped[1].date, swapped[1].id):
        assert RecordIndex(search_text, swapped).newest_first() == want
    assert RecordIndex(search_text, records).newest_first() == want
