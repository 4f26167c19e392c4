"""The checked scoring table cached between runs (``credit_tui.store.catalog_cache``)."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest
from test_catalog import BUNDLED_2024, bundled_2024_facts

from credit_tui.scoring.catalog import CatalogError, catalog_path
from credit_tui.store import catalog_cache


@pytest.fixture
def table(tmp_path: Path) -> Path:
    """A copy of the bundled 2024 table that a test may change."""
    path = tmp_path / "catalog_2024.toml"
    path.write_bytes(catalog_path(2024).read_bytes())
    return path


def _never_checked(*_: object) -> None:
    raise AssertionError("the table was checked again instead of read from the cache")


def test_the_second_load_reads_the_cache_without_checking(
    table: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    first = catalog_cache.load_checked(table, folder)
    assert bundled_2024_facts(first) == BUNDLED_2024
    assert [p.name for p in folder.iterdir()] == [catalog_cache.cache_file(table, folder).name]
    monkeypatch.setattr(catalog_cache, "read_catalog", _never_checked)
    again = catalog_cache.load_checked(table, folder)
    assert again == first and again is not first
    assert again.by_code["1.4"].criteria == first.by_code["1.4"].criteria


def test_a_changed_table_is_checked_again(table: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    catalog_cache.load_checked(table, folder)
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace("due_soon_days = 14", "due_soon_days = 10", 1), "utf-8")
    changed = catalog_cache.load_checked(table, folder)
    assert changed.due_soon_days == 10
    assert len(list(folder.glob("catalog-*.json"))) == 2


def test_a_damaged_cache_file_falls_back_to_checking(table: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    catalog_cache.load_checked(table, folder)
    cached = catalog_cache.cache_file(table, folder)
    cached.write_bytes(b'{"version": "20')
    assert bundled_2024_facts(catalog_cache.load_checked(table, folder)) == BUNDLED_2024
    assert catalog_cache.load_checked(table, folder).version == "2024"  # and it was rewritten whole
    assert json.loads(cached.read_bytes())["version"] == "2024"


def test_a_cache_that_cannot_be_written_is_skipped(table: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("x")
    assert catalog_cache.load_checked(table, blocked / "cache").version == "2024"


def test_a_malformed_table_is_refused_and_never_cached(table: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    table.write_text('version = "2024\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="格式错误"):
        catalog_cache.load_checked(table, folder)
    assert not list(folder.glob("catalog-*.json"))


def test_the_cache_folder_follows_xdg_cache_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert catalog_cache.cache_dir() == tmp_path / "credit-tui"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert catalog_cache.cache_dir() == Path.home() / ".cache" / "credit-tui"


class _Payload:
    """Unpickling this runs ``os.system`` — what a planted pickle would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch '{self.marker}'",))


def test_a_planted_pickle_runs_no_code_and_is_ignored(table: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    marker = tmp_path / "code ran"
    cached = catalog_cache.cache_file(table, folder)
    cached.write_bytes(pickle.dumps(_Payload(marker)))
    assert bundled_2024_facts(catalog_cache.load_checked(table, folder)) == BUNDLED_2024
    assert not marker.exists()  # never unpickled
    assert json.loads(cached.read_bytes())["version"] == "2024"  # replaced by the checked table


def test_a_cache_file_others_can_write_is_refused(table: Path, tmp_path: Path) -> None:
    """Planted figures (due_soon_days 99) in a group-writable file are not believed."""
    folder = tmp_path / "cache"
    first = catalog_cache.load_checked(table, folder)
    cached = catalog_cache.cache_file(table, folder)
    planted = json.loads(cached.read_bytes())
    planted["due_soon_days"] = 99
    cached.write_text(json.dumps(planted, ensure_ascii=False), "utf-8")
    assert catalog_cache.load_checked(table, folder).due_soon_days == 99  # ours: read as is
    cached.write_text(json.dumps(planted, ensure_ascii=False), "utf-8")
    cached.chmod(0o664)
    assert catalog_cache.read_cached(cached) is None
    assert catalog_cache.load_checked(table, folder).due_soon_days == first.due_soon_days == 14


def test_a_cache_file_that_does_not_fit_the_models_is_refused(table: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    catalog_cache.load_checked(table, folder)
    cached = catalog_cache.cache_file(table, folder)
    good = json.loads(cached.read_bytes())
    for bad in (
        {**good, "due_soon_days": "14"},  # a string where the model has an int
        {**good, "surprise": 1},  # a field the model does not have
        {**good, "categories": {"not": "a list"}},
        [good],
    ):
        cached.write_text(json.dumps(bad, ensure_ascii=False), "utf-8")
        assert catalog_cache.read_cached(cached) is None, bad


def test_the_kept_table_is_the_checked_table(table: Path, tmp_path: Path) -> None:
    """Rebuilt without validators, the table dumps exactly as the checked one."""
    folder = tmp_path / "cache"
    checked = catalog_cache.load_checked(table, folder)
    kept = catalog_cache.read_cached(catalog_cache.cache_file(table, folder))
    assert kept is not None and kept is not checked
    assert kept.model_dump() == checked.model_dump()
    assert kept.by_code["1.4"].components[0].key == checked.by_code["1.4"].components[0].key
