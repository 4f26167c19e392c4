"""导入 from the workbench (issue 16): preview → confirm → panel; bad file; folder; undo.

The demo store as of 2024-07-15 scores 37.5. 三、1 earns 1 point per 信用交通·山东
item, at most 2 a quarter; the demo has one item in Q3 (demo-016, 07-03), so one
more item dated in July is +1 → 38.5.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from dialog_helpers import settle, tree_loaded
from textual.widgets import Button, Input, Static

from credit_tui.service.demo import DEMO_TODAY, build_demo
from credit_tui.service.import_preview import last_import_folder, settings_file
from credit_tui.store.database import Store
from credit_tui.tui.app import CreditApp, make_app
from credit_tui.tui.screens.evidence import EvidenceScreen
from credit_tui.tui.screens.import_dialog import ImportDialog

SIZE = (120, 40)
HEADER = (
    "id,indicator,component,item,date,department,title,kind,channel,quantity,"
    "format_ok,evaluation_data,publicized,url,attachment,note,status\n"
)
NEW_INFO = "k7-1,3.1,info,,2024-07-10,客运科,七月客运信用信息报送,report,,,,,,,,,\n"
RETITLED_019 = (
    "demo-019,4.1,commitment,,2024-06-12,客运科,客运企业信用承诺书（第一批，修订）,,,,no,,,,,,\n"
)
SAME_013 = "demo-013,3.1,info,,2024-02-05,法规科,我局召开信用交通建设动员会,report,,,,,,,,,\n"
BAD = "指标,日期,责任单位,标题\n3.1,2024-02-30,客运科,二月信息\n9.9,2024-07-01,客运科,未知指标\n"


def panel_total(app: CreditApp) -> float:
    return app.bench.report.earned / 2


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder with 收件/ holding the departments' files."""
    home = tmp_path / "home"
    inbox = home / "收件"
    inbox.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    (inbox / "客运科-7月.csv").write_text(HEADER + NEW_INFO + RETITLED_019 + SAME_013, "utf-8")
    (inbox / "坏文件.csv").write_text(BAD, "utf-8")
    return home


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "db" / "demo.db"
    path.parent.mkdir()
    build_demo(path).close()
    return path


@pytest.fixture
def app(store_path: Path) -> Iterator[CreditApp]:
    store = Store.open(store_path)
    yield make_app(store, DEMO_TODAY, poll_seconds=0)
    store.close()


async def open_dialog(pilot, *, palette: bool = False) -> ImportDialog:
    await settle(pilot)
    if palette:
        await pilot.press("ctrl+p", *"导入")
        await pilot.pause(0.3)
        await pilot.press("enter")
    else:
        await pilot.press("4", "i")
    await tree_loaded(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, ImportDialog)
    return dialog


async def choose(pilot, dialog: ImportDialog, text: str) -> str:
    box = dialog.query_one("#import-path", Input)
    box.value = text
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot, 0.1)
    return str(dialog.query_one("#import-summary", Static).render())


async def test_preview_then_confirm_updates_the_panel_and_u_undoes_it(
    app: CreditApp, home: Path, store_path: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot, palette=True)
        assert dialog.start == home  # no import yet: the home folder
        assert panel_total(app) == 37.5
        count = len(app.bench.records)
        summary = await choose(pilot, dialog, "~/收件/客运科-7月.csv")
        lines = summary.splitlines()
        assert lines[0] == "新增 1 · 替换 1 · 未变 1"
        # departments in the table's order (法规科 first); 客运科: k7-1 (三、1) and demo-019 (四、1)
        assert lines[1].split() == ["法规科", "未变", "1"]
        assert lines[2].split() == ["客运科", "新增", "1", "·", "替换", "1", "三、1", "四、1"]
        assert lines[3] == "总分 37.5 → 38.5（三、1 +1）"
        assert len(app.bench.store.records()) == count  # nothing written by the preview
        assert not dialog.query_one("#import-go", Button).disabled

        await pilot.press("enter")  # Enter again: import what is previewed
        await settle(pilot)
        assert not isinstance(app.screen, ImportDialog)
        assert panel_total(app) == 38.5
        assert len(app.bench.records) == count + 1
        assert app.bench.records["demo-019"].title == "客运企业信用承诺书（第一批，修订）"
        assert "38.5" in str(app.screen.query_one("ScorePanel").render())
        assert app.bench.store.log(1)[0].label == "导入 客运科-7月.csv"
        # the folder is remembered beside the store for the next import
        assert settings_file(store_path).is_file()
        assert last_import_folder(store_path) == home / "收件"

        await pilot.press("4", "u")  # one undo takes the whole import back
        await settle(pilot)
        assert isinstance(app.screen, EvidenceScreen)
        assert panel_total(app) == 37.5
        assert len(app.bench.records) == count and "k7-1" not in app.bench.records
        assert app.bench.records["demo-019"].title == "客运企业信用承诺书（第一批）"


