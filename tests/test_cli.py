"""The ``credit-tui`` command line (SPEC section 9), run through its real entry point."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from credit_tui.reports.text import width
from credit_tui.store.database import Store

HEADER = "指标,事项,对象,日期,责任单位,标题,材料类型,数量,状态"
ROWS = [
    "1.1,group,,2024-04-08,办公室,关于成立领导小组的通知,notice,,",
    "1.1,office,,2024-04-08,法规科,专班人员名单,,3,",
    "1.4,,,2024-03-20,法规科,一季度领导小组会议,minutes,,",
    "3.1,,,2024-02-05,法规科,信用交通建设动员会,report,,",
    "4.2,,道路客运,2024-06-18,客运科,道路客运企业信用评价结果,publicity,,",
]


def write_csv(path: Path, header: str, rows: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def figures(data: dict) -> dict[str, tuple[float, float]]:
    """(earned, lost) of the total, each category and each indicator of ``score --json``."""
    out = {"total": (data["earned"], data["lost"])}
    out |= {f"cat {c['code']}": (c["earned"], c["lost"]) for c in data["categories"]}
    out |= {i["code"]: (i["earned"], i["lost"]) for i in data["indicators"]}
    return out


# ROWS scored as of 07-15, by hand (Q1, Q2, April–June ended):
#   1.1 group 1 + office min(3, 2) = 2 (the group exists) → 3, lost 0
#   1.2 nothing: April–June ended without a ledger → lost its 2 (the plan loses nothing yet)
#   1.4 Q1 one meeting → 1; Q2 ended empty → lost 1
#   2.1 Q1 and Q2 ended empty → lost 2
#   3.1 (default credit_site) Q1 one report → 1 of its 2, lost 1; Q2 empty → lost 2 → lost 3
#   4.2 道路客运 (default gov_site) → 2
#   earned 3 + 1 + 1 + 2 = 7; lost 2 + 1 + 2 + 3 = 8; categories 一 4/3, 二 0/2, 三 1/3, 四 2/0
ROWS_JULY = {"total": (7, 8), "1.1": (3, 0), "1.2": (0, 2), "1.4": (1, 1), "2.1": (0, 2)}
ROWS_JULY |= {"3.1": (1, 3), "4.2": (2, 0), "cat 1": (4, 3), "cat 2": (0, 2), "cat 3": (1, 3)}
ROWS_JULY |= {"cat 4": (2, 0), "cat 5": (0, 0), "1.3": (0, 0), "3.2": (0, 0), "7.1": (0, 0)}


def counts(out: str) -> tuple[int, int, int]:
    match = re.search(r"新增 (\d+) 条，替换 (\d+) 条，未变 (\d+) 条", out)
    assert match, out
    added, replaced, unchanged = (int(g) for g in match.groups())
    return added, replaced, unchanged


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- init ------------------------------------------------------------------------------


def test_init_creates_the_store(run_cli) -> None:
    result = run_cli("init", "--year", "2024")
    assert result.code == 0, result.err
    assert "已创建" in result.out and "2024" in result.out
    assert run_cli.db.is_file()
    with Store.open(run_cli.db) as store:
        assert store.campaign.year == 2024
        assert store.count() == 0


def test_init_twice_same_year_changes_nothing(run_cli, tmp_path: Path) -> None:
    assert run_cli("init", "--year", "2024").code == 0
    write_csv(tmp_path / "in" / "ev.csv", HEADER, ROWS[:2])
    assert run_cli("import", tmp_path / "in" / "ev.csv").code == 0
    before = file_hash(run_cli.db)
    with Store.open(run_cli.db) as store:
        records_before, log_before = store.records(), store.log(1000)

    result = run_cli("init", "--year", "2024", proc=True)
    assert result.code == 0, result.err
    assert "未作改动" in result.out
    assert file_hash(run_cli.db) == before
    with Store.open(run_cli.db) as store:
        assert store.records() == records_before
        assert store.log(1000) == log_before


def test_init_other_year_is_refused(run_cli) -> None:
    assert run_cli("init", "--year", "2024").code == 0
    before = file_hash(run_cli.db)
    result = run_cli("init", "--year", "2025", proc=True)
    assert result.code == 2
    assert "2024" in result.err and "2025" in result.err and "年度" in result.err
    assert "Traceback" not in result.err
    assert file_hash(run_cli.db) == before
    with Store.open(run_cli.db) as store:
        assert store.campaign.year == 2024


# --- import and score ------------------------------------------------------------------


def test_import_then_score_json_hand_computed(run_cli, tmp_path: Path) -> None:
    assert run_cli("init", "--year", "2024").code == 0
    result = run_cli("import", write_csv(tmp_path / "in" / "ev.csv", HEADER, ROWS))
    assert result.code == 0, result.err
    assert counts(result.out) == (len(ROWS), 0, 0)

    shown = run_cli("score", "--json")
    assert shown.code == 0, shown.err
    data = json.loads(shown.out)
    assert {k: v for k, v in figures(data).items() if k in ROWS_JULY} == ROWS_JULY
    assert data["potential"] == 100 - 8
    assert data["year"] == 2024 and data["as_of"] == "2024-07-15" and data["max"] == 100
    assert [c["code"] for c in data["categories"]] == list("1234567")
    assert len(data["indicators"]) == 23
    assert data["earned"] > 0

    # as of 03-31 no quarter or month has ended (03-31 is not before 03-31): nothing lost;
    # 1.4 (03-20) 1 + 3.1 (02-05) 1 = 2; the three records dated after 03-31 wait, warned
    march = json.loads(run_cli("score", "--as-of", "2024-03-31", "--json").out)
    assert (march["as_of"], march["earned"], march["lost"]) == ("2024-03-31", 2, 0)
    assert figures(march)["1.4"] == figures(march)["3.1"] == (1, 0)
    assert march["warnings"] == ["3 条记录的日期晚于截至日期 2024-03-31，暂不计分"]


def test_importing_the_same_file_twice_adds_nothing(run_cli, tmp_path: Path) -> None:
    assert run_cli("init", "--year", "2024").code == 0
    path = write_csv(tmp_path / "in" / "ev.csv", HEADER, ROWS)
    assert counts(run_cli("import", path).out) == (len(ROWS), 0, 0)
    with Store.open(run_cli.db) as store:
        first = store.records()
    again = run_cli("import", path)
    assert again.code == 0
    assert counts(again.out) == (0, 0, len(ROWS))
    with Store.open(run_cli.db) as store:
        assert store.records() == first


def test_explicit_id_with_changed_title_replaces(run_cli, tmp_path: Path) -> None:
    assert run_cli("init", "--year", "2024").code == 0
    header = "编号," + HEADER
    first = write_csv(tmp_path / "a.csv", header, [f"r-{i}," + row for i, row in enumerate(ROWS)])
    assert counts(run_cli("import", first).out) == (len(ROWS), 0, 0)
    rows = [f"r-{i}," + row for i, row in enumerate(ROWS)]
    rows[2] = rows[2].replace("一季度领导小组会议", "一季度领导小组会议（修订）")
    second = write_csv(tmp_path / "b.csv", header, rows)
    result = run_cli("import", second)
    assert result.code == 0, result.err
    assert counts(result.out) == (0, 1, len(ROWS) - 1)
    with Store.open(run_cli.db) as store:
        assert store.count() == len(ROWS)
        assert store.get("r-2").title == "一季度领导小组会议（修订）"


def test_planned_records_count_only_in_the_projection(run_cli, tmp_path: Path) -> None:
    assert run_cli("init", "--year", "2024").code == 0
    done = write_csv(tmp_path / "done.csv", HEADER, ROWS)
    assert run_cli("import", done).code == 0
    base = json.loads(run_cli("score", "--json").out)
    base_projected = json.loads(run_cli("score", "--projected", "--json").out)

    planned = write_csv(
        tmp_path / "planned.csv",
        HEADER,
        ["1.3,,,2024-09-01,政策研究室,年度工作要点,,,计划"],
    )
    assert run_cli("import", planned).code == 0
    with Store.open(run_cli.db) as store:
        assert [r.status for r in store.records() if r.indicator == "1.3"] == ["planned"]

    now = json.loads(run_cli("score", "--json").out)
    assert now["earned"] == base["earned"] == 7  # see ROWS_JULY; the planned 1.3 adds nothing
    ind = {i["code"]: i for i in now["indicators"]}
    assert ind["1.3"]["earned"] == 0

    # year end, the planned 1.3 delivered: ROWS' 7 points + 1.3's 2 = 9
    projected = json.loads(run_cli("score", "--projected", "--json").out)
    assert (projected["as_of"], projected["earned"]) == ("2024-12-31", 9)
    pind = {i["code"]: i for i in projected["indicators"]}
    assert pind["1.3"]["earned"] == pind["1.3"]["max"] == 2
    assert projected["earned"] == base_projected["earned"] + 2


# --- undo and log ----------------------------------------------------------------------


def test_undo_restores_a_deleted_record_and_walks_back(run_cli, tmp_path: Path) -> None:
    assert run_cli("init", "--year", "2024").code == 0
    header = "编号," + HEADER
    path = write_csv(tmp_path / "ev.csv", header, [f"r-{i}," + row for i, row in enumerate(ROWS)])
    assert run_cli("import", path).code == 0
    with Store.open(run_cli.db) as store:
        original = store.get("r-1")
        assert store.delete("r-1")
        assert store.get("r-1") is None

    log = run_cli("log")
    assert log.code == 0
    lines = log.out.splitlines()
    assert "删除" in lines[0] and "专班人员名单" in lines[0]
    assert all("新增" in line for line in lines[1:]) and len(lines) == 1 + len(ROWS)
    ids = [int(re.match(r"#(\d+)", line).group(1)) for line in lines]
    assert ids == sorted(ids, reverse=True)

    result = run_cli("undo")
    assert result.code == 0 and "撤销" in result.out
    with Store.open(run_cli.db) as store:
        assert store.get("r-1") == original
        assert store.count() == len(ROWS)

    result = run_cli("undo")  # walks back to the import
    assert result.code == 0 and "导入" in result.out
    with Store.open(run_cli.db) as store:
        assert store.count() == 0

    newest = run_cli("log").out.splitlines()[0]
    assert "撤销" in newest

    result = run_cli("undo", proc=True)
    assert result.code == 0
    assert "没有可撤销的修改" in result.out
    assert "Traceback" not in result.err


def test_undo_with_nothing_to_undo(run_cli) -> None:
    assert run_cli("init", "--year", "2024").code == 0
    result = run_cli("undo", proc=True)
    assert result.code == 0, result.err
    assert "没有可撤销的修改" in result.out


def test_undo_of_an_import_that_replaced_restores_the_old_values(run_cli, tmp_path) -> None:
    assert run_cli("init", "--year", "2024").code == 0
    header = "编号," + HEADER
    assert run_cli("import", write_csv(tmp_path / "a.csv", header, ["x-1," + ROWS[3]])).code == 0
    changed = "x-1," + ROWS[3].replace("动员会", "动员大会")
    assert counts(run_cli("import", write_csv(tmp_path / "b.csv", header, [changed])).out) == (
        0,
        1,
        0,
    )
    assert run_cli("undo").code == 0
    with Store.open(run_cli.db) as store:
        assert store.get("x-1").title == "信用交通建设动员会"


# --- status and deadlines --------------------------------------------------------------


def test_status_fits_80_columns_on_the_demo_store(run_cli, demo_db: Path) -> None:
    result = run_cli("status", db=demo_db)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    too_wide = [line for line in lines if width(line) > 80]
    assert too_wide == []
    text = result.out
    assert "总分" in text
    for name in (
        "制度建设",
        "联动机制",
        "信息管理",
        "信用应用",
        "诚信宣传",
        "培训交流",
        "探索创新",
    ):
        assert name in text
    assert "已逾期" in text
    assert re.search(r"^待办最多的单位$", text, re.M)  # the departments section
    section = text.split("待办最多的单位", 1)[1]
    assert re.search(r"^  法规科 +待办 +\d+ · 逾期 +\d+ · 失分 +\d+$", section, re.M)


def test_deadlines_filters_by_range_and_department(run_cli, demo_db: Path) -> None:
    result = run_cli(
        "deadlines",
        "--from",
        "2024-03-01",
        "--to",
        "2024-09-30",
        "--department",
        "客运科",
        "--json",
        db=demo_db,
    )
    assert result.code == 0, result.err
    items = json.loads(result.out)
    assert items
    for item in items:
        assert "2024-03-01" <= item["due"] <= "2024-09-30"
        assert "客运科" in item["departments"]

    everything = json.loads(run_cli("deadlines", "--json", db=demo_db).out)
    expected = [
        i
        for i in everything
        if "2024-03-01" <= i["due"] <= "2024-09-30" and "客运科" in i["departments"]
    ]
    assert items == expected
    assert len(everything) > len(items)


def test_deadlines_unknown_department(run_cli, demo_db: Path) -> None:
    result = run_cli("deadlines", "--department", "宣传科", db=demo_db, proc=True)
    assert result.code == 2
    assert "宣传科" in result.err and "未知的责任单位" in result.err
    assert "Traceback" not in result.err


# --- usage errors ----------------------------------------------------------------------


def _has_chinese(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fff]", text) is not None


@pytest.mark.parametrize(
    ("args", "today"),
    [
        (["frobnicate"], "2024-07-15"),
        (["export", "evidence"], "2024-07-15"),
        (["score"], "2024-13-45"),
        (["score"], "yesterday"),
    ],
    ids=["unknown-command", "missing-out", "bad-today-date", "bad-today-text"],
)
def test_usage_errors(run_cli, args: list[str], today: str) -> None:
    assert run_cli("init", "--year", "2024").code == 0
    result = run_cli(*args, today=today, proc=True)
    assert result.code == 2
    assert _has_chinese(result.err), result.err
    assert "Traceback" not in result.err
    assert result.out == ""


def test_missing_out_names_the_option(run_cli) -> None:
    assert run_cli("init", "--year", "2024").code == 0
    result = run_cli("export", "evidence")
    assert result.code == 2
    assert "--out" in result.err and "缺少参数" in result.err


def test_score_on_a_missing_store(run_cli, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "none.db"
    result = run_cli("score", db=missing, proc=True)
    assert result.code == 2
    assert "不存在" in result.err
    assert "Traceback" not in result.err
    assert not missing.exists()


def test_failed_import_on_a_missing_store_creates_nothing(run_cli, tmp_path: Path) -> None:
    """Exit 2 means nothing changed: a bad file must not leave a new store behind."""
    bad = write_csv(tmp_path / "bad.csv", HEADER, ["9.9,,,2024-05-03,法规科,标题,,,"])
    missing = tmp_path / "fresh" / "credit.db"
    result = run_cli("import", bad, db=missing, proc=True)
    assert result.code == 2
    assert "bad.csv:2: 指标:" in result.err
    assert not missing.exists()


# --- read-only commands stay light ---------------------------------------------------------

NO_TEXTUAL = """
import json, sys
from credit_tui.cli.entry import main
code = main(sys.argv[1:])
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(json.dumps({"code": code, "textual": loaded}))
"""


@pytest.mark.parametrize(
    "command", [["status"], ["score", "--json"], ["deadlines"], ["log"]], ids=lambda c: c[0]
)
def test_read_only_commands_do_not_import_textual(
    demo_db: Path, command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONIOENCODING", "utf-8")
    done = subprocess.run(
        [sys.executable, "-c", NO_TEXTUAL, "--db", str(demo_db), "--today", "2024-07-15", *command],
        capture_output=True,
        encoding="utf-8",
        cwd=demo_db.parent,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"code": 0, "textual": []}
