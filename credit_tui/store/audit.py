"""The audit log: every change with its content before and after, read back newest first.

Each write (``records``, ``undo``, the table in use) adds its rows here in the same
transaction; ``undo`` walks back through them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from credit_tui.store.connection import StoreBase, reads

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit trail."""

    id: int
    at: str
    batch: str
    action: str
    evidence_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    label: str
    undone: bool


def public(row: dict[str, Any] | None) -> dict[str, Any] | None:
    """A record's row as the audit log keeps it: without its timestamps."""
    if row is None:
        return None
    return {k: v for k, v in row.items() if k not in ("deleted_at", "created_at", "updated_at")}


class AuditLog(StoreBase):
    """Writing and reading the audit trail."""

    def _audit(
        self,
        db: Database,
        batch: str,
        action: str,
        record_id: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        label: str,
    ) -> None:
        db["audit"].insert(
            {
                "at": self._now(),
                "batch": batch,
                "action": action,
                "evidence_id": record_id,
                "before": json.dumps(before, ensure_ascii=False) if before else None,
                "after": json.dumps(public(after), ensure_ascii=False) if after else None,
                "label": label,
                "undone": 0,
            }
        )

    @reads
    def log(self, limit: int = 50) -> list[AuditEntry]:
        """The audit trail, newest first."""
        rows = self.conn.execute(
            "SELECT id, at, batch, action, evidence_id, before, after, label, undone "
            "FROM audit ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [
            AuditEntry(
                r[0], r[1], r[2], r[3], r[4],
                json.loads(r[5]) if r[5] else None, json.loads(r[6]) if r[6] else None,
                r[7], bool(r[8]),
            )
            for r in rows
        ]  # fmt: skip
