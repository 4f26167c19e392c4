"""Replacing the store's table: the preview (changes, score before → after) and the write.

Nothing recorded is lost (SPEC 11): records of a removed indicator or component
stay as they are (未归属, counted nowhere) and count again when a later table
brings the code back; a department renamed with its old name as an alias takes
its records along (they are rewritten to the new name in the same, audited,
transaction); a department removed while records name it refuses the table.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from credit_tui.interchange.table.check import TableError
from credit_tui.interchange.table.diff import changes
from credit_tui.scoring.catalog import Catalog
from credit_tui.scoring.evidence import Evidence
from credit_tui.scoring.points import Halves, fmt, fmt_delta
from credit_tui.store import catalog as store_catalog
from credit_tui.store.database import _public

if TYPE_CHECKING:
    from credit_tui.store.database import Store

_SHOWN_RECORDS = 20


@dataclass(slots=True)
class Plan:
    """What importing ``new`` would do to the store."""

    old: Catalog
    new: Catalog
    lines: list[str]
    before: Halves
    after: Halves
    renames: dict[str, str] = field(default_factory=dict)
    """Record id → the department name it takes in the new table."""
    orphaned: int = 0
    restored: int = 0

    @property
    def unchanged(self) -> bool:
        """The new table says exactly what the old one says."""
        return not self.lines

    def text(self, today: date) -> str:
        """The preview, in Chinese."""
        if self.unchanged:
            return "指标体系无变化"
        out = ["指标体系将有以下变化：", *(f"  {line}" for line in self.lines)]
        if self.renames:
            out.append(f"  {len(self.renames)} 条记录的责任单位改用新名称")
        if self.orphaned:
            out.append(
                f"  {self.orphaned} 条记录的指标或事项已不在新指标体系中，保留为未归属，不计分"
            )
        if self.restored:
            out.append(f"  {self.restored} 条未归属记录重新归属，重新计分")
        delta = self.after - self.before
        out.append(
            f"总分（截至 {today.isoformat()}）：{fmt(self.before)} → {fmt(self.after)}"
            + (f"（{fmt_delta(delta)}）" if delta else "（不变）")
        )
        return "\n".join(out)


def _placed(catalog: Catalog, rec: Evidence) -> bool:
    ind = catalog.by_code.get(rec.indicator)
    return ind is not None and any(c.key == rec.component for c in ind.components)


def plan(store: Store, new: Catalog, today: date, source: str) -> Plan:
    """The preview of importing ``new``; ``TableError`` when a removed department has records."""
    from credit_tui.scoring.engine import score

    old, year, records = store.catalog, store.campaign.year, store.records()
    renames: dict[str, str] = {}
    stranded: list[Evidence] = []
    for rec in records:
        if rec.department in new.departments:
            continue
        target = new.canonical_department(rec.department)
        if target is None:
            stranded.append(rec)
        else:
            renames[rec.id] = target
    if stranded:
        names = "、".join(dict.fromkeys(r.department for r in stranded))
        lines = [
            f"departments：新指标体系去掉了责任单位 {names}，但仍有 {len(stranded)} 条记录属于它"
            "（可在新指标体系中把旧名称作为新单位的别名）："
        ]
        lines += [
            f"  {r.id} {r.date.isoformat()} {r.department} {r.indicator} {r.title}"
            for r in stranded[:_SHOWN_RECORDS]
        ]
        if len(stranded) > _SHOWN_RECORDS:
            lines.append(f"  ……另有 {len(stranded) - _SHOWN_RECORDS} 条")
        raise TableError(source, lines)
    before = score(old, records, year=year, as_of=today).earned
    after = score(new, records, year=year, as_of=today).earned
    orphaned = sum(1 for r in records if _placed(old, r) and not _placed(new, r))
    restored = sum(1 for r in records if not _placed(old, r) and _placed(new, r))
    return Plan(old, new, changes(old, new), before, after, renames, orphaned, restored)


def apply(store: Store, the_plan: Plan, source: str) -> None:
    """Store the new table in one audited transaction (``undo`` brings the old one back)."""
    info = store_catalog.info(store.conn)
    now = store.clock().isoformat(timespec="seconds")
    batch = secrets.token_hex(8)
    label = f"导入指标体系 {the_plan.new.version} 年度（{source}）"
    with store.transaction() as db:
        for record_id, target in the_plan.renames.items():
            current = store._row_dict(record_id)
            if current is None:
                continue
            db.execute(
                "UPDATE evidence SET department = ?, updated_at = ? WHERE id = ?",
                (target, now, record_id),
            )
            store._audit(
                db,
                batch,
                "update",
                record_id,
                _public(current),
                {**current, "department": target},
                label,
            )
        table_id = store_catalog.install(db, the_plan.new, source, now)
        before = {"catalog_id": info.id, "title": f"指标体系 {info.version} 年度"} if info else None
        after = {"catalog_id": table_id, "title": f"指标体系 {the_plan.new.version} 年度"}
        db["audit"].insert(
            {"at": now, "batch": batch, "action": "catalog", "evidence_id": None,
             "before": json.dumps(before, ensure_ascii=False) if before else None,
             "after": json.dumps(after, ensure_ascii=False), "label": label, "undone": 0}
        )  # fmt: skip
    store.forget_catalog()
