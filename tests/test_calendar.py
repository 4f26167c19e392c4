"""The deadline calendar (SPEC sections 2, 5 and 7): occurrences, their dates and status."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from credit_tui.scoring import (
    Evidence,
    Occurrence,
    TaskStatus,
    load_catalog,
    make_evidence,
    occurrence_specs,
    occurrences,
    score,
)
from credit_tui.scoring.calendar import (
    STATUS_ORDER,
    between,
    for_department,
    next_due,
    with_status,
    worst,
)

CAT = load_catalog()
YEAR = 2024
QUARTER_ENDS = ["03-31", "06-30", "09-30", "12-31"]
_serial = itertools.count(1)


def d(mmdd: str, year: int = YEAR) -> date:
    """``"04-30"`` → 2024-04-30."""
    return date.fromisoformat(f"{year}-{mmdd}")


def ev(indicator: str, mmdd: str, component: str | None = None, **fields: object) -> Evidence:
    """A valid record made the way a form or an import makes it (unique title, derived id)."""
    data: dict[str, object] = {
        "indicator": indicator,
        "date": f"{YEAR}-{mmdd}",
        "title": f"测试材料 {next(_serial)}",
        **fields,
    }
    if component is not None:
        data["component"] = component
    return make_evidence(CAT, data)


def occs(records: list[Evidence], as_of: str, **kwargs: object) -> list[Occurrence]:
    """Occurrences with status as of ``as_of`` (``"MM-DD"`` in 2024 or a full ISO date)."""
    day = date.fromisoformat(as_of) if len(as_of) > 5 else d(as_of)
    report = score(CAT, records, year=YEAR, as_of=day)
    return occurrences(CAT, report, **kwargs)


def pick(found: list[Occurrence], code: str, key: str, due: str) -> Occurrence:
    """The one occurrence of component ``code``/``key`` due on ``due``."""
    hits = [o for o in found if (o.spec.indicator, o.spec.component, o.due) == (code, key, d(due))]
    assert len(hits) == 1, f"{code} {key} {due}: {len(hits)} occurrences"
    return hits[0]


def spec_dates(code: str, key: str, year: int = YEAR) -> list[tuple[date, str]]:
    """(due, kind) of one component's occurrences, in order."""
    return [
        (s.due, s.kind)
        for s in occurrence_specs(CAT, year)
        if (s.indicator, s.component) == (code, key)
    ]


# --- occurrence_specs: counts and dates (SPEC sections 2 and 5) -------------------------


def test_monthly_ledger_has_nine_month_ends_april_to_december():
    # "每月汇总" → one occurrence at each month end from April (plan month) to December.
    got = spec_dates("1.2", "monthly")
    assert got == [
        (d(m), "period")
        for m in [
            "04-30",
            "05-31",
            "06-30",
            "07-31",
            "08-31",
            "09-30",
            "10-31",
            "11-30",
            "12-31",
        ]
    ]
    specs = [s for s in occurrence_specs(CAT, YEAR) if s.indicator == "1.2" and s.kind == "period"]
    assert [s.start for s in specs] == [date(YEAR, m, 1) for m in range(4, 13)]
    assert [s.label for s in specs] == [f"{m} 月" for m in range(4, 13)]


@pytest.mark.parametrize(
    ("code", "key", "last"),
    [("1.4", "study", "period"), ("2.1", "joint", "period"), ("3.1", "info", "period"),
     ("3.2", "dataset", "final")],
)  # fmt: skip
def test_quarterly_components_have_the_four_quarter_ends(code, key, last):
    # "每季度至少 1 次" → one occurrence due at each quarter end (Q1 = Jan–Mar … Q4 = Oct–Dec).
    # 3.2 is a whole-year per_item rule: its quarter ends are reminders and the last one is
    # the deadline for its points (kind "final").
    kinds = ["period"] * 3 + [last]
    assert spec_dates(code, key) == [(d(q), k) for q, k in zip(QUARTER_ENDS, kinds, strict=True)]
    specs = [s for s in occurrence_specs(CAT, YEAR) if (s.indicator, s.component) == (code, key)]
    assert [s.start for s in specs] == [date(YEAR, m, 1) for m in (1, 4, 7, 10)]
    assert [list(s.months) for s in specs] == [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]


