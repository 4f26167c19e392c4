"""Department fill-in templates: ``credit-tui export template --department 客运科 --out F.xlsx``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from credit_tui.interchange.evidence import InterchangeError, import_file
from credit_tui.interchange.evidence_format import COLUMNS
from credit_tui.reports.template import export_template
from credit_tui.scoring.engine import score
from credit_tui.scoring.evidence import FIELD_LABELS
from credit_tui.store.database import Store

DEPT = "客运科"
AS_OF = date(2024, 8, 15)
LETTER = {key: get_column_letter(i) for i, key in enumerate(COLUMNS, start=1)}
COL = {key: i for i, key in enumerate(COLUMNS, start=1)}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened, _ = Store.create(tmp_path / "store" / "credit.db", 2024)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def template(store: Store, tmp_path: Path) -> Path:
    out = tmp_path / "out" / f"{DEPT}.xlsx"
    export_template(store, DEPT, out)
    return out


def shared_components(store: Store, dept: str) -> list[tuple[str, str]]:
    return [
        (ind.code, comp.label)
        for ind in store.catalog.indicators
        for comp in ind.components
        if dept in comp.departments
    ]


def sheet_text(sheet) -> str:
    return "\n".join(
        str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None
    )


def option_values(book, formula: str) -> list[str]:
    """The values a list validation offers: inline ``"a,b"`` or a range on another sheet."""
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    sheet_name, _, ref = formula.rpartition("!")
    sheet = book[sheet_name.strip("'")]
    min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    return [
        v
        for row in sheet.iter_rows(
            min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col, values_only=True
        )
        for v in row
        if v is not None
    ]


def validations(sheet) -> dict[str, object]:
    """Column key → the data validation covering its row 2 (and row 201)."""
    found = {}
    for dv in sheet.data_validations.dataValidation:
        for key, letter in LETTER.items():
            if f"{letter}2" in dv.sqref and f"{letter}201" in dv.sqref:
                found[key] = dv
    return found


# --- the workbook --------------------------------------------------------------------------


def test_returns_the_number_of_components_listed(store: Store, tmp_path: Path) -> None:
    count = export_template(store, DEPT, tmp_path / "t.xlsx")
    assert count == len(shared_components(store, DEPT)) == 12


def test_fill_sheet_comes_first_with_the_interchange_header(template: Path) -> None:
    book = load_workbook(template)
    assert book.sheetnames[0] == "填报"
    assert set(book.sheetnames) == {"填报", "说明", "选项"}
    assert book["选项"].sheet_state == "hidden"
    assert book["说明"].sheet_state == "visible"
    fill = book.worksheets[0]
    header = [c.value for c in fill[1]]
    assert header == [FIELD_LABELS[k] for k in COLUMNS]
    # nothing but the header: an untouched template imports nothing
    assert not any(
        v is not None for row in fill.iter_rows(min_row=2, values_only=True) for v in row
    )


def test_dropdowns_cover_the_listed_columns(template: Path, store: Store) -> None:
    book = load_workbook(template)
    found = validations(book["填报"])
    wanted = (
        "indicator", "component", "department", "kind", "channel",
        "format_ok", "evaluation_data", "publicized", "status",
    )  # fmt: skip
    for key in wanted:
        assert key in found, key
        assert found[key].type == "list"
    offered = {key: option_values(book, found[key].formula1) for key in wanted}
    vocab = store.catalog.vocabulary
    assert offered["indicator"] == list(dict.fromkeys(c for c, _ in shared_components(store, DEPT)))
    assert "4.2" in offered["indicator"] and "1.1" not in offered["indicator"]
    assert "信用评价" in offered["component"] and "诚信典型案例" in offered["component"]
    assert "领导小组" not in offered["component"]
    assert offered["department"][0] == DEPT
    assert sorted(offered["department"]) == sorted(store.catalog.departments)
    assert offered["kind"] == list(vocab.kinds.values())
    assert offered["channel"] == list(vocab.channels.values())
    for key in ("format_ok", "evaluation_data", "publicized"):
        assert offered[key] == ["是", "否"]
    assert offered["status"] == ["已完成", "计划"]
    assert found.get("quantity") is not None and found["quantity"].type == "whole"


def test_help_sheet_explains_columns_dates_and_the_departments_components(template: Path) -> None:
    book = load_workbook(template)
    text = sheet_text(book["说明"])
    assert "第一个工作表" in text and "填报" in text
    for label in (FIELD_LABELS[k] for k in COLUMNS):
        assert label in text
    for spelling in ("2024-05-03", "2024/5/3", "2024年5月3日"):
        assert spelling in text
    assert "四、2 信用评价" in text
    assert "9月30日" in text and "8 分" in text
    assert "五、3" in text and "诚信典型案例" in text
    assert "一、1" not in text  # 客运科 does not share 一、1
    assert "道路客运" in text  # the domains a 领域 may be


def test_other_departments_get_their_own_list(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    count = export_template(store, "办公室", out)
    assert count == len(shared_components(store, "办公室"))
    book = load_workbook(out)
    text = sheet_text(book["说明"])
    assert "一、1" in text and "四、2 信用评价" not in text
    offered = option_values(book, validations(book["填报"])["indicator"].formula1)
    assert "1.1" in offered and "4.2" not in offered


def test_alias_is_resolved(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    export_template(store, "建设科", out)
    book = load_workbook(out)
    dv = validations(book["填报"])["department"]
    assert option_values(book, dv.formula1)[0] == "公路建设科"


# --- fill it in and import it ----------------------------------------------------------------


def fill(path: Path, rows: list[dict[str, object]]) -> None:
    book = load_workbook(path)
    sheet = book["填报"]
    for n, row in enumerate(rows, start=2):
        for key, value in row.items():
            sheet.cell(row=n, column=COL[key], value=value)
    book.save(path)


def test_filled_template_imports_without_edits(store: Store, template: Path) -> None:
    catalog, year = store.catalog, store.campaign.year
    before = score(catalog, store.records(), year=year, as_of=AS_OF)
    before_projected = score(catalog, store.records(), year=year, as_of=AS_OF, projected=True)
    fill(
        template,
        [
            {
                "indicator": "4.2",
                "component": "信用评价",
                "item": "道路客运",
                "date": datetime(2024, 8, 1),
                "department": DEPT,
                "title": "道路客运企业信用评价结果公示",
                "kind": "公示文件",
                "channel": "所在地人民政府网站",
            },
            {
                "indicator": "5.3",
                "component": "诚信典型案例",
                "item": "企业",
                "date": "2024/9/10",
                "department": DEPT,
                "title": "诚信经营客运企业典型案例（拟报送）",
                "format_ok": "否",
                "status": "计划",
            },
        ],
    )
    result = import_file(store, template)
    assert (result.added, result.replaced, result.unchanged) == (2, 0, 0)
    after = score(catalog, store.records(), year=year, as_of=AS_OF)
    assert after.earned - before.earned == 4  # 2 points for one domain (halves)
    assert after.indicator("4.2").earned == 4
    assert after.indicator("5.3").earned == before.indicator("5.3").earned  # planned: not counted
    projected = score(catalog, store.records(), year=year, as_of=AS_OF, projected=True)
    assert projected.indicator("5.3").earned - before_projected.indicator("5.3").earned == 1
    # importing the same filled template again adds nothing
    again = import_file(store, template)
    assert (again.added, again.unchanged) == (0, 2)


def test_untouched_template_imports_nothing(store: Store, template: Path) -> None:
    result = import_file(store, template)
    assert (result.added, result.replaced, result.unchanged) == (0, 0, 0)
    assert store.records() == []


def test_a_bad_row_is_reported_by_row_and_column(store: Store, template: Path) -> None:
    fill(
        template,
        [
            {"indicator": "4.2", "item": "道路客运", "date": "2024-08-01", "department": DEPT,
             "title": "好的一行"},
            {"indicator": "5.3", "item": "企业", "date": "2024-08-02", "department": DEPT,
             "title": "缺少事项"},
        ],
    )  # fmt: skip
    with pytest.raises(InterchangeError) as caught:
        import_file(store, template)
    assert any(":3: 事项:" in e for e in caught.value.errors), caught.value.errors
    assert store.records() == []


# --- errors, atomic writing, the command line ------------------------------------------------


def test_only_xlsx(store: Store, tmp_path: Path) -> None:
    for name in ("t.csv", "t.xls", "t"):
        with pytest.raises(InterchangeError):
            export_template(store, DEPT, tmp_path / name)
        assert not (tmp_path / name).exists()


def test_unknown_department_is_refused(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InterchangeError) as caught:
        export_template(store, "无此科", tmp_path / "t.xlsx")
    assert "无此科" in str(caught.value)
    assert not (tmp_path / "t.xlsx").exists()


def test_overwrites_atomically_leaving_no_temporary_file(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"old")
    export_template(store, DEPT, out)
    assert load_workbook(out).sheetnames[0] == "填报"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store", "t.xlsx"]


def test_cli_writes_the_template(run_cli, demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "模板" / "客运科.xlsx"
    result = run_cli("export", "template", "--department", DEPT, "--out", out, db=demo_db)
    assert result.code == 0, result.err
    assert "12 个事项" in result.out
    assert load_workbook(out).sheetnames[0] == "填报"


def test_cli_unknown_department_exits_2(run_cli, demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    result = run_cli("export", "template", "--department", "无此科", "--out", out, db=demo_db)
    assert result.code == 2
    assert "无此科" in result.err and "客运科" in result.err
    assert "Traceback" not in result.err
    assert not out.exists()


def test_cli_bad_suffix_exits_2(run_cli, demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    result = run_cli("export", "template", "--department", DEPT, "--out", out, db=demo_db)
    assert result.code == 2
    assert ".xlsx" in result.err
    assert not out.exists()
