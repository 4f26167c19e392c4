"""Tests that kill the mutants a mutation probe of ``scoring/`` left alive (issue #17, item 5).

Each test pins one behaviour with a hand-computed value; the comment says how it follows.
All scores are integer halves: 1 point == 2.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from credit_tui.scoring import DateFormatError, Scorer, load_catalog, make_evidence, parse_date
from credit_tui.scoring import score as fresh_score
from credit_tui.scoring.calendar import TaskStatus, occurrences

cat = load_catalog()
YEAR = 2024
_seq = itertools.count(1)


def day(mmdd: str) -> date:
    return date.fromisoformat(f"{YEAR}-{mmdd}")


def ev(code: str, when: str, title: str | None = None, **fields: object):
    data = {"indicator": code, "date": f"{YEAR}-{when}", "title": title or f"材料{next(_seq)}"}
    return make_evidence(cat, {**data, **fields})


# --- (1) the incremental scorer's delete path -----------------------------------------------


def test_removing_a_6_1_duplicate_gives_1_4_its_points_back():
    # 1.4 on 02-10 (Q1) and 05-20 (Q2), each its quarter's 1 point; the 05-20 one duplicates a
    # 6.1 study record (same date, same title) → excluded: 1.4 = 1 as of 07-15.
    # Removing the 6.1 record must un-exclude it: 1.4 = 1 + 1 = 2, as a fresh score gives.
    q1 = ev("1.4", "02-10", "季度研究")
    q2 = ev("1.4", "05-20", "信用专题学习")
    dup = ev("6.1", "05-20", "信用专题学习", component="study")
    scorer = Scorer(cat, YEAR, day("07-15"), [q1, q2, dup])
    assert scorer.report.indicator("1.4").earned == 2
    after = scorer.remove(dup.id)
    assert after.indicator("1.4").earned == 4
    assert after.component("1.4", "study").counted_ids == tuple(sorted((q1.id, q2.id)))
    fresh = fresh_score(cat, [q1, q2], year=YEAR, as_of=day("07-15"))
    assert fresh.indicator("1.4").earned == 4


def test_removing_a_6_1_duplicate_by_attachment_gives_1_4_back():
    # the same, matched by a shared attachment rather than date and title: 1 → 2 points
    sha = "c" * 64
    q2 = make_evidence(
        cat, {"indicator": "1.4", "date": "2024-05-20", "title": "甲"}, attachments=(sha,)
    )
    dup = make_evidence(
        cat,
        {"indicator": "6.1", "component": "study", "date": "2024-04-02", "title": "乙"},
        attachments=(sha,),
    )
    q1 = ev("1.4", "02-10")
    scorer = Scorer(cat, YEAR, day("07-15"), [q1, q2, dup])
    assert scorer.report.indicator("1.4").earned == 2
    assert scorer.remove(dup.id).indicator("1.4").earned == 4


def test_replacing_a_6_1_duplicate_with_another_title_gives_1_4_back():
    # editing the 6.1 record's title (same id) ends the duplicate: 1.4 1 → 2 points
    q1, q2 = ev("1.4", "02-10"), ev("1.4", "05-20", "专题学习")
    dup = make_evidence(
        cat,
        {"id": "d1", "indicator": "6.1", "component": "study", "date": "2024-05-20"}
        | {"title": "专题学习"},
    )
    scorer = Scorer(cat, YEAR, day("07-15"), [q1, q2, dup])
    assert scorer.report.indicator("1.4").earned == 2
    edited = make_evidence(
        cat,
        {"id": "d1", "indicator": "6.1", "component": "study", "date": "2024-05-20"}
        | {"title": "管理办法学习"},
    )
    assert scorer.add(edited).indicator("1.4").earned == 4


def test_removing_a_5_3_duplicate_gives_3_1_back():
    # 3.1 credit_site 02-01 and 02-02 (Q1: 2 × 1 = 2, cap 2); 02-02 duplicates a 5.3 article
    # → 3.1 = 1; removing the article → 2
    a = ev("3.1", "02-01")
    b = ev("3.1", "02-02", "一把手谈信用")
    art = ev("5.3", "02-02", "一把手谈信用", component="article")
    scorer = Scorer(cat, YEAR, day("03-15"), [a, b, art])
    assert scorer.report.indicator("3.1").earned == 2
    assert scorer.remove(art.id).indicator("3.1").earned == 4


def test_removing_a_7_1_policy_closes_7_2_and_7_3():
    # 7.1 信易行 (gov_site) 5; 7.2 信易行 with data 5; 7.3 信易行 (media) 2 → 12 points.
    # Removing the 7.1 record: 7.1 0, 7.2 needs a 7.1 record → 0, 7.3 needs 7.2 → 0.
    policy = ev("7.1", "03-01", item="信易行")
    app = ev("7.2", "04-01", item="信易行", kind="data")
    case = ev("7.3", "05-01", item="信易行", channel="media")
    scorer = Scorer(cat, YEAR, day("07-15"), [policy, app, case])
    assert [scorer.report.indicator(c).earned for c in ("7.1", "7.2", "7.3")] == [10, 10, 4]
    after = scorer.remove(policy.id)
    assert [after.indicator(c).earned for c in ("7.1", "7.2", "7.3")] == [0, 0, 0]


# --- (2) a monthly occurrence's at_stake ------------------------------------------------------


def test_monthly_at_stake_once_the_component_is_lost():
    # 1.2 plan on gov_site (gate open); monthly records for May and June, none in April.
    # As of 07-15, April (ended, empty) loses all 2 points of the ledger:
    #   April occurrence: lost → at stake = the ledger's 2 points (4 halves);
    #   May (covered) → done; August (not ended, the ledger already lost) → 0 at stake.
    records = [
        ev("1.2", "04-10", component="plan", channel="gov_site"),
        ev("1.2", "05-10", component="monthly"),
        ev("1.2", "06-10", component="monthly"),
    ]
    report = fresh_score(cat, records, year=YEAR, as_of=day("07-15"))
    assert report.component("1.2", "monthly").lost == 4
    occs = {
        o.due: o
        for o in occurrences(cat, report)
        if (o.spec.indicator, o.spec.component) == ("1.2", "monthly")
    }
    assert (occs[day("04-30")].status, occs[day("04-30")].at_stake) == (TaskStatus.LOST, 4)
    assert occs[day("05-31")].status is TaskStatus.DONE
    assert occs[day("08-31")].at_stake == 0
    assert occs[day("08-31")].open


def test_monthly_at_stake_while_nothing_is_lost():
    # nothing missing yet (as of 04-15 no month has ended): every month has all 2 points at stake
    report = fresh_score(cat, [], year=YEAR, as_of=day("04-15"))
    stakes = {
        o.at_stake
        for o in occurrences(cat, report)
        if (o.spec.indicator, o.spec.component) == ("1.2", "monthly")
    }
    assert stakes == {4}


# --- (3) duplicate titles compared case-folded ----------------------------------------------


@pytest.mark.parametrize(
    ("title_1_4", "title_6_1"),
    [("Study Week", "study week"), ("STUDY", "Study"), ("study", "STUDY"), (" Study ", "study")],
)
def test_duplicate_titles_are_compared_trimmed_and_case_folded(title_1_4: str, title_6_1: str):
    # the same material filed under 1.4 and 6.1 on one date → 1.4 excludes it → 0 points;
    # any difference of case or outer spaces is the same title
    records = [
        ev("1.4", "02-10", title_1_4),
        ev("6.1", "02-10", title_6_1, component="study"),
    ]
    report = fresh_score(cat, records, year=YEAR, as_of=day("07-15"))
    assert report.indicator("1.4").earned == 0
    assert report.indicator("6.1").earned == 2


def test_different_titles_are_not_duplicates():
    # "study" vs "study 2" on the same date → not the same → 1.4 Q1 earns 1
    records = [ev("1.4", "02-10", "study"), ev("6.1", "02-10", "study 2", component="study")]
    report = fresh_score(cat, records, year=YEAR, as_of=day("07-15"))
    assert report.indicator("1.4").earned == 2


# --- (4) the numeric date pattern is anchored at the end --------------------------------------


@pytest.mark.parametrize("text", ["2024-05-031", "2024-05-03abc", "2024/5/3x", "2024年5月3日号"])
def test_dates_with_trailing_characters_are_refused(text: str):
    with pytest.raises(DateFormatError, match="不是日期"):
        parse_date(text)


@pytest.mark.parametrize(
    "text",
    ["2024-05-03", "2024/5/3", "2024.5.3", "2024年5月3日", " 2024-05-03 ", "2024-05-03 00:00"],
)
def test_the_accepted_forms_still_parse(text: str):
    assert parse_date(text) == date(2024, 5, 3)


def test_a_date_with_a_time_after_midnight_is_refused_as_typed():
    # only a trailing midnight (00:00, 00:00:00, 00:00:00.0) is cut off; anything after it
    # leaves the text as it was typed, and the message quotes it whole
    with pytest.raises(DateFormatError) as caught:
        parse_date("2024-05-03 00:00:00.0001")
    assert str(caught.value).startswith("2024-05-03 00:00:00.0001 不是日期")


def test_blank_and_spaced_today_words():
    # spaces alone are empty; spaces around 今天 are ignored
    with pytest.raises(DateFormatError, match="不能为空"):
        parse_date("   ")
    assert parse_date(" 今天 ", date(2024, 7, 15)) == date(2024, 7, 15)


# --- survivors of `make mutate` that changed a score ----------------------------------------


def test_1_1_group_without_office_record():
    # group → 1 point; no 专班 record → office 0, nothing lost before 12-31 (indicator 1, lost 0)
    report = fresh_score(
        cat, [ev("1.1", "03-01", component="group")], year=YEAR, as_of=day("07-15")
    )
    office = report.component("1.1", "office")
    assert (office.earned, office.lost) == (0, 0)
    assert (report.indicator("1.1").earned, report.indicator("1.1").lost) == (2, 0)
    # final view: the office's 2 points are lost (group earned, not gated): lost 4 halves
    final = fresh_score(cat, [ev("1.1", "03-01", component="group")], year=YEAR, as_of=day("12-31"))
    office = final.component("1.1", "office")
    assert (office.earned, office.lost) == (0, 4)
    assert office.reasons == ("尚无专班人数记录",)


def test_preview_of_a_removal_then_real_changes():
    # 1.4 in Q1 (02-10) and Q2 (05-20): 2 points as of 07-15.
    # preview(remove Q2) → 1 point, and the scorer still holds both records afterwards:
    # removing Q1 for real then leaves Q2 alone → 1 point, as a fresh score of [Q2] gives.
    q1, q2 = ev("1.4", "02-10"), ev("1.4", "05-20")
    scorer = Scorer(cat, YEAR, day("07-15"), [q1, q2])
    assert scorer.preview(remove=[q2.id]).indicator("1.4").earned == 2
    assert scorer.report.indicator("1.4").earned == 4
    assert set(scorer.records) == {q1.id, q2.id}
    after = scorer.remove(q1.id)
    assert after.indicator("1.4").earned == 2
    assert after.component("1.4", "study").counted_ids == (q2.id,)


def test_removing_a_delivered_record_beside_a_planned_one():
    # 1.3: one delivered (03-01) and one planned (09-01) record → earned 2 (the delivered one);
    # removing the delivered one → 0 earned, the planned one still counted as planned (1);
    # removing the planned one → planned 0
    done = ev("1.3", "03-01")
    planned = ev("1.3", "09-01", status="planned")
    scorer = Scorer(cat, YEAR, day("07-15"), [done, planned])
    assert scorer.report.indicator("1.3").earned == 4
    assert scorer.report.component("1.3", "plan").planned == 1
    after = scorer.remove(done.id)
    assert after.indicator("1.3").earned == 0
    assert after.component("1.3", "plan").planned == 1
    assert scorer.remove(planned.id).component("1.3", "plan").planned == 0


def test_removing_late_and_other_year_records_clears_their_warnings():
    # a record dated after as-of and one of 2023: two warnings; removing them: none
    late = ev("1.3", "09-01")
    old = make_evidence(cat, {"indicator": "1.3", "date": "2023-05-01", "title": "去年"})
    scorer = Scorer(cat, YEAR, day("07-15"), [late, old])
    assert scorer.report.warnings == (
        "1 条记录的日期晚于截至日期 2024-07-15，暂不计分",
        "1 条记录不在 2024 年度内，不计分",
    )
    scorer.remove(late.id)
    assert scorer.remove(old.id).warnings == ()


def test_an_item_refused_by_its_condition_is_not_counted():
    # 7.2 信易行 with data but no 7.1 record → the item is refused: 0 points, no counted record
    app = ev("7.2", "04-01", item="信易行", kind="data")
    report = fresh_score(cat, [app], year=YEAR, as_of=day("07-15"))
    comp = report.component("7.2", "application")
    assert (comp.earned, comp.counted_ids, comp.record_ids) == (0, (), (app.id,))
    assert comp.month_qualifying[3] == 0 and comp.month_records[3] == 1


def test_quarter_end_warning_groups_by_the_record_quarter():
    # 3.1 on 03-25 (Q1, within its last 10 days: 03-22…03-31) and 04-02 (Q2, early):
    # Q1 is warned for its 1 report; Q2 is not (04-02 is far from 06-30)
    records = [ev("3.1", "03-25"), ev("3.1", "04-02")]
    report = fresh_score(cat, records, year=YEAR, as_of=day("07-15"))
    assert report.indicator("3.1").warnings == (
        "三、1 第一季度计分的 1 条信息均集中在季度末最后 10 天，尽量不集中季度末最后推送",
    )


def test_a_quarter_ending_on_the_final_deadline_keeps_its_period():
    # a table whose 4.4 final deadline is 09-30: Q1, Q2 and Q3 (ending 09-30 ≤ final) are
    # periods, then the final deadline itself; Q4 (after it) is not
    import tomllib

    from credit_tui.scoring.calendar import occurrence_specs
    from credit_tui.scoring.catalog import catalog_path, parse_catalog

    raw = tomllib.loads(catalog_path().read_text("utf-8"))
    ind = next(i for i in raw["indicators"] if i["code"] == "4.4")
    ind["components"][0]["schedule"]["final"] = "09-30"
    specs = [s for s in occurrence_specs(parse_catalog(raw), YEAR) if s.indicator == "4.4"]
    assert [(s.due.isoformat(), s.kind) for s in specs] == [
        ("2024-03-31", "period"),
        ("2024-06-30", "period"),
        ("2024-09-30", "final"),
        ("2024-09-30", "period"),
    ]


def test_suggested_dates_ask_about_the_time_since_the_previous_date():
    # 5.4: suggested 06-30 (asks about 01-01…06-30), suggested 09-30 (07-01…09-30), final
    # 11-30 (the whole year from 01-01); 2.2: due 06-30 (from 01-01), suggested 12-31 (07-01…)
    from credit_tui.scoring.calendar import occurrence_specs

    specs = occurrence_specs(cat, YEAR)
    starts = {
        (s.indicator, s.due.isoformat(), s.kind): s.start.isoformat()
        for s in specs
        if s.indicator in ("5.4", "2.2")
    }
    assert starts == {
        ("5.4", "2024-06-30", "suggested"): "2024-01-01",
        ("5.4", "2024-09-30", "suggested"): "2024-07-01",
        ("5.4", "2024-11-30", "single"): "2024-01-01",
        ("2.2", "2024-06-30", "single"): "2024-01-01",
        ("2.2", "2024-12-31", "suggested"): "2024-07-01",
    }


def test_half_a_point_short_at_the_year_end_is_lost():
    # 4.4 three domains → 3 × 0.5 = 1.5 of 2: in the final view 0.5 (1 half) is lost and the
    # 11-30 final deadline shows 已失分 with 0.5 at stake
    records = [ev("4.4", "02-01", item=x) for x in ("道路客运", "公路施工", "港口")]
    report = fresh_score(cat, records, year=YEAR, as_of=day("12-31"))
    assert report.indicator("4.4").lost == 1
    final = next(
        o for o in occurrences(cat, report) if o.spec.indicator == "4.4" and o.spec.kind == "final"
    )
    assert (final.status, final.at_stake) == (TaskStatus.LOST, 1)


def test_department_loads_by_hand():
    # 政策研究室 shares 1.3 (due 04-30) and 5.3 article (due 06-30): with no records, as of
    # 07-15 both are overdue (2 items, 2 open, 2 overdue, 0 lost); at the year end both lost
    from credit_tui.scoring.calendar import department_loads

    def load(as_of: str):
        report = fresh_score(cat, [], year=YEAR, as_of=day(as_of))
        (found,) = department_loads(occurrences(cat, report), ["政策研究室"])
        return (found.department, found.items, found.open, found.overdue, found.lost)

    assert load("07-15") == ("政策研究室", 2, 2, 2, 0)
    assert load("12-31") == ("政策研究室", 2, 0, 0, 2)


@pytest.mark.parametrize(
    ("halves", "number", "text", "delta"),
    [
        (0, 0, "0", "0"),
        (1, 0.5, "0.5", "+0.5"),
        (4, 2, "2", "+2"),
        (125, 62.5, "62.5", "+62.5"),
        (-1, -0.5, "-0.5", "-0.5"),
        (-4, -2, "-2", "-2"),
    ],
)
def test_points_as_numbers_and_text(halves: int, number: float, text: str, delta: str):
    # halves → points: n / 2, whole numbers as int (JSON 2, not 2.0)
    from credit_tui.scoring import as_number, fmt, fmt_delta

    assert as_number(halves) == number
    assert type(as_number(halves)) is type(number)
    assert (fmt(halves), fmt_delta(halves)) == (text, delta)


@pytest.mark.parametrize(
    ("field", "value", "attachments"),
    [
        ("attachment", None, ("a" * 64 + "0",)),
        ("attachment", None, ("A" * 64,)),
        ("url", "https://example.gov.cn/a b", ()),
        ("id", "ab c", ()),
        ("id", "ab/c", ()),
    ],
)
def test_patterns_refuse_trailing_text(field: str, value: str | None, attachments: tuple):
    from credit_tui.scoring import EvidenceError

    data = {"indicator": "1.3", "date": "2024-03-01", "title": "t"}
    if value is not None:
        data[field] = value
    with pytest.raises(EvidenceError) as caught:
        make_evidence(cat, data, attachments=attachments)
    assert [e.field for e in caught.value.errors] == [field]
    assert str(caught.value) == str(caught.value.errors[0])
    assert str(caught.value).startswith({"attachment": "附件", "url": "链接", "id": "编号"}[field])


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "会议\x07纪要"), ("title", "会议\x7f"), ("note", "备注\x1b[31m"), ("note", "\x7f")],
)
def test_control_characters_are_refused(field: str, value: str):
    from credit_tui.scoring import EvidenceError

    data = {"indicator": "1.3", "date": "2024-03-01", "title": "t", field: value}
    with pytest.raises(EvidenceError, match="含有控制字符"):
        make_evidence(cat, data)


def test_a_note_may_hold_tabs_and_line_breaks():
    data = {"indicator": "1.3", "date": "2024-03-01", "title": "t", "note": "一\t二\r\n三"}
    assert make_evidence(cat, data).note == "一\t二\r\n三"


def test_indicator_written_as_the_table_writes_it():
    # 四、2 is 4.2; anything after the number is refused
    from credit_tui.scoring import EvidenceError

    data = {"date": "2024-03-01", "title": "t", "item": "道路客运"}
    assert make_evidence(cat, {**data, "indicator": "四、2"}).indicator == "4.2"
    with pytest.raises(EvidenceError, match="未知的指标"):
        make_evidence(cat, {**data, "indicator": "四、2x"})


def test_potential_open_and_changes_by_hand():
    # SPEC worked example 1: 1.4 on 02-10 and 02-20, as of 07-15 → earned 1, lost 1 (Q2),
    # potential 4 − 1 = 3, open 4 − 1 − 1 = 2 (halves: 2, 2, 6, 4)
    from credit_tui.scoring import changes, describe_changes

    before = fresh_score(cat, [], year=YEAR, as_of=day("07-15"))
    records = [ev("1.4", "02-10"), ev("1.4", "02-20")]
    after = fresh_score(cat, records, year=YEAR, as_of=day("07-15"))
    comp = after.component("1.4", "study")
    assert (comp.earned, comp.lost, comp.potential, comp.open) == (2, 2, 6, 4)
    # category 一 (13 points = 26 halves) with nothing else: 1.2's ledger lost (April–June
    # ended empty: 2), 1.4's Q2 (1) → lost 3 points, potential 13 − 3 = 10
    cat_1 = after.category("1")
    assert (cat_1.code, cat_1.lost, cat_1.potential) == ("1", 6, 20)
    assert after.category("7").code == "7"
    with pytest.raises(KeyError):
        after.category("8")
    moved = changes(before, after)
    assert [(c.code, c.before, c.after, c.delta) for c in moved] == [("1.4", 0, 2, 2)]
    assert describe_changes(before, after, {"1.4": "一、4"}) == "一、4 +1 分 · 总分 0 → 1"
    assert describe_changes(after, before, {}) == "1.4 -1 分 · 总分 1 → 0"


def test_item_length_kind_case_and_quantity_bounds():
    from credit_tui.scoring import EvidenceError

    base = {"indicator": "4.5", "date": "2024-03-01", "title": "t"}  # item: a free case name
    assert make_evidence(cat, {**base, "item": "案" * 100}).item == "案" * 100
    for bad in ("案" * 101, "案\x07"):
        with pytest.raises(EvidenceError, match="修复案件过长或含有控制字符"):
            make_evidence(cat, {**base, "item": bad})
    plain = {"indicator": "1.3", "date": "2024-03-01", "title": "t"}  # no item read
    for bad in ("x" * 101, "x\x07"):
        with pytest.raises(EvidenceError, match="过长或含有控制字符"):
            make_evidence(cat, {**plain, "item": bad})
    assert make_evidence(cat, {**plain, "kind": "NOTICE"}).kind == "notice"
    assert make_evidence(cat, {**plain, "channel": "Gov_Site"}).channel == "gov_site"
    office = {"indicator": "1.1", "component": "office", "date": "2024-03-01", "title": "t"}
    assert make_evidence(cat, {**office, "quantity": "1000000"}).quantity == 1_000_000
    with pytest.raises(EvidenceError, match="数值过大"):
        make_evidence(cat, {**office, "quantity": "1000001"})