def test_application_4_4_has_three_quarter_ends_and_a_final_30_november():
    # 4.4: "each quarter end; final 11-30" ("12 月份之前完成" = by 30 November), so no 12-31.
    got = spec_dates("4.4", "application")
    assert [due for due, _ in got] == [d("03-31"), d("06-30"), d("09-30"), d("11-30")]
    assert got[-1] == (d("11-30"), "final")
    assert d("12-31") not in [due for due, _ in got]


def test_supervision_4_3_before_november_means_31_october():
    # "N 月份之前完成" → last day of month N−1: "11 月份之前完成" = 31 October.
    assert spec_dates("4.3", "supervision") == [(d("10-31"), "single")]


def test_mechanism_2_2_has_june_and_a_suggested_december_round():
    # 2.2: due 6-30, second round 12-31 optional → a suggested occurrence.
    assert spec_dates("2.2", "mechanism") == [(d("06-30"), "single"), (d("12-31"), "suggested")]


def test_activity_5_4_suggested_june_and_september_then_final_november():
    # 5.4: suggested 6-30 and 9-30; final 11-30.
    assert spec_dates("5.4", "activity") == [
        (d("06-30"), "suggested"),
        (d("09-30"), "suggested"),
        (d("11-30"), "single"),
    ]


@pytest.mark.parametrize(
    ("code", "key", "due"),
    [
        ("1.1", "group", "04-30"),
        ("1.1", "office", "04-30"),
        ("1.2", "plan", "04-30"),
        ("1.3", "plan", "04-30"),
        ("4.1", "commitment", "09-30"),
        ("4.2", "evaluation", "09-30"),
        ("4.3", "supervision", "10-31"),
        ("4.5", "repair", "09-30"),
        ("5.1", "campaign", "11-30"),
        ("5.2", "model", "10-31"),
        ("5.3", "article", "06-30"),
        ("5.3", "case", "11-30"),
        ("6.1", "study", "06-30"),
        ("6.1", "provincial_training", "11-30"),
        ("6.2", "training", "09-30"),
        ("6.3", "exchange", "09-30"),
        ("7.1", "policy", "07-31"),
        ("7.2", "application", "09-30"),
        ("7.3", "case_report", "11-30"),
    ],
)
def test_single_deadline_components(code, key, due):
    # SPEC section 5 "due" column: one occurrence for a single deadline.
    assert spec_dates(code, key) == [(d(due), "single")]


def test_month_ends_are_real_last_days():
    # "N 月底前" → the last day of month N: 30 for Apr/Jun/Sep/Nov, 31 for the others.
    dues = {s.due for s in occurrence_specs(CAT, YEAR)}
    assert {d("04-30"), d("06-30"), d("09-30"), d("11-30")} <= dues
    assert {d("05-31"), d("07-31"), d("08-31"), d("10-31"), d("12-31")} <= dues
    for spec in occurrence_specs(CAT, YEAR):
        if spec.kind == "period":
            nxt = date(YEAR + (spec.due.month == 12), spec.due.month % 12 + 1, 1)
            assert (nxt - spec.due).days == 1, spec


def test_every_component_has_occurrences_and_the_total_count():
    # Section 7: each component yields dated occurrences; 27 components give 53 in 2024.
    specs = occurrence_specs(CAT, YEAR)
    comps = {(i.code, c.key) for i in CAT.indicators for c in i.components}
    assert len(comps) == 27
    assert {(s.indicator, s.component) for s in specs} == comps
    assert (
        len(specs) == 9 + 4 * 4 + 4 + 2 + 3 + 19
    )  # monthly, 4 quarterlies, 4.4, 2.2, 5.4, singles
    assert all(s.due.year == YEAR and s.start <= s.due for s in specs)
    assert [s.due for s in specs] == sorted(s.due for s in specs)


def test_every_occurrence_carries_its_components_departments():
    # Section 7: the task list by department shows the components a department shares.
    for spec in occurrence_specs(CAT, YEAR):
        comp = CAT.by_code[spec.indicator].component(spec.component)
        assert spec.departments == comp.departments
    report = score(CAT, [], year=YEAR, as_of=d("05-01"))
    for occ in occurrences(CAT, report):
        comp = CAT.by_code[occ.spec.indicator].component(occ.spec.component)
        assert occ.spec.departments == comp.departments


def test_specs_follow_the_year():
    # Section 2: all dates are in the assessment year Y.
    specs = occurrence_specs(CAT, 2025)
    assert {s.due.year for s in specs} == {2025}
    assert spec_dates("1.2", "monthly", 2025)[0] == (date(2025, 4, 30), "period")
    assert spec_dates("4.3", "supervision", 2025) == [(date(2025, 10, 31), "single")]


