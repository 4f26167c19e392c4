"""The benchmark's generator still makes valid records that score (no timing here)."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from credit_tui.scoring import Scorer, load_catalog, make_evidence, score

BENCH = Path(__file__).resolve().parent.parent / "bench" / "score.py"
CAT = load_catalog()


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_score", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_generator_is_deterministic(bench):
    assert bench.synthetic_rows(50, 7) == bench.synthetic_rows(50, 7)
    assert bench.synthetic_rows(50, 7) != bench.synthetic_rows(50, 8)


def test_generated_records_are_valid(bench):
    records = bench.synthetic_records(500, 1)
    assert len(records) == 500
    assert len({r.id for r in records}) == 500
    comps = {(i.code, c.key) for i in CAT.indicators for c in i.components}
    assert {(r.indicator, r.component) for r in records} == comps  # all 27 components
    for rec in records:
        assert rec.date.year == 2024
        data = rec.model_dump(exclude={"attachments"})
        # the same fields through the checking path give the same record
        checked = make_evidence(CAT, data, attachments=rec.attachments)
        assert checked.model_dump() == rec.model_dump(), rec.id


def test_generated_records_score(bench):
    records = bench.synthetic_records(500, 1)
    report = score(CAT, records, year=2024, as_of=date(2024, 12, 31))
    assert 0 < report.earned <= report.max
    assert report.earned + report.lost == report.max  # final view: nothing left open
    mid = score(CAT, records, year=2024, as_of=date(2024, 7, 15))
    assert 0 < mid.earned <= mid.max


def test_single_updates_match_a_full_rescore(bench):
    records = bench.synthetic_records(500, 1)
    extra = bench.synthetic_records(27, 2, prefix="u")
    as_of = date(2024, 9, 15)
    scorer = Scorer(CAT, 2024, as_of, records)
    before = scorer.report.to_dict()
    for rec in extra:
        added = scorer.add(rec)
        assert added.to_dict() == score(CAT, [*records, rec], year=2024, as_of=as_of).to_dict()
        assert scorer.remove(rec.id).to_dict() == before
        assert scorer.preview(add=[rec]).to_dict() == added.to_dict()
        assert scorer.report.to_dict() == before