async def test_a_bad_file_lists_every_row_and_stores_nothing(app: CreditApp, home: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        before = app.bench.store.records()
        summary = await choose(pilot, dialog, str(home / "收件" / "坏文件.csv"))
        lines = summary.splitlines()
        assert lines[0] == "有 2 处错误，未导入任何记录："
        assert lines[1].startswith("坏文件.csv:2: 日期: ") and "2024-02-30" in lines[1]
        assert lines[2].startswith("坏文件.csv:3: 指标: ") and "9.9" in lines[2]
        assert dialog.query_one("#import-go", Button).disabled
        await pilot.press("enter")  # Enter previews again; nothing is imported
        await settle(pilot)
        assert app.screen is dialog
        assert app.bench.store.records() == before
        await pilot.press("escape")
        await settle(pilot)
        assert app.bench.store.records() == before


async def test_a_folder_imports_its_files_in_one_step(app: CreditApp, home: Path) -> None:
    inbox = home / "收件"
    (inbox / "坏文件.csv").unlink()
    more = "k7-2,3.1,info,,2024-07-11,货运科,七月货运信用信息报送,report,,,,,,,,,\n"
    (inbox / "货运科-7月.csv").write_text(HEADER + more, "utf-8")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        count = len(app.bench.records)
        summary = await choose(pilot, dialog, "~/收件/")
        # k7-1 and k7-2 are two more Q3 items of 三、1, but the quarter holds at most 2:
        # demo-016 + one of them = 2 points, so still +1 → 38.5
        assert summary.splitlines()[0] == "新增 2 · 替换 1 · 未变 1"
        assert "总分 37.5 → 38.5（三、1 +1）" in summary
        await pilot.press("enter")
        await settle(pilot)
        assert len(app.bench.records) == count + 2
        assert app.bench.store.log(1)[0].label == "导入 2 个文件（收件）"
        await pilot.press("4", "u")
        await settle(pilot)
        assert len(app.bench.records) == count
        assert panel_total(app) == 37.5


async def test_the_dialog_starts_in_the_folder_of_the_last_import(
    app: CreditApp, home: Path, store_path: Path
) -> None:
    inbox = home / "收件"
    settings_file(store_path).write_text(f'{{"last_import_folder": "{inbox}"}}', "utf-8")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        assert dialog.start == inbox
        assert dialog.query_one("#import-path", Input).value == "~/收件/"
        tree = dialog.query_one("#import-tree")
        names = sorted(str(node.label) for node in tree.root.children)  # type: ignore[attr-defined]
        assert names == ["坏文件.csv", "客运科-7月.csv"]


async def test_the_path_box_completes_folders_and_files(app: CreditApp, home: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        box = dialog.query_one("#import-path", Input)
        assert box.value == "~/"
        await pilot.press("收", "right")  # the greyed completion ~/收件/ taken with →
        await settle(pilot, 0.4)
        assert box.value == "~/收件/"
        assert dialog.query_one("#import-tree").path == home / "收件"  # type: ignore[attr-defined]
        await pilot.press("客", "right")  # 客运科-7月.csv (坏文件.csv does not start with 客)
        await settle(pilot, 0.4)
        assert box.value == "~/收件/客运科-7月.csv"
        # a typed importable file is previewed after a pause, without Enter
        summary = str(dialog.query_one("#import-summary", Static).render())
        assert summary.startswith("新增 1 · 替换 1 · 未变 1")


async def test_the_import_button_imports_and_escape_closes(app: CreditApp, home: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        count = len(app.bench.records)
        await choose(pilot, dialog, "~/收件/客运科-7月.csv")
        assert await pilot.click("#import-go")
        await settle(pilot)
        assert not isinstance(app.screen, ImportDialog)
        assert len(app.bench.records) == count + 1  # k7-1 added (demo-019 replaced)
        dialog = await open_dialog(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ImportDialog)
        assert len(app.bench.records) == count + 1
