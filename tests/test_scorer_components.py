"""The incremental scorer re-scores the components a change touches, and no others.

A component that reads another indicator is re-scored only when what it reads
of it changed (6.1's dates and titles for 1.4, 7.1's products for 7.2, the
products 7.2 qualifies for 7.3). Every step is also checked against a fresh score.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from credit_tui.scoring import Scorer, load_catalog, score
from credit_tui.scoring.catalog import Component, Indicator
from credit_tui.scoring.evidence import Evidence

CAT = load_catalog()
AS_OF = date(2024, 7, 15)
PRODUCTS = CAT.vocabulary.products


def record(record_id: str, code: str, key: str, day: str, **fields: object) -> Evidence:
    comp = CAT.by_code[code].component(key)
    values: dict[str, object] = {
        "id": record_id,
        "indicator": code,
        "component": key,
        "date": date.fromisoformat(day),
        "department": comp.departments[0],
        "title": f"{comp.label} {record_id}",
        "channel": comp.default_channel or "internal",
    }
    return Evidence(**(values | fields))


BASE = [
    record("g1", "1.1", "group", "2024-02-01"),
    record("o1", "1.1", "office", "2024-02-01", quantity=3),
    record("s1", "1.4", "study", "2024-02-10", title="季度学习"),
    record("s2", "6.1", "study", "2024-03-10", title="专题学习"),
    record("p1", "7.1", "policy", "2024-03-01", item=PRODUCTS[0]),
    record("a1", "7.2", "application", "2024-04-01", item=PRODUCTS[0], kind="data"),
    record("a2", "7.2", "application", "2024-04-02", item=PRODUCTS[1], kind="data"),
    record("c1", "7.3", "case_report", "2024-05-01", item=PRODUCTS[0]),
    record("c2", "7.3", "case_report", "2024-05-02", item=PRODUCTS[1]),
]


@pytest.fixture(params=[False, True], ids=["today", "projected"])
def scorer(request: pytest.FixtureRequest) -> Scorer:
    return Scorer(CAT, 2024, AS_OF, BASE, projected=request.param)


@pytest.fixture
def rescored(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    """The components scored, in order, from now on."""
    seen: list[tuple[str, str]] = []
    real = Scorer._score_component

    def spy(self: Scorer, ind: Indicator, comp: Component, warnings: list[str]) -> object:
        seen.append((ind.code, comp.key))
        return real(self, ind, comp, warnings)

    monkeypatch.setattr(Scorer, "_score_component", spy)
    yield seen


def fresh(scorer: Scorer) -> dict[str, object]:
    return score(
        CAT, scorer.records.values(), year=2024, as_of=AS_OF, projected=scorer.projected
    ).to_dict()


def change(scorer: Scorer, seen: list[tuple[str, str]], rec: Evidence) -> list[tuple[str, str]]:
    """Add (or replace) a record; the components that were scored for it."""
    seen.clear()
    scorer.add(rec)
    done = list(seen)
    assert scorer.report.to_dict() == fresh(scorer)
    return done


def test_a_record_rescores_its_own_component_only(
    scorer: Scorer, rescored: list[tuple[str, str]]
) -> None:
    assert change(scorer, rescored, record("o2", "1.1", "office", "2024-06-01", quantity=5)) == [
        ("1.1", "office")
    ]
    rescored.clear()
    scorer.remove("o2")
    assert rescored == [("1.1", "office")]
    assert scorer.report.to_dict() == fresh(scorer)


def test_a_new_title_in_6_1_rescores_1_4_but_a_new_department_does_not(
    scorer: Scorer, rescored: list[tuple[str, str]]
) -> None:
    same_as_1_4 = record("s3", "6.1", "study", "2024-02-10", title=" 季度学习 ")
    assert change(scorer, rescored, same_as_1_4) == [("6.1", "study"), ("1.4", "study")]
    moved = same_as_1_4.model_copy(update={"department": "办公室"})
    assert change(scorer, rescored, moved) == [("6.1", "study")]


def test_products_flow_from_7_1_to_7_2_to_7_3_only_when_they_change(
    scorer: Scorer, rescored: list[tuple[str, str]]
) -> None:
    again = record("p2", "7.1", "policy", "2024-03-05", item=PRODUCTS[0])
    assert change(scorer, rescored, again) == [("7.1", "policy")]
    # a policy for the second product: 7.2 now counts it, and so 7.3 may too
    second = record("p3", "7.1", "policy", "2024-03-06", item=PRODUCTS[1])
    assert change(scorer, rescored, second) == [
        ("7.1", "policy"),
        ("7.2", "application"),
        ("7.3", "case_report"),
    ]
    # a third product in 7.1 with nothing in 7.2 for it: 7.2's products stay the same
    third = record("p4", "7.1", "policy", "2024-03-07", item=PRODUCTS[2])
    assert change(scorer, rescored, third) == [("7.1", "policy"), ("7.2", "application")]


def test_a_preview_leaves_what_was_seen_as_it_was(
    scorer: Scorer, rescored: list[tuple[str, str]]
) -> None:
    before = scorer.report.to_dict()
    second = record("p3", "7.1", "policy", "2024-03-06", item=PRODUCTS[1])
    previewed = scorer.preview(add=[second]).to_dict()
    assert scorer.report.to_dict() == before == fresh(scorer)
    assert change(scorer, rescored, second)[-1] == ("7.3", "case_report")  # still flows on
    assert scorer.report.to_dict() == previewed
