"""Evidence interchange in, format version 1 (SPEC section 8): reading a CSV or XLSX file,
checking every row and importing it (the columns and limits: ``evidence_format``; writing:
``evidence_export``).

Reading is all or nothing: every row is checked, every problem is listed as
``FILE:ROW: column: message`` and nothing is stored unless all rows are good.
CSV may be UTF-8, UTF-8 with BOM or GB18030/GBK (as Excel saves it in Chinese
Windows). Exported cells that a spreadsheet would run as a formula are
neutralised with a leading apostrophe, which reading strips again. Cells with
control characters (other than tab and line breaks) are refused: no spreadsheet
can hold them. A file that is refused changes nothing, not even the attachments
folder.
"""

from __future__ import annotations

import csv
import io
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from credit_tui.faults import kind_of
from credit_tui.interchange.evidence_format import (
    CONTROL,
    KNOWN_COLUMNS,
    MAX_CELL,
    MAX_HEADER_ERRORS,
    NEUTRALISED,
    REQUIRED,
    SUFFIXES,
    InterchangeError,
    header_key,
)
from credit_tui.scoring.catalog import Catalog
from credit_tui.scoring.evidence import (
    FIELD_LABELS,
    Evidence,
    EvidenceError,
    make_evidence,
)
from credit_tui.store.attachment_guard import AttachmentGuard, AttachmentRefused, store_files
from credit_tui.store.database import AttachmentRef, SaveResult, Store, StoreError

_SHOWN_MAX = 40


@dataclass(slots=True)
class ParsedRow:
    """One good row: the record and the files it attaches."""

    row: int
    record: Evidence
    files: list[tuple[Path, str]] = field(default_factory=list)


# --- reading -----------------------------------------------------------------------


