"""A table workbook refused before openpyxl opens it: too large, not a zip, or a zip bomb."""

from __future__ import annotations

import zipfile
from pathlib import Path

MAX_FILE = 5 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024
MAX_MEMBERS = 200
MAX_RATIO = 100


class WorkbookProblems(Exception):
    """Cells that cannot be read: (place, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{p}：{m}" for p, m in problems))
        self.problems = problems


def guard(path: Path) -> None:
    """Refuse a file too large, not a zip, or one that unpacks to too much (a zip bomb)."""
    size = path.stat().st_size
    if size > MAX_FILE:
        raise WorkbookProblems(
            [("文件", f"超过 {MAX_FILE // 1024 // 1024} MB，不像指标体系工作簿")]
        )
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError):
        raise WorkbookProblems([("文件", "不是有效的 Excel 文件（.xlsx）")]) from None
    if len(infos) > MAX_MEMBERS:
        raise WorkbookProblems([("文件", f"含有 {len(infos)} 个部件，超过 {MAX_MEMBERS} 个")])
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED:
        raise WorkbookProblems([("文件", f"解压后超过 {MAX_UNPACKED // 1024 // 1024} MB，已拒绝")])
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise WorkbookProblems([("文件", f"部件 {info.filename} 压缩比异常，已拒绝")])
