"""The evidence record (佐证材料) the engine consumes, as a plain slotted class.

``Evidence`` is the clean, already-checked record; ``credit_tui.scoring.evidence``
checks loose input into one. Key-task records (``KEY_TASK``) are kept alike.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from credit_tui.scoring.plain import Plain, record

KEY_TASK = "重点任务"
"""The indicator code of key-task records (重点任务, never scored)."""

Status = Literal["done", "planned"]
STATUS_LABELS: dict[str, str] = {"done": "已完成", "planned": "计划"}


@record(kw_only=True)
class Evidence(Plain):
    """One piece of evidence, filed under exactly one component of one indicator."""

    id: str
    indicator: str
    component: str
    item: str = ""
    date: date
    department: str
    title: str
    kind: str = "document"
    channel: str = "internal"
    quantity: int | None = None
    format_ok: bool = False
    evaluation_data: bool = False
    publicized: bool = False
    url: str = ""
    attachments: tuple[str, ...] = ()
    """SHA-256 digests of the attached files."""
    note: str = ""
    status: Status = "done"

    @classmethod
    def trusted(cls, **fields: object) -> Evidence:
        """Build a record from data that was validated when it was stored (no checks)."""
        return cls(**fields)  # type: ignore[arg-type]

    @property
    def planned(self) -> bool:
        """A promise, not yet delivered: never counts in earned."""
        return self.status == "planned"


def normal_item(text: str) -> str:
    """How items are compared: trimmed and case-folded."""
    return text.strip().casefold()
