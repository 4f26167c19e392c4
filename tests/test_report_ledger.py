"""月度工作台账 (``export ledger``): every format read back with its own reader and checked
against the demo store scored independently through the engine and the calendar."""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from credit_tui.cli.entry import main
from credit_tui.interchange.evidence import InterchangeError
from credit_tui.reports.ledger import HEADER, export_ledger
from credit_tui.scoring.calendar import TaskStatus, occurrences
from credit_tui.scoring.dates import month_end
from credit_tui.scoring.engine import score
from credit_tui.scoring.points import fmt
from credit_tui.service.writes import record_ledger
from credit_tui.store.database import Store

TODAY = date(2024, 7, 15)
ORG = "钢城区城乡交通运输局"
FORMATS = ("xlsx", "csv", "md")
MONTHLY = ("1.2", "monthly")


@dataclass
class Sheet:
    """A ledger file as its reader sees it."""

    title: str
    header: list[str]
    rows: list[dict[str, str]]


def _text(value: object) -> str:
    return "" if value is None else str(value)


def read_ledger(path: Path) -> Sheet:
    suffix = path.suffix
    if suffix == ".xlsx":
        sheet = load_workbook(path).active
        values = [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        title, header, body = values[0][0], values[1], values[2:]
    elif suffix == ".csv":
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with the UTF-8 BOM for Excel"
        with path.open(encoding="utf-8-sig", newline="") as fh:
            values = list(csv.reader(fh))
        title, header, body = "　".join(values[0]), values[1], values[2:]
    else:
        lines = path.read_text(encoding="utf-8").splitlines()
        table = [line for line in lines if line.startswith("|")]
        title = "\n".join(line for line in lines if line and not line.startswith("|"))

        def cells(line: str) -> list[str]:
            parts = re.split(r"(?<!\\) \| ", line.strip()[2:-2])
            return [p.replace("<br>", "\n").replace("\\|", "|") for p in parts]

        header, body = cells(table[0]), [cells(line) for line in table[2:]]
    return Sheet(title, header, [dict(zip(header, row, strict=True)) for row in body])


@pytest.fixture
def store(demo_db: Path):
    with Store.open(demo_db) as opened:
        yield opened


def expected(store: Store, month: date) -> tuple[list[tuple[str, str]], object, list]:
    """The components the ledger must list (catalog order), the report and the occurrences."""
    end = month_end(month.year, month.month)
    as_of = min(end, TODAY)
    catalog = store.catalog
    report = score(catalog, store.records(), year=store.campaign.year, as_of=as_of)
    occs = occurrences(catalog, report)
    due = {(o.spec.indicator, o.spec.component) for o in occs if month <= o.due <= end}
    worked = {
        (r.indicator, r.component)
        for r in store.records()
        if month <= r.date <= as_of and not r.planned
    }
    keys = [
        (ind.code, comp.key)
        for ind in catalog.indicators
        for comp in ind.components
        if (ind.code, comp.key) in due | worked
    ]
    return keys, report, occs


def row_key(store: Store, row: dict[str, str]) -> tuple[str, str]:
    """(indicator code, component key) from the 指标 and 工作事项 cells."""
    catalog = store.catalog
    for ind in catalog.indicators:
        if row["指标"] == f"{catalog.display_code(ind.code)} {ind.name}":
            for comp in ind.components:
                if comp.label == row["工作事项"]:
                    return ind.code, comp.key
    raise AssertionError(f"unknown row {row['指标']} / {row['工作事项']}")


@pytest.mark.parametrize("fmt_", FORMATS)
@pytest.mark.parametrize("month_no", [5, 6])
def test_ledger_matches_the_engine(store: Store, tmp_path: Path, month_no: int, fmt_: str) -> None:
    month = date(2024, month_no, 1)
    out = tmp_path / f"ledger.{fmt_}"
    count = export_ledger(store, month, out, today=TODAY)
    sheet = read_ledger(out)
    keys, report, occs = expected(store, month)

    assert ORG in sheet.title
    assert f"2024 年 {month_no} 月" in sheet.title
    assert "制表日期" in sheet.title and "2024-07-15" in sheet.title
    assert sheet.header == list(HEADER)
    assert count == len(sheet.rows) == len(keys)
    assert [row_key(store, row) for row in sheet.rows] == keys
    assert [int(row["序号"]) for row in sheet.rows] == list(range(1, len(keys) + 1))

    end = month_end(2024, month_no)
    statuses = {s.value for s in TaskStatus}
    for row in sheet.rows:
        code, key = row_key(store, row)
        comp = report.component(code, key)
        assert row["得分/满分"] == f"{fmt(comp.earned)}/{fmt(comp.max)}"
        assert row["状态"] in statuses
        ind = store.catalog.by_code[code]
        assert row["责任单位"] == "、".join(ind.component(key).departments)
        wanted = [
            f"{r.date:%m-%d} {r.title}"
            for r in sorted(store.records(), key=lambda r: (r.date, r.id))
            if (r.indicator, r.component) == (code, key)
            and month <= r.date <= min(end, TODAY)
            and not r.planned
        ]
        got = [line for line in row["本月进展"].split("\n") if line]
        assert [g.removesuffix("（不计分）") for g in got] == wanted
        due_here = [
            o
            for o in occs
            if (o.spec.indicator, o.spec.component) == (code, key)
            and month <= o.due <= end
            and o.spec.kind != "suggested"
        ]
        if due_here:
            assert row["状态"] == due_here[0].status.value
            assert row["时间节点"].startswith(f"{due_here[0].due:%m-%d}")

    monthly = next(row for row in sheet.rows if row_key(store, row) == MONTHLY)
    day = {5: "05-31", 6: "06-28"}[month_no]
    assert f"{day} {month_no} 月创建工作台账" in monthly["本月进展"]
    assert monthly["状态"] == TaskStatus.DONE.value


def test_may_lists_exactly_what_was_due_or_done(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "may.md"
    export_ledger(store, date(2024, 5, 1), out, today=TODAY)
    rows = read_ledger(out).rows
    assert [row_key(store, row) for row in rows] == [
        ("1.2", "monthly"),
        ("1.4", "study"),
        ("2.2", "mechanism"),
        ("4.4", "application"),
        ("4.5", "repair"),
    ]
    by_key = {row_key(store, row): row for row in rows}
    assert by_key[("2.2", "mechanism")]["本月进展"].split("\n") == [
        "05-10 与区发改局建立信用工作对接机制",
        "05-16 与区行政审批服务局建立协调机制",
    ]
    # scored as of 31 May: 4.4 has two domains (0.5 each)
    assert by_key[("4.4", "application")]["得分/满分"] == "1/2"


def test_june_shows_exact_halves_and_uncounted_records(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "june.csv"
    export_ledger(store, date(2024, 6, 1), out, today=TODAY)
    by_key = {row_key(store, row): row for row in read_ledger(out).rows}
    assert by_key[("5.3", "case")]["得分/满分"] == "0.5/1"
    assert "06-21 机动车维修企业信用评价结果（不计分）" in by_key[("4.2", "evaluation")]["本月进展"]
    assert ("7.1", "policy") in by_key  # worked on in June, due in July
    assert ("4.3", "supervision") not in by_key  # neither due nor worked on in June


def test_xlsx_is_ready_for_a4_landscape(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "ledger.xlsx"
    export_ledger(store, date(2024, 6, 1), out, today=TODAY)
    sheet = load_workbook(out).active
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == str(sheet.PAPERSIZE_A4)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert int(sheet.page_setup.fitToWidth) == 1
    assert sheet.print_title_rows.replace("$", "") == "2:2"
    assert "A1:I1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["F3"].alignment.wrap_text
    assert sheet.column_dimensions["F"].width >= 30
    assert sheet["A2"].font.bold


def test_no_temporary_file_is_left(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "out" / "ledger.xlsx"
    export_ledger(store, date(2024, 5, 1), out, today=TODAY)
    assert [p.name for p in out.parent.iterdir()] == ["ledger.xlsx"]


def test_bad_suffix_is_refused_in_chinese(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "out" / "ledger.pdf"
    with pytest.raises(InterchangeError) as info:
        export_ledger(store, date(2024, 5, 1), out, today=TODAY)
    assert "不支持的文件类型" in str(info.value)
    assert not out.parent.exists()


# --- through the real command line ------------------------------------------------------


def run(db: Path, *args: str) -> int:
    try:
        return main(["--db", str(db), "--today", "2024-07-15", *args])
    except SystemExit as exc:  # argparse usage errors
        return exc.code if isinstance(exc.code, int) else 1


def monthly_records(db: Path) -> list:
    with Store.open(db) as store:
        return [r for r in store.records() if (r.indicator, r.component) == MONTHLY]


def test_record_files_the_ledger_once(demo_db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "台账" / "2024-05 台账.xlsx"
    before = monthly_records(demo_db)
    args = ("export", "ledger", "--month", "2024-05", "--out", str(out), "--record")
    assert run(demo_db, *args) == 0
    printed = capsys.readouterr().out
    assert "已导出" in printed and "已登记" in printed

    after = monthly_records(demo_db)
    assert len(after) == len(before) + 1
    with Store.open(demo_db) as store:
        record = store.get("ledger-2024-05")
        assert record is not None
        assert record.date == date(2024, 5, 31)
        assert record.title == "2024 年 5 月创建工作台账"
        assert record.department == "法规科"
        assert record.kind == "data"
        refs = store.attachments_of("ledger-2024-05")
        assert [ref.name for ref in refs] == [out.name]
        assert refs[0].sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
        stored = store.attachment_path(refs[0].sha256)
        assert stored is not None and stored.read_bytes() == out.read_bytes()

    assert run(demo_db, *args) == 0  # recording the same month again replaces the record
    again = monthly_records(demo_db)
    assert len(again) == len(after)
    assert sum(r.id == "ledger-2024-05" for r in again) == 1
    with Store.open(demo_db) as store:
        refs = store.attachments_of("ledger-2024-05")
        assert len(refs) == 1
        assert refs[0].sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    # the second export already lists the first recording as May's progress
    monthly = next(row for row in read_ledger(out).rows if row["工作事项"] == "月度工作记录/台账")
    assert "05-31 2024 年 5 月创建工作台账" in monthly["本月进展"]


def test_export_without_record_changes_nothing(demo_db: Path, tmp_path: Path) -> None:
    before = monthly_records(demo_db)
    out = tmp_path / "a.md"
    assert run(demo_db, "export", "ledger", "--month", "2024/6", "--out", str(out)) == 0
    assert "2024 年 6 月" in read_ledger(out).title
    assert monthly_records(demo_db) == before


@pytest.mark.parametrize(
    ("month", "name", "message"),
    [
        ("2024-05", "ledger.pdf", "不支持的文件类型"),
        ("2024-13", "ledger.xlsx", "不是月份"),
        ("2023-05", "ledger.xlsx", "不在本数据库的 2024 年度内"),
    ],
)
def test_bad_input_exits_2_without_a_file(
    demo_db: Path, tmp_path: Path, capsys, month: str, name: str, message: str
) -> None:
    folder = tmp_path / "out"
    out = folder / name
    before = monthly_records(demo_db)
    code = run(demo_db, "export", "ledger", "--month", month, "--out", str(out), "--record")
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert not out.exists()
    assert not folder.exists() or list(folder.iterdir()) == []
    assert monthly_records(demo_db) == before


def test_a_month_not_yet_begun_is_not_recorded(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "sep.csv"
    export_ledger(store, date(2024, 9, 1), out, today=TODAY)  # a forward plan is fine
    count = store.count()
    with pytest.raises(InterchangeError) as info:
        record_ledger(store, date(2024, 9, 1), out, today=TODAY)
    assert "尚未开始" in str(info.value)
    assert store.count() == count


def test_current_month_is_recorded_as_of_today(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "jul.md"
    export_ledger(store, date(2024, 7, 1), out, today=TODAY)
    record_ledger(store, date(2024, 7, 1), out, today=TODAY)
    record = store.get("ledger-2024-07")
    assert record is not None and record.date == TODAY
    assert record.title == "2024 年 7 月创建工作台账"