def test_occurrences_follow_the_specs_one_to_one():
    # Section 7: every dated occurrence gets one status.
    report = score(CAT, [], year=YEAR, as_of=d("05-01"))
    found = occurrences(CAT, report)
    assert [o.spec for o in found] == occurrence_specs(CAT, YEAR)
    assert all(isinstance(o.status, TaskStatus) for o in found)


def test_status_words_are_the_specs():
    # Section 7: 已完成 · 进行中 · 未开始 · 即将到期 · 已逾期 · 已失分.
    assert [s.value for s in TaskStatus] == [
        "已完成",
        "进行中",
        "未开始",
        "即将到期",
        "已逾期",
        "已失分",
    ]


# --- statuses: 已完成 --------------------------------------------------------------------


def test_per_quarter_quarter_done_when_its_cap_is_earned():
    # per_quarter occurrence is done when the quarter's points are earned (SPEC ex. 2: Q1 cap 2).
    recs = [ev("3.1", m) for m in ("01-05", "01-06", "01-07")] + [ev("3.1", "05-01")]
    found = occs(recs, "06-15")
    q1 = pick(found, "3.1", "info", "03-31")
    assert q1.status == TaskStatus.DONE
    assert q1.at_stake == 0
    assert q1.records == 3


def test_per_quarter_quarter_done_before_its_end():
    # Done needs only the quarter's cap: 1.4 Q3 with one record on 08-01 is done on 08-05.
    found = occs([ev("1.4", "08-01")], "08-05")
    assert pick(found, "1.4", "study", "09-30").status == TaskStatus.DONE


def test_monthly_month_done_when_covered():
    # monthly occurrence is done when its month has a record (June covered before its end).
    recs = [
        ev("1.2", "04-30", "plan"),
        ev("1.2", "04-15", "monthly"),
        ev("1.2", "06-03", "monthly"),
    ]
    found = occs(recs, "06-20")
    assert pick(found, "1.2", "monthly", "04-30").status == TaskStatus.DONE
    assert pick(found, "1.2", "monthly", "06-30").status == TaskStatus.DONE


def test_monthly_month_covered_counts_while_the_gate_is_closed():
    # Section 5: under the 1.2 gate "months still count as covered or missing" → April done.
    recs = [ev("1.2", "04-30", "plan", channel="internal"), ev("1.2", "04-15", "monthly")]
    found = occs(recs, "05-10")
    assert pick(found, "1.2", "monthly", "04-30").status == TaskStatus.DONE


def test_single_done_when_component_has_full_points():
    # single occurrence is done when the component has its full points (1.1 group: flag).
    found = occs([ev("1.1", "03-01", "group")], "04-10")
    assert pick(found, "1.1", "group", "04-30").status == TaskStatus.DONE
    assert pick(found, "1.1", "group", "04-30").at_stake == 0


def test_single_per_item_done_only_at_full_points():
    # "others: the component's full points": 4.2 with 4 domains (8 points) is done.
    domains = ["道路客运", "道路货运", "公路施工", "港口"]
    found = occs([ev("4.2", "05-01", item=x) for x in domains], "06-01")
    occ = pick(found, "4.2", "evaluation", "09-30")
    assert occ.status == TaskStatus.DONE
    assert occ.at_stake == 0


def test_evidence_after_the_due_date_still_completes_the_occurrence():
    # "Deadlines never gate points": 1.1 group filed 05-05 (due 04-30) → done on 05-10.
    found = occs([ev("1.1", "05-05", "group")], "05-10")
    assert pick(found, "1.1", "group", "04-30").status == TaskStatus.DONE


def test_late_commitment_still_completes():
    # Deadlines never gate points: 4.1 (due 09-30) filed 10-15 with format_ok is done on 10-20.
    found = occs([ev("4.1", "10-15", format_ok=True)], "10-20")
    assert pick(found, "4.1", "commitment", "09-30").status == TaskStatus.DONE


# --- statuses: 进行中 / 未开始 --------------------------------------------------------------


def test_in_progress_with_some_evidence_not_done_not_near_due():
    # 进行中 = some evidence, not done: 5.1 with only the notice, due 11-30, as of 06-01.
    found = occs([ev("5.1", "05-20", kind="notice")], "06-01")
    occ = pick(found, "5.1", "campaign", "11-30")
    assert occ.status == TaskStatus.IN_PROGRESS
    assert occ.records == 1


