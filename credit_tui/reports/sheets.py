"""What the spreadsheet reports share: atomic writes, safe cells, A4 print setup, styles."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..interchange import neutralise

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


def write_atomically(out: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file beside ``out`` and move it in place (never half a file)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{secrets.token_hex(4)}.tmp")
    try:
        write(tmp)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def safe(value: object) -> object:
    """Text a spreadsheet would run as a formula, neutralised; other values as they are."""
    return neutralise(value) if isinstance(value, str) else value


def print_setup(sheet: Worksheet, *, header_row: int, widths: Sequence[float]) -> None:
    """A4 landscape, fitted to the page width, the header row repeated on every page."""
    from openpyxl.utils import get_column_letter

    for i, w in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = w
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.freeze_panes = f"A{header_row + 1}"


def table_styles() -> dict[str, object]:
    """Fonts, borders and alignments shared by the spreadsheet reports."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="808080")
    return {
        "title_font": Font(bold=True, size=14),
        "header_font": Font(bold=True),
        "bold": Font(bold=True),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "header_fill": PatternFill("solid", fgColor="D9E1F2"),
        "sum_fill": PatternFill("solid", fgColor="F2F2F2"),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "center": Alignment(wrap_text=True, horizontal="center", vertical="center"),
        "title_align": Alignment(horizontal="center", vertical="center", wrap_text=True),
    }


def title_and_header(sheet: Worksheet, title: str, header: Sequence[str], st: dict) -> None:
    """Row 1: the title merged across the table; row 2: the column names, boxed."""
    sheet.cell(row=1, column=1, value=safe(title))
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet["A1"].font = st["title_font"]
    sheet["A1"].alignment = st["title_align"]
    sheet.row_dimensions[1].height = 30
    for col, name in enumerate(header, start=1):
        cell = sheet.cell(row=2, column=col, value=name)
        cell.font = st["header_font"]
        cell.fill = st["header_fill"]
        cell.border = st["border"]
        cell.alignment = st["center"]
