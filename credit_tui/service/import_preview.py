"""What an import would do, worked out before anything is written (the workbench's 导入 dialog).

``sources`` turns a chosen file or folder into the files to read;
``parse_sources`` reads them with the command line's own checks
(``interchange.parse_file``; safe in a thread: it touches no store);
``preview_import`` counts 新增 · 替换 · 未变 per department and the score
before → after, on the UI thread (the scorer is not shared). No textual here.
The dialog's last folder is kept beside the store in ``<name>.settings.json``.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rich.cells import cell_len

from credit_tui.interchange.evidence import SUFFIXES, InterchangeError, ParsedRow, parse_file
from credit_tui.scoring.catalog import Catalog
from credit_tui.scoring.points import Halves, fmt, fmt_delta
from credit_tui.scoring.report import Change, changes

if TYPE_CHECKING:
    from credit_tui.service.workbench import Workbench


@dataclass(slots=True)
class DepartmentCounts:
    """One department's share of an import."""

    department: str
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    codes: Counter[str] = field(default_factory=Counter)
    """Display codes (``三、1``) of the records added or replaced, with how many."""


@dataclass(slots=True)
class ImportPreview:
    """What importing ``files`` would do, or every error that stops it."""

    files: list[Path]
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    departments: list[DepartmentCounts] = field(default_factory=list)
    before: Halves = 0
    after: Halves = 0
    changes: list[Change] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Nothing stops the import and it would change something."""
        return not self.errors and bool(self.added or self.replaced)

    @property
    def label(self) -> str:
        """The audit log's (and the undo's) name for it: ``导入 客运科-7月.xlsx``."""
        if len(self.files) == 1:
            return f"导入 {self.files[0].name}"
        folders = {f.parent.name for f in self.files}
        where = f"（{folders.pop()}）" if len(folders) == 1 else ""
        return f"导入 {len(self.files)} 个文件{where}"

    def lines(self, display: dict[str, str]) -> list[str]:
        """The preview as the dialog shows it, one line each (errors: one per problem)."""
        if self.errors:
            return [f"有 {len(self.errors)} 处错误，未导入任何记录：", *self.errors]
        out = [f"新增 {self.added} · 替换 {self.replaced} · 未变 {self.unchanged}"]
        width = max((cell_len(d.department) for d in self.departments), default=0)
        order = {shown: n for n, shown in enumerate(display.values())}  # the table's order
        for dept in self.departments:
            counts = []
            if dept.added:
                counts.append(f"新增 {dept.added}")
            if dept.replaced:
                counts.append(f"替换 {dept.replaced}")
            if dept.unchanged:
                counts.append(f"未变 {dept.unchanged}")
            codes = "  ".join(
                code if n == 1 else f"{code} ×{n}"
                for code, n in sorted(dept.codes.items(), key=lambda c: order.get(c[0], 0))
            )
            name = dept.department + " " * (width - cell_len(dept.department))
            out.append(f"{name}  {' · '.join(counts)}  {codes}".rstrip())
        moved = " · ".join(
            f"{display.get(c.code, c.code)} {fmt_delta(c.delta)}" for c in self.changes
        )
        total = f"总分 {fmt(self.before)} → {fmt(self.after)}"
        out.append(f"{total}（{moved}）" if moved else f"{total}（不变）")
        return out


def sources(target: Path) -> list[Path]:
    """A file as itself; a folder as its .csv/.xlsx files (not in subfolders), by name.

    Hidden files and Excel's ``~$`` lock files are left out. ``InterchangeError``
    for a missing path or a folder with nothing to import.
    """
    if target.is_dir():
        try:
            found = sorted(
                p
                for p in target.iterdir()
                if p.suffix.lower() in SUFFIXES
                and not p.name.startswith((".", "~$"))
                and p.is_file()
            )
        except OSError as exc:
            raise InterchangeError([f"{target}: 无法读取文件夹（{exc.strerror}）"]) from None
        if not found:
            raise InterchangeError([f"{target}: 文件夹中没有 .csv 或 .xlsx 文件"])
        return found
    if not target.exists():
        raise InterchangeError([f"{target}: 文件不存在"])
    return [target]


def parse_sources(
    files: list[Path], catalog: Catalog, today: date, *, protected: frozenset[Path] = frozenset()
) -> ImportPreview:
    """Read and check every file: the rows, or every error (``FILE:ROW: column: message``).

    ``protected`` names files never read as attachments (the store's own, ``store_files``).

    A record id in two files with different content is an error; with the same
    content it is read once.
    """
    preview = ImportPreview(files)
    seen: dict[str, tuple[str, ParsedRow]] = {}
    for path in files:
        try:
            rows = parse_file(path, catalog, today=today, protected=protected)
        except InterchangeError as exc:
            preview.errors.extend(exc.errors)
            continue
        for row in rows:
            earlier = seen.get(row.record.id)
            if earlier is None:
                seen[row.record.id] = (path.name, row)
                preview.rows.append(row)
            elif earlier[1].record != row.record:
                preview.errors.append(
                    f"{path.name}:{row.row}: 编号: 编号 {row.record.id} 与 "
                    f"{earlier[0]}:{earlier[1].row} 重复但内容不同"
                )
    return preview


def preview_import(bench: Workbench, preview: ImportPreview) -> ImportPreview:
    """Count what each row would do to the store and the score (call on the UI thread)."""
    if preview.errors:
        return preview
    catalog = bench.catalog
    by_department: dict[str, DepartmentCounts] = {}
    changed = []
    for row in preview.rows:
        record = row.record
        dept = by_department.setdefault(record.department, DepartmentCounts(record.department))
        current = bench.records.get(record.id)
        if current is None:
            dept.added += 1
            preview.added += 1
        elif _same(bench, current, row):
            dept.unchanged += 1
            preview.unchanged += 1
            continue
        else:
            dept.replaced += 1
            preview.replaced += 1
        dept.codes[catalog.display_code(record.indicator)] += 1
        changed.append(record)
    order = {name: n for n, name in enumerate(catalog.departments)}
    preview.departments = sorted(
        by_department.values(), key=lambda d: (order.get(d.department, len(order)), d.department)
    )
    before = bench.report
    after = bench.preview_many(changed) if changed else before
    preview.before, preview.after = before.earned, after.earned
    preview.changes = changes(before, after)
    return preview


def _same(bench: Workbench, current: object, row: ParsedRow) -> bool:
    """Whether the row equals the stored record, attachments and their names included."""
    shas = tuple(dict.fromkeys(row.record.attachments))
    if current != row.record.model_copy(update={"attachments": shas}):
        return False
    names: dict[str, str] = {}
    for (_, name), sha in zip(row.files, row.record.attachments, strict=False):
        names.setdefault(sha, name)
    stored = [(a.sha256, a.name) for a in bench.store.attachments_of(row.record.id)]
    return stored == list(names.items())


# --- the folder of the last import -------------------------------------------------


def settings_file(store_path: Path) -> Path:
    """``db/credit.settings.json`` for ``db/credit.db``."""
    return store_path.with_name(f"{store_path.stem}.settings.json")


def last_import_folder(store_path: Path) -> Path:
    """The folder of the last import from the workbench, if it still exists; else home."""
    try:
        data = json.loads(settings_file(store_path).read_text(encoding="utf-8"))
        folder = Path(data["last_import_folder"])
        if folder.is_dir():
            return folder
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return Path.home()


def remember_import_folder(store_path: Path, folder: Path) -> None:
    """Keep the folder for next time (best effort: a read-only place keeps nothing)."""
    path = settings_file(store_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        if not isinstance(data, dict):
            data = {}
        data["last_import_folder"] = str(folder)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except (OSError, ValueError):
        pass
