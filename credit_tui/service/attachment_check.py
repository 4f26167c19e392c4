"""The form's attachments, checked as they are picked or typed: each file's size, whether it can
be read, and whether the same file (SHA-256) is already attached somewhere. No textual here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from credit_tui.store.database import AttachmentRef, Store, file_sha256


@dataclass(frozen=True, slots=True)
class FileCheck:
    """One entry of the attachment box, as checked."""

    entry: str
    """As typed (or picked)."""
    path: Path | None = None
    """The file, when it is one that can be read."""
    size: int | None = None
    kept: bool = False
    """An attachment the record already has (named as stored, not a path)."""
    problem: str = ""
    """Why it cannot be attached (Chinese), or empty."""
    same_as: str = ""
    """``与记录“…”的附件“…”相同`` when that very file is already stored, or empty."""


_DIGESTS: dict[tuple[str, int, int], str] = {}
"""SHA-256 by (path, size, mtime): a file is hashed once while the clerk types."""


def readable_file(path: Path) -> str:
    """Why ``path`` cannot be attached, or empty: not there, not a file, or unreadable."""
    try:
        if not path.exists():
            return "不存在"
        if not path.is_file():
            return "不是文件"
        with path.open("rb") as handle:
            handle.read(1)
    except OSError as exc:
        return f"无法读取（{exc.strerror or type(exc).__name__}）"
    return ""


def digest(path: Path) -> str:
    """The file's SHA-256 (remembered while its size and time are the same)."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _DIGESTS:
        _DIGESTS[key] = file_sha256(path)
    return _DIGESTS[key]


def entry_path(entry: str) -> Path:
    """The path an entry names: quotes dropped, ``~`` expanded."""
    return Path(entry.strip().strip("\"'")).expanduser()


def check_files(
    entries: list[str],
    store: Store,
    kept: list[AttachmentRef],
    title_of: Callable[[str], str],
    record_id: str | None = None,
) -> list[FileCheck]:
    """Check each entry: a readable file (size, same as a stored one?) or a kept attachment.

    ``title_of`` gives a record's title for the 相同 message; this record's own
    attachments (``record_id``) are not reported as the same.
    """
    kept_by_name = {a.name: a for a in kept}
    out: list[FileCheck] = []
    seen: dict[str, str] = {}
    for entry in entries:
        path = entry_path(entry)
        problem = readable_file(path)
        if problem and entry in kept_by_name:
            out.append(FileCheck(entry, kept=True))
            continue
        if problem:
            out.append(FileCheck(entry, problem=problem))
            continue
        try:
            sha = digest(path)
            size = path.stat().st_size
        except OSError as exc:
            out.append(FileCheck(entry, problem=f"无法读取（{exc.strerror}）"))
            continue
        same = ""
        if sha in seen:
            same = f"与本次的“{seen[sha]}”相同"
        else:
            seen[sha] = path.name
            uses = [(rid, name) for rid, name in store.attachment_uses(sha) if rid != record_id]
            if uses:
                rid, name = uses[0]
                same = f"与记录“{title_of(rid)}”的附件“{name}”相同，不会重复保存"
            elif any(a.sha256 == sha for a in kept):
                same = "与本记录已有的附件相同"
        out.append(FileCheck(entry, path=path, size=size, same_as=same))
    return out


def is_file_entry(entry: str) -> bool:
    """Whether an entry names a file that can be attached now."""
    return not readable_file(entry_path(entry)) and os.path.isfile(entry_path(entry))


def describe(checks: list[FileCheck]) -> list[tuple[str, str]]:
    """One line per entry and its kind: ``("✓ 通知.pdf · 12.3 KB", "ok")``, "same" or "bad"."""
    lines = []
    for check in checks:
        if check.kept:
            lines.append((f"✓ {check.entry} · 已有附件", "ok"))
        elif check.problem:
            lines.append((f"✗ {entry_path(check.entry).name} · {check.problem}", "bad"))
        else:
            assert check.path is not None and check.size is not None
            line = f"✓ {check.path.name} · {file_size(check.size)}"
            if check.same_as:
                lines.append((f"{line} · {check.same_as}", "same"))
            else:
                lines.append((line, "ok"))
    return lines


def file_size(size: int) -> str:
    """``532 字节``, ``12.3 KB``, ``4.0 MB``."""
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"
