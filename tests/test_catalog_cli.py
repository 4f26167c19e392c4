"""``catalog export|check|import``, undo, orphans, renames and ``init --from`` (issue 13)."""

from __future__ import annotations

import hashlib
import json
import tomllib
import zipfile
from pathlib import Path
from typing import Any

from credit_tui.interchange.table.check import check_raw
from credit_tui.interchange.table.toml_out import dumps
from credit_tui.scoring.canonical import to_raw
from credit_tui.scoring.catalog import catalog_path, load_catalog
from credit_tui.store.database import Store


def _raw() -> dict[str, Any]:
    return tomllib.loads(catalog_path(2024).read_text(encoding="utf-8"))


def _table(tmp_path: Path, raw: dict[str, Any], name: str = "新表.toml") -> Path:
    out = tmp_path / name
    out.write_text(dumps(check_raw(raw, name)), encoding="utf-8")
    return out


def _earned(run_cli, db: Path) -> float:
    return json.loads(run_cli("score", "--json", db=db).out)["earned"]


def _ind(raw: dict[str, Any], code: str) -> dict[str, Any]:
    return next(i for i in raw["indicators"] if i["code"] == code)


def _state(db: Path) -> tuple[str, int]:
    """The store's table and its number of audit entries (to see nothing changed)."""
    with Store.open(db, read_only=True) as store:
        count = store.conn.execute("SELECT count(*) FROM audit").fetchone()[0]
        return hashlib.sha256(json.dumps(to_raw(store.catalog)).encode()).hexdigest(), count


def test_export_then_import_says_no_change_in_both_formats(run_cli, demo_db, tmp_path) -> None:
    for name in ("表.xlsx", "表.toml"):
        out = tmp_path / name
        assert run_cli("catalog", "export", "--out", out, db=demo_db).code == 0
        assert run_cli("catalog", "check", out, db=demo_db).code == 0
        done = run_cli("catalog", "import", out, db=demo_db)
        assert (done.code, done.out.strip()) == (0, "指标体系无变化")


def test_import_shows_the_change_in_words_and_the_score_before_after(
    run_cli, demo_db, tmp_path
) -> None:
    raw = _raw()
    _ind(raw, "3.1")["components"][0]["quarter_cap"] = 3
    before_state = _state(demo_db)
    before = _earned(run_cli, demo_db)
    dry = run_cli("catalog", "import", _table(tmp_path, raw), "--dry-run", db=demo_db)
    assert dry.code == 0
    assert "  三、1 报送信用工作信息：单季上限 2 → 3" in dry.out.splitlines()
    # 3.1 counts at most 2 records a quarter either way: Q1 has two (02-05, 03-12), Q2 and
    # Q3 one each, so a cap of 3 changes nothing as of 2024-07-15.
    assert f"总分（截至 2024-07-15）：{before:g} → {before:g}（不变）" in dry.out
    assert "indicator" not in dry.out and "quarter_cap" not in dry.out  # words, not keys
    assert _state(demo_db) == before_state  # --dry-run wrote nothing


def test_a_removed_indicators_records_are_kept_unassigned_and_count_again(
    run_cli, demo_db, tmp_path
) -> None:
    raw = _raw()
    removed = _ind(raw, "4.5")
    raw["indicators"].remove(removed)  # 4.5 信用修复, 5 points: two cases recorded, 1 each
    raw["indicators"].insert(
        12,
        {**removed, "code": "4.6", "name": "信用修复（新）", "components": [
            {**removed["components"][0], "key": "repair2"}]},
    )  # fmt: skip
    before = _earned(run_cli, demo_db)
    done = run_cli("catalog", "import", _table(tmp_path, raw), db=demo_db)
    assert done.code == 0, done.err
    assert "删除指标 四、5 信用修复（其记录保留为未归属）" in done.out
    assert "新增指标 四、6 信用修复（新）（5 分）" in done.out
    assert "2 条记录的指标或事项已不在新指标体系中，保留为未归属，不计分" in done.out
    assert f"{before:g} → {before - 2:g}（-2）" in done.out  # the two 1-point cases count nowhere
    with Store.open(demo_db) as store:
        kept = {r.id for r in store.records() if r.indicator == "4.5"}
    assert kept == {"demo-026", "demo-027"}
    assert _earned(run_cli, demo_db) == before - 2
    back = tmp_path / "原表.toml"
    back.write_text(dumps(load_catalog()), encoding="utf-8")
    again = run_cli("catalog", "import", back, db=demo_db)
    assert "2 条未归属记录重新归属，重新计分" in again.out
    assert _earned(run_cli, demo_db) == before


def test_undo_brings_the_previous_table_back(run_cli, demo_db, tmp_path) -> None:
    raw = _raw()
    raw["organisation"] = "莱芜区交通运输局"
    raw["version"] = "2025"
    assert run_cli("catalog", "import", _table(tmp_path, raw), db=demo_db).code == 0
    assert run_cli("status", db=demo_db).out.startswith("莱芜区交通运输局 · 2024 年度")
    log = run_cli("log", "--limit", "1", db=demo_db).out
    assert "指标体系" in log and "导入指标体系 2025 年度" in log
    assert run_cli("undo", db=demo_db).code == 0
    with Store.open(demo_db) as store:
        assert to_raw(store.catalog) == to_raw(load_catalog())
        assert store.campaign.organisation == "钢城区城乡交通运输局"
    assert run_cli("status", db=demo_db).out.startswith("钢城区城乡交通运输局 · 2024 年度")


