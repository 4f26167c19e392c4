"""佐证材料汇编: every attached file filed by indicator, with the self-assessment and an index.

``export_package`` writes a folder (or, for a ``.zip`` target, a zip file) laid out as the
acceptance team reads it::

    一、制度建设/1.1 领导小组/2024-04-08 关于成立….txt
    一、制度建设/1.2 创建工作方案/…
    自评表.xlsx
    目录.md

One folder per category (its title), one per component (``code label``), one file per
attachment named ``date + the name the clerk gave it``, made safe for Windows and unique
in its folder. The records are those the score counts as of the date (in the year, dated
by as-of, delivered). Everything is built in a hidden folder beside the target and moved
into place at the end, so a failure leaves nothing half-written; every path is checked to
stay inside the target.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from credit_tui.interchange.evidence_format import InterchangeError, safe_name
from credit_tui.reports.scored import Scored, scored
from credit_tui.scoring.points import fmt
from credit_tui.store.database import AttachmentRef, Store

SELF_ASSESSMENT_NAME = "自评表.xlsx"
INDEX_NAME = "目录.md"
NAME_MAX = 120
_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,10}$")
_FORBIDDEN_PARTS = frozenset({"", ".", ".."})


class ExportRefused(InterchangeError):
    """A target the export will not write to; the message says why (in Chinese).

    ``errors`` is left empty: this is a refusal of an export, not a list of bad rows of an
    import, so the command line shows the message as it is.
    """

    def __init__(self, message: str) -> None:
        super().__init__([message])
        self.errors = []


@dataclass(slots=True)
class _File:
    """One attachment of one record as filed in the package."""

    ref: AttachmentRef
    path: str | None
    """Relative path inside the package (``/``-separated); ``None`` if the stored file is gone."""


@dataclass(slots=True)
class _Entry:
    """One record with its filed attachments."""

    day: date
    title: str
    department: str
    files: list[_File] = field(default_factory=list)


@dataclass(slots=True)
class _Section:
    """One component of one indicator: its folder and its records."""

    category: str
    heading: str
    folder: tuple[str, ...]
    earned: str
    max: str
    entries: list[_Entry] = field(default_factory=list)


def export_package(store: Store | Scored, out: Path, *, as_of: date) -> Path:
    """Write the evidence package to ``out`` (a new or empty folder, or a ``.zip`` file).

    Returns the path written. ``InterchangeError`` (in Chinese) for a target it will not
    write to: an existing non-empty folder, a file where a folder is asked for, a folder
    where a zip is asked for.
    """
    out = Path(out)
    as_zip = out.suffix.lower() == ".zip"
    _check_target(out, as_zip)
    out.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(4)
    staging = out.parent / f".{out.name}.{token}.tmp"
    zip_tmp = out.parent / f".{out.name}.{token}.zip.tmp"
    try:
        staging.mkdir()
        _build(store, staging, as_of=as_of)
        if as_zip:
            _zip_folder(staging, zip_tmp)
            os.replace(zip_tmp, out)
        else:
            _check_target(out, as_zip)  # still new or empty after the build
            if out.is_dir():
                out.rmdir()  # an empty folder: replaced by the finished one
            os.replace(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        zip_tmp.unlink(missing_ok=True)
    return out


def _check_target(out: Path, as_zip: bool) -> None:
    if out.is_symlink():
        raise ExportRefused(f"{out}：是一个链接，请换一个位置导出")
    if as_zip:
        if out.is_dir():
            raise ExportRefused(f"{out}：已有同名文件夹，不能写成 .zip 文件")
        return
    if out.exists() and not out.is_dir():
        raise ExportRefused(f"{out}：已有同名文件，请指定一个新的或空的文件夹")
    if out.is_dir() and any(out.iterdir()):
        raise ExportRefused(f"{out}：文件夹不是空的，请指定一个新的或空的文件夹，以免覆盖已有文件")


# --- building ----------------------------------------------------------------------


def _build(source: Store | Scored, root: Path, *, as_of: date) -> None:
    """Write the whole package into ``root`` (an empty folder)."""
    done = scored(source, as_of=as_of)
    store, catalog, report = done.store, done.catalog, done.report
    by_id = done.by_id()
    names = store.attachment_names()
    scores = {(c.indicator, c.key): c for ind in report.indicators for c in ind.components}
    taken: dict[tuple[str, ...], set[str]] = {}
    filed: dict[tuple[tuple[str, ...], str, str], str] = {}
    sections: list[_Section] = []
    for ind in catalog.indicators:
        category = catalog.categories_by_code[ind.category_code]
        for comp in ind.components:
            comp_score = scores[(ind.code, comp.key)]
            folder = (safe_name(category.title), safe_name(f"{ind.code} {comp.label}"))
            heading = f"{catalog.display_code(ind.code)} {ind.name}"
            if len(ind.components) > 1 or comp.label != ind.name:
                heading += f" · {comp.label}"
            section = _Section(
                category.title, heading, folder, fmt(comp_score.earned), fmt(comp_score.max)
            )
            wanted = sorted(
                (by_id[rid] for rid in comp_score.record_ids if rid in by_id),
                key=lambda r: (r.date, r.id),
            )
            for rec in wanted:
                entry = _Entry(rec.date, rec.title, rec.department)
                for ref in names.get(rec.id, []):
                    stored = store.attachment_path(ref.sha256)
                    if stored is None or not stored.is_file():
                        entry.files.append(_File(ref, None))
                        continue
                    base = _file_name(rec.date, ref.name)
                    key = (folder, ref.sha256, base)
                    if key not in filed:  # the same file under the same name: filed once
                        name = _unique(base, taken.setdefault(folder, set()))
                        target = _inside(root, (*folder, name))
                        target.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copyfile(stored, target)
                        filed[key] = PurePosixPath(*folder, name).as_posix()
                    entry.files.append(_File(ref, filed[key]))
                section.entries.append(entry)
            sections.append(section)
    from credit_tui.reports.self_assessment import export_self_assessment

    export_self_assessment(done, _inside(root, (SELF_ASSESSMENT_NAME,)), as_of=as_of)
    index = _index(store, report.as_of, sections)
    _inside(root, (INDEX_NAME,)).write_text(index, encoding="utf-8")


def _file_name(day: date, name: str) -> str:
    """``"2024-04-08 关于成立….pdf"``: safe for Windows, the suffix kept when shortened."""
    name = safe_name(name)
    stamp = day.isoformat()
    if not name.startswith(stamp):
        name = f"{stamp} {name}"
    stem, suffix = _split(name)
    stem = stem[: NAME_MAX - len(suffix)].rstrip(" .")
    return safe_name(stem + suffix)


def _split(name: str) -> tuple[str, str]:
    stem, dot, ext = name.rpartition(".")
    if dot and stem and _SUFFIX.match(f".{ext}"):
        return stem, f".{ext}"
    return name, ""


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``"name (2).ext"`` … if the folder already has it (case-insensitively)."""
    stem, suffix = _split(name)
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        tail = f" ({n}){suffix}"
        candidate = stem[: NAME_MAX - len(tail)].rstrip(" .") + tail
    taken.add(candidate.casefold())
    return candidate


