"""Evidence interchange, format version 1 (SPEC section 8): CSV and XLSX in and out.

Reading is all or nothing: every row is checked, every problem is listed as
``FILE:ROW: column: message`` and nothing is stored unless all rows are good.
CSV may be UTF-8, UTF-8 with BOM or GB18030/GBK (as Excel saves it in Chinese
Windows). Exported cells that a spreadsheet would run as a formula are
neutralised with a leading apostrophe, which reading strips again.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .errors import UserFacingError
from .scoring.catalog import Catalog
from .scoring.evidence import FIELD_LABELS, STATUS_LABELS, Evidence, EvidenceError, make_evidence
from .store import AttachmentRef, SaveResult, Store, StoreError

COLUMNS: tuple[str, ...] = (
    "id", "indicator", "component", "item", "date", "department", "title", "kind", "channel",
    "quantity", "format_ok", "evaluation_data", "publicized", "url", "attachment", "note", "status",
)  # fmt: skip
REQUIRED = ("indicator", "date", "department", "title")
SUFFIXES = (".csv", ".xlsx")
MAX_CELL = 10_000
_FORMULA_START = ("=", "+", "-", "@")


class InterchangeError(UserFacingError):
    """A file that cannot be imported; ``errors`` lists every problem."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(slots=True)
class ParsedRow:
    """One good row: the record and the files it attaches."""

    row: int
    record: Evidence
    files: list[tuple[Path, str]] = field(default_factory=list)


def header_key(text: str) -> str | None:
    """The column key for a header given as key or Chinese label."""
    name = text.strip().lstrip("\ufeff").strip()
    if name in FIELD_LABELS:
        return name
    lowered = name.casefold()
    for key, label in FIELD_LABELS.items():
        if name == label or lowered == key:
            return key
    if name in ("attachments", "附件列表"):
        return "attachment"
    return None


# --- reading -----------------------------------------------------------------------


def read_rows(path: Path) -> list[tuple[int, list[object]]]:
    """The file's rows as (row number, cells), header first; ``InterchangeError`` if unreadable."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InterchangeError([f"{path}: 不支持的文件类型“{path.suffix}”，应为 .csv 或 .xlsx"])
    if not path.is_file():
        raise InterchangeError([f"{path}: 文件不存在"])
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
        raise InterchangeError([f"{path}: CSV 格式错误（{exc}）"]) from None


def _read_xlsx(path: Path) -> list[tuple[int, list[object]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InterchangeError([f"{path}: 不是有效的 Excel 文件（{type(exc).__name__}）"]) from None
    try:
        sheet = book.worksheets[0]
        return [(n, list(row)) for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()


def parse_file(path: Path | str, catalog: Catalog, *, today: date | None = None) -> list[ParsedRow]:
    """Check every row of a file; ``InterchangeError`` lists every problem found."""
    path = Path(path)
    rows = read_rows(path)
    name = path.name
    rows = [(n, cells) for n, cells in rows if any(_cell(c) for c in cells)]
    if not rows:
        raise InterchangeError([f"{name}: 文件为空（没有表头）"])
    (head_row, header), body = rows[0], rows[1:]
    keys, errors = _header(name, head_row, header)
    if errors:
        raise InterchangeError(errors)
    shown = {key: str(header[i]).strip() for i, key in enumerate(keys) if key}
    parsed: list[ParsedRow] = []
    seen: dict[str, tuple[int, Evidence]] = {}
    for row_no, cells in body:
        data = {key: _cell(cells[i]) if i < len(cells) else "" for i, key in enumerate(keys)}
        row_errors, row = _row(name, row_no, data, shown, path.parent, catalog, today)
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


def _header(name: str, row_no: int, header: Sequence[object]) -> tuple[list[str | None], list[str]]:
    keys: list[str | None] = []
    errors: list[str] = []
    for cell in header:
        text = _cell(cell)
        if not text:
            keys.append(None)
            continue
        key = header_key(text)
        if key is None:
            errors.append(
                f"{name}:{row_no}: {text}: 未知的列，可用的列为 "
                + "、".join(FIELD_LABELS[k] for k in COLUMNS)
            )
        elif key in keys:
            errors.append(f"{name}:{row_no}: {text}: 列重复")
        keys.append(key)
    for key in REQUIRED:
        if key not in keys:
            errors.append(f"{name}:{row_no}: {FIELD_LABELS[key]}: 缺少必需的列")
    return keys, errors


def _row(
    name: str,
    row_no: int,
    data: dict[str | None, str | object],
    shown: dict[str, str],
    folder: Path,
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
    files: list[tuple[Path, str]] = []
    digests: list[str] = []
    for part in str(data.pop("attachment", "") or "").split(";"):
        part = part.strip()
        if not part:
            continue
        source = Path(part) if Path(part).is_absolute() else folder / part
        if not source.is_file():
            err("attachment", f"文件 {part} 不存在")
            continue
        try:
            digests.append(_sha256(source))
        except OSError as exc:
            err("attachment", f"文件 {part} 无法读取（{exc.strerror}）")
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
    """A cell as the model reads it: text trimmed, dates kept, a neutralising quote dropped."""
    if value is None:
        return ""
    if isinstance(value, datetime | date | bool | int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_START:
        return text[1:]
    return text


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_file(store: Store, path: Path | str, *, today: date | None = None) -> SaveResult:
    """Import a file into the store, all or nothing."""
    rows = parse_file(path, store.catalog, today=today)
    items: list[tuple[Evidence, list[AttachmentRef]]] = []
    try:
        for row in rows:
            refs = [store.store_file(src, name) for src, name in row.files]
            items.append((row.record, refs))
    except StoreError as exc:
        raise InterchangeError([f"{Path(path).name}: {exc}"]) from None
    return store.save_many(items, label=f"导入 {Path(path).name}")


# --- writing -----------------------------------------------------------------------


def neutralise(value: str) -> str:
    """Prefix text a spreadsheet would run as a formula with an apostrophe.

    Text that already starts with an apostrophe before such a character gets
    one more, so reading (which drops one) gives back exactly what was written.
    """
    if value.startswith(_FORMULA_START) or (
        len(value) > 1 and value[0] == "'" and value[1] in _FORMULA_START
    ):
        return "'" + value
    return value


_UNSAFE_NAME = re.compile(r'[<>:"/\\|?*;\x00-\x1f]')


def safe_name(name: str) -> str:
    """A file name any system accepts (Windows included), never a path, never empty."""
    cleaned = _UNSAFE_NAME.sub("_", name).strip(" .")[:120]
    return cleaned or "附件"


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
    rows = list(export_rows(store, out.parent / f"{out.stem}_附件"))
    tmp = out.with_name(f".{out.name}.tmp")
    if suffix == ".csv":
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            for row in rows:
                writer.writerow([v.isoformat() if isinstance(v, date) else _safe(v) for v in row])
    else:
        _write_xlsx(tmp, header, rows)
    os.replace(tmp, out)
    return len(rows)


def _safe(value: object) -> object:
    return neutralise(value) if isinstance(value, str) else value


def _write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "佐证材料"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    date_col = COLUMNS.index("date") + 1
    for row in rows:
        sheet.append([_safe(v) for v in row])
        sheet.cell(row=sheet.max_row, column=date_col).number_format = "yyyy-mm-dd"
    widths = {"id": 18, "title": 40, "item": 14, "department": 16, "note": 30, "attachment": 30}
    for i, key in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = widths.get(
            key, 12
        )
    sheet.freeze_panes = "A2"
    book.save(path)
