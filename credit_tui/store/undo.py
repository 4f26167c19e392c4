"""Undo: the newest change not yet undone, walked back exactly as the audit log recorded it."""

from __future__ import annotations

import json
import secrets
from typing import TYPE_CHECKING

from credit_tui.store import catalog as store_catalog
from credit_tui.store.audit import public
from credit_tui.store.records import Records

if TYPE_CHECKING:
    from sqlite_utils import Database


class Undo(Records):
    """Walking back the audit log, one batch at a time."""

    def undo(self) -> str | None:
        """Revert the newest change not yet undone; a Chinese summary, or None if none."""
        done = self.undo_change()
        return done[0] if done else None

    def undo_change(self) -> tuple[str, tuple[str, ...]] | None:
        """Like ``undo``, also naming the records it touched (summary, record ids)."""
        row = self.conn.execute(
            "SELECT batch, label FROM audit WHERE undone = 0 AND action != 'undo' "
            "ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        batch, label = row
        entries = self.conn.execute(
            "SELECT id, action, evidence_id, before, after FROM audit WHERE batch = ? "
            "ORDER BY id DESC",
            (batch,),
        ).fetchall()
        now = self._now()
        undo_batch = secrets.token_hex(8)
        with self.transaction() as db:
            for entry_id, action, rid, before_json, _after in entries:
                current = self._row_dict(rid, include_deleted=True)
                if action == "catalog":
                    before = json.loads(before_json) if before_json else None
                    store_catalog.undo_table(self, db, before)
                else:
                    self._restore(db, entry_id, action, rid, before_json, now)
                after = self._row_dict(rid)
                self._audit(
                    db, undo_batch, "undo", rid, public(current) if current else None,
                    public(after) if after else None, f"撤销{label}",
                )  # fmt: skip
                db.execute("UPDATE audit SET undone = 1 WHERE id = ?", (entry_id,))
        ids = tuple(dict.fromkeys(entry[2] for entry in entries if entry[2] is not None))
        if any(entry[1] == "catalog" for entry in entries):
            self.forget_catalog()
            return f"已撤销“{label}”，恢复此前的指标体系" + (
                f"（及 {len(ids)} 条记录）" if ids else ""
            ), ids
        return f"已撤销“{label}”（{len(entries)} 条记录）", ids

    def _restore(
        self, db: Database, entry_id: int, action: str, rid: str, before_json: str | None, now: str
    ) -> None:
        """Put record ``rid`` back exactly as it was before audit entry ``entry_id``.

        Undo walks back a stack, so the state before an entry is the one the newest
        earlier change of the record still in force left (its content after an insert
        or update, its content before a delete, deleted). A re-import over a deleted
        record is an insert whose state before is that deleted content, not "absent".
        """
        prev = self.conn.execute(
            "SELECT action, before, after FROM audit WHERE evidence_id = ? AND id < ? "
            "AND undone = 0 AND action != 'undo' ORDER BY id DESC LIMIT 1",
            (rid, entry_id),
        ).fetchone()
        if prev is None:  # the record's first change: before it there was nothing
            if action == "insert" or before_json is None:
                db.execute("UPDATE evidence SET deleted_at = ? WHERE id = ?", (now, rid))
            else:  # a history that starts later (an older store): what the entry saw
                self._write(db, json.loads(before_json), now, insert=False)
            return
        prev_action, prev_before, prev_after = prev
        content = json.loads(prev_before if prev_action == "delete" else prev_after)
        self._write(db, content, now, insert=False)
        if prev_action == "delete":
            db.execute("UPDATE evidence SET deleted_at = ? WHERE id = ?", (now, rid))
