"""Score snapshots: a score report frozen under a label (第二季度末 …), with the table it used."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from credit_tui.store import catalog as store_catalog
from credit_tui.store.connection import StoreBase, reads
from credit_tui.store.errors import StoreError


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A score report frozen under a label."""

    id: int
    label: str
    as_of: str
    saved_at: str
    report: dict[str, Any]

    @property
    def earned(self) -> object:
        """The total it recorded."""
        return self.report.get("earned")


class Snapshots(StoreBase):
    """Saving and listing score snapshots."""

    def save_snapshot(self, label: str, report: dict[str, Any]) -> Snapshot:
        """Freeze a score report (``ScoreReport.to_dict()``) under a label."""
        label = label.strip()
        if not label or len(label) > 50:
            raise StoreError("快照名称：不能为空，最多 50 字")
        row = {
            "label": label,
            "as_of": str(report.get("as_of", "")),
            "saved_at": self._now(),
            "report": json.dumps(
                {**report, "catalog": store_catalog.stamp(self.conn)}, ensure_ascii=False
            ),
        }
        with self.transaction() as db:
            db["snapshots"].insert(row)
            row_id = db.execute("SELECT last_insert_rowid()").fetchone()[0]
        return Snapshot(row_id, row["label"], row["as_of"], row["saved_at"], report)

    @reads
    def snapshots(self) -> list[Snapshot]:
        """Every saved snapshot, newest first."""
        try:
            rows = self.conn.execute(
                "SELECT id, label, as_of, saved_at, report FROM snapshots ORDER BY id DESC"
            )
        except sqlite3.OperationalError as exc:
            if self.read_only and "no such table" in str(exc):
                return []  # a store of an older program, opened read-only (not migrated)
            raise
        return [Snapshot(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows]
