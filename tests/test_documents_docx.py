"""The Word documents, read back with python-docx: 自评报告, 会议报告 and 督办通知 on the demo
store (figures checked by hand against the demo's evidence, not against the engine only)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from credit_tui.scoring.key_tasks import KEY_TASK as KEY
from credit_tui.store.database import Store


def headings(doc, style: str) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == style]


def first_column(table) -> list[str]:
    return [row.cells[0].text for row in table.rows]


def test_self_assessment_report(run_cli, demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "自评报告.docx"
    done = run_cli("export", "self-assessment", "--out", out, db=demo_db)
    assert done.code == 0 and "已导出自评报告" in done.out
    doc = Document(str(out))
    section = doc.sections[0]
    size = (round(section.page_width.mm), round(section.page_height.mm))
    assert size == (210, 297)  # A4 portrait (twips round 210 mm to 210.009)
    title = next(p for p in doc.paragraphs if p.style.name == "Title")
    assert "钢城区城乡交通运输局" in title.text and "2024 年度" in title.text
    run = title.runs[0]
    assert run.font.size == Pt(22)  # 二号
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    # the demo at 2024-07-15 (see `status`): 一 11/13, 二 1/5, 三 6/12, 四 9/25, 五 2.5/15,
    # 六 3/6, 七 5/24; 11+1+6+9+2.5+3+5 = 37.5
    assert headings(doc, "Heading 1") == [
        "基本情况",
        "一、制度建设（满分 13 分，自评 11 分）",
        "二、联动机制（满分 5 分，自评 1 分）",
        "三、信息管理（满分 12 分，自评 6 分）",
        "四、信用应用（满分 25 分，自评 9 分）",
        "五、诚信宣传（满分 15 分，自评 2.5 分）",
        "六、培训交流（满分 6 分，自评 3 分）",
        "七、探索创新（满分 24 分，自评 5 分）",
    ]
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "自评得分 37.5 分，已失分 2 分，年内最高可达 98 分" in body
    assert "缺佐证材料（既无附件也无链接）21 条，涉及 12 项指标" in body
    with Store.open(demo_db) as store:
        catalog = store.catalog
    per_indicator = headings(doc, "Heading 3")
    assert per_indicator == [f"{catalog.display_code(i.code)} {i.name}" for i in catalog.indicators]
    tables = doc.tables[1:]  # after the summary by category
    assert len(tables) == 23
    for ind, table in zip(catalog.indicators, tables, strict=True):
        labels = first_column(table)
        assert labels[:4] == ["评估标准", "自评得分", "扣分说明", "佐证材料"], ind.code
        assert table.rows[0].cells[1].text == ind.criteria
        assert ("评分口径" in labels) == bool(ind.interpretation)
    plan = dict((r.cells[0].text, r.cells[1].text) for r in tables[2].rows)  # 1.3
    assert plan["自评得分"] == "2 分（满分 2 分）"
    assert plan["缺佐证材料"] == "2024-03-05 2024 年全区交通运输工作要点"
    work = dict((r.cells[0].text, r.cells[1].text) for r in tables[1].rows)  # 1.2
    assert "（链接：https://www.gangcheng.gov.cn/art/2024/4/18/plan.html）" in work["佐证材料"]
    assert "缺佐证材料" not in work
    footer = section.footer._element.xml
    assert "PAGE" in footer and "fldChar" in footer
    fonts = doc.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
    ).blob.decode()
    assert 'w:name="仿宋_GB2312"' in fonts and 'w:altName w:val="仿宋"' in fonts


def test_meeting_report_as_word(run_cli, demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "会议报告.docx"
    assert run_cli("report", "--out", out, db=demo_db).code == 0
    doc = Document(str(out))
    assert headings(doc, "Heading 1") == [
        "一、总体得分",
        "二、得分表",
        "三、得分趋势（各月月末）",
        "四、已失分（2 项）",
        "五、已逾期（2 项）",
        "六、14 天内到期（0 项）",
        # the demo has no 重点任务 record: by 7-15 （三）（六） monthly January–June (2 × 6)
        # and （一）（二）（四）（五）（七）（八） Q1–Q2 (6 × 2) are overdue = 24; none due by 7-29
        "七、重点任务（不计分）：已逾期 24 项，即将到期 0 项",
        "八、各责任单位任务情况",
        "九、提示",
    ]
    key_rows = [[c.text for c in r.cells] for r in doc.tables[4].rows]
    assert key_rows[0] == ["时间节点", "重点任务", "责任单位", "状态", "分值"]
    assert len(key_rows) == 1 + 24 and {r[4] for r in key_rows[1:]} == {"不计分"}
    score_table, trend = doc.tables[0], doc.tables[1]
    total = [c.text for c in score_table.rows[-1].cells]
    assert total == ["合计", "37.5", "2", "98", "100", "47.5"]  # 得分 已失 可达 满分 预计
    months = [r.cells[0].text for r in trend.rows[1:]]
    assert months == ["1月（月末）", "2月（月末）", "3月（月末）", "4月（月末）",
                      "5月（月末）", "6月（月末）", "7月（截至15日）"]  # fmt: skip
    assert trend.rows[-1].cells[1].text == "37.5"
    overdue = [[c.text for c in r.cells][:2] for r in doc.tables[3].rows[1:]]
    assert overdue == [["6月30日", "二、2"], ["6月30日", "五、3"]]


def _deadline_items(run_cli, demo_db: Path, dept: str, today: str) -> list[tuple[str, str]]:
    done = run_cli("deadlines", "--department", dept, "--json", db=demo_db, today=today)
    occs = json.loads(done.out)
    # the notice lists the scored deadlines, then the 重点任务 checks (kind key_task,
    # indicator 重点任务, never scored), in the order deadlines lists them
    return [(o["indicator"], o["due"]) for o in occs if o["status"] in ("已逾期", "即将到期")]


def _notice_items(path: Path) -> tuple[list[list[str]], str]:
    doc = Document(str(path))
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows[1:]]
    return rows, "\n".join(p.text for p in doc.paragraphs)


def test_notice_to_one_department(run_cli, demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "督办通知-法规科.docx"
    done = run_cli(
        "export", "notice", "--department", "法规科", "--as-of", "2024-07-20", "--out", out,
        db=demo_db, today="2024-07-20",
    )  # fmt: skip
    assert done.code == 0, done.err
    rows, text = _notice_items(out)
    # As of 7-20, 法规科's share: 2.2 (with 办公室; 宣传部门 not yet coordinated, 1 point) and
    # 5.3 (with 政策研究室; no 一把手谈信用 article, 2 points) were due 6-30; due within 14 days
    # (7-20 … 8-03): the July ledger of 1.2 (2 points) and 7.1's policy file (5 of 10 points
    # still open, 信易贷 has its 5) on 7-31.
    assert [(r[1], r[3], r[4]) for r in rows[:4]] == [
        ("二、2", "6 月 30 日\n已逾期", "1"),
        ("五、3", "6 月 30 日\n已逾期", "2"),
        ("一、2", "7 月 31 日\n即将到期", "2"),
        ("七、1", "7 月 31 日\n即将到期", "5"),
    ]
    # then 法规科's 重点任务 checks (（一）（二）（三）（六）（七）; the demo has no key-task
    # record): （三）（六） monthly, January–June overdue = 2 × 6 = 12, July's due soon = 2;
    # （一）（二）（七） quarterly, Q1 and Q2 overdue = 3 × 2 = 6 — 20 rows, none with points
    tasks = rows[4:]
    assert len(tasks) == 12 + 2 + 6
    assert {r[1] for r in tasks} == {"重点任务"} and {r[4] for r in tasks} == {"不计分"}
    assert tasks[0][2:4] == ["（三）加强信用信息归集共享（“双公示”）（1 月）", "1 月 31 日\n已逾期"]
    assert tasks[0][5] == "1 月尚无完成记录"
    assert sum(r[3].endswith("即将到期") for r in tasks) == 2
    assert "其中重点任务 20 项，不计分" in text
    assert rows[0][5] == "缺 宣传部门"
    assert rows[1][5] == "尚无佐证材料"
    assert rows[2][5] == "7 月尚无佐证材料"
    # the same items as `deadlines --department 法规科 --json` lists overdue or due soon
    json_items = _deadline_items(run_cli, demo_db, "法规科", "2024-07-20")
    assert json_items[:4] == [("2.2", "2024-06-30"), ("5.3", "2024-06-30"),
                              ("1.2", "2024-07-31"), ("7.1", "2024-07-31")]  # fmt: skip
    due = [(r[1], r[3].split("\n")[0]) for r in rows]
    assert {c for c, _ in json_items[4:]} == {KEY}
    assert len(json_items) == len(rows) == 24
    assert [d for _, d in due[4:]] == [
        f"{int(d[5:7])} 月 {int(d[8:])} 日" for _, d in json_items[4:]
    ]
    assert "〔　　〕第　　号" in text and "法规科：" in text
    assert "截至 2024 年 7 月 20 日" in text and text.rstrip().endswith("2024 年 7 月 20 日")
    # lost for good: 2.1's second-quarter joint study and 3.1's second-quarter reports
    assert "1. 二、1 与市局季度共同研究：失 1 分" in text
    assert "2. 三、1 报送信用工作信息：失 1 分" in text


@pytest.mark.parametrize("dept", ["办公室", "政策研究室", "客运科", "公路综合科"])
def test_notice_items_equal_the_deadlines_json(
    run_cli, demo_db: Path, tmp_path: Path, dept: str
) -> None:
    out = tmp_path / f"{dept}.docx"
    done = run_cli("export", "notice", "--department", dept, "--out", out, db=demo_db)
    expected = _deadline_items(run_cli, demo_db, dept, "2024-07-15")
    if not expected:  # 公路综合科 has nothing overdue or due by 7-29: refused, no file
        assert done.code == 2 and "无需督办" in done.err and not out.exists()
        return
    assert done.code == 0
    rows, _ = _notice_items(out)
    with Store.open(demo_db) as store:
        shown = {store.catalog.display_code(code): code for code, _ in expected if code != KEY}
    shown["重点任务"] = KEY
    due = [(shown[r[1]], r[3].split("\n")[0]) for r in rows]
    assert due == [(code, f"{int(d[5:7])} 月 {int(d[8:])} 日") for code, d in expected]


def test_notices_for_all_departments(run_cli, demo_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "通知"
    done = run_cli("export", "notice", "--all", "--out", folder, db=demo_db)
    assert done.code == 0
    # at 7-15 only 2.2 (法规科, 办公室) and 5.3 (法规科, 政策研究室) of the scored items are
    # overdue, nothing due soon; the demo has no 重点任务 record, so every department sharing
    # a key task checked by 6-30 is behind too: （三）（四）（五）（六）（七）（八） add
    # 执法大队, 政务服务大厅交通窗口, 客运科, 货运科, 维管驾培服务科, 安全监督科, 党建办 and
    # 产业发展科; 公路综合科 shares only （九）, due 10-31: no notice
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"督办通知-{d}.docx"
        for d in ["法规科", "办公室", "政策研究室", "执法大队", "政务服务大厅交通窗口", "客运科",
                  "货运科", "维管驾培服务科", "安全监督科", "党建办", "产业发展科"]
    )  # fmt: skip
    rows, _ = _notice_items(folder / "督办通知-办公室.docx")
    # 办公室: 2.2, then （一）（二） in Q1 and Q2 (3-31, 6-30)
    assert [r[1] for r in rows] == ["二、2"] + ["重点任务"] * 4


def test_notice_refuses_bad_input(run_cli, demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.docx"
    bad = run_cli("export", "notice", "--department", "不存在科", "--out", out, db=demo_db)
    assert bad.code == 2 and "未知的责任单位" in bad.err
    pdf = run_cli("export", "notice", "--department", "法规科", "--out", tmp_path / "x.pdf",
                  db=demo_db)  # fmt: skip
    assert pdf.code == 2 and "督办通知应为 .docx" in pdf.err
    assert list(tmp_path.glob("x.*")) == []