def read_rows(path: Path) -> list[tuple[int, list[object]]]:
    """The file's rows as (row number, cells), header first; ``InterchangeError`` if unreadable."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InterchangeError([f"{path}: 不支持的文件类型“{path.suffix}”，应为 .csv 或 .xlsx"])
    if not path.is_file():
        try:
            kind = kind_of(os.stat(path).st_mode)
        except OSError:
            kind = None
        raise InterchangeError([f"{path}: {kind or '文件不存在'}"])  # a pipe is never opened
    if suffix == ".csv":
        return _read_csv(path)
    return _read_xlsx(path)


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 — a superset of the GBK Excel writes."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _read_csv(path: Path) -> list[tuple[int, list[object]]]:
    try:
        text = decode_csv(path.read_bytes())
    except UnicodeDecodeError:
        raise InterchangeError([f"{path}: 无法识别文件编码（应为 UTF-8 或 GBK）"]) from None
    except OSError as exc:
        raise InterchangeError([f"{path}: 无法读取（{exc.strerror}）"]) from None
    if "\x00" in text:
        raise InterchangeError([f"{path}: 不是文本文件（含有空字符）"])
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        return [(reader.line_num, list(row)) for row in reader]
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            reason = f"有单元格超过 {csv.field_size_limit()} 字"
        else:
            reason = str(exc)
        raise InterchangeError([f"{path}: CSV 格式错误（{reason}）"]) from None


def _read_xlsx(path: Path) -> list[tuple[int, list[object]]]:
    with warnings.catch_warnings():  # openpyxl's English warnings are not for the clerk
        warnings.simplefilter("ignore")
        return _read_book(path)


def _read_book(path: Path) -> list[tuple[int, list[object]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InterchangeError([f"{path}: 不是有效的 Excel 文件（{type(exc).__name__}）"]) from None
    try:  # read-only sheets are parsed while iterating: a broken part fails here
        if not book.worksheets:
            raise InterchangeError([f"{path}: 工作簿中没有工作表"])
        sheet = book.worksheets[0]
        return [(n, list(row)) for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    except InterchangeError:
        raise
    except Exception as exc:
        raise InterchangeError([f"{path}: 不是有效的 Excel 文件（{type(exc).__name__}）"]) from None
    finally:
        book.close()


def parse_file(
    path: Path | str,
    catalog: Catalog,
    *,
    today: date | None = None,
    protected: frozenset[Path] = frozenset(),
) -> list[ParsedRow]:
    """Check every row of a file; ``InterchangeError`` lists every problem found.

    Attachments must be regular files inside the file's own folder (``attachments_guard``);
    ``protected`` names files never read as attachments (the store's own).
    """
    path = Path(path)
    guard = AttachmentGuard(path.parent, protected)
    rows = read_rows(path)
    name = path.name
    rows = [(n, cells) for n, cells in rows if any(_cell(c) for c in cells)]
    if not rows:
        raise InterchangeError([f"{name}: 文件为空（没有表头）"])
    (head_row, header), body = rows[0], rows[1:]
    keys, errors, omitted = _header(name, head_row, header)
    if errors:
        raise InterchangeError(errors, omitted)
    shown = {key: str(header[i]).strip() for i, key in enumerate(keys) if key}
    parsed: list[ParsedRow] = []
    seen: dict[str, tuple[int, Evidence]] = {}
    for row_no, cells in body:
        data = {key: _cell(cells[i]) if i < len(cells) else "" for i, key in enumerate(keys)}
        row_errors, row = _row(name, row_no, data, shown, guard, catalog, today)
        if row is not None:
            earlier = seen.get(row.record.id)
            if earlier is not None and earlier[1] != row.record:
                row_errors.append(
                    f"{name}:{row_no}: {shown.get('id', '编号')}: "
                    f"编号 {row.record.id} 与第 {earlier[0]} 行重复但内容不同"
                )
            elif earlier is None:
                seen[row.record.id] = (row_no, row.record)
                parsed.append(row)
        errors += row_errors
    if errors:
        raise InterchangeError(errors)
    return parsed


def _header(
    name: str, row_no: int, header: Sequence[object]
) -> tuple[list[str | None], list[str], int]:
    keys: list[str | None] = []
    seen: set[str] = set()
    errors: list[str] = []
    dropped = 0  # problems past the first MAX_HEADER_ERRORS: counted, not listed

    def err(message: str) -> None:
        nonlocal dropped
        if len(errors) < MAX_HEADER_ERRORS:
            errors.append(f"{name}:{row_no}: {message}")
        else:
            dropped += 1

    for cell in header:
        value = _cell(cell)
        text = value if isinstance(value, str) else str(value)  # a number or date as a header
        if value == "":
            keys.append(None)
            continue
        key = header_key(text)
        if key is None:
            err(f"{_shown(text)}: 未知的列，可用的列为 {KNOWN_COLUMNS}")
        elif key in seen:
            err(f"{_shown(text)}: 列重复")
        else:
            seen.add(key)
        keys.append(key)
    for key in REQUIRED:
        if key not in seen:
            errors.append(f"{name}:{row_no}: {FIELD_LABELS[key]}: 缺少必需的列")
    return keys, errors, dropped


def _row(
    name: str,
    row_no: int,
    data: dict[str | None, str | object],
    shown: dict[str, str],
    guard: AttachmentGuard,
    catalog: Catalog,
    today: date | None,
) -> tuple[list[str], ParsedRow | None]:
    data.pop(None, None)
    errors: list[str] = []

    def err(key: str, message: str) -> None:
        errors.append(f"{name}:{row_no}: {shown.get(key, FIELD_LABELS.get(key, key))}: {message}")

    for key, value in data.items():
        if isinstance(value, str) and len(value) > MAX_CELL:
            err(str(key), f"内容过长（{len(value)} 字）")
            data[key] = ""
        elif isinstance(value, str) and CONTROL.search(value):
            err(str(key), "含有控制字符")
            data[key] = ""
    files: list[tuple[Path, str]] = []
    digests: list[str] = []
    for part in str(data.pop("attachment", "") or "").split(";"):
        part = part.strip()
        if not part:
            continue
        try:
            source = guard.resolve(part)
            digests.append(guard.digest(part, source))
        except AttachmentRefused as exc:
            err("attachment", str(exc))
            continue
        files.append((source, Path(part).name))
    try:
        record = make_evidence(catalog, data, today=today, attachments=tuple(digests))
    except EvidenceError as exc:
        for problem in exc.errors:
            err(problem.field, problem.message)
        return errors, None
    if errors:
        return errors, None
    return errors, ParsedRow(row_no, record, files)


def _cell(value: object) -> object:
    """A cell as the model reads it: text trimmed with line breaks as ``\\n``, dates kept,
    a neutralising quote dropped."""
    if value is None:
        return ""
    if isinstance(value, datetime | date | bool | int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    text = str(value).strip()
    if "\r" in text:  # XLSX keeps no \r: \r\n and \r are stored as \n, whatever the format
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if NEUTRALISED.match(text):
        return text[1:]
    return text


def _shown(text: str) -> str:
    """Text quoted in a message, cut short."""
    return text if len(text) <= _SHOWN_MAX else text[:_SHOWN_MAX] + "…"


def import_file(
    store: Store, path: Path | str, *, today: date | None = None, notes: list[str] | None = None
) -> SaveResult:
    """Import a file into the store, all or nothing; ``notes`` gets what the clerk should know.

    A write that fails after the attachments were copied (``StoreError``: the
    database busy, say) takes the copies it made back out: nothing changes.
    """
    rows = parse_file(path, store.catalog, today=today, protected=store_files(store.path))
    name = Path(path).name
    if notes is not None:
        notes += outside_year_notes(rows, store.campaign.year)
    return store_rows(store, rows, name=name, label=f"导入 {name}")


def store_rows(store: Store, rows: Sequence[ParsedRow], *, name: str, label: str) -> SaveResult:
    """Copy the rows' files in (staged) and save the rows in one transaction (one undo step).

    ``name`` prefixes a message about a copy that failed; ``label`` names the
    change in the audit log. Staged copies of a failed write are discarded.
    """
    items: list[tuple[Evidence, list[AttachmentRef]]] = []
    try:
        try:
            for row in rows:
                refs = [store.store_file(src, file_name) for src, file_name in row.files]
                items.append((row.record, refs))
        except StoreError as exc:
            raise InterchangeError([f"{name}: {exc}"]) from None
        except OSError as exc:
            raise InterchangeError([f"{name}: 无法复制附件（{exc.strerror or exc}）"]) from None
        return store.save_many(items, label=label)
    finally:
        store.discard_staged()  # copies of a failed import; after a commit, none are left


def outside_year_notes(rows: Sequence[ParsedRow], year: int) -> list[str]:
    """A note on the rows dated outside the store's year: stored, but they score nothing."""
    outside = [row for row in rows if row.record.date.year != year]
    if not outside:
        return []
    shown = "、".join(f"第 {r.row} 行 {r.record.date.isoformat()}" for r in outside[:3])
    more = " 等" if len(outside) > 3 else ""
    return [
        f"注意：其中 {len(outside)} 条记录的日期不在 {year} 年度内（{shown}{more}），"
        f"已保存但不计分：本数据库只为 {year} 年度评分"
    ]