def test_a_department_renamed_by_alias_keeps_its_records(run_cli, demo_db, tmp_path) -> None:
    raw = _raw()
    raw["departments"] = ["综合执法大队" if d == "执法大队" else d for d in raw["departments"]]
    raw["department_aliases"]["执法大队"] = "综合执法大队"  # components still say 执法大队
    done = run_cli("catalog", "import", _table(tmp_path, raw), db=demo_db)
    assert done.code == 0, done.err
    assert "  责任单位 执法大队 → 综合执法大队" in done.out
    with Store.open(demo_db) as store:
        depts = {r.id: r.department for r in store.records() if r.indicator == "4.5"}
        assert "执法大队" not in store.catalog.departments
    assert depts == {"demo-026": "综合执法大队", "demo-027": "综合执法大队"}
    deadlines = run_cli("deadlines", "--department", "综合执法大队", db=demo_db)
    assert deadlines.code == 0 and "四、5" in deadlines.out
    run_cli("undo", db=demo_db)
    with Store.open(demo_db) as store:
        assert {r.department for r in store.records() if r.indicator == "4.5"} == {"执法大队"}


def test_a_department_removed_while_records_name_it_is_refused(run_cli, demo_db, tmp_path) -> None:
    raw = _raw()
    raw["departments"].remove("党建办")
    holders = [c for i in raw["indicators"] for c in i["components"]] + raw["key_tasks"]
    for holder in holders:
        holder["departments"] = [d for d in holder["departments"] if d != "党建办"]
    state = _state(demo_db)
    done = run_cli("catalog", "import", _table(tmp_path, raw), db=demo_db)
    assert done.code == 2
    assert "新指标体系去掉了责任单位 党建办，但仍有 1 条记录属于它" in done.err
    assert "demo-032 2024-06-15 党建办 5.4" in done.err
    assert _state(demo_db) == state


def test_a_bad_table_is_refused_whole_with_exit_2(run_cli, demo_db, tmp_path) -> None:
    bad = tmp_path / "坏.toml"
    raw = _raw()
    _ind(raw, "3.1")["components"][0]["quarter_cap"] = "两"
    text = dumps(load_catalog()).replace("quarter_cap = 2\n", 'quarter_cap = "两"\n', 1)
    bad.write_text(text, encoding="utf-8")
    state = _state(demo_db)
    for action in ("check", "import"):
        done = run_cli("catalog", action, bad, db=demo_db)
        assert done.code == 2
        assert "components[0].quarter_cap：分值 两 不是数字" in done.err
    assert _state(demo_db) == state


def test_init_from_an_old_store_takes_its_table_and_no_evidence(run_cli, demo_db, tmp_path):
    raw = _raw()
    raw["departments"].append("信用科")
    assert run_cli("catalog", "import", _table(tmp_path, raw), db=demo_db).code == 0
    new_db = tmp_path / "2025.db"
    done = run_cli("init", "--year", "2025", "--from", demo_db, db=new_db)
    assert done.code == 0, done.err
    assert "沿用 demo.db（2024 年度数据库，2024 年度指标体系）" in done.out
    with Store.open(new_db) as store:
        assert store.count() == 0
        assert store.campaign.year == 2025
        assert "信用科" in store.catalog.departments
    status = run_cli("status", db=new_db, today="2025-03-01").out.splitlines()[0]
    assert status.endswith("指标体系：2024 年度（沿用）")
    again = run_cli("init", "--year", "2025", "--from", demo_db, db=new_db)
    assert again.code == 2


def test_untrusted_workbooks_are_refused_before_reading(run_cli, demo_db, tmp_path) -> None:
    big = tmp_path / "大.xlsx"
    big.write_bytes(b"PK" + b"\0" * (6 * 1024 * 1024))
    assert "超过 5 MB" in run_cli("catalog", "check", big, db=demo_db).err
    bomb = tmp_path / "炸弹.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024  # 60 MB of zeros packs into well under 1 MB
    assert "解压后超过 50 MB" in run_cli("catalog", "check", bomb, db=demo_db).err
    fake = tmp_path / "假.xlsx"
    fake.write_text("不是表格", encoding="utf-8")
    done = run_cli("catalog", "check", fake, db=demo_db)
    assert done.code == 2 and "不是有效的 Excel 文件" in done.err


def test_snapshots_keep_their_table_and_a_comparison_across_a_change_says_so(
    run_cli, demo_db, tmp_path
) -> None:
    assert run_cli("snapshot", "--label", "第二季度末", db=demo_db).code == 0
    assert "注意" not in run_cli("snapshots", db=demo_db).out
    raw = _raw()
    raw["version"] = "2025"
    assert run_cli("catalog", "import", _table(tmp_path, raw), db=demo_db).code == 0
    listing = run_cli("snapshots", db=demo_db).out
    assert "注意：快照按 2024 年度指标体系计分，当前为 2025 年度，分数按不同指标体系计算" in listing
    with Store.open(demo_db) as store:
        kept = store.snapshots()[0].report["catalog"]
    assert kept["version"] == "2024"
    run_cli("undo", db=demo_db)
    assert "注意" not in run_cli("snapshots", db=demo_db).out  # the same table again
