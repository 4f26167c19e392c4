"""重点任务: the bundled (一)–(九), their dated checks and statuses, evidence, never scored."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from credit_tui.scoring import make_evidence
from credit_tui.scoring.calendar import TaskStatus
from credit_tui.scoring.catalog import load_catalog
from credit_tui.scoring.key_tasks import KEY_TASK, key_task_occurrences

AS_OF = date(2024, 7, 15)


def test_the_bundled_table_lists_the_plans_nine_key_tasks_and_still_totals_100() -> None:
    catalog = load_catalog()
    assert [t.numeral for t in catalog.key_tasks] == list("一二三四五六七八九")
    assert catalog.key_tasks[2].title == "加强信用信息归集共享（“双公示”）"
    assert "“双公示”信息公开及时、完整、合规" in catalog.key_tasks[2].text
    assert catalog.total == 200  # halves: 100 points, key tasks add none
    assert all(t.note for t in catalog.key_tasks)  # where the text gives no date, it says so


def _record(fields: dict[str, str]):  # type: ignore[no-untyped-def]
    return make_evidence(load_catalog(), {"title": "材料", **fields}, today=AS_OF)


def test_a_key_tasks_checks_are_done_by_a_record_in_their_period() -> None:
    may = _record({"indicator": "重点任务（三）", "date": "2024-05-10"})
    assert (may.indicator, may.component, may.department) == (
        KEY_TASK, "double_publicity", "政务服务大厅交通窗口",
    )  # fmt: skip
    planned = _record({"indicator": KEY_TASK, "component": "double_publicity",
                       "date": "2024-07-20", "status": "planned"})  # fmt: skip
    occs = [o for o in key_task_occurrences(load_catalog(), 2024, [may, planned], AS_OF)
            if o.task.key == "double_publicity"]  # fmt: skip
    statuses = {o.label: o.status for o in occs}
    # monthly: January–April and June passed with no record, May has one, July (ends 07-31,
    # 16 days after 07-15, beyond the 14 days' warning) holds a planned record; August on
    # nothing yet
    assert len(occs) == 12
    assert [statuses[f"{m} 月"] for m in (1, 2, 3, 4, 6)] == [TaskStatus.OVERDUE] * 5
    assert statuses["5 月"] is TaskStatus.DONE
    assert statuses["7 月"] is TaskStatus.IN_PROGRESS
    assert statuses["8 月"] is TaskStatus.NOT_STARTED


def test_a_dated_key_task_is_due_soon_in_its_last_two_weeks() -> None:
    occs = key_task_occurrences(load_catalog(), 2024, [], date(2024, 10, 20))
    special = [o for o in occs if o.task.key == "special"]
    assert [(o.due, o.status) for o in special] == [(date(2024, 10, 31), TaskStatus.DUE_SOON)]


def test_key_task_records_never_enter_the_score(run_cli, demo_db: Path, tmp_path) -> None:
    before = json.loads(run_cli("score", "--json", db=demo_db).out)
    csv = tmp_path / "重点任务.csv"
    csv.write_text(
        "指标,事项,日期,责任单位,标题\n重点任务（六）,,2024-06-03,执法大队,6 月红黑名单推送\n"
        "重点任务,double_publicity,2024-07-02,,6 月“双公示”核对\n",
        encoding="utf-8",
    )
    assert run_cli("import", csv, db=demo_db).code == 0
    after = json.loads(run_cli("score", "--json", db=demo_db).out)
    assert after == before  # 37.5 of 100 either way: the records are kept, counted nowhere
    status = run_cli("status", db=demo_db).out
    assert "重点任务（不计分）" in status
    assert "（六）加强事后信用奖惩（红黑名单推…  已完成 1/12 · 逾期 5 次 · 下次 07-31" in status
    listing = json.loads(
        run_cli("deadlines", "--from", "2024-06-01", "--to", "2024-06-30",
                "--department", "执法大队", "--json", db=demo_db).out
    )  # fmt: skip
    keyed = [i for i in listing if i["indicator"] == KEY_TASK]
    # 执法大队 shares (三) and (六): June's 双公示 check has no record (07-02 is July's)
    assert [(i["component"], i["status"], i["at_stake"]) for i in keyed] == [
        ("double_publicity", "已逾期", 0),
        ("lists", "已完成", 0),
    ]
    exported = tmp_path / "全部.csv"
    assert run_cli("export", "evidence", "--out", exported, db=demo_db).code == 0
    assert run_cli("import", exported, db=demo_db).out.startswith("导入完成：新增 0 条")