def test_in_progress_with_evidence_that_does_not_qualify():
    # 进行中 = some evidence, not done: an internal 1.2 plan is evidence but earns nothing.
    found = occs([ev("1.2", "03-01", "plan", channel="internal")], "03-05")
    assert pick(found, "1.2", "plan", "04-30").status == TaskStatus.IN_PROGRESS


def test_per_quarter_in_progress_when_short_of_cap():
    # SPEC ex. 2: 3.1 Q2 has 1 of 2 on 06-15 (06-30 is 15 days away) → 进行中, 1 point at stake.
    recs = [ev("3.1", m) for m in ("01-05", "01-06", "01-07")] + [ev("3.1", "05-01")]
    occ = pick(occs(recs, "06-15"), "3.1", "info", "06-30")
    assert occ.status == TaskStatus.IN_PROGRESS
    assert occ.at_stake == 2


def test_not_started_without_evidence():
    # 未开始 = no evidence, not due within 14 days, not overdue: 5.1 as of 06-01.
    found = occs([], "06-01")
    assert pick(found, "5.1", "campaign", "11-30").status == TaskStatus.NOT_STARTED
    assert pick(found, "1.4", "study", "09-30").status == TaskStatus.NOT_STARTED


# --- statuses: 即将到期 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("04-30", TaskStatus.DUE_SOON),  # due on the as-of day itself
        ("04-16", TaskStatus.DUE_SOON),  # exactly 14 days ahead
        ("04-15", TaskStatus.NOT_STARTED),  # 15 days ahead
    ],
)
def test_due_soon_window_is_14_days_inclusive(as_of, expected):
    # 即将到期 = due within 14 days (catalog default) and not done; as-of day included.
    assert CAT.due_soon_days == 14
    assert pick(occs([], as_of), "1.1", "group", "04-30").status == expected


def test_due_soon_beats_in_progress():
    # 即将到期 applies to any not-done occurrence due within 14 days, evidence or not.
    found = occs([ev("5.1", "05-20", kind="notice")], "11-20")
    assert pick(found, "5.1", "campaign", "11-30").status == TaskStatus.DUE_SOON


def test_due_soon_for_an_uncovered_current_month():
    # The month is not completed until its end has passed (section 5) → June due soon on 06-20.
    recs = [
        ev("1.2", "04-30", "plan"),
        ev("1.2", "04-15", "monthly"),
        ev("1.2", "05-15", "monthly"),
    ]
    assert pick(occs(recs, "06-20"), "1.2", "monthly", "06-30").status == TaskStatus.DUE_SOON
    # ...and on the month's last day itself it is still due soon, not lost.
    assert pick(occs(recs, "06-30"), "1.2", "monthly", "06-30").status == TaskStatus.DUE_SOON


def test_due_soon_days_override():
    # "within 14 days (configurable)": due_soon_days widens or narrows the window.
    assert pick(occs([], "04-01"), "1.1", "group", "04-30").status == TaskStatus.NOT_STARTED
    wide = occs([], "04-01", due_soon_days=30)
    assert pick(wide, "1.1", "group", "04-30").status == TaskStatus.DUE_SOON
    narrow = occs([], "04-29", due_soon_days=0)
    assert pick(narrow, "1.1", "group", "04-30").status == TaskStatus.NOT_STARTED
    today = occs([], "04-30", due_soon_days=0)
    assert pick(today, "1.1", "group", "04-30").status == TaskStatus.DUE_SOON


# --- statuses: 已逾期 -----------------------------------------------------------------------


def test_overdue_single_without_evidence():
    # 已逾期 = due before as-of, not done, points not lost (nothing is lost before 31 Dec).
    occ = pick(occs([], "05-10"), "1.1", "group", "04-30")
    assert occ.status == TaskStatus.OVERDUE
    assert occ.at_stake == 2
    assert occ.open


def test_overdue_single_with_partial_evidence():
    # 已逾期 wins over 进行中: 4.2 has one domain, past 09-30, not the final view.
    occ = pick(occs([ev("4.2", "05-01", item="道路客运")], "10-15"), "4.2", "evaluation", "09-30")
    assert occ.status == TaskStatus.OVERDUE
    assert occ.at_stake == 12


