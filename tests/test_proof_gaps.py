"""缺佐证材料: a record that counts toward 已得 with neither attachment nor link, counted by
hand on a store of five records, and on the demo store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from credit_tui.reports.proof import by_id, gap_ids, gaps_by_indicator, lacks_proof
from credit_tui.scoring.engine import score
from credit_tui.scoring.evidence import Evidence
from credit_tui.store.database import Store

HEADER = "id,indicator,component,date,department,title,kind,quantity,url,attachment,status"
ROWS = [
    # counts (the 1.3 work plan), nothing attached, no link: the one gap
    "g-1,1.3,plan,2024-03-05,政策研究室,2024 年全区交通运输工作要点,,,,,",
    # counts, a link only: proof enough
    "g-2,1.1,group,2024-04-08,办公室,关于成立领导小组的通知,notice,,https://example.gov.cn/a.html,,",
    # counts, an attached file only: proof enough
    "g-3,1.1,office,2024-04-08,法规科,信用工作专班人员名单,,2,,名单.txt,",
    # planned: never counts toward 已得, so no gap even without proof
    "g-4,1.4,study,2024-03-20,法规科,一季度专题学习,minutes,,,,planned",
    # dated after today (2024-07-15): not counted yet
    "g-5,1.4,study,2024-08-01,法规科,三季度专题学习,minutes,,,,",
]


def small_store(run_cli, tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "名单.txt").write_text("张三 李四", encoding="utf-8")
    (folder / "e.csv").write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    assert run_cli("init", "--year", "2024").code == 0
    assert run_cli("import", folder / "e.csv").code == 0
    return run_cli.db


def test_only_the_counted_record_without_file_or_link_is_a_gap(run_cli, tmp_path: Path) -> None:
    db = small_store(run_cli, tmp_path)
    with Store.open(db) as store:
        records = by_id(store.records())
        report = score(store.catalog, list(records.values()), year=2024, as_of=date(2024, 7, 15))
    assert [rid for rid in sorted(records) if lacks_proof(records[rid])] == ["g-1", "g-4", "g-5"]
    assert gap_ids(report, records) == {"g-1"}  # g-4 planned, g-5 not yet counted
    assert {k: [r.id for r in v] for k, v in gaps_by_indicator(report, records).items()} == {
        "1.3": ["g-1"]
    }
    out = run_cli("status")
    assert "缺佐证材料 1 条" in out.out


def test_the_self_assessment_marks_the_gap_per_indicator(run_cli, tmp_path: Path) -> None:
    small_store(run_cli, tmp_path)
    out = tmp_path / "sa.xlsx"
    assert run_cli("export", "self-assessment", "--out", out).code == 0
    sheet = load_workbook(out).active
    cells = {str(row[0].value): str(row[5].value or "") for row in sheet.iter_rows(min_row=3)}
    plan = cells["一、3 年度工作要点纳入信用工作"]
    assert plan.startswith("【缺佐证材料 1 条】")
    assert "2024 年全区交通运输工作要点（缺佐证材料）" in plan
    group = cells["一、1 创建领导小组及信用工作专班"]
    assert "缺佐证材料" not in group
    assert "（链接：https://example.gov.cn/a.html）" in group
    assert "（附件：名单.txt）" in group


def test_demo_status_counts_and_a_link_closes_a_gap(run_cli, demo_db: Path) -> None:
    # per indicator at 2024-07-15: 1.3:1 2.2:2 3.1:4 3.2:2 4.2:1 4.3:2 4.4:2 4.5:2 5.3:1
    # 5.4:2 6.2:1 7.1:1 → 1+2+4+2+1+2+2+2+1+2+1+1 = 21
    assert "缺佐证材料 21 条" in run_cli("status", db=demo_db).out
    with Store.open(demo_db) as store:
        rec = next(r for r in store.records() if r.id == "demo-007")
        linked = Evidence(**{**rec.model_dump(), "url": "https://www.gangcheng.gov.cn/yd.html"})
        store.save(linked)
    assert "缺佐证材料 20 条" in run_cli("status", db=demo_db).out
