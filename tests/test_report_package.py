"""佐证材料汇编 (``export package``): layout, safe names, content, refusals, nothing outside."""

from __future__ import annotations

import hashlib
import importlib
import sys
import time
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from credit_tui.cli.entry import main
from credit_tui.interchange.evidence_format import InterchangeError, safe_name
from credit_tui.reports.package import export_package
from credit_tui.scoring.evidence import make_evidence
from credit_tui.service.demo import DEMO_TODAY, build_demo
from credit_tui.store.database import Store

WAIT_FOR_SELF_ASSESSMENT_S = 900
UNSAFE = 'a<b>:"c|d?*.pdf'


@pytest.fixture(scope="session", autouse=True)
def self_assessment_module() -> None:
    """The package embeds the self-assessment, written by ``reports.self_assessment``.

    That module is written alongside this one; wait (a while) for it to be importable.
    """
    deadline = time.monotonic() + WAIT_FOR_SELF_ASSESSMENT_S
    name = "credit_tui.reports.self_assessment"
    while True:
        importlib.invalidate_caches()
        try:
            module = importlib.import_module(name)
            if hasattr(module, "export_self_assessment"):
                return
        except Exception:  # missing or still being written
            sys.modules.pop(name, None)
        if time.monotonic() > deadline:
            pytest.fail(f"{name}.export_self_assessment is not available")
        time.sleep(5)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = build_demo(tmp_path / "store" / "demo.db")
    yield s
    s.close()


def _files(root: Path) -> dict[str, bytes]:
    """Every file under a folder: relative posix path → bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _zip_files(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}


def _listing(root: Path, skip: Path) -> dict[str, str]:
    """Every path under ``root`` but ``skip`` (and the database files), with a content digest."""
    out: dict[str, str] = {}
    for p in root.rglob("*"):
        if p == skip or skip in p.parents:
            continue
        rel = p.relative_to(root).as_posix()
        if p.is_file() and not p.name.startswith("demo.db"):
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
        else:
            out[rel] = "dir" if p.is_dir() else "db"
    return out


def _expected(store: Store, as_of: date = DEMO_TODAY) -> dict[str, bytes]:
    """What the demo's attachments should become: path in the package → stored bytes."""
    catalog = store.catalog
    names = store.attachment_names()
    want: dict[str, bytes] = {}
    for rec in store.records():
        if rec.date > as_of or rec.planned:
            continue
        ind = catalog.by_code[rec.indicator]
        cat = catalog.categories_by_code[ind.category_code]
        label = ind.component(rec.component).label
        for ref in names.get(rec.id, []):
            stamp = rec.date.isoformat()
            name = ref.name if ref.name.startswith(stamp) else f"{stamp} {ref.name}"
            path = f"{cat.title}/{rec.indicator} {safe_name(label)}/{safe_name(name)}"
            stored = store.attachment_path(ref.sha256)
            assert stored is not None
            want[path] = stored.read_bytes()
    return want