def test_evidence_dated_after_as_of_does_not_count():
    # Section 2: evidence dated after as-of does not count → 1.1 group still 已逾期 on 05-10.
    found = occs([ev("1.1", "05-20", "group")], "05-10")
    assert pick(found, "1.1", "group", "04-30").status == TaskStatus.OVERDUE


def test_single_is_overdue_not_lost_on_30_december():
    # Single-deadline points are lost only in the final view (31 Dec); on 12-30 it is 已逾期.
    assert pick(occs([], "12-30"), "1.1", "group", "04-30").status == TaskStatus.OVERDUE


def test_quarterly_reminder_of_per_item_component_is_overdue_not_lost():
    # 4.4 Q1 (per_item, quarterly reminder) passed with no record: overdue, points not lost.
    assert pick(occs([], "05-10"), "4.4", "application", "03-31").status == TaskStatus.OVERDUE


# --- statuses: 已失分 -----------------------------------------------------------------------


def test_per_quarter_quarter_ended_short_is_lost():
    # SPEC ex. 2 as of 07-01: 3.1 Q2 ended with 1 of 2 → its point is lost (已失分).
    recs = [ev("3.1", m) for m in ("01-05", "01-06", "01-07")] + [ev("3.1", "05-01")]
    occ = pick(occs(recs, "07-01"), "3.1", "info", "06-30")
    assert occ.status == TaskStatus.LOST
    assert occ.at_stake == 2
    assert not occ.open


def test_per_quarter_empty_quarter_lost_and_later_quarters_open():
    # SPEC ex. 1: 1.4 on 02-10 and 02-20, none in Q2, as of 07-15 → Q1 done, Q2 lost.
    found = occs([ev("1.4", "02-10"), ev("1.4", "02-20")], "07-15")
    assert pick(found, "1.4", "study", "03-31").status == TaskStatus.DONE
    q2 = pick(found, "1.4", "study", "06-30")
    assert q2.status == TaskStatus.LOST
    assert q2.at_stake == 2
    assert pick(found, "1.4", "study", "09-30").status == TaskStatus.NOT_STARTED
    assert pick(found, "1.4", "study", "12-31").status == TaskStatus.NOT_STARTED


def test_no_late_filing_for_3_1():
    # "不允许补报": a 07-01 report counts in Q3 only, so Q2 (1 of 2) is still lost.
    found = occs([ev("3.1", "05-01"), ev("3.1", "07-01")], "07-05")
    assert pick(found, "3.1", "info", "06-30").status == TaskStatus.LOST
    assert pick(found, "3.1", "info", "09-30").status == TaskStatus.IN_PROGRESS


def test_monthly_month_ended_uncovered_is_lost():
    # monthly: a completed month (month end < as-of) with no record is lost.
    recs = [ev("1.2", "04-30", "plan"), ev("1.2", "04-15", "monthly")]
    found = occs(recs, "06-10")
    assert pick(found, "1.2", "monthly", "04-30").status == TaskStatus.DONE
    may = pick(found, "1.2", "monthly", "05-31")
    assert may.status == TaskStatus.LOST
    assert pick(found, "1.2", "monthly", "07-31").status == TaskStatus.NOT_STARTED


def test_final_view_single_not_done_is_lost():
    # Final view (31 Dec): every unearned point is lost → a single not done is 已失分.
    recs = [ev("1.3", "03-01"), ev("4.2", "05-01", item="道路客运")]
    found = occs(recs, "12-31")
    assert pick(found, "1.1", "group", "04-30").status == TaskStatus.LOST
    assert pick(found, "1.3", "plan", "04-30").status == TaskStatus.DONE
    evaluation = pick(found, "4.2", "evaluation", "09-30")
    assert evaluation.status == TaskStatus.LOST
    assert evaluation.at_stake == 12


def test_final_view_counts_december_and_q4_as_ended():
    # Final view: December and Q4 count as ended, so their empty occurrences are lost.
    found = occs([], "12-31")
    assert pick(found, "1.2", "monthly", "12-31").status == TaskStatus.LOST
    assert pick(found, "1.4", "study", "12-31").status == TaskStatus.LOST
    assert pick(found, "3.1", "info", "12-31").status == TaskStatus.LOST
    covered = occs([ev("1.2", "12-10", "monthly"), ev("1.4", "11-11")], "12-31")
    assert pick(covered, "1.2", "monthly", "12-31").status == TaskStatus.DONE
    assert pick(covered, "1.4", "study", "12-31").status == TaskStatus.DONE


