"""Several processes importing into one store at once lose nothing and break nothing.

The short version of ``bench/stress.py`` (``make stress`` runs the long one). Before
the store stopped opening its own files outside SQLite, 3 writers × 300 imports
lost the store itself (database disk image is malformed) with 595 imports never
answered; here every import must be acknowledged and present.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture(scope="module")
def stress():
    sys.path.insert(0, str(BENCH))  # spawned writers import it by this name too
    try:
        import stress as module

        yield module
    finally:
        sys.path.remove(str(BENCH))


def test_concurrent_imports_are_all_kept(stress, tmp_path: Path) -> None:
    # 3 writers × 40 one-row imports = 120 acknowledged ids, a reader open throughout
    outcome = stress.run(3, 40, tmp_path)
    assert outcome.acknowledged == 3 * 40, outcome.line()
    assert outcome.lost == 0 and outcome.crashed == 0, outcome.line()
    assert outcome.unanswered == 0, outcome.line()
    assert outcome.false_damage == 0 and outcome.other_failures == 0, outcome.line()
    assert outcome.check_code == 0, outcome.line()


def test_opening_a_store_never_opens_its_files_outside_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing any descriptor of the file drops the process's locks: no os.open/open of it
    while a connection is open (a second store on the same file in the same process too)."""
    from credit_tui.store import database as store_module
    from credit_tui.store.database import Store

    db = tmp_path / "credit.db"
    Store.create(db, 2024)[0].close()
    opened: list[str] = []
    real_os_open = os.open
    real_io_open = Path.open

    def watch_os_open(path, flags, *args, **kwargs):
        opened.append(str(path))
        return real_os_open(path, flags, *args, **kwargs)

    def watch_path_open(self, *args, **kwargs):
        opened.append(str(self))
        return real_io_open(self, *args, **kwargs)

    with Store.open(db, keep_backups=0) as first:
        monkeypatch.setattr(store_module.os, "open", watch_os_open)
        monkeypatch.setattr(Path, "open", watch_path_open)
        with Store.open(db, keep_backups=0) as second:
            assert not second.read_only and second.count() == first.count() == 0
    assert not [p for p in opened if Path(p).name.startswith("credit.db")], opened


def test_the_store_file_itself_is_never_read_as_an_attachment(tmp_path: Path) -> None:
    """The form's file picker may attach any file, but not the store (reading it drops locks)."""
    from credit_tui.store.database import Store, StoreError

    db = tmp_path / "credit.db"
    with Store.create(db, 2024, keep_backups=0)[0] as store:
        for target in (db, Path(f"{db}-wal")):
            with pytest.raises(StoreError, match="是数据库文件本身"):
                store.store_file(target)
        assert not store.attachments_dir.exists()
