"""Sheets that print: every xlsx the program writes is set up for A4 landscape, fitted to the
page width only, header rows repeated, page numbers in the footer, fonts ≥ 10 pt and
rows as tall as their wrapped text (checked against a bound worked out here)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from credit_tui.cli.entry import main
from credit_tui.interchange.sheets import (
    PRINTABLE_CHARS,
    fit_widths,
    prepare_for_print,
    text_cells,
    wrapped_lines,
)


def test_text_cells_counts_cjk_and_wide_quotes_twice() -> None:
    # 评估(2×2) + abc(3) = 7; “ and ” are drawn full width by Chinese fonts: 2 + 2 + 2×2 = 8
    assert text_cells("评估abc") == 7
    assert text_cells("“信用”") == 8


def test_wrapped_lines_by_hand() -> None:
    assert wrapped_lines("一二三四五六", 4) == 3  # 12 columns, 2 characters a line
    assert wrapped_lines("ab cd ef", 5) == 2  # "ab cd" | "ef": words kept whole
    assert wrapped_lines("abcdefghij", 4) == 3  # a 10-column word broken: 4 + 4 + 2
    assert wrapped_lines("甲\n乙\n丙", 10) == 3  # each paragraph a line of its own
    assert wrapped_lines("", 5) == 1


def test_widths_are_scaled_down_to_the_page_never_up() -> None:
    # 26+52+8+10+40+56 = 192 > 118: each × 118/192 (52 → 31.96 → 32.0)
    scaled = fit_widths((26, 52, 8, 10, 40, 56))
    assert scaled[1] == 32.0 and sum(scaled) <= PRINTABLE_CHARS["landscape"] + 0.5
    assert fit_widths((10, 20)) == [10, 20]


def test_prepare_for_print_on_a_fresh_sheet() -> None:
    from openpyxl.styles import Alignment, Font

    sheet = Workbook().active
    sheet["A1"] = "标题"
    sheet["A2"] = "一二三四五六七八九十" * 3  # 60 columns of text
    sheet["A2"].alignment = Alignment(wrap_text=True)
    sheet["B2"] = "小字"
    sheet["B2"].font = Font(size=7)
    prepare_for_print(sheet, header_rows=(1, 1), widths=(20, 10))
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows.replace("$", "") == "1:1"
    assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert sheet["B2"].font.sz == 10.5  # raised to the floor
    # A2 keeps the default 11 pt: 20 wide is (20×5.25 − 6)/(0.52×11) = 17.3 columns,
    # 8 characters a line: 30 characters take 4 lines of 11 × 1.35 pt, plus 4 pt = 63.4 pt
    assert sheet.row_dimensions[2].height == pytest.approx(63.4, abs=0.05)


def _lower_bound(sheet, cell) -> float:
    """Lines a cell needs at least (its text's columns over the column's capacity, per
    paragraph), times the font size: the row must be at least that tall."""
    width = sheet.column_dimensions[cell.column_letter].width
    size = cell.font.sz
    capacity = (width * 7 * 0.75) / (size / 2)  # a column is 7 px = 5.25 pt; CJK is size pt
    text = str(cell.value)
    lines = sum(max(1, math.ceil(text_cells(p) / capacity)) for p in text.split("\n"))
    return lines * size


@pytest.fixture
def sheets(demo_db: Path, tmp_path: Path) -> dict[str, Path]:
    args = ["--db", str(demo_db), "--today", "2024-07-15", "export"]
    out = {
        "自评表": tmp_path / "sa.xlsx",
        "台账": tmp_path / "ledger.xlsx",
        "模板": tmp_path / "template.xlsx",
    }
    assert main([*args, "self-assessment", "--out", str(out["自评表"])]) == 0
    assert main([*args, "ledger", "--month", "2024-06", "--out", str(out["台账"])]) == 0
    tpl = ["template", "--department", "客运科", "--out", str(out["模板"])]
    assert main([*args, *tpl]) == 0
    return out


@pytest.mark.parametrize("name", ["自评表", "台账", "模板"])
def test_every_sheet_prints_on_a4_landscape(sheets: dict[str, Path], name: str) -> None:
    book = load_workbook(sheets[name])
    for sheet in book.worksheets:
        if sheet.sheet_state == "hidden":
            continue
        setup = sheet.page_setup
        assert setup.orientation == "landscape", sheet.title
        assert str(setup.paperSize) == str(sheet.PAPERSIZE_A4)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
        widths = [d.width for d in sheet.column_dimensions.values() if d.width]
        assert sum(widths) <= PRINTABLE_CHARS["landscape"] + 0.5, sheet.title
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value not in (None, ""):
                    assert cell.font.sz >= 10, (sheet.title, cell.coordinate)
                    assert cell.font.name == "宋体"


@pytest.mark.parametrize("name", ["自评表", "台账"])
def test_rows_are_as_tall_as_their_wrapped_text(sheets: dict[str, Path], name: str) -> None:
    sheet = load_workbook(sheets[name]).active
    assert sheet.print_title_rows.replace("$", "") == "2:2"
    checked = 0
    for row in sheet.iter_rows(min_row=3):
        height = sheet.row_dimensions[row[0].row].height
        for cell in row:
            if cell.value not in (None, "") and cell.alignment.wrap_text:
                assert height >= _lower_bound(sheet, cell), (cell.coordinate, height)
                checked += 1
    assert checked > 50


def test_the_criteria_of_one_one_get_their_lines(sheets: dict[str, Path]) -> None:
    sheet = load_workbook(sheets["自评表"]).active
    row = next(r for r in sheet.iter_rows(min_row=3) if str(r[0].value).startswith("一、1 "))
    criteria = str(row[1].value)
    # 90 characters: 73 CJK (×2), 2 wide quotes (×2), 15 spaces and digits (×1) = 165
    # columns; a 34-wide column holds (34×5.25 − 6)/(0.52×10.5) = 31.6, so at least
    # ⌈165/31.6⌉ = 6 lines of 10.5 × 1.35 pt: 6 × 14.175 + 4 = 89.05 pt (the old sheet
    # printed one line of it)
    assert text_cells(criteria) == 165
    assert sheet.row_dimensions[row[0].row].height >= 89.0
