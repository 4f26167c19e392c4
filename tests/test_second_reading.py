"""SPEC section 5, "Settled in the second reading": 1.1 office under the group, 4.1 uploaded,
item aliases, and the key-area + own-sub-area warning of 4.2 / 4.3 / 4.4.

All scores are integer halves: 1 point == 2.
"""

from __future__ import annotations

import itertools
import json
from datetime import date

import pytest

from credit_tui.scoring import CatalogError, Scorer, load_catalog, make_evidence, score
from credit_tui.scoring.calendar import TaskStatus, occurrences
from credit_tui.scoring.catalog import catalog_path, parse_catalog
from credit_tui.scoring.evidence import EvidenceError

cat = load_catalog()
YEAR = 2024
_seq = itertools.count(1)
NESTED = "重点领域与其二级领域同时计分，验收时可能只认其一"
NO_GROUP = "未成立领导小组，专班不计分"


def pts(x: float) -> int:
    """Points as halves: pts(1.5) == 3."""
    return int(x * 2)


def day(mmdd: str) -> date:
    return date.fromisoformat(f"{YEAR}-{mmdd}")


def ev(code: str, when: str, **fields: object):
    data = {"indicator": code, "date": f"{YEAR}-{when}", "title": f"材料{next(_seq)}"}
    return make_evidence(cat, {**data, **fields})


def run(records, as_of: str = "12-31", *, projected: bool = False):
    return score(cat, records, year=YEAR, as_of=day(as_of), projected=projected)


# --- 1.1 专班 under the 领导小组 ------------------------------------------------------------


def test_1_1_office_without_group_earns_nothing_and_says_why():
    # office 2 people → min(2, 2) = 2 points, but no group record → 0; nothing lost before 12-31
    office = run([ev("1.1", "03-05", component="office", quantity=2)], "07-15").component(
        "1.1", "office"
    )
    assert (office.earned, office.lost) == (0, 0)
    assert NO_GROUP in office.reasons
    assert office.missing == NO_GROUP


def test_1_1_office_with_group_earns_its_staff_points():
    # group 1 + office min(2, 2) = 2 → indicator 3
    records = [
        ev("1.1", "03-01", component="group"),
        ev("1.1", "03-05", component="office", quantity=2),
    ]
    report = run(records, "07-15")
    assert report.indicator("1.1").earned == pts(3)
    assert report.component("1.1", "office").missing == ""


def test_1_1_as_of_boundary_group_dated_after_the_office_record():
    # office 03-05 (2 people), group 05-10: as of 05-09 the group does not exist yet → office 0;
    # as of 05-10 it does (a record dated as-of counts) → office 2, indicator 1 + 2 = 3
    records = [
        ev("1.1", "03-05", component="office", quantity=2),
        ev("1.1", "05-10", component="group"),
    ]
    before = run(records, "05-09")
    assert before.component("1.1", "office").earned == 0
    assert before.indicator("1.1").earned == 0
    on_the_day = run(records, "05-10")
    assert on_the_day.component("1.1", "office").earned == pts(2)
    assert on_the_day.indicator("1.1").earned == pts(3)


def test_1_1_final_view_without_group_loses_the_office_points():
    # 12-31, office 2 people, no group: group lost 1, office gated → lost all 2; potential 0
    report = run([ev("1.1", "03-05", component="office", quantity=2)], "12-31")
    assert report.component("1.1", "office").lost == pts(2)
    assert report.indicator("1.1").lost == pts(3)
    assert report.indicator("1.1").potential == 0


def test_1_1_planned_group_opens_the_office_only_in_the_projection():
    # a planned group record: as of 07-15 it does not count → office 0;
    # projected (year end, planned delivered): group 1 + office 2 = 3
    records = [
        ev("1.1", "03-01", component="group", status="planned"),
        ev("1.1", "03-05", component="office", quantity=2),
    ]
    assert run(records, "07-15").component("1.1", "office").earned == 0
    projected = run(records, "07-15", projected=True)
    assert projected.component("1.1", "office").earned == pts(2)
    assert projected.indicator("1.1").earned == pts(3)


def test_1_1_office_deadline_says_what_is_missing():
    # as of 05-10 the 04-30 office deadline is past, office 2 people but no group → 已逾期,
    # at stake the office's whole 2 points, and the occurrence names what is missing
    report = run([ev("1.1", "03-05", component="office", quantity=2)], "05-10")
    occ = next(
        o
        for o in occurrences(cat, report)
        if (o.spec.indicator, o.spec.component) == ("1.1", "office")
    )
    assert occ.status is TaskStatus.OVERDUE
    assert occ.at_stake == pts(2)
    assert occ.missing == NO_GROUP
    # with the group record the deadline is met and says nothing is missing
    report = run(
        [ev("1.1", "03-05", component="office", quantity=2), ev("1.1", "03-01", component="group")],
        "05-10",
    )
    occ = next(o for o in occurrences(cat, report) if o.spec.component == "office")
    assert (occ.status, occ.missing) == (TaskStatus.DONE, "")


