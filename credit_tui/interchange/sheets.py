"""What the spreadsheet reports share: atomic writes, safe cells, print-ready A4 pages, styles."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.cells import cell_len

from credit_tui.interchange.evidence_format import neutralise

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Font
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


PRINTABLE_CHARS = {"landscape": 118.0, "portrait": 80.0}
"""Column-width units (a digit's width of the default font) that fit between the margins of
A4 at 100 %: 297 mm less 2 × 0.4 in is 784 pt; a unit is 5.25 pt in Excel and WPS
(Calibri), up to 6.5 pt in LibreOffice where Calibri is substituted by a wider font."""
BODY_FONT = "宋体"
"""The body font by name (WPS and Excel in Chinese have it; LibreOffice substitutes)."""
MIN_FONT_PT = 10.5
MAX_ROW_PT = 409.0
"""The tallest row the file format allows."""
_UNIT_PT = 5.25
_LINE = 1.35
"""Line pitch as a multiple of the font size (宋体 and its substitutes)."""
_TOKEN = re.compile(r"[A-Za-z0-9_.,:;/\\%@#&+=()'\-]+| |.", re.S)
_WIDE_PUNCT = frozenset("“”‘’—…·")
"""Ambiguous-width marks that Chinese fonts draw as wide as a character."""


def text_cells(text: str) -> int:
    """Columns ``text`` takes, a CJK character two (rich's table), wide quotes too."""
    return cell_len(text) + sum(1 for ch in text if ch in _WIDE_PUNCT)


def wrapped_lines(text: str, capacity: float) -> int:
    """Lines ``text`` takes in a cell ``capacity`` columns wide, wrapped as a spreadsheet
    does: between CJK characters and at spaces, a Latin word kept whole when it fits."""
    lines = 0
    for para in str(text).split("\n"):
        lines += 1
        used = 0.0
        for token in _TOKEN.findall(para):
            w = text_cells(token)
            if used + w <= capacity:
                used += w
            elif token == " ":
                lines += 1
                used = 0.0
            elif w > capacity:  # a word longer than the line breaks anywhere
                full, rest = divmod(used + w, capacity)
                lines += int(full)
                used = rest
            else:
                lines += 1
                used = w
    return lines


def fit_widths(widths: Sequence[float], *, landscape: bool = True) -> list[float]:
    """``widths`` scaled down (never up) so the columns fit the page at 100 %."""
    room = PRINTABLE_CHARS["landscape" if landscape else "portrait"]
    total = sum(widths)
    factor = min(1.0, room / total) if total else 1.0
    return [round(w * factor, 1) for w in widths]


def prepare_for_print(
    sheet: Worksheet,
    *,
    header_rows: int | tuple[int, int] | None = None,
    widths: Sequence[float] | None = None,
    landscape: bool = True,
    freeze: bool = True,
) -> None:
    """Make ``sheet`` print whole on A4 in any spreadsheet program.

    Fitted to the page width only (as many pages as the rows need), ``header_rows``
    (a row or a first-last pair) repeated on every page, 第 N 页 共 M 页 in the footer,
    columns ``widths`` (scaled to fit the page at 100 %, so no reader shrinks the
    text), every font at least 10.5 pt, and each row as tall as its wrapped text.
    """
    from openpyxl.utils import get_column_letter

    if widths is not None:
        for i, w in enumerate(fit_widths(widths, landscape=landscape), start=1):
            sheet.column_dimensions[get_column_letter(i)].width = w
    setup = sheet.page_setup
    setup.orientation = "landscape" if landscape else "portrait"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.scale = 100
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    if header_rows is not None:
        first, last = (header_rows, header_rows) if isinstance(header_rows, int) else header_rows
        sheet.print_title_rows = f"{first}:{last}"
        if freeze:
            sheet.freeze_panes = f"A{last + 1}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.page_margins.footer = 0.3
    sheet.oddFooter.center.text = "第 &P 页 共 &N 页"
    sheet.oddFooter.center.size = 10
    _fonts_and_heights(sheet)


def print_setup(sheet: Worksheet, *, header_row: int, widths: Sequence[float]) -> None:
    """The reports' one-header-row form of ``prepare_for_print``."""
    prepare_for_print(sheet, header_rows=header_row, widths=widths)


def needed_height(cell: Cell, width: float) -> float:
    """Points a cell needs to show its wrapped text whole in a column ``width`` wide."""
    size = max(float(cell.font.sz or 11), MIN_FONT_PT)
    if cell.value is None or cell.value == "":
        return size * _LINE + 4
    # the narrowest unit (Excel's) gives the most lines; a column is half a CJK character
    capacity = max(1.0, (width * _UNIT_PT - 6) / (0.52 * size))
    text = str(cell.value)
    if "\n" not in text and (not cell.alignment.wrap_text or text_cells(text) <= capacity):
        lines = 1
    elif cell.alignment.wrap_text:
        lines = wrapped_lines(text, capacity)
    else:
        lines = text.count("\n") + 1
    return lines * size * _LINE + 4


def _fonts_and_heights(sheet: Worksheet) -> None:
    from copy import copy

    from openpyxl.utils import get_column_letter

    widths: dict[int, float] = {}

    def col_width(col: int) -> float:
        if col not in widths:
            dim = sheet.column_dimensions.get(get_column_letter(col))
            widths[col] = float(dim.width) if dim is not None and dim.width else 8.43
        return widths[col]

    spans: dict[tuple[int, int], float] = {}
    covered: set[tuple[int, int]] = set()
    for rng in sheet.merged_cells.ranges:
        spans[(rng.min_row, rng.min_col)] = sum(
            col_width(c) for c in range(rng.min_col, rng.max_col + 1)
        )
        covered |= {(r, c) for r, c in rng.cells} - {(rng.min_row, rng.min_col)}
    # a font is replaced once per distinct font of the sheet, not once per cell (openpyxl
    # keeps fonts in a shared table; its index is the cell's ``fontId``)
    fonts: dict[int, Font | None] = {}
    for row in sheet.iter_rows():
        tallest = 0.0
        r = 0
        for cell in row:
            r = cell.row
            if (cell.row, cell.column) in covered:
                continue
            font_id = cell._style.fontId if cell.has_style else 0
            if font_id not in fonts:
                font = cell.font
                fonts[font_id] = None
                if font.name != BODY_FONT or (font.sz or 11) < MIN_FONT_PT:
                    fonts[font_id] = copy(font)
                    fonts[font_id].name = BODY_FONT
                    fonts[font_id].sz = max(float(font.sz or 11), MIN_FONT_PT)
            if fonts[font_id] is not None:
                cell.font = fonts[font_id]
            width = spans.get((cell.row, cell.column)) or col_width(cell.column)
            tallest = max(tallest, needed_height(cell, width))
        if r:
            sheet.row_dimensions[r].height = round(min(MAX_ROW_PT, tallest), 1)


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
    for col, name in enumerate(header, start=1):
        cell = sheet.cell(row=2, column=col, value=name)
        cell.font = st["header_font"]
        cell.fill = st["header_fill"]
        cell.border = st["border"]
        cell.alignment = st["center"]
