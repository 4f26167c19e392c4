"""Hand-computed scores for every indicator 1.1 … 7.3 (SPEC.md sections 2, 5, 6).

All scores are integer halves: 1 point == 2 (``pts(1.5) == 3``).
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from credit_tui.scoring import Scorer, load_catalog, make_evidence, score

cat = load_catalog()
YEAR = 2024
_seq = itertools.count(1)
SHA_A = "a" * 64
SHA_B = "b" * 64


def pts(x: float) -> int:
    """Points as halves: pts(1.5) == 3."""
    return int(x * 2)


def day(text: str) -> date:
    """``"07-15"`` → 2024-07-15; a full ISO date is taken as is."""
    return date.fromisoformat(text if len(text) == 10 else f"{YEAR}-{text}")


def ev(code: str, when: str, title: str | None = None, *, attachments=(), **fields: object):
    """A record of indicator ``code``; the title is unique unless given."""
    data = {
        "indicator": code,
        "date": day(when).isoformat(),
        "title": title or f"记录{next(_seq)}",
    }
    data.update(fields)
    return make_evidence(cat, data, attachments=tuple(attachments))


def run(records, as_of: str = "12-31", *, projected: bool = False):
    return score(cat, records, year=YEAR, as_of=day(as_of), projected=projected)


def has_warning(report, *words: str) -> bool:
    return any(all(w in text for w in words) for text in report.all_warnings())


# --- 1.1 领导小组 (flag 1) + 专班 (staff, cap 2) ---------------------------------------


def test_1_1_group_flag_and_office_two_people():
    # group: one record → 1; office: quantity 2 → min(2, 2) = 2; indicator 3
    records = [
        ev("1.1", "03-01", component="group"),
        ev("1.1", "03-05", component="office", quantity=2),
    ]
    report = run(records, "07-15")
    assert report.component("1.1", "group").earned == pts(1)
    assert report.component("1.1", "office").earned == pts(2)
    assert report.indicator("1.1").earned == pts(3)
    assert report.indicator("1.1").lost == pts(0)


def test_1_1_office_latest_date_wins_even_when_smaller():
    # 01-10 quantity 3, then 03-01 quantity 1 → latest (1 person) counts → 1 point
    # (a group record: the 专班 counts only under a 领导小组, SPEC 5 second reading)
    records = [
        ev("1.1", "01-05", component="group"),
        ev("1.1", "01-10", component="office", quantity=3),
        ev("1.1", "03-01", component="office", quantity=1),
    ]
    assert run(records, "07-15").component("1.1", "office").earned == pts(1)


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_1_1_office_same_date_largest_quantity_whatever_the_order(order):
    # two records on the latest date, quantities 1 and 2 → the largest (2) → 2 points
    pair = [
        ev("1.1", "04-01", component="office", quantity=1),
        ev("1.1", "04-01", component="office", quantity=2),
    ]
    records = [ev("1.1", "01-05", component="group")]  # the 专班 needs its 领导小组
    records += [ev("1.1", "02-01", component="office", quantity=0)] + [pair[i] for i in order]
    assert run(records, "07-15").component("1.1", "office").earned == pts(2)


def test_1_1_office_zero_people_and_final_view():
    # quantity 0 qualifies (≥ 0) but gives min(0, 2) = 0; before 12-31 nothing is lost
    group = ev("1.1", "01-05", component="group")
    records = [group, ev("1.1", "04-01", component="office", quantity=0)]
    assert run(records, "07-15").component("1.1", "office").earned == pts(0)
    assert run(records, "07-15").component("1.1", "office").lost == pts(0)
    # final view with 1 person and a group: office earned min(1, 2) = 1, the missing 1 lost
    report = run([group, ev("1.1", "04-01", component="office", quantity=1)], "12-31")
    assert report.component("1.1", "office").earned == pts(1)
    assert report.component("1.1", "office").lost == pts(1)
    assert report.indicator("1.1").potential == pts(2)  # group 1 + office 1
    # final view with 1 person and no group: the group's 1 is lost, and the office is
    # gated (second reading) → office 0 earned, all 2 lost; potential 3 − 1 − 2 = 0
    report = run([ev("1.1", "04-01", component="office", quantity=1)], "12-31")
    assert report.component("1.1", "office").earned == pts(0)
    assert report.component("1.1", "office").lost == pts(2)
    assert report.component("1.1", "group").lost == pts(1)
    assert report.indicator("1.1").potential == pts(0)


# --- 1.2 方案 (flag 2, gov_site, gate) + 月度台账 (monthly from April, 2) -------------


def test_1_2_gate_open_plan_and_months_covered():
    # plan on gov_site → 2; April–June completed by 07-15 and each has a record → 2; total 4
    records = [
        ev("1.2", "04-10", component="plan", channel="gov_site"),
        ev("1.2", "04-25", component="monthly"),
        ev("1.2", "05-25", component="monthly"),
        ev("1.2", "06-25", component="monthly"),
    ]
    report = run(records, "07-15")
    assert report.component("1.2", "plan").earned == pts(2)
    assert report.component("1.2", "monthly").earned == pts(2)
    assert report.indicator("1.2").lost == pts(0)


def test_1_2_gate_closed_without_gov_site_plan():
    # plan only internal → gate closed: both components earn 0, with a reason shown;
    # months April–June covered → nothing lost
    records = [
        ev("1.2", "04-10", component="plan", channel="internal"),
        ev("1.2", "04-25", component="monthly"),
        ev("1.2", "05-25", component="monthly"),
        ev("1.2", "06-25", component="monthly"),
    ]
    report = run(records, "07-15")
    assert report.component("1.2", "plan").earned == pts(0)
    assert report.component("1.2", "monthly").earned == pts(0)
    assert report.indicator("1.2").lost == pts(0)
    assert any("政府网站" in r for r in report.component("1.2", "monthly").reasons)
    assert any("政府网站" in r for r in report.component("1.2", "plan").reasons)


def test_1_2_gate_closed_missing_month_still_lost():
    # no plan at all (gate closed); April covered, May missing, as of 07-15 (Apr–Jun done)
    # → monthly lost 2 even though the gate withholds earned points; plan lost 0 before 12-31
    records = [ev("1.2", "04-25", component="monthly"), ev("1.2", "06-25", component="monthly")]
    report = run(records, "07-15")
    assert report.component("1.2", "monthly").earned == pts(0)
    assert report.component("1.2", "monthly").lost == pts(2)
    assert report.component("1.2", "plan").lost == pts(0)
    assert report.indicator("1.2").potential == pts(2)


def test_1_2_missing_month_lost_with_gate_open():
    # plan on gov_site (2); May missing by 07-15 → monthly earns 0, loses its 2
    records = [
        ev("1.2", "04-10", component="plan", channel="gov_site"),
        ev("1.2", "04-25", component="monthly"),
        ev("1.2", "06-25", component="monthly"),
    ]
    report = run(records, "07-15")
    assert report.indicator("1.2").earned == pts(2)
    assert report.component("1.2", "monthly").lost == pts(2)


def test_1_2_months_before_april_do_not_count():
    # a March record does not cover April; as of 05-01 April is completed and missing → lost 2
    records = [
        ev("1.2", "03-10", component="plan", channel="gov_site"),
        ev("1.2", "03-25", component="monthly"),
    ]
    report = run(records, "05-01")
    assert report.component("1.2", "monthly").earned == pts(0)
    assert report.component("1.2", "monthly").lost == pts(2)


def test_1_2_no_completed_month_yet():
    # as of 04-30 April has not ended (month end 04-30 is not < as-of): monthly 0 earned, 0 lost
    records = [ev("1.2", "04-10", component="plan", channel="gov_site")]
    report = run(records, "04-30")
    assert report.component("1.2", "plan").earned == pts(2)
    assert report.component("1.2", "monthly").earned == pts(0)
    assert report.component("1.2", "monthly").lost == pts(0)


def test_1_2_late_plan_still_opens_gate():
    # deadlines never gate points: plan published 08-01 (due 04-30) still counts;
    # April–August covered as of 09-01 → 2 + 2 = 4
    records = [ev("1.2", "08-01", component="plan", channel="gov_site")]
    records += [ev("1.2", f"{m:02d}-15", component="monthly") for m in range(4, 9)]
    assert run(records, "09-01").indicator("1.2").earned == pts(4)


def test_1_2_plan_after_as_of_keeps_gate_closed():
    # the gov_site plan is dated 08-01, after as-of 07-15 → not counted (warned), gate closed:
    # April–June covered → earned 0, lost 0
    records = [ev("1.2", "08-01", component="plan", channel="gov_site")]
    records += [ev("1.2", f"{m:02d}-15", component="monthly") for m in range(4, 7)]
    report = run(records, "07-15")
    assert report.indicator("1.2").earned == pts(0)
    assert report.indicator("1.2").lost == pts(0)
    assert has_warning(report, "晚于")


def test_1_2_final_view_december_counts():
    # Apr–Nov covered: as of 12-30 December has not ended → 2 + 2 = 4 earned
    records = [ev("1.2", "04-10", component="plan", channel="gov_site")]
    records += [ev("1.2", f"{m:02d}-15", component="monthly") for m in range(4, 12)]
    assert run(records, "12-30").indicator("1.2").earned == pts(4)
    # as of 12-31 (final view) December counts as ended and is missing → monthly lost 2
    final = run(records, "12-31")
    assert final.component("1.2", "monthly").earned == pts(0)
    assert final.component("1.2", "monthly").lost == pts(2)
    # with a December record everything is earned
    full = run([*records, ev("1.2", "12-20", component="monthly")], "12-31")
    assert full.indicator("1.2").earned == pts(4)
    assert full.indicator("1.2").lost == pts(0)


def test_1_2_gate_closed_final_view_all_lost():
    # final view, plan internal, all months covered → gate: earned 0; every point lost (4)
    records = [ev("1.2", "04-10", component="plan", channel="internal")]
    records += [ev("1.2", f"{m:02d}-15", component="monthly") for m in range(4, 13)]
    report = run(records, "12-31")
    assert report.indicator("1.2").earned == pts(0)
    assert report.indicator("1.2").lost == pts(4)


# --- 1.3 年度工作要点 (flag 2) -----------------------------------------------------


def test_1_3_flag():
    # one record → 2; none before 12-31 → 0 earned, 0 lost; none at 12-31 → lost 2
    assert run([ev("1.3", "05-10")], "07-15").indicator("1.3").earned == pts(2)
    assert run([], "07-15").indicator("1.3").lost == pts(0)
    assert run([], "12-31").indicator("1.3").lost == pts(2)


# --- 1.4 季度研究 (per_quarter each 1, cap 1, not a 6.1 duplicate) -------------------


def test_1_4_quarter_cap_and_lost_quarters():
    # Q1: 2 records → cap 1; Q2: none; Q3: 1 → 1; as of 10-01 (Q1–Q3 ended):
    # earned 2, lost 1 (Q2), potential = min(4, 2 + 1 × 1 open quarter) = 3
    records = [ev("1.4", "01-10"), ev("1.4", "03-10"), ev("1.4", "08-10")]
    ind = run(records, "10-01").indicator("1.4")
    assert (ind.earned, ind.lost, ind.potential) == (pts(2), pts(1), pts(3))


def test_1_4_quarter_not_ended_on_its_last_day():
    # as of 03-31 Q1 has not ended before as-of → nothing lost; as of 04-01 → Q1 lost 1
    assert run([], "03-31").indicator("1.4").lost == pts(0)
    assert run([], "04-01").indicator("1.4").lost == pts(1)


def test_1_4_duplicate_of_6_1_same_date_and_title():
    # the 02-15 1.4 record has the same date and title (trimmed, case-folded) as a 6.1 record
    # filed by another department → excluded; the 05-15 one (different date) counts
    records = [
        ev("6.1", "02-15", "Credit Study 信用专题学习", component="study", department="办公室"),
        ev("1.4", "02-15", "credit study 信用专题学习  ", department="法规科"),
        ev("1.4", "05-15", "Credit Study 信用专题学习"),
    ]
    report = run(records, "07-15")
    # Q1: only record is a duplicate → 0 (lost 1); Q2: 05-15 differs in date → 1
    assert report.indicator("1.4").earned == pts(1)
    assert report.indicator("1.4").lost == pts(1)


def test_1_4_duplicate_of_6_1_shared_attachment():
    # different title and date but the same attachment SHA-256 → excluded; Q1 earns 0
    records = [
        ev("6.1", "01-20", "省厅培训", component="provincial_training", attachments=[SHA_A]),
        ev("1.4", "02-20", "领导小组研究", attachments=[SHA_B, SHA_A]),
    ]
    assert run(records, "07-15").indicator("1.4").earned == pts(0)
    # a different attachment → not a duplicate → Q1 earns 1
    records[1] = ev("1.4", "02-20", "领导小组研究", attachments=[SHA_B])
    assert run(records, "07-15").indicator("1.4").earned == pts(1)


def test_1_4_same_title_different_date_is_not_duplicate():
    # same title, different date, no shared attachment → counts: Q1 → 1
    records = [
        ev("6.1", "01-20", "专题学习", component="study"),
        ev("1.4", "01-21", "专题学习"),
    ]
    assert run(records, "07-15").indicator("1.4").earned == pts(1)


def test_1_4_duplicate_recomputed_when_6_1_record_added():
    # Scorer: 1.4 counts 1 until the matching 6.1 record arrives, then 0
    study = ev("1.4", "03-01", "学习会")
    scorer = Scorer(cat, YEAR, day("07-15"), [study])
    assert scorer.report.indicator("1.4").earned == pts(1)
    after = scorer.add(ev("6.1", "03-01", "学习会", component="study"))
    assert after.indicator("1.4").earned == pts(0)


# --- 2.1 与市局季度共同研究 (per_quarter each 1, cap 1) -------------------------------


def test_2_1_per_quarter():
    # Q1 1, Q2 0, Q3 2 → 1 (cap); as of 10-01: earned 2, lost 1 (Q2), potential 3
    records = [ev("2.1", "02-01"), ev("2.1", "07-01"), ev("2.1", "09-01")]
    ind = run(records, "10-01").indicator("2.1")
    assert (ind.earned, ind.lost, ind.potential) == (pts(2), pts(1), pts(3))


def test_2_1_final_view_q4_counts_as_ended():
    # records in Q1–Q3 only: as of 12-31 Q4 has ended empty → lost 1, earned 3
    records = [ev("2.1", "02-01"), ev("2.1", "05-01"), ev("2.1", "08-01")]
    ind = run(records, "12-31").indicator("2.1")
    assert (ind.earned, ind.lost) == (pts(3), pts(1))
    # as of 12-30 Q4 is still open → lost 0
    assert run(records, "12-30").indicator("2.1").lost == pts(0)


# --- 2.2 协调机制 (item_set {信用牵头部门, 行政审批部门, 宣传部门}, 1) ------------------


def test_2_2_item_set_complete():
    # all three partners (one twice) → 1
    records = [
        ev("2.2", "03-01", item="信用牵头部门"),
        ev("2.2", "04-01", item="行政审批部门"),
        ev("2.2", "05-01", item="宣传部门"),
        ev("2.2", "11-01", item="宣传部门"),
    ]
    assert run(records, "12-31").indicator("2.2").earned == pts(1)


def test_2_2_item_set_incomplete():
    # two of three partners → 0; before 12-31 lost 0, at 12-31 lost 1
    records = [ev("2.2", "03-01", item="信用牵头部门"), ev("2.2", "04-01", item="宣传部门")]
    assert run(records, "07-15").indicator("2.2").earned == pts(0)
    assert run(records, "07-15").indicator("2.2").lost == pts(0)
    assert run(records, "12-31").indicator("2.2").lost == pts(1)


# --- 3.1 信用工作信息 (per_quarter each 1, cap 2, credit_site, not a 5.3 duplicate) ---


def test_3_1_cap_and_no_late_filing():
    # Q1: 3 reports → cap 2 (the surplus does not move to Q2); Q2: 1 → 1; as of 07-01:
    # earned 3, lost 1 (Q2 short by one), potential = min(8, 3 + 2 × 2 open) = 7
    records = [
        ev("3.1", "01-10"),
        ev("3.1", "02-10"),
        ev("3.1", "03-05"),
        ev("3.1", "04-10"),
    ]
    ind = run(records, "07-01").indicator("3.1")
    assert (ind.earned, ind.lost, ind.potential) == (pts(3), pts(1), pts(7))


def test_3_1_report_counts_in_its_own_quarter():
    # Q1: 03-10 → 1; a report dated 04-02 (filed late for Q1) counts in Q2, not Q1;
    # as of 07-01: Q1 1 (short 1), Q2 1 (short 1) → earned 2, lost 2
    report = run([ev("3.1", "03-10"), ev("3.1", "04-02")], "07-01")
    assert report.component("3.1", "info").quarter_earned[:2] == (pts(1), pts(1))
    assert (report.indicator("3.1").earned, report.indicator("3.1").lost) == (pts(2), pts(2))


def test_3_1_channel_must_be_credit_site():
    # default channel credit_site counts; media and internal do not → Q1 earns 1
    records = [
        ev("3.1", "01-10"),
        ev("3.1", "02-10", channel="media"),
        ev("3.1", "02-11", channel="internal"),
    ]
    assert run(records, "03-01").indicator("3.1").earned == pts(1)


def test_3_1_final_view():
    # 2 per quarter in Q1–Q3, 1 in Q4 → 2+2+2+1 = 7 earned; final view loses Q4's missing 1
    dates = ["01-10", "02-10", "04-10", "05-10", "07-10", "08-10", "10-10"]
    ind = run([ev("3.1", d) for d in dates], "12-31").indicator("3.1")
    assert (ind.earned, ind.lost) == (pts(7), pts(1))


def test_3_1_duplicate_of_5_3_same_date_title():
    # 3.1 same date + title (case-folded) as a 5.3 article → excluded, even though the 5.3
    # record is internal and earns nothing there; Q1 keeps only the other report → 1
    records = [
        ev("5.3", "02-01", "Leader Talk 一把手谈信用", component="article", channel="internal"),
        ev("3.1", "02-01", "leader talk 一把手谈信用"),
        ev("3.1", "02-05", "信用工作动态"),
    ]
    report = run(records, "03-01")
    assert report.component("5.3", "article").earned == pts(0)
    assert report.indicator("3.1").earned == pts(1)


def test_3_1_duplicate_of_5_3_shared_attachment():
    # a 5.3 case record sharing an attachment with a 3.1 report → the report is excluded → 0
    records = [
        ev("5.3", "03-01", "诚信企业案例", component="case", item="企业", attachments=[SHA_A]),
        ev("3.1", "02-10", "行业信用信息", attachments=[SHA_A]),
    ]
    assert run(records, "03-15").indicator("3.1").earned == pts(0)


def test_3_1_quarter_end_warning():
    # Q1 counted reports on 03-22 and 03-31 — all in the last 10 days (03-22…03-31) → warn
    report = run([ev("3.1", "03-22"), ev("3.1", "03-31")], "07-15")
    assert report.indicator("3.1").earned == pts(2)
    assert has_warning(report, "第一季度", "尽量不集中季度末最后推送")


def test_3_1_no_quarter_end_warning_when_one_report_is_earlier():
    # 03-21 is the 11th day from the end → not all in the last 10 days → no warning
    report = run([ev("3.1", "03-21"), ev("3.1", "03-30")], "07-15")
    assert not has_warning(report, "尽量不集中季度末最后推送")


def test_3_1_quarter_end_warning_counts_only_counted_reports():
    # the early 03-01 report is a media one (not counted); the only counted one is 03-25 → warn
    # Q2's counted reports (05-01, 06-25) are not all at the end → no Q2 warning
    records = [
        ev("3.1", "03-01", channel="media"),
        ev("3.1", "03-25"),
        ev("3.1", "05-01"),
        ev("3.1", "06-25"),
    ]
    report = run(records, "07-15")
    assert has_warning(report, "第一季度", "尽量不集中季度末最后推送")
    assert not has_warning(report, "第二季度", "尽量不集中季度末最后推送")


# --- 3.2 归集共享信用数据 (per_item each 1, cap 4, credit_site; evaluation flags) -------


def test_3_2_distinct_datasets_trimmed_casefolded_and_capped():
    # "Taxi Data" / " taxi data " are one item; 维修, 驾培, 公交, 网约车 → 5 distinct → cap 4
    records = [
        ev("3.2", "02-01", item="Taxi Data"),
        ev("3.2", "03-01", item=" taxi data "),
        ev("3.2", "04-01", item="维修数据"),
    ]
    assert run(records, "07-15").indicator("3.2").earned == pts(2)
    records += [ev("3.2", "05-01", item=name) for name in ("驾培数据", "公交数据", "网约车数据")]
    assert run(records, "07-15").indicator("3.2").earned == pts(4)


def test_3_2_channel_must_be_credit_site():
    # internal → 0
    records = [ev("3.2", "02-01", item="维修数据", channel="internal")]
    assert run(records, "07-15").indicator("3.2").earned == pts(0)


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({"evaluation_data": "no"}, 1),  # not evaluation data → no further condition → 1
        ({"evaluation_data": "yes"}, 0),  # evaluation data, neither flag → 0
        ({"evaluation_data": "yes", "publicized": "yes"}, 0),  # format_ok missing → 0
        ({"evaluation_data": "yes", "format_ok": "yes"}, 0),  # publicized missing → 0
        ({"evaluation_data": "yes", "publicized": "yes", "format_ok": "yes"}, 1),  # both → 1
    ],
)
def test_3_2_evaluation_data_needs_publicized_and_format_ok(flags, expected):
    records = [ev("3.2", "02-01", item="维修信用评价", **flags)]
    assert run(records, "07-15").indicator("3.2").earned == pts(expected)


# --- 4.1 信用承诺 (flag 2, format_ok) ---------------------------------------------


def test_4_1_format_ok_required():
    # format_ok no → 0; yes → 2 (even dated after the 09-30 due date)
    assert run([ev("4.1", "05-01")], "07-15").indicator("4.1").earned == pts(0)
    late = [ev("4.1", "10-15", format_ok="yes")]
    assert run(late, "11-01").indicator("4.1").earned == pts(2)


def test_4_1_final_view_lost():
    # only a non-conforming upload by 12-31 → 0 earned, 2 lost
    ind = run([ev("4.1", "05-01", format_ok="no")], "12-31").indicator("4.1")
    assert (ind.earned, ind.lost) == (pts(0), pts(2))


# --- 4.2 信用评价 (per_item domain each 2, cap 8, gov_site) ----------------------------


def test_4_2_domains_capped_at_8():
    # 5 distinct domains on gov_site → 5 × 2 = 10 → cap 8
    domains = ["道路客运", "道路货运", "机动车维修", "公路施工", "港口"]
    records = [ev("4.2", "05-01", item=d) for d in domains]
    assert run(records, "07-15").indicator("4.2").earned == pts(8)


def test_4_2_not_on_gov_site_does_not_count_and_final_view():
    # gov_site 道路客运 → 2; media 道路货运 → 0; at 12-31 the other 6 are lost
    records = [
        ev("4.2", "05-01", item="道路客运"),
        ev("4.2", "05-02", item="道路货运", channel="media"),
    ]
    ind = run(records, "12-31").indicator("4.2")
    assert (ind.earned, ind.lost) == (pts(2), pts(6))


# --- 4.3 分级分类监管 (per_item domain each 2, cap 8, gov_site; warn without 4.2) ------


def test_4_3_with_matching_4_2_no_warning():
    # 4.3 道路客运 on gov_site with a 4.2 record for 道路客运 → 2, no warning
    records = [ev("4.2", "05-01", item="道路客运"), ev("4.3", "06-01", item="道路客运")]
    report = run(records, "07-15")
    assert report.indicator("4.3").earned == pts(2)
    assert not any("道路客运" in w for w in report.indicator("4.3").warnings)


def test_4_3_without_4_2_counts_but_warns():
    # 4.3 道路货运 with no 4.2 record for 道路货运 → still 2, plus a warning naming it;
    # 4.3 港口 internal → not counted
    records = [
        ev("4.2", "05-01", item="道路客运"),
        ev("4.3", "06-01", item="道路货运"),
        ev("4.3", "06-02", item="港口", channel="internal"),
    ]
    report = run(records, "07-15")
    assert report.indicator("4.3").earned == pts(2)
    assert has_warning(report, "道路货运")


def test_4_3_cap():
    # 5 domains → 10 → cap 8
    domains = ["道路客运", "道路货运", "机动车维修", "公路施工", "港口"]
    records = [ev("4.3", "06-01", item=d) for d in domains]
    assert run(records, "11-01").indicator("4.3").earned == pts(8)


# --- 4.4 信用结果应用 (per_item domain each 0.5, cap 2) --------------------------------


def test_4_4_half_points_and_cap():
    # 道路客运 twice + 公路施工 → 2 distinct × 0.5 = 1
    records = [
        ev("4.4", "02-01", item="道路客运"),
        ev("4.4", "03-01", item="道路客运"),
        ev("4.4", "04-01", item="公路施工"),
    ]
    assert run(records, "07-15").indicator("4.4").earned == pts(1)
    # + 港口, 航道, 水路客运 → 5 distinct × 0.5 = 2.5 → cap 2
    records += [ev("4.4", "05-01", item=d) for d in ("港口", "航道", "水路客运")]
    assert run(records, "07-15").indicator("4.4").earned == pts(2)


def test_4_4_final_view_lost_half():
    # 3 domains → 1.5 earned; final view: 0.5 lost
    records = [ev("4.4", "02-01", item=d) for d in ("道路客运", "公路施工", "港口")]
    ind = run(records, "12-31").indicator("4.4")
    assert (ind.earned, ind.lost) == (pts(1.5), pts(0.5))


# --- 4.5 信用修复 (per_item case each 1, cap 5, bonus) ---------------------------------


def test_4_5_distinct_cases_and_cap():
    # "ABC运输公司" and " abc运输公司 " are one case; + 4 others → 5 distinct → 5
    records = [ev("4.5", "03-01", item="ABC运输公司"), ev("4.5", "03-02", item=" abc运输公司 ")]
    assert run(records, "07-15").indicator("4.5").earned == pts(1)
    records += [ev("4.5", "04-01", item=f"案号{i}") for i in range(1, 5)]
    assert run(records, "07-15").indicator("4.5").earned == pts(5)
    # a 6th case → 6 → cap 5
    records.append(ev("4.5", "05-01", item="案号5"))
    assert run(records, "07-15").indicator("4.5").earned == pts(5)


# --- 5.1 宣传月 (materials {notice, photo|video, summary, report}, 4) -------------------


@pytest.mark.parametrize("visual", ["photo", "video"])
def test_5_1_materials_complete_with_photo_or_video(visual):
    # notice + photo|video + summary + report across four records → 4
    records = [ev("5.1", "05-01", kind=k) for k in ("notice", visual, "summary", "report")]
    assert run(records, "12-31").indicator("5.1").earned == pts(4)


def test_5_1_missing_kind_scores_nothing():
    # no summary → 0; before 12-31 nothing lost, at 12-31 lost 4
    records = [ev("5.1", "05-01", kind=k) for k in ("notice", "photo", "video", "report")]
    assert run(records, "07-15").indicator("5.1").earned == pts(0)
    assert run(records, "07-15").indicator("5.1").lost == pts(0)
    assert run(records, "12-31").indicator("5.1").lost == pts(4)


# --- 5.2 诚信典范 (materials {notice, photo|video, criteria, publicity, report}, 4) -----


def test_5_2_materials_complete_with_video():
    # notice + video + criteria + publicity + report → 4
    kinds = ("notice", "video", "criteria", "publicity", "report")
    records = [ev("5.2", "06-01", kind=k) for k in kinds]
    assert run(records, "07-15").indicator("5.2").earned == pts(4)


def test_5_2_missing_publicity():
    # no publicity → 0
    kinds = ("notice", "photo", "criteria", "report")
    records = [ev("5.2", "06-01", kind=k) for k in kinds]
    assert run(records, "07-15").indicator("5.2").earned == pts(0)


# --- 5.3 文章 (flag 2, credit_site) + 典型案例 (per_item {企业, 个人} each 0.5, cap 1) ----


def test_5_3_article_credit_site_only():
    # credit_site (default) → 2; media → 0
    assert run([ev("5.3", "05-01", component="article")], "07-15").indicator("5.3").earned == pts(2)
    media = [ev("5.3", "05-01", component="article", channel="media")]
    assert run(media, "07-15").indicator("5.3").earned == pts(0)


def test_5_3_case_half_points():
    # 企业 twice → one type → 0.5
    records = [
        ev("5.3", "05-01", component="case", item="企业"),
        ev("5.3", "06-01", component="case", item="企业"),
    ]
    assert run(records, "07-15").component("5.3", "case").earned == pts(0.5)
    # + 个人 → 2 types × 0.5 = 1 (= cap); with the article: 2 + 1 = 3
    records += [
        ev("5.3", "06-02", component="case", item="个人"),
        ev("5.3", "05-03", component="article"),
    ]
    report = run(records, "07-15")
    assert report.component("5.3", "case").earned == pts(1)
    assert report.indicator("5.3").earned == pts(3)


# --- 5.4 特色主题活动 (items_with_materials {notice, photo|video, report} each 2, cap 4) --


def test_5_4_materials_per_item():
    # 诚信春运: notice + photo + report → 2; 万里行: notice + video only (no report) → 0;
    # 万里行 cannot borrow 诚信春运's report → earned 2
    records = [
        ev("5.4", "02-01", item="诚信春运", kind="notice"),
        ev("5.4", "02-10", item="诚信春运", kind="photo"),
        ev("5.4", "02-20", item="诚信春运", kind="report"),
        ev("5.4", "06-01", item="诚信建设万里行", kind="notice"),
        ev("5.4", "06-10", item="诚信建设万里行", kind="video"),
    ]
    assert run(records, "07-15").indicator("5.4").earned == pts(2)


def test_5_4_item_names_trimmed_casefolded_and_cap():
    # "Credit Week" / " credit week " / "CREDIT WEEK" are one activity with all three kinds → 2
    records = [
        ev("5.4", "03-01", item="Credit Week", kind="notice"),
        ev("5.4", "03-02", item=" credit week ", kind="video"),
        ev("5.4", "03-03", item="CREDIT WEEK", kind="report"),
    ]
    assert run(records, "07-15").indicator("5.4").earned == pts(2)
    # + two more complete activities → 3 × 2 = 6 → cap 4
    for name in ("诚信春运", "美德山东"):
        records += [ev("5.4", "08-01", item=name, kind=k) for k in ("notice", "photo", "report")]
    assert run(records, "09-01").indicator("5.4").earned == pts(4)


# --- 6.1 学习管理办法 (flag 1) + 参加省厅培训 (flag 1) ----------------------------------


def test_6_1_two_flags():
    # study → 1; provincial_training → 1; total 2
    records = [
        ev("6.1", "05-01", component="study"),
        ev("6.1", "09-01", component="provincial_training"),
    ]
    report = run(records, "10-01")
    assert report.component("6.1", "study").earned == pts(1)
    assert report.indicator("6.1").earned == pts(2)
    # final view with study only → training's 1 lost
    final = run(records[:1], "12-31").indicator("6.1")
    assert (final.earned, final.lost) == (pts(1), pts(1))


# --- 6.2 企业和从业人员培训 (flag 2) ----------------------------------------------------


def test_6_2_flag():
    # one record → 2
    assert run([ev("6.2", "08-01")], "10-01").indicator("6.2").earned == pts(2)


# --- 6.3 交流学习 (flag 2) ---------------------------------------------------------


def test_6_3_flag_with_department_alias():
    # one record (department given by its alias 建设科) → 2; none at 12-31 → lost 2
    rec = ev("6.3", "08-01", department="建设科")
    assert rec.department == "公路建设科"
    assert run([rec], "10-01").indicator("6.3").earned == pts(2)
    assert run([], "12-31").indicator("6.3").lost == pts(2)


# --- 7.1 信易+ 政策文件 (per_item product each 5, cap 10, gov_site) --------------------


def test_7_1_products_on_gov_site():
    # 信易行 gov_site → 5; 信易贷 internal → 0; earned 5
    records = [
        ev("7.1", "06-01", item="信易行"),
        ev("7.1", "06-02", item="信易贷", channel="internal"),
    ]
    assert run(records, "07-15").indicator("7.1").earned == pts(5)
    # + 信易游 (any name starting 信易) and 信易租 → 3 products × 5 = 15 → cap 10
    records += [ev("7.1", "06-03", item="信易游"), ev("7.1", "06-04", item="信易租")]
    assert run(records, "07-15").indicator("7.1").earned == pts(10)


# --- 7.2 信易+ 场景应用 (per_item product each 5, cap 10; 7.1 record + data kind) -------


def test_7_2_needs_any_7_1_record_and_data_kind():
    # 信易行: 7.1 record is internal (not qualifying in 7.1) but exists; 7.2 has a data record → 5
    # 信易贷: 7.2 data record but no 7.1 record → 0
    # 信易租: 7.1 record; 7.2 records without kind data → 0
    records = [
        ev("7.1", "05-01", item="信易行", channel="internal"),
        ev("7.2", "06-01", item="信易行", kind="document"),
        ev("7.2", "06-02", item="信易行", kind="data"),
        ev("7.2", "06-03", item="信易贷", kind="data"),
        ev("7.1", "05-02", item="信易租"),
        ev("7.2", "06-04", item="信易租", kind="report"),
    ]
    report = run(records, "07-15")
    assert report.indicator("7.1").earned == pts(5)  # only 信易租 is on gov_site
    assert report.indicator("7.2").earned == pts(5)


def test_7_2_cap():
    # three products each with a 7.1 record and a 7.2 data record → 15 → cap 10
    records = []
    for p in ("信易行", "信易贷", "信易租"):
        records += [ev("7.1", "05-01", item=p), ev("7.2", "06-01", item=p, kind="data")]
    assert run(records, "10-01").indicator("7.2").earned == pts(10)


# --- 7.3 典型场景宣传 (per_item product each 2, cap 4; qualifies in 7.2; not credit_site) --


def test_7_3_needs_7_2_qualification_and_not_credit_site():
    # 信易行 qualifies in 7.2 → its media report → 2; 信易贷 has a 7.1 record but no 7.2
    # data record → not qualified in 7.2 → 0; earned 2
    records = [
        ev("7.1", "05-01", item="信易行"),
        ev("7.2", "06-01", item="信易行", kind="data"),
        ev("7.1", "05-02", item="信易贷"),
        ev("7.2", "06-02", item="信易贷", kind="document"),
        ev("7.3", "08-01", item="信易行", channel="media"),
        ev("7.3", "08-02", item="信易贷", channel="media"),
    ]
    assert run(records, "09-01").indicator("7.3").earned == pts(2)
    # 信易行's only 7.3 report on credit_site → 0
    only_credit_site = [*records[:4], ev("7.3", "08-01", item="信易行", channel="credit_site")]
    assert run(only_credit_site, "09-01").indicator("7.3").earned == pts(0)


def test_7_3_counts_product_beyond_7_2_cap():
    # three products qualify in 7.2 (7.2 capped at 10); 7.3 for the third one (信易租) still
    # counts → 2; two more → 3 × 2 = 6 → cap 4
    records = []
    for p in ("信易行", "信易贷", "信易租"):
        records += [ev("7.1", "05-01", item=p), ev("7.2", "06-01", item=p, kind="data")]
    report = run([*records, ev("7.3", "08-01", item="信易租")], "09-01")
    assert report.indicator("7.2").earned == pts(10)
    assert report.indicator("7.3").earned == pts(2)
    records += [ev("7.3", "08-01", item=p, channel="media") for p in ("信易行", "信易贷", "信易租")]
    assert run(records, "09-01").indicator("7.3").earned == pts(4)


# --- planned records and the projection --------------------------------------------


def test_planned_never_counts_in_earned():
    # a planned 4.2 record dated before as-of → 0 earned (and no "late" warning)
    records = [ev("4.2", "03-01", item="道路客运", status="planned")]
    report = run(records, "07-15")
    assert report.indicator("4.2").earned == pts(0)
    assert report.component("4.2", "evaluation").planned == 1


def test_planned_counts_in_projection():
    # projected: year-end view as of 12-31, planned records count on their dates:
    # 4.2 one domain → 2 (6 lost); 2.1 one per quarter, all planned → 4, nothing lost
    records = [ev("4.2", "10-01", item="道路客运", status="planned")]
    records += [ev("2.1", d, status="planned") for d in ("02-01", "05-01", "08-01", "11-01")]
    report = run(records, "07-15", projected=True)
    assert report.as_of == date(YEAR, 12, 31)
    assert report.indicator("4.2").earned == pts(2)
    assert report.indicator("4.2").lost == pts(6)
    assert report.indicator("2.1").earned == pts(4)
    assert report.indicator("2.1").lost == pts(0)
    # not projected, same as-of: none of them counts; Q1, Q2 ended empty → 2.1 lost 2
    plain = run(records, "07-15")
    assert plain.indicator("2.1").earned == pts(0)
    assert plain.indicator("2.1").lost == pts(2)


# --- as-of and the year ---------------------------------------------------------------


def test_records_after_as_of_do_not_count_and_warn():
    # 6.2 record dated 08-01, as of 07-15 → not counted, warning about the date
    report = run([ev("6.2", "08-01")], "07-15")
    assert report.indicator("6.2").earned == pts(0)
    assert has_warning(report, "晚于")


def test_records_outside_year_do_not_count_and_warn():
    # 6.2 records dated 2023-12-20 and 2025-01-05 → not in 2024 → 0, warning about the year
    records = [ev("6.2", "2023-12-20"), ev("6.2", "2025-01-05")]
    report = run(records, "2025-03-01")
    assert report.indicator("6.2").earned == pts(0)
    assert has_warning(report, "2024", "年度")


def test_as_of_after_year_end_is_final_view():
    # as of 2025-03-01 → as of 2024-12-31: the 12-31 record counts (1.3 → 2) and every
    # unearned point is lost: 100 − 2 = 98
    report = run([ev("1.3", "12-31")], "2025-03-01")
    assert report.as_of == date(YEAR, 12, 31)
    assert report.earned == pts(2)
    assert report.lost == pts(98)
    assert report.potential == pts(2)
    assert sum(c.lost for c in report.categories) == pts(98)


def test_final_view_with_nothing_loses_everything():
    # no records at 12-31 → earned 0, all 100 points lost, every category its max
    report = run([], "12-31")
    assert (report.earned, report.lost) == (pts(0), pts(100))
    assert [c.lost for c in report.categories] == [pts(m) for m in (13, 5, 12, 25, 15, 6, 24)]


def test_as_of_before_year_counts_nothing():
    # as of 2023-12-01: every 2024 record is after as-of → nothing counts, nothing lost
    records = [ev("1.3", "01-05"), ev("2.1", "01-10"), ev("4.2", "01-15", item="港口")]
    report = run(records, "2023-12-01")
    assert report.earned == pts(0)
    assert report.lost == pts(0)
    assert has_warning(report, "晚于")


def test_7_3_reasons_do_not_depend_on_record_order() -> None:
    # Two products reported (7.3) without a qualifying 7.2: both refused with the same reason,
    # listed in the order they were first recorded (date, then id), whatever the input order.
    a = make_evidence(cat, {"indicator": "7.3", "item": "信易行", "date": "2024-01-15",
                            "department": "法规科", "title": "报道一", "id": "a"})  # fmt: skip
    b = make_evidence(cat, {"indicator": "7.3", "item": "信易游", "date": "2024-01-15",
                            "department": "法规科", "title": "报道二", "id": "b"})  # fmt: skip
    forward = score(cat, [a, b], year=2024, as_of=date(2024, 12, 31))
    backward = score(cat, [b, a], year=2024, as_of=date(2024, 12, 31))
    reasons = forward.component("7.3", "case_report").reasons
    assert reasons == backward.component("7.3", "case_report").reasons
    assert [r.split("：")[0] for r in reasons] == ["信易行", "信易游"]