def test_as_of_after_the_year_is_the_final_view():
    # Section 2: after 31 Dec Y, as-of is 31 Dec Y → the final view, singles not done lost.
    found = occs([], "2025-03-01")
    assert pick(found, "1.1", "group", "04-30").status == TaskStatus.LOST
    assert not with_status(found, TaskStatus.OVERDUE, TaskStatus.DUE_SOON)


# --- suggested occurrences, planned records -----------------------------------------------


def test_suggested_occurrence_is_never_overdue():
    # A suggested date is advisory: past it, not done, it is not 已逾期 (a real deadline is).
    found = occs([], "07-15")
    suggested = pick(found, "5.4", "activity", "06-30")
    assert suggested.spec.kind == "suggested"
    assert suggested.status != TaskStatus.OVERDUE
    assert suggested.status == TaskStatus.NOT_STARTED
    assert pick(found, "5.3", "article", "06-30").status == TaskStatus.OVERDUE
    later = occs([], "10-15")
    for due in ("06-30", "09-30"):
        assert pick(later, "5.4", "activity", due).status != TaskStatus.OVERDUE


def test_suggested_second_round_of_2_2_is_never_overdue():
    # 2.2's 12-31 second round is optional: never 已逾期 (it can only be due soon before 31 Dec).
    for as_of in ("07-15", "12-20", "12-30"):
        occ = pick(occs([], as_of), "2.2", "mechanism", "12-31")
        assert occ.status != TaskStatus.OVERDUE


def test_planned_record_is_shown_but_does_not_complete():
    # A planned record never counts in earned, so 1.1 group stays 已逾期; it shows as planned.
    plan = ev("1.1", "04-20", "group", status="planned")
    found = occs([plan], "05-10")
    occ = pick(found, "1.1", "group", "04-30")
    assert occ.planned == 1
    assert occ.status == TaskStatus.OVERDUE
    assert occ.records == 0


def test_planned_record_in_a_quarter_does_not_complete_it():
    # A planned 1.4 record in Q1 earns nothing: Q1 is not done (已失分 once Q1 has ended).
    plan = ev("1.4", "02-10", status="planned")
    assert pick(occs([plan], "02-15"), "1.4", "study", "03-31").status != TaskStatus.DONE
    q1 = pick(occs([plan], "04-10"), "1.4", "study", "03-31")
    assert q1.planned == 1
    assert q1.status == TaskStatus.LOST


# --- at_stake (halves) ------------------------------------------------------------------------


def test_at_stake_per_quarter_is_quarter_cap_minus_quarter_earned():
    # per_quarter: what the quarter can still win = quarter_cap − earned that quarter (halves).
    cap = CAT.by_code["3.1"].component("info").quarter_cap
    assert cap == 4
    found = occs([ev("3.1", "04-10")], "05-01")
    assert pick(found, "3.1", "info", "06-30").at_stake == cap - 2
    assert pick(found, "3.1", "info", "09-30").at_stake == cap
    one = occs([ev("1.4", "04-10")], "05-01")
    assert pick(one, "1.4", "study", "06-30").at_stake == 0
    assert pick(one, "1.4", "study", "09-30").at_stake == 2


def test_at_stake_single_is_max_minus_earned_in_halves():
    # Others: at stake = component max − earned; halves keep 0.5 exact.
    recs = [ev("4.4", "02-01", item=x) for x in ("道路客运", "公路施工", "港口")]
    occ = pick(occs(recs, "06-01"), "4.4", "application", "11-30")
    assert occ.at_stake == 1  # 2 − 1.5 = 0.5 point
    case = pick(occs([ev("5.3", "03-01", "case", item="企业")], "06-01"), "5.3", "case", "11-30")
    assert case.at_stake == 1  # 1 − 0.5
    # (with its 领导小组: the 专班 counts only under one, SPEC 5 second reading)
    staffed = [ev("1.1", "02-01", "group"), ev("1.1", "03-01", "office", quantity=1)]
    office = pick(occs(staffed, "04-01"), "1.1", "office", "04-30")
    assert office.at_stake == 2  # staff 1 of 2 → 1 point still to win


# --- helper queries ---------------------------------------------------------------------------


