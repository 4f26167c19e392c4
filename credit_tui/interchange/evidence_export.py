"""Evidence interchange out: every live record to CSV (UTF-8 with BOM) or XLSX, with its
attachments copied beside the file so that it can be imported elsewhere.

Cells a spreadsheet would run as a formula are neutralised (reading strips the quote
again); nothing half-written is left behind by a failed export.
"""

from __future__ import annotations

import contextlib
import csv
import os
import shutil
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from credit_tui.interchange.evidence_format import (
    COLUMNS,
    CONTROL,
    SUFFIXES,
    InterchangeError,
    neutralise,
    safe_name,
)
from credit_tui.scoring.evidence import FIELD_LABELS, STATUS_LABELS
from credit_tui.store.database import Store


def export_rows(store: Store, files_dir: Path) -> Iterable[list[object]]:
    """Every live record as interchange cells.

    Attachments are copied under ``files_dir/<sha prefix>/<original name>`` and
    listed relative to its parent, so the file can be imported elsewhere with
    the names the clerk gave them.
    """
    names = store.attachment_names()
    for rec in store.records():
        paths = []
        for ref in names.get(rec.id, []):
            stored = store.attachment_path(ref.sha256)
            if stored is None or not stored.is_file():
                continue
            target = files_dir / ref.sha256[:12] / safe_name(ref.name)
            if not target.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(stored, target)
            paths.append(target.relative_to(files_dir.parent).as_posix())
        yield [
            rec.id,
            rec.indicator,
            rec.component,
            rec.item,
            rec.date,
            rec.department,
            rec.title,
            store.catalog.vocabulary.kinds.get(rec.kind, rec.kind),
            store.catalog.vocabulary.channels.get(rec.channel, rec.channel),
            "" if rec.quantity is None else rec.quantity,
            "是" if rec.format_ok else "否",
            "是" if rec.evaluation_data else "否",
            "是" if rec.publicized else "否",
            rec.url,
            ";".join(paths),
            rec.note,
            STATUS_LABELS[rec.status],
        ]


def export_evidence(store: Store, out: Path | str) -> int:
    """Write every live record to ``out`` (.csv in UTF-8 with BOM, or .xlsx); returns the count."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise InterchangeError([f"{out}: 不支持的文件类型“{out.suffix}”，应为 .csv 或 .xlsx"])
    out.parent.mkdir(parents=True, exist_ok=True)
    header = [FIELD_LABELS[k] for k in COLUMNS]
    files_dir = out.parent / f"{out.stem}_附件"
    files_dir_existed = files_dir.exists()
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        rows = list(export_rows(store, files_dir))
        if suffix == ".csv":
            with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(header)
                for row in rows:
                    writer.writerow(
                        [v.isoformat() if isinstance(v, date) else _safe(v) for v in row]
                    )
        else:
            _write_xlsx(tmp, header, rows)
        os.replace(tmp, out)
    except BaseException:  # a full or read-only disk: nothing half-written is left behind
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        if not files_dir_existed:
            shutil.rmtree(files_dir, ignore_errors=True)
        raise
    return len(rows)


def _safe(value: object) -> object:
    return neutralise(value) if isinstance(value, str) else value


def _xlsx_safe(value: object) -> object:
    """``_safe``, and a control character XLSX cannot hold (a record stored before
    imports refused them) shown as U+FFFD rather than failing the whole export."""
    value = _safe(value)
    return CONTROL.sub("\ufffd", value) if isinstance(value, str) else value


def _write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> None:
    """A write-only workbook: rows streamed out, time linear in the rows (no ``max_row``)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet("佐证材料")
    widths = {"id": 18, "title": 40, "item": 14, "department": 16, "note": 30, "attachment": 30}
    for i, key in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = widths.get(key, 12)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    head = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    date_col = COLUMNS.index("date")
    for row in rows:
        values: list[object] = [_xlsx_safe(v) for v in row]
        day = WriteOnlyCell(sheet, value=values[date_col])
        day.number_format = "yyyy-mm-dd"
        values[date_col] = day
        sheet.append(values)
    book.save(path)
