"""Attachments by picking (issue 16): the file picker, sizes, the same file, missing files."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from dialog_helpers import settle, tree_loaded
from textual.widgets import Input, Static

from credit_tui.service.attachment_check import file_size
from credit_tui.service.demo import DEMO_TODAY, build_demo
from credit_tui.store.database import file_sha256
from credit_tui.tui.app import CreditApp, make_app
from credit_tui.tui.screens.file_picker import FilePicker
from credit_tui.tui.screens.form import EvidenceForm

SIZE = (120, 40)
DEMO_FILE = (
    Path(__file__).parents[1]
    / "credit_tui/service/demo_data/files/2024-04-08 信用工作专班人员名单.txt"
)
"""Attached to demo-002 信用工作专班人员名单 in the demo store."""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    (home / "材料").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    (home / "材料" / "会议纪要.txt").write_bytes("七月专题会议纪要\n".encode() * 100)
    shutil.copy(DEMO_FILE, home / "材料" / "名单副本.txt")
    return home


@pytest.fixture
def app(tmp_path: Path) -> Iterator[CreditApp]:
    store = build_demo(tmp_path / "demo.db")
    yield make_app(store, DEMO_TODAY, poll_seconds=0)
    store.close()


async def open_form(pilot) -> EvidenceForm:
    await settle(pilot)
    await pilot.press("5", "right", "right", "right", "n")  # 一、4 prefilled
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, EvidenceForm)
    return form


async def test_two_files_picked_shown_with_sizes_and_saved(app: CreditApp, home: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        await pilot.press("ctrl+o")
        await tree_loaded(pilot)
        picker = app.screen
        assert isinstance(picker, FilePicker)
        box = picker.query_one("#picker-path", Input)
        assert box.value == "~/"  # no attachment yet: the home folder
        for name in ("会议纪要.txt", "名单副本.txt"):
            box.value = f"~/材料/{name}"
            await pilot.press("enter")
            await pilot.pause()
        box.value = "~/材料/不存在.pdf"
        await pilot.press("enter")
        await pilot.pause()
        assert [p.name for p in picker.chosen] == ["会议纪要.txt", "名单副本.txt"]
        assert "不存在，未添加" in str(picker.query_one("#picker-message", Static).render())
        listed = str(picker.query_one("#picker-list", Static).render())
        # 会议纪要: "七月专题会议纪要\n" is 8 CJK × 3 bytes + 1 = 25 bytes, ×100 = 2,500 bytes
        assert "1. 会议纪要.txt  2.4 KB" in listed  # 2500 / 1024 = 2.44
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form

        entry = form.query_one("#f-attachment", Input).value
        assert entry == "~/材料/会议纪要.txt; ~/材料/名单副本.txt"
        files = str(form.query_one("#attachment-files", Static).render()).splitlines()
        size = file_size(DEMO_FILE.stat().st_size)
        assert files[0] == "✓ 会议纪要.txt · 2.4 KB"
        assert files[1] == (
            f"✓ 名单副本.txt · {size} · 与记录“信用工作专班人员名单”的附件"
            f"“{DEMO_FILE.name}”相同，不会重复保存"
        )
        form.query_one("#f-date", Input).value = "2024-07-10"
        form.query_one("#f-title", Input).value = "七月专题会议"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, EvidenceForm)
        saved = next(r for r in app.bench.records.values() if r.title == "七月专题会议")
        refs = app.bench.store.attachments_of(saved.id)
        assert [r.name for r in refs] == ["会议纪要.txt", "名单副本.txt"]
        assert refs[1].sha256 == file_sha256(DEMO_FILE)  # the stored copy, shared


async def test_a_missing_file_is_refused_in_the_form(app: CreditApp, home: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        count = len(app.bench.store.records())
        form.query_one("#f-title", Input).value = "七月专题会议"
        form.query_one("#f-attachment", Input).value = "~/材料/不存在.pdf"
        await pilot.pause()
        assert "不存在" in str(form.query_one("#attachment-hint", Static).render())
        assert "✗ 不存在.pdf · 不存在" in str(form.query_one("#attachment-files", Static).render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "不存在" in str(form.query_one("#err-attachment", Static).render())
        assert len(app.bench.store.records()) == count


async def test_an_unreadable_file_is_refused_in_the_form_and_the_picker(
    app: CreditApp, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = home / "材料" / "会议纪要.txt"
    real_open = Path.open

    def refuse(self: Path, *args: object, **kwargs: object):  # as if without read permission
        if self == secret:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", refuse)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        count = len(app.bench.store.records())
        form.query_one("#f-title", Input).value = "七月专题会议"
        form.query_one("#f-attachment", Input).value = "~/材料/会议纪要.txt"
        await pilot.pause()
        files = str(form.query_one("#attachment-files", Static).render())
        assert files == "✗ 会议纪要.txt · 无法读取（Permission denied）"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "无法读取" in str(form.query_one("#err-attachment", Static).render())
        assert len(app.bench.store.records()) == count

        await pilot.press("ctrl+o")
        await tree_loaded(pilot)
        picker = app.screen
        assert isinstance(picker, FilePicker)
        picker.query_one("#picker-path", Input).value = "~/材料/会议纪要.txt"
        await pilot.press("enter")
        await pilot.pause()
        assert picker.chosen == []
        assert "无法读取" in str(picker.query_one("#picker-message", Static).render())
