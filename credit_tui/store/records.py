"""The evidence records: read, save or replace (with their attachments' index), soft-delete.

Every write is one transaction and one audit batch; a record identical to the
stored one is left alone.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from credit_tui.scoring.evidence import Evidence
from credit_tui.store.attachments import AttachmentRef, Attachments
from credit_tui.store.audit import AuditLog, public
from credit_tui.store.connection import reads
from credit_tui.store.rows import evidence
from credit_tui.store.schema import BOOL_COLUMNS, EVIDENCE_COLUMNS

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What a write did."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        """Whether anything was written."""
        return bool(self.added or self.replaced)


class Records(AuditLog, Attachments):
    """Reading and writing the evidence records."""

    # --- reading -------------------------------------------------------------------

    @reads
    def size_hint(self) -> int:
        """At least as many as ``count()``, at once: records ever written, deleted ones too.

        ``count()`` reads every row (a few tens of ms at 100,000); this reads one
        end of the table.
        """
        row = self.conn.execute("SELECT max(rowid) FROM evidence").fetchone()
        return int(row[0] or 0)

    @reads
    def count(self) -> int:
        """Live (not deleted) records."""
        return int(
            self.conn.execute("SELECT count(*) FROM evidence WHERE deleted_at IS NULL").fetchone()[
                0
            ]
        )

    @reads
    def records(self) -> list[Evidence]:
        """Every live record, oldest first."""
        links = self._attachment_links(None)
        sql = f"SELECT {', '.join(EVIDENCE_COLUMNS)} FROM evidence WHERE deleted_at IS NULL"
        return [
            evidence(row, links.get(row[0], ()))
            for row in self.conn.execute(sql + " ORDER BY date, id")
        ]

    @reads
    def get(self, record_id: str) -> Evidence | None:
        """A live record by id."""
        row = self.conn.execute(
            f"SELECT {', '.join(EVIDENCE_COLUMNS)} FROM evidence "
            "WHERE id = ? AND deleted_at IS NULL",
            (record_id,),
        ).fetchone()
        if row is None:
            return None
        return evidence(row, self._attachment_links(record_id).get(record_id, ()))

    # --- writing -------------------------------------------------------------------

    def save(
        self, record: Evidence, attachments: Sequence[AttachmentRef] | None = None
    ) -> SaveResult:
        """Insert or replace one record (one transaction, one audit batch)."""
        return self.save_many([(record, attachments)], label="保存")

    def save_many(
        self,
        items: Sequence[tuple[Evidence, Sequence[AttachmentRef] | None]],
        *,
        label: str = "导入",
    ) -> SaveResult:
        """Insert or replace many records in one transaction.

        ``attachments`` None keeps a replaced record's attachments as they are.
        Records identical to the stored ones are left alone (``unchanged``).
        """
        batch = secrets.token_hex(8)
        added = replaced = unchanged = 0
        now = self._now()
        with self.transaction() as db:
            for record, attachments in items:
                current = self._row_dict(record.id, include_deleted=True)
                if attachments is None:
                    attachments = (
                        [AttachmentRef(**a) for a in current["attachments"]] if current else []
                    )
                new = _record_dict(record, attachments)
                live = current is not None and current["deleted_at"] is None
                if live and _same(current, new):
                    unchanged += 1
                    continue
                self._write(db, new, now, insert=current is None)
                before = public(current) if live else None
                self._audit(
                    db, batch, "update" if live else "insert", record.id, before, new, label
                )
                if live:
                    replaced += 1
                else:
                    added += 1
        return SaveResult(added, replaced, unchanged)

    def delete(self, record_id: str) -> bool:
        """Soft-delete a record (``undo`` brings it back). False if there was none."""
        current = self._row_dict(record_id)
        if current is None:
            return False
        with self.transaction() as db:
            db.execute("UPDATE evidence SET deleted_at = ? WHERE id = ?", (self._now(), record_id))
            self._audit(
                db, secrets.token_hex(8), "delete", record_id, public(current), None, "删除"
            )
        return True

    def _write(self, db: Database, new: dict[str, Any], now: str, *, insert: bool) -> None:
        row = {k: new[k] for k in EVIDENCE_COLUMNS}
        row.update(updated_at=now, deleted_at=None)
        if insert:
            row["created_at"] = now
            db["evidence"].insert(row)
        else:
            db["evidence"].update(row["id"], row)
        db.execute("DELETE FROM evidence_attachments WHERE evidence_id = ?", (row["id"],))
        for pos, att in enumerate(new["attachments"]):
            sha = att["sha256"]
            if db.execute("SELECT 1 FROM attachments WHERE sha256 = ?", (sha,)).fetchone() is None:
                suffix, size = self._pending_files.get(sha, ("", 0))
                db["attachments"].insert(
                    {"sha256": sha, "suffix": suffix, "size": size, "created_at": now}
                )
            db["evidence_attachments"].insert(
                {"evidence_id": row["id"], "sha256": sha, "name": att["name"], "position": pos}
            )

    def _row_dict(self, record_id: str, *, include_deleted: bool = False) -> dict[str, Any] | None:
        sql = f"SELECT {', '.join(EVIDENCE_COLUMNS)}, deleted_at FROM evidence WHERE id = ?"
        if not include_deleted:
            sql += " AND deleted_at IS NULL"
        row = self.conn.execute(sql, (record_id,)).fetchone()
        if row is None:
            return None
        out = dict(zip((*EVIDENCE_COLUMNS, "deleted_at"), row, strict=True))
        out["attachments"] = [
            {"sha256": a.sha256, "name": a.name} for a in self.attachments_of(record_id)
        ]
        return out


def _record_dict(record: Evidence, attachments: Sequence[AttachmentRef]) -> dict[str, Any]:
    row: dict[str, Any] = {k: getattr(record, k) for k in EVIDENCE_COLUMNS}
    row["date"] = record.date.isoformat()
    for key in BOOL_COLUMNS:
        row[key] = int(bool(row[key]))
    unique: dict[str, str] = {}
    for ref in attachments:
        unique.setdefault(ref.sha256, ref.name)  # the same file once, under its first name
    row["attachments"] = [{"sha256": sha, "name": name} for sha, name in unique.items()]
    return row


def _same(current: dict[str, Any], new: dict[str, Any]) -> bool:
    return public(current) == public(new)