def test_between_is_inclusive():
    # Section 9 deadlines --from/--to: occurrences due from start to end inclusive.
    found = occs([], "03-01")
    april = between(found, d("04-01"), d("04-30"))
    assert {(o.spec.indicator, o.spec.component) for o in april} == {
        ("1.1", "group"),
        ("1.1", "office"),
        ("1.2", "plan"),
        ("1.2", "monthly"),
        ("1.3", "plan"),
    }
    quarter_end = between(found, d("03-31"), d("03-31"))
    assert {o.spec.indicator for o in quarter_end} == {"1.4", "2.1", "3.1", "3.2", "4.4"}
    assert between(found, d("01-01"), d("03-30")) == []
    assert len(between(found, d("01-01"), d("12-31"))) == len(found)


def test_for_department():
    # Task list by department: the components it shares (客运科 shares 4.2 but not 1.1).
    found = occs([], "03-01")
    keyun = {(o.spec.indicator, o.spec.component) for o in for_department(found, "客运科")}
    assert ("4.2", "evaluation") in keyun
    assert ("1.1", "group") not in keyun
    safety = {o.spec.indicator for o in for_department(found, "安全监督科")}
    assert safety == {"4.2", "4.3"}
    assert for_department(found, "不存在的科") == []


def test_with_status():
    # Filters by the section 7 statuses.
    found = occs([ev("1.1", "03-01", "group")], "05-10")
    overdue = with_status(found, TaskStatus.OVERDUE)
    assert overdue and all(o.status == TaskStatus.OVERDUE for o in overdue)
    assert ("1.1", "office") in {(o.spec.indicator, o.spec.component) for o in overdue}
    done = with_status(found, TaskStatus.DONE)
    assert ("1.1", "group") in {(o.spec.indicator, o.spec.component) for o in done}
    both = with_status(found, TaskStatus.DONE, TaskStatus.OVERDUE)
    assert len(both) == len(done) + len(overdue)
    assert with_status(found) == []


def test_next_due():
    # The component's first open occurrence: done and lost ones are skipped, overdue comes first.
    found = occs([ev("1.4", "02-10")], "07-15")
    nxt = next_due(found, "1.4", "study")
    assert nxt is not None and nxt.due == d("09-30")
    overdue = next_due(occs([], "05-10"), "1.1", "group")
    assert overdue is not None and overdue.status == TaskStatus.OVERDUE
    assert next_due(occs([ev("1.1", "03-01", "group")], "05-10"), "1.1", "group") is None
    assert next_due(occs([], "12-31"), "1.1", "group") is None


def test_worst():
    # Worst first: 已失分 > 已逾期 > 即将到期 > 进行中 > 未开始 > 已完成.
    assert STATUS_ORDER[0] == TaskStatus.LOST and STATUS_ORDER[-1] == TaskStatus.DONE
    assert worst([TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.LOST]) == TaskStatus.LOST
    assert worst([TaskStatus.DONE, TaskStatus.NOT_STARTED]) == TaskStatus.NOT_STARTED
    assert worst([TaskStatus.DUE_SOON, TaskStatus.OVERDUE]) == TaskStatus.OVERDUE
    assert worst([TaskStatus.IN_PROGRESS, TaskStatus.DUE_SOON]) == TaskStatus.DUE_SOON
    assert worst([TaskStatus.DONE]) == TaskStatus.DONE
    assert worst([]) is None
    # 办公室 on 03-20: nothing has passed yet, the Q1 studies are due on 03-31 → 即将到期.
    march = for_department(occs([], "03-20"), "办公室")
    assert worst(o.status for o in march) == TaskStatus.DUE_SOON
    # On 05-10 its Q1 quarters ended empty → 已失分 beats the overdue 1.1.
    may = for_department(occs([], "05-10"), "办公室")
    assert worst(o.status for o in may) == TaskStatus.LOST


def test_a_quarterly_reminder_is_done_by_activity_but_the_last_needs_full_points():
    # Interpretation (catalog 评分口径 of 3.2): "每季度至少 1 次" asks for one submission in the
    # quarter, so one dataset on 02-01 completes the Q1 reminder; the 12-31 deadline asks for
    # all 4 points, so at the final view it is 已失分 (1 of 4 datasets → 3 points lost).
    rec = ev("3.2", "02-01", item="出租车信用数据")
    found = occs([rec], "12-31")
    assert pick(found, "3.2", "dataset", "03-31").status == TaskStatus.DONE
    assert pick(found, "3.2", "dataset", "12-31").status == TaskStatus.LOST