def test_folder_holds_attachments_by_indicator(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "汇编"
    assert export_package(store, out, as_of=DEMO_TODAY) == out
    files = _files(out)
    expected = _expected(store)
    assert len(expected) == 12  # the demo's attached files
    for path, data in expected.items():
        assert files.get(path) == data, path
    assert "一、制度建设/1.1 领导小组/2024-04-08 关于成立信用交通县创建工作领导小.txt" in files
    assert "一、制度建设/1.2 月度工作记录_台账/2024-05-31 5 月创建工作台账.txt" in files
    assert (out / "一、制度建设" / "1.1 领导小组").is_dir()
    assert (out / "六、培训交流" / "6.1 学习《山东省交通运输信用管理办法》").is_dir()
    # nothing else but the two hand-over files
    assert set(files) == set(expected) | {"自评表.xlsx", "目录.md"}


def test_self_assessment_and_index(store: Store, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "汇编"
    export_package(store, out, as_of=DEMO_TODAY)
    book = load_workbook(out / "自评表.xlsx")
    assert book.sheetnames
    index = (out / "目录.md").read_text(encoding="utf-8")
    assert "佐证材料汇编" in index and "截至：2024-07-15" in index
    names = store.attachment_names()
    with_files = [r for r in store.records() if names.get(r.id) and r.date <= DEMO_TODAY]
    assert with_files
    for rec in with_files:
        assert rec.title in index, rec.title
        assert rec.date.isoformat() in index
    for path in _expected(store):
        assert f"(<{path}>)" in index, path
    assert "### 一、1 创建领导小组及信用工作专班 · 领导小组" in index
    assert "（暂无材料）" in index  # components still without evidence are shown too


def _add_record(store: Store, tmp_path: Path, files: list[tuple[str, bytes]]) -> None:
    refs = []
    for n, (name, data) in enumerate(files):
        src = tmp_path / f"src{n}.pdf"
        src.write_bytes(data)
        refs.append(store.store_file(src, name))
    record = make_evidence(
        store.catalog,
        {
            "id": "test-unsafe",
            "indicator": "1.1",
            "component": "group",
            "date": "2024-05-01",
            "department": "法规科",
            "title": "文件名不安全的附件",
        },
        attachments=tuple(r.sha256 for r in refs),
    )
    store.save(record, refs)


def test_unsafe_and_clashing_names_are_made_safe(store: Store, tmp_path: Path) -> None:
    _add_record(
        store,
        tmp_path,
        [
            (UNSAFE, b"unsafe"),
            ("../x", b"escape"),
            ("..\\..\\y.txt", b"escape back"),
            ("通知.pdf", b"first"),
            ("通知.pdf", b"second"),
        ],
    )
    before = _listing(tmp_path, tmp_path / "汇编")
    out = tmp_path / "汇编"
    export_package(store, out, as_of=DEMO_TODAY)
    folder = "一、制度建设/1.1 领导小组"
    files = _files(out)
    assert files[f"{folder}/2024-05-01 a_b___c_d__.pdf"] == b"unsafe"
    assert files[f"{folder}/2024-05-01 _x"] == b"escape"
    assert files[f"{folder}/2024-05-01 _.._y.txt"] == b"escape back"
    assert files[f"{folder}/2024-05-01 通知.pdf"] == b"first"
    assert files[f"{folder}/2024-05-01 通知 (2).pdf"] == b"second"
    for p in out.rglob("*"):
        assert p.resolve().is_relative_to(out.resolve())
        assert not set(p.name) & set('<>:"|?*\\')
    assert _listing(tmp_path, out) == before
    assert not (tmp_path / "x").exists() and not (tmp_path / "y.txt").exists()
    index = (out / "目录.md").read_text(encoding="utf-8")
    assert "文件名不安全的附件" in index and "2024-05-01 通知 (2).pdf" in index


def test_zip_and_folder_hold_the_same_files(store: Store, tmp_path: Path) -> None:
    _add_record(store, tmp_path, [(UNSAFE, b"unsafe")])
    folder = export_package(store, tmp_path / "汇编", as_of=DEMO_TODAY)
    packed = export_package(store, tmp_path / "汇编.zip", as_of=DEMO_TODAY)
    assert packed == tmp_path / "汇编.zip" and packed.is_file()
    in_folder, in_zip = _files(folder), _zip_files(packed)
    assert sorted(in_zip) == sorted(in_folder)
    for name, data in in_zip.items():
        if name != "自评表.xlsx":  # an xlsx carries its own write time
            assert data == in_folder[name], name
    with zipfile.ZipFile(packed) as zf:
        assert zf.testzip() is None
        for info in zf.infolist():
            assert not info.filename.startswith(("/", "..")) and ".." not in info.filename
            if not info.filename.isascii():
                assert info.flag_bits & 0x800  # names stored as UTF-8
    for path, data in _expected(store).items():
        assert in_zip[path] == data


@pytest.mark.parametrize("target", ["汇编", "汇编.zip"])
def test_nothing_written_outside_the_target(store: Store, tmp_path: Path, target: str) -> None:
    out = tmp_path / "exports" / target
    out.parent.mkdir()
    (out.parent / "别的文件.txt").write_text("keep", encoding="utf-8")
    before = _listing(tmp_path, out)
    export_package(store, out, as_of=DEMO_TODAY)
    assert out.exists()
    assert _listing(tmp_path, out) == before


def test_refuses_a_non_empty_folder_or_a_file(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "汇编"
    out.mkdir()
    (out / "旧文件.txt").write_text("old", encoding="utf-8")
    before = _listing(tmp_path, tmp_path / "none")
    with pytest.raises(InterchangeError, match="不是空的"):
        export_package(store, out, as_of=DEMO_TODAY)
    assert _listing(tmp_path, tmp_path / "none") == before
    plain = tmp_path / "汇编文件"
    plain.write_text("a file", encoding="utf-8")
    with pytest.raises(InterchangeError, match="同名文件"):
        export_package(store, plain, as_of=DEMO_TODAY)
    assert plain.read_text(encoding="utf-8") == "a file"
    folder_zip = tmp_path / "像压缩包.zip"
    folder_zip.mkdir()
    with pytest.raises(InterchangeError, match="文件夹"):
        export_package(store, folder_zip, as_of=DEMO_TODAY)
    assert not any(folder_zip.iterdir())


def test_an_empty_folder_is_filled(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "空文件夹"
    out.mkdir()
    export_package(store, out, as_of=DEMO_TODAY)
    assert (out / "目录.md").is_file()


def test_a_failure_leaves_nothing(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from credit_tui.reports import self_assessment

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("磁盘已满")

    monkeypatch.setattr(self_assessment, "export_self_assessment", broken)
    for target in ("汇编", "汇编.zip"):
        before = _listing(tmp_path, tmp_path / target)
        with pytest.raises(OSError):
            export_package(store, tmp_path / target, as_of=DEMO_TODAY)
        assert not (tmp_path / target).exists()
        assert _listing(tmp_path, tmp_path / target) == before


def test_as_of_leaves_out_later_material(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "汇编"
    export_package(store, out, as_of=date(2024, 4, 10))
    files = _files(out)
    assert "一、制度建设/1.1 领导小组/2024-04-08 关于成立信用交通县创建工作领导小.txt" in files
    assert not any("2024-04-18" in name or "2024-06" in name for name in files)
    assert "截至：2024-04-10" in files["目录.md"].decode("utf-8")


def test_cli_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "store" / "demo.db"
    build_demo(db).close()
    out = tmp_path / "汇编.zip"
    argv = ["--db", str(db), "--today", "2024-07-15", "export", "package", "--out", str(out)]
    assert main(argv) == 0
    assert "已导出佐证材料汇编" in capsys.readouterr().out
    assert "目录.md" in _zip_files(out)
    folder = tmp_path / "满的"
    folder.mkdir()
    (folder / "a.txt").write_text("a", encoding="utf-8")
    argv[-1] = str(folder)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "不是空的" in err and "导入" not in err
