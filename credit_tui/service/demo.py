"""A realistic half-year of evidence (2024, as of mid-July) for demos, tests and snapshots.

The evidence is an ordinary interchange file (``demo_data/evidence_2024.csv``,
with its attachments beside it) imported the way a clerk would import one.
Every status appears: done work, overdue items, lost points, a quarter-end
warning, a 4.3 domain without a 4.2 evaluation, and planned records that lift
the projection.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from credit_tui.interchange.evidence import import_file
from credit_tui.store.database import Store

DEMO_YEAR = 2024
DEMO_TODAY = date(2024, 7, 15)
DEMO_FILE = Path(__file__).parent / "demo_data" / "evidence_2024.csv"


def build_demo(path: Path | str, *, fresh: bool = True, today: date = DEMO_TODAY) -> Store:
    """Create (with ``fresh``: re-create) the demo store at ``path`` and return it open."""
    path = Path(path)
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    stamp = datetime(today.year, today.month, today.day, 9, 0, tzinfo=UTC)
    store, created = Store.create(path, DEMO_YEAR, clock=lambda: stamp)
    if created:
        import_file(store, DEMO_FILE, today=today)
    return store
