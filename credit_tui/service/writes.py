"""The one write API both faces use: every change the command line or the workbench makes to
a store — a record saved or deleted, an import, the month's ledger filed, a snapshot, undo.

Each is one transaction and one undo step (the store's audit). The ``Workbench`` calls these
and then re-scores what changed; the command line calls them directly. What a write needs
from the layers below (the import's reader, the ledger's record) is imported when it runs,
so the workbench starts without them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from credit_tui.scoring.evidence import Evidence
    from credit_tui.scoring.report import ScoreReport
    from credit_tui.store.database import AttachmentRef, SaveResult, Snapshot, Store


def save_record(
    store: Store, record: Evidence, attachments: Sequence[AttachmentRef] | None
) -> SaveResult:
    """Insert or replace one record (``attachments`` None keeps a replaced one's files)."""
    return store.save(record, attachments)


def import_evidence(
    store: Store, path: Path, *, today: date, notes: list[str] | None = None
) -> SaveResult:
    """A file's records (and their attachments), all or nothing; ``notes`` gets what the clerk
    should know (records dated outside the year)."""
    from credit_tui.interchange.evidence import import_file

    return import_file(store, path, today=today, notes=notes)


def delete_record(store: Store, record_id: str) -> bool:
    """Soft-delete one record (undo brings it back); False if there was none."""
    return store.delete(record_id)


def undo(store: Store) -> tuple[str, tuple[str, ...]] | None:
    """Revert the newest change: (a Chinese summary, the records it touched), or None."""
    return store.undo_change()


def save_snapshot(store: Store, label: str, report: ScoreReport) -> Snapshot:
    """Freeze ``report`` under ``label`` (``StoreError`` for an empty or too long label)."""
    return store.save_snapshot(label, report.to_dict())


def record_ledger(store: Store, month: date, out: Path, *, today: date) -> SaveResult:
    """File the exported ledger ``out`` as the month's 1.2 月度台账 evidence (recording the
    same month again replaces it); ``InterchangeError`` for a month not in the year or not
    begun."""
    from credit_tui.reports.ledger import ledger_day, ledger_record

    ledger_day(month, store.campaign.year, today=today)
    ref = store.store_file(Path(out))
    return store.save(ledger_record(store.catalog, month, ref, today=today), [ref])