def test_1_1_deadline_line_names_what_is_missing():
    from credit_tui.reports.text import occurrence_line

    report = run([ev("1.1", "03-05", component="office", quantity=2)], "05-10")
    occ = next(o for o in occurrences(cat, report) if o.spec.component == "office")
    line = occurrence_line(cat, occ, 120)
    assert "信用工作办公室/专班：未成立领导小组" in line
    assert "已逾期" in line


def test_1_1_incremental_scorer_follows_the_group():
    # adding then removing the group record re-scores the office: 0 → 2 → 0 (points)
    office = ev("1.1", "03-05", component="office", quantity=2)
    group = ev("1.1", "03-01", component="group")
    scorer = Scorer(cat, YEAR, day("07-15"), [office])
    assert scorer.report.component("1.1", "office").earned == 0
    assert scorer.add(group).component("1.1", "office").earned == pts(2)
    assert scorer.remove(group.id).component("1.1", "office").earned == 0


def test_component_gate_is_checked_in_the_table():
    raw = _bundled_raw()
    office = raw["indicators"][0]["components"][1]
    office["gate"] = {"component": "nope", "reason": "x"}
    with pytest.raises(CatalogError, match="门槛事项 nope 不存在"):
        parse_catalog(raw)
    office["gate"] = {"component": "office", "reason": "x"}
    with pytest.raises(CatalogError, match="门槛事项不能是本事项"):
        parse_catalog(raw)


# --- 4.1 uploaded to the site in its format ------------------------------------------------


def test_4_1_default_channel_is_credit_site():
    rec = ev("4.1", "05-01", format_ok="yes")
    assert rec.channel == "credit_site"
    assert cat.indicator("4.1").component("commitment").default_channel == "credit_site"
    # default channel + format_ok → flag earns 2
    assert run([rec], "07-15").indicator("4.1").earned == pts(2)


@pytest.mark.parametrize(
    ("channel", "format_ok", "earned"),
    [
        ("credit_site", "yes", 2),  # both conditions → 2
        ("credit_site", "no", 0),  # not in the site's format → 0
        ("gov_site", "yes", 0),  # in format but not uploaded to the credit site → 0
        ("internal", "no", 0),
    ],
)
def test_4_1_needs_channel_and_format(channel: str, format_ok: str, earned: int):
    rec = ev("4.1", "05-01", channel=channel, format_ok=format_ok)
    assert run([rec], "07-15").indicator("4.1").earned == pts(earned)


def test_4_1_reasons_name_the_failed_condition():
    report = run([ev("4.1", "05-01", channel="gov_site", format_ok="yes")], "07-15")
    reasons = report.component("4.1", "commitment").reasons
    assert "1 条记录信用承诺书未上传至“信用交通·山东”网站，不计分" in reasons


def test_4_1_form_fields_are_both_read():
    # the form shows the fields a component reads: the channel and the format flag
    comp = cat.indicator("4.1").component("commitment")
    assert comp.reads_channel
    assert comp.reads_flags == ("format_ok",)


# --- item aliases ---------------------------------------------------------------------------


def test_2_2_alias_is_stored_as_the_canonical_name():
    rec = ev("2.2", "03-01", item="社会信用体系建设牵头部门")
    assert rec.item == "信用牵头部门"


def test_2_2_alias_completes_the_required_set():
    # 社会信用体系建设牵头部门 (= 信用牵头部门) + 行政审批部门 + 宣传部门 → the set, 1 point
    records = [
        ev("2.2", "03-01", item="社会信用体系建设牵头部门"),
        ev("2.2", "04-01", item="行政审批部门"),
        ev("2.2", "05-01", item="宣传部门"),
    ]
    assert run(records, "07-15").indicator("2.2").earned == pts(1)


def test_unknown_partner_is_still_refused():
    with pytest.raises(EvidenceError, match="不是协调部门"):
        ev("2.2", "03-01", item="社会信用体系建设部门")


def test_aliases_for_any_item_vocabulary():
    raw = _bundled_raw()
    raw["vocabulary"]["item_aliases"] = {"domain": {"客运": "道路客运"}}
    table = parse_catalog(raw)
    data = {"indicator": "4.4", "date": "2024-03-01", "title": "t", "item": "客运"}
    assert make_evidence(table, data).item == "道路客运"
    raw["vocabulary"]["item_aliases"] = {"domain": {"客运": "客运站"}}
    with pytest.raises(CatalogError, match="别名 客运 指向未知的名称 客运站"):
        parse_catalog(raw)
    raw["vocabulary"]["item_aliases"] = {"dept": {"a": "b"}}
    with pytest.raises(CatalogError, match="item_aliases"):
        parse_catalog(raw)


