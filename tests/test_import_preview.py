"""The UI-free parts of 导入 and 附件 (issue 16): path completion, sources, preview, file checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from credit_tui.interchange.evidence import SUFFIXES, InterchangeError
from credit_tui.service.attachment_check import check_files, file_size
from credit_tui.service.demo import DEMO_TODAY, build_demo
from credit_tui.service.import_preview import parse_sources, preview_import, sources
from credit_tui.service.workbench import Workbench
from credit_tui.tui.widgets.path_picker import complete_path, shown_path

HEADER = "编号,指标,日期,责任单位,标题\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "收件").mkdir()
    (tmp_path / "收件" / "客运科.csv").write_text(HEADER, "utf-8")
    (tmp_path / "收件" / "客运科.txt").write_text("x", "utf-8")
    (tmp_path / "收件" / ".隐藏.csv").write_text(HEADER, "utf-8")
    (tmp_path / "收件" / "~$客运科.xlsx").write_text("lock", "utf-8")
    (tmp_path / "收藏").mkdir()
    return tmp_path


def test_completion_offers_folders_first_then_wanted_files(folder: Path) -> None:
    base = str(folder)
    assert complete_path(f"{base}/收") == f"{base}/收件/"  # 收件 before 收藏 by name
    assert complete_path(f"{base}/收藏") == f"{base}/收藏/"
    # .txt is not offered for import, hidden and ~$ lock files never
    assert complete_path(f"{base}/收件/客", SUFFIXES) == f"{base}/收件/客运科.csv"
    assert complete_path(f"{base}/收件/客运科.c", SUFFIXES) == f"{base}/收件/客运科.csv"
    assert complete_path(f"{base}/收件/客运科.t", SUFFIXES) is None
    assert complete_path(f"{base}/收件/客运科.t") == f"{base}/收件/客运科.txt"  # any file
    assert complete_path(f"{base}/收件/~", SUFFIXES) is None
    assert complete_path(f"{base}/无") is None
    assert complete_path("") is None


def test_completion_keeps_the_tilde_as_typed(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(folder))
    assert complete_path("~/收件/客", SUFFIXES) == "~/收件/客运科.csv"
    assert shown_path(folder / "收件") == "~/收件"
    assert shown_path(folder) == "~"


def test_a_folder_is_its_importable_files(folder: Path) -> None:
    assert sources(folder / "收件") == [folder / "收件" / "客运科.csv"]
    with pytest.raises(InterchangeError, match="文件夹中没有"):
        sources(folder / "收藏")
    with pytest.raises(InterchangeError, match="文件不存在"):
        sources(folder / "无.csv")


def test_the_same_id_in_two_files_must_agree(tmp_path: Path) -> None:
    store = build_demo(tmp_path / "demo.db")
    bench = Workbench(store, DEMO_TODAY)
    bench.load()
    a = tmp_path / "a.csv"
    b = tmp_path / "b.csv"
    a.write_text(HEADER + "x-1,3.1,2024-07-10,客运科,七月信息\n", "utf-8")
    b.write_text(HEADER + "x-1,3.1,2024-07-10,客运科,七月信息（另一版）\n", "utf-8")
    parsed = parse_sources([a, b], bench.catalog, DEMO_TODAY)
    assert parsed.errors == ["b.csv:2: 编号: 编号 x-1 与 a.csv:2 重复但内容不同"]
    # the same row twice is read once: one record added, 三、1 Q3 1 → 2 items = +1 point
    b.write_text(HEADER + "x-1,3.1,2024-07-10,客运科,七月信息\n", "utf-8")
    preview = preview_import(bench, parse_sources([a, b], bench.catalog, DEMO_TODAY))
    assert (preview.added, preview.replaced, preview.unchanged) == (1, 0, 0)
    assert (preview.before, preview.after) == (75, 77)  # halves: 37.5 → 38.5
    assert preview.label == f"导入 2 个文件（{tmp_path.name}）"
    assert len(store.records()) == len(bench.records)  # nothing written
    store.close()


def test_file_checks_size_and_same_file(tmp_path: Path) -> None:
    store = build_demo(tmp_path / "demo.db")
    stored = next(iter(store.attachment_names().items()))
    record_id, (ref, *_) = stored
    copy = tmp_path / "副本.txt"
    original = store.attachment_path(ref.sha256)
    assert original is not None
    copy.write_bytes(original.read_bytes())
    other = tmp_path / "新.txt"
    other.write_bytes(b"x" * 1536)  # 1536 / 1024 = 1.5 KB
    checks = check_files(
        [str(other), str(copy), str(tmp_path / "无.pdf"), str(tmp_path)],
        store,
        [],
        {record_id: "T"}.__getitem__,
    )
    assert [(c.size, c.problem) for c in checks] == [
        (1536, ""),
        (original.stat().st_size, ""),
        (None, "不存在"),
        (None, "不是文件"),
    ]
    assert checks[0].same_as == ""
    assert checks[1].same_as == f"与记录“T”的附件“{ref.name}”相同，不会重复保存"
    # the record's own attachment is not reported as the same file
    assert check_files([str(copy)], store, [], str, record_id=record_id)[0].same_as == ""
    assert file_size(532) == "532 字节" and file_size(1536) == "1.5 KB"
    assert file_size(4 * 1024 * 1024) == "4.0 MB"
    store.close()


def test_an_unreadable_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from credit_tui.service.attachment_check import readable_file

    secret = tmp_path / "无权限.pdf"
    secret.write_bytes(b"%PDF")
    real_open = Path.open

    def refuse(self: Path, *args: object, **kwargs: object):  # as a file without read permission
        if self == secret:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", refuse)
    assert readable_file(secret) == "无法读取（Permission denied）"
    assert readable_file(tmp_path / "c.pdf") == "不存在"


def test_an_absorbed_import_scores_as_a_fresh_load_does(tmp_path: Path) -> None:
    from credit_tui.interchange.evidence import store_rows

    store = build_demo(tmp_path / "demo.db")
    bench = Workbench(store, DEMO_TODAY)
    bench.load()
    a = tmp_path / "a.csv"
    rows = (
        "x-1,3.1,2024-07-10,客运科,七月信息\n"  # 三、1 Q3: demo-016 + x-1 = 2 items, +1
        "x-2,3.1,2024-07-11,客运科,七月信息二\n"  # a third Q3 item: over the cap of 2
        "demo-019,4.1,2024-06-12,客运科,客运企业信用承诺书（第一批，修订）\n"
    )
    a.write_text(HEADER + rows, "utf-8")
    preview = preview_import(bench, parse_sources([a], bench.catalog, DEMO_TODAY))
    assert (preview.added, preview.replaced, preview.unchanged) == (2, 1, 0)
    before = bench.report
    saved = store_rows(store, preview.rows, name=a.name, label=preview.label)
    outcome = bench.absorb([r.record.id for r in preview.rows], before, saved)
    fresh = Workbench(store, DEMO_TODAY)
    fresh.load()
    assert bench.report.earned == fresh.report.earned == preview.after == 77  # 38.5
    assert outcome.message.startswith("已导入 新增 2 · 替换 1 · 未变 0")
    assert "总分 37.5 → 38.5" in outcome.message
    store.close()


def test_a_departments_codes_come_in_the_tables_order(tmp_path: Path) -> None:
    store = build_demo(tmp_path / "demo.db")
    bench = Workbench(store, DEMO_TODAY)
    bench.load()
    a = tmp_path / "a.csv"
    # by character code 三 (U+4E09) sorts before 二 (U+4E8C), then 六 (U+516D): the table's
    # order is 二、1 · 三、1 ×2 · 六、3
    rows = (
        "x-1,6.3,2024-07-10,客运科,赴先进地区交流学习\n"
        "x-2,3.1,2024-07-10,客运科,信息一\n"
        "x-3,2.1,2024-07-11,客运科,共同研究\n"
        "x-4,3.1,2024-07-12,客运科,信息二\n"
    )
    a.write_text(HEADER + rows, "utf-8")
    preview = preview_import(bench, parse_sources([a], bench.catalog, DEMO_TODAY))
    lines = preview.lines(bench.display_codes)
    assert lines[1] == "客运科  新增 4  二、1  三、1 ×2  六、3"
    store.close()
