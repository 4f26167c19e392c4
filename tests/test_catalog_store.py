"""The scoring table kept in the store (SPEC 11, issue 13 item 1): migration, init, labels, cost."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, date, datetime
from pathlib import Path

from credit_tui.scoring.canonical import same, to_raw
from credit_tui.scoring.catalog import load_catalog
from credit_tui.scoring.engine import score
from credit_tui.service.demo import DEMO_TODAY, build_demo
from credit_tui.store import catalog as store_catalog
from credit_tui.store.database import SCHEMA_VERSION, Store


def _make_schema_2(db: Path) -> None:
    """Turn a store into one made by the previous schema (2): no ``catalogs``, no
    ``campaign.catalog_id``, migration 3 not recorded, user_version 2."""
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE catalogs")
    conn.execute("ALTER TABLE campaign DROP COLUMN catalog_id")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm003_catalog_in_store'")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()


def test_migration_copies_the_bundled_table_and_no_score_changes(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    build_demo(db).close()
    _make_schema_2(db)
    with Store.open(db, read_only=True) as old:  # read-only: not migrated, the bundled table
        assert store_catalog.current(old.conn) is None
        records = old.records()
        before = score(old.catalog, records, year=2024, as_of=DEMO_TODAY).to_dict()
    with Store.open(db) as store:
        assert store._user_version() == SCHEMA_VERSION == 3
        kept = store_catalog.current(store.conn)
        assert kept is not None
        assert same(store.catalog, load_catalog())
        after = score(store.catalog, store.records(), year=2024, as_of=DEMO_TODAY).to_dict()
        info = store_catalog.info(store.conn)
        assert info is not None and info.source == "内置 2024 年度（升级时复制）"
    assert after == before
    assert after["earned"] > 0  # the demo has points: the comparison is not of two zeros


def test_init_of_a_later_year_copies_the_latest_bundled_table_and_says_so(run_cli) -> None:
    done = run_cli("init", "--year", "2026")
    assert done.code == 0
    assert "2026 年度尚无内置指标体系，沿用 2024 年度" in done.out
    status = run_cli("status", today="2026-05-01")
    assert status.out.splitlines()[0].endswith("指标体系：2024 年度（沿用）")


def test_init_of_a_year_before_any_table_takes_the_earliest(tmp_path: Path) -> None:
    catalog, chosen = store_catalog.bundled_for(2019)
    assert chosen == 2024 and catalog.version == "2024"
    assert store_catalog.bundled_note(2024, 2024) == "指标体系：内置 2024 年度"


def test_a_table_of_the_stores_own_year_has_no_label(run_cli) -> None:
    run_cli("init", "--year", "2024")
    first = run_cli("status").out.splitlines()[0]
    assert "沿用" not in first and first.startswith("钢城区城乡交通运输局 · 2024 年度")


def test_the_table_loads_from_the_store_without_a_check(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "a.db"
    store, _ = Store.create(db, 2024, clock=lambda: datetime(2024, 7, 1, tzinfo=UTC))
    store.close()
    store_catalog._LOADED.clear()  # a new process: only the cache folder remembers the check
    import credit_tui.store.catalog as module

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("the table was checked again")

    monkeypatch.setattr(module, "parse_catalog", refuse)
    with Store.open(db) as again:
        assert to_raw(again.catalog) == to_raw(load_catalog())


def test_loading_the_kept_table_costs_under_10_ms(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    Store.create(db, 2024)[0].close()
    Store.open(db).catalog  # noqa: B018 - the first open of the day makes a backup; not timed
    times = []
    for _ in range(5):
        store_catalog._LOADED.clear()
        with Store.open(db) as store:
            start = time.perf_counter()
            assert store.catalog.version == "2024"
            times.append(time.perf_counter() - start)
    assert min(times) < 0.010, times


def test_the_table_carries_the_plans_header() -> None:
    catalog = load_catalog()
    assert catalog.organisation_full == "济南市钢城区城乡交通运输局"
    assert catalog.document_number == "钢城交发〔2024〕3 号"
    assert date.fromisoformat(catalog.issued_on) == date(2024, 4, 18)


def test_reports_of_a_store_on_another_years_table_say_so(run_cli, tmp_path: Path) -> None:
    import openpyxl

    run_cli("init", "--year", "2026", today="2026-05-01")
    html = tmp_path / "会议报告.html"
    assert run_cli("report", "--out", html, today="2026-05-01").code == 0
    assert "指标体系：2024 年度（沿用）" in html.read_text(encoding="utf-8")
    sheet = tmp_path / "自评表.xlsx"
    assert run_cli("export", "self-assessment", "--out", sheet, today="2026-05-01").code == 0
    title = openpyxl.load_workbook(sheet).active["A1"].value
    assert title.endswith("· 指标体系：2024 年度（沿用）")