# --- 4.2 / 4.3 / 4.4: a key area with its own sub-area ---------------------------------------


def test_4_4_key_area_and_own_sub_area_both_count_with_a_warning():
    # 道路运输 (key area) + 道路客运 (its sub-area) + 港口 → 3 × 0.5 = 1.5, warned for the pair
    records = [ev("4.4", "03-01", item=x) for x in ("道路运输", "道路客运", "港口")]
    ind = run(records, "07-15").indicator("4.4")
    assert ind.earned == pts(1.5)
    assert ind.warnings == (f"四、4 {NESTED}：道路运输、道路客运",)


def test_4_2_each_pair_named_and_other_areas_not_warned():
    # 4.2 gov_site: 道路运输 + 道路客运 + 城市交通 + 公路施工 → 4 × 2 = 8 (cap 8);
    # 道路运输 pairs with its two sub-areas; 公路施工's key area 公路工程建设 is absent → no pair
    records = [
        ev("4.2", "03-01", item=x, channel="gov_site")
        for x in ("道路运输", "道路客运", "城市交通", "公路施工")
    ]
    ind = run(records, "07-15").indicator("4.2")
    assert ind.earned == pts(8)
    assert ind.warnings == (
        f"四、2 {NESTED}：道路运输、道路客运",
        f"四、2 {NESTED}：道路运输、城市交通",
    )


def test_4_3_pair_warned_only_when_both_qualify():
    # 4.3 道路运输 on gov_site qualifies, 道路客运 internal does not → 2 points, no pair warning
    records = [
        ev("4.3", "03-01", item="道路运输", channel="gov_site"),
        ev("4.3", "03-02", item="道路客运", channel="internal"),
    ]
    report = run(records, "07-15")
    assert report.indicator("4.3").earned == pts(2)
    assert not any(NESTED in w for w in report.all_warnings())


def test_sub_area_of_another_key_area_is_not_a_pair():
    # 道路运输 + 港口 (a sub-area of 水路运输) → 2 × 0.5 = 1, no warning
    records = [ev("4.4", "03-01", item=x) for x in ("道路运输", "港口")]
    ind = run(records, "07-15").indicator("4.4")
    assert (ind.earned, ind.warnings) == (pts(1), ())


# --- the 评分口径 say each of these ------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("1.1", "尚无领导小组记录时专班不计分"),
        ("2.2", "社会信用体系建设牵头部门"),
        ("4.1", "两个条件缺一不计分"),
        ("4.2", NESTED),
        ("4.3", NESTED),
        ("4.4", NESTED),
    ],
)
def test_interpretation_says_it(code: str, words: str):
    assert words in cat.indicator(code).interpretation


def _bundled_raw() -> dict:
    import tomllib

    return tomllib.loads(catalog_path().read_text("utf-8"))


def test_deadlines_json_says_what_is_missing(run_cli, tmp_path) -> None:
    # a 专班 of 2 imported without its 领导小组: as of 07-15 (--today) the 04-30 office
    # deadline is overdue with its 2 points at stake, and says why
    assert run_cli("init", "--year", "2024").code == 0
    csv = tmp_path / "office.csv"
    csv.write_text("指标,事项,日期,责任单位,标题,数量\n1.1,office,2024-04-08,法规科,专班名单,2\n")
    assert run_cli("import", csv).code == 0
    result = run_cli("deadlines", "--from", "2024-04-30", "--to", "2024-04-30", "--json")
    assert result.code == 0, result.err
    office = next(i for i in json.loads(result.out) if i["component"] == "office")
    assert (office["status"], office["at_stake"]) == ("已逾期", 2)
    assert office["missing"] == NO_GROUP
    group = next(i for i in json.loads(result.out) if i["component"] == "group")
    assert "missing" not in group


@pytest.mark.parametrize(
    ("vocab", "target", "ok"),
    [
        ("case_type", "企业", True),
        ("case_type", "公司", False),
        ("partner", "宣传部门", True),
        ("partner", "财政部门", False),
        ("product", "信易游", True),
        ("product", "诚信游", False),
        ("free", "某数据集", True),
        ("free", "  ", False),
    ],
)
def test_an_alias_must_point_at_a_name_of_its_vocabulary(vocab: str, target: str, ok: bool):
    raw = _bundled_raw()
    raw["vocabulary"]["item_aliases"] = {vocab: {"别名": target}}
    if ok:
        assert parse_catalog(raw).vocabulary.canonical_item(vocab, "别名") == target
    else:
        with pytest.raises(CatalogError, match=f"别名 别名 指向未知的名称 {target}"):
            parse_catalog(raw)