def _inside(root: Path, parts: tuple[str, ...]) -> Path:
    """``root / parts``, refusing any part that is not a plain name or a path leaving ``root``."""
    for part in parts:
        if part in _FORBIDDEN_PARTS or any(ch in part for ch in "/\\\x00"):
            raise ExportRefused(f"文件名“{part}”不安全，已停止导出")
    target = root.joinpath(*parts)
    if not target.resolve().is_relative_to(root.resolve()):
        raise ExportRefused(f"路径“{'/'.join(parts)}”超出导出位置，已停止导出")
    return target


def _zip_folder(folder: Path, dest: Path) -> None:
    """Zip every file under ``folder`` (names relative to it, UTF-8), in a stable order."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            # zipfile marks non-ASCII names as UTF-8 (flag 0x800) by itself
            zf.write(path, path.relative_to(folder).as_posix())


# --- the index -----------------------------------------------------------------------


def _cell(text: str) -> str:
    """Text for a Markdown table cell."""
    return " ".join(text.replace("\\", "\\\\").replace("|", "\\|").split())


def _link(path: str) -> str:
    return f"[{_cell(path)}](<{path}>)"


def _index(store: Store, as_of: date, sections: list[_Section]) -> str:
    records = sum(len(s.entries) for s in sections)
    files = {f.path for s in sections for e in s.entries for f in e.files if f.path}
    missing = sum(1 for s in sections for e in s.entries for f in e.files if f.path is None)
    lines = [
        f"# {store.campaign.organisation}信用交通县创建佐证材料汇编",
        "",
        f"- 年度：{store.campaign.year}",
        f"- 截至：{as_of.isoformat()}",
        f"- 材料：{records} 条记录，{len(files)} 个文件",
        f"- 自评表：[{SELF_ASSESSMENT_NAME}](<{SELF_ASSESSMENT_NAME}>)",
        "- 说明：按评分表的类别和指标分文件夹存放；文件名为“日期 + 原文件名”。",
    ]
    if missing:
        lines.append(f"- 注意：有 {missing} 个附件在数据库附件文件夹中找不到，未能收入。")
    current = None
    for section in sections:
        if section.category != current:
            current = section.category
            lines += ["", f"## {current}"]
        folder = "/".join(section.folder)
        lines += [
            "",
            f"### {section.heading}",
            "",
            f"得分 {section.earned} / {section.max} 分；文件夹：`{folder}`",
            "",
        ]
        if not section.entries:
            lines.append("（暂无材料）")
            continue
        lines += ["| 日期 | 标题 | 责任单位 | 文件 |", "|---|---|---|---|"]
        for entry in section.entries:
            cells = []
            for f in entry.files:
                cells.append(_link(f.path) if f.path else f"{_cell(f.ref.name)}（文件缺失）")
            lines.append(
                f"| {entry.day.isoformat()} | {_cell(entry.title)} | {_cell(entry.department)} "
                f"| {'<br>'.join(cells) or '（无附件）'} |"
            )
    lines.append("")
    return "\n".join(lines)
