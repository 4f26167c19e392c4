"""SPEC.md section 10: the six worked examples (year 2024), with exactly the spec's numbers.

All scores are integer halves: 1 point == 2.
"""

from __future__ import annotations

import itertools
from datetime import date

from credit_tui.scoring import load_catalog, make_evidence, score

cat = load_catalog()
YEAR = 2024
_seq = itertools.count(1)


def pts(x: float) -> int:
    """Points as halves: pts(1.5) == 3."""
    return int(x * 2)


def ev(code: str, day: str, title: str | None = None, **fields: object):
    """A record of indicator ``code`` dated 2024-``day`` (MM-DD); unique title by default."""
    data = {"indicator": code, "date": f"{YEAR}-{day}", "title": title or f"记录{next(_seq)}"}
    data.update(fields)
    return make_evidence(cat, data)


def run(records, as_of: str):
    return score(cat, records, year=YEAR, as_of=date.fromisoformat(f"{YEAR}-{as_of}"))


def test_example_1_leadership_study_per_quarter():
    # 1.4 per_quarter each 1, quarter_cap 1: Q1 has 2 records → 1; Q2 ended empty → lost 1;
    # Q3, Q4 still open → potential = 4 − 1 = 3
    records = [ev("1.4", "02-10"), ev("1.4", "02-20")]
    ind = run(records, "07-15").indicator("1.4")
    assert ind.earned == pts(1)
    assert ind.lost == pts(1)
    assert ind.potential == pts(3)


def test_example_2_info_reports_quarter_cap_and_lost_after_quarter_end():
    # 3.1 per_quarter each 1, cap 2: Q1 three → 2; Q2 one → 1; earned 3.
    # As of 06-15 only Q1 has ended and it earned its full 2 → lost 0.
    # As of 07-01 Q2 has ended short by one → lost 1.
    records = [
        ev("3.1", "01-05", channel="credit_site"),
        ev("3.1", "01-06", channel="credit_site"),
        ev("3.1", "01-07", channel="credit_site"),
        ev("3.1", "05-01", channel="credit_site"),
    ]
    june = run(records, "06-15").indicator("3.1")
    assert june.earned == pts(3)
    assert june.lost == pts(0)
    july = run(records, "07-01").indicator("3.1")
    assert july.earned == pts(3)
    assert july.lost == pts(1)


def test_example_3_staff_latest_quantity_counts():
    # The second reading (SPEC 5): the 专班 counts only under a 领导小组, so the example
    # has a 1.1 group record (02-01) as well.
    group = ev("1.1", "02-01", component="group")
    # 1.1 office staff rule, cap 2: quantity 1 → min(1, 2) = 1 point
    first = ev("1.1", "03-01", component="office", quantity=1)
    report = run([group, first], "07-15")
    assert report.component("1.1", "office").earned == pts(1)
    # a later record with quantity 3 → latest wins → min(3, 2) = 2 points
    later = ev("1.1", "04-01", component="office", quantity=3)
    report = run([group, first, later], "07-15")
    assert report.component("1.1", "office").earned == pts(2)
    # without the group record: 0, whatever the staff count
    assert run([first, later], "07-15").component("1.1", "office").earned == 0


def test_example_4_evaluation_one_domain_internal_does_not_qualify():
    # 4.2 per_item (domain) each 2, gov_site only: 道路客运 twice → one domain = 2;
    # 机动车维修 internal does not qualify → earned 2
    records = [
        ev("4.2", "05-01", "道路客运评价结果", item="道路客运", channel="gov_site"),
        ev("4.2", "06-01", "道路客运评价结果（二）", item="道路客运", channel="gov_site"),
        ev("4.2", "06-10", "机动车维修评价结果", item="机动车维修", channel="internal"),
    ]
    assert run(records, "07-15").indicator("4.2").earned == pts(2)


def test_example_5_result_application_half_points():
    # 4.4 per_item (domain) each 0.5: three distinct domains → 3 × 0.5 = 1.5
    records = [
        ev("4.4", "03-01", item="道路客运"),
        ev("4.4", "04-01", item="公路施工"),
        ev("4.4", "05-01", item="港口"),
    ]
    assert run(records, "07-15").indicator("4.4").earned == pts(1.5)


def test_example_6_plan_gate_closed():
    # 1.2 gate: the plan is internal (not gov_site) → both components earn 0;
    # April and May (the completed months by 06-10) are covered → nothing lost
    records = [
        ev("1.2", "04-10", component="plan", channel="internal"),
        ev("1.2", "04-20", component="monthly"),
        ev("1.2", "05-20", component="monthly"),
    ]
    ind = run(records, "06-10").indicator("1.2")
    assert ind.earned == pts(0)
    assert ind.lost == pts(0)
