"""Evidence interchange, format version 1 (SPEC section 8): the columns, the limits, the
error a refused file raises, and what makes a cell or a file name safe to write.

Shared by reading (``evidence``), writing (``evidence_export``) and every report that
writes a table.
"""

from __future__ import annotations

import re
from pathlib import Path

from credit_tui.errors import UserFacingError
from credit_tui.scoring.evidence import FIELD_LABELS

COLUMNS: tuple[str, ...] = (
    "id", "indicator", "component", "item", "date", "department", "title", "kind", "channel",
    "quantity", "format_ok", "evaluation_data", "publicized", "url", "attachment", "note", "status",
)  # fmt: skip
REQUIRED = ("indicator", "date", "department", "title")
SUFFIXES = (".csv", ".xlsx")
MAX_CELL = 10_000
MAX_HEADER_ERRORS = 50
KNOWN_COLUMNS = "、".join(FIELD_LABELS[k] for k in COLUMNS)
NEUTRALISE = re.compile(r"'*[=+\-@]")
"""Text written with one more leading apostrophe (a formula, or text that looks neutralised)."""
NEUTRALISED = re.compile(r"'+[=+\-@]")
"""Text read with one leading apostrophe less: exactly what ``NEUTRALISE`` produced."""
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters a cell may not hold (XLSX cannot store them; tab and line breaks are fine)."""


class InterchangeError(UserFacingError):
    """A file that cannot be imported; ``errors`` lists the problems (``omitted`` more not
    listed: a header of a million unknown columns)."""

    def __init__(self, errors: list[str], omitted: int = 0) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors
        self.omitted = omitted


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


def neutralise(value: str) -> str:
    """Prefix text a spreadsheet would run as a formula with an apostrophe.

    Text that already starts with apostrophes before such a character (``'=1``)
    gets one more, so reading (which drops one) gives back exactly what was written.
    """
    if NEUTRALISE.match(value):
        return "'" + value
    return value


_UNSAFE_NAME = re.compile(r'[<>:"/\\|?*;\x00-\x1f]')
_NAME_CHARS, _NAME_BYTES = 120, 240


def safe_name(name: str) -> str:
    """A file name any system accepts (Windows included), never a path, never empty.

    A long name is cut to 120 characters and 240 bytes (Linux counts bytes),
    keeping its suffix.
    """
    cleaned = _UNSAFE_NAME.sub("_", name).strip(" .")
    if len(cleaned) > _NAME_CHARS or len(cleaned.encode("utf-8")) > _NAME_BYTES:
        suffix = Path(cleaned).suffix
        suffix = suffix if len(suffix) <= 16 else ""
        stem = cleaned[: min(len(cleaned) - len(suffix), _NAME_CHARS - len(suffix))]
        while len((stem + suffix).encode("utf-8")) > _NAME_BYTES:
            stem = stem[:-1]
        stem = stem.rstrip(" .")
        cleaned = (stem or "附件") + suffix
    return cleaned or "附件"
