"""Keeping the store whole: ``backup``, ``restore`` and ``check``.

* ``backup``: a copy now, made with SQLite's backup API (consistent while
  another window writes), into ``backups/`` beside the store or to ``--out``.
* ``restore FILE``: the file is checked first without touching it (a
  credit-tui store, not from a newer program, not damaged); the current store
  is backed up (or, when damaged, kept aside as ``…-damaged.db``); then its
  content is replaced by the backup's through the backup API, into the live
  database, so other windows and the WAL stay consistent. A refusal changes
  nothing.
* ``check``: ``PRAGMA integrity_check`` and ``foreign_key_check``, every
  attachment present with its SHA-256, no unregistered files in the attachment
  folder, and an audit log that accounts for every record.

The command handlers (``cmd_*``) print in Chinese; ``check`` exits 1 when it
finds problems, and every refusal is a ``StoreError`` (exit 2).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from credit_tui.store.database import (
    ACTION_LABELS,
    APP_ID,
    EVIDENCE_COLUMNS,
    SCHEMA_VERSION,
    SQLITE_MAGIC,
    Clock,
    DamagedStoreError,
    Store,
    StoreError,
    _sqlite_reason,
    _truncation,
    backups_dir,
    file_sha256,
    system_clock,
)

if TYPE_CHECKING:
    from credit_tui.cli.context import Context

EXIT_OK, EXIT_PROBLEMS = 0, 1
MAX_INTEGRITY_LINES = 20


# --- check -------------------------------------------------------------------------


def check_store(store: Store) -> list[str]:
    """Everything wrong with the store, one Chinese line each (empty: all is well)."""
    problems: list[str] = []
    for part in (_integrity, _foreign_keys, _attachments, _audit):
        try:
            problems += part(store)
        except sqlite3.DatabaseError as exc:
            problems.append(f"检查时读取数据库失败：{_sqlite_reason(exc)}")
    return problems


def _integrity(store: Store) -> list[str]:
    rows = [str(r[0]) for r in store.conn.execute("PRAGMA integrity_check")]
    if rows == ["ok"]:
        return []
    lines = [f"数据库完整性检查：{r}" for r in rows[:MAX_INTEGRITY_LINES]]
    if len(rows) > MAX_INTEGRITY_LINES:
        lines.append(f"数据库完整性检查：……另有 {len(rows) - MAX_INTEGRITY_LINES} 处问题")
    return lines


def _foreign_keys(store: Store) -> list[str]:
    return [
        f"表 {table} 第 {rowid} 行引用的 {parent} 记录不存在"
        for table, rowid, parent, _fk in store.conn.execute("PRAGMA foreign_key_check")
    ]


def _attachments(store: Store) -> list[str]:
    conn = store.conn
    users: dict[str, list[str]] = {}
    for sha, rid, name, title in conn.execute(
        "SELECT ea.sha256, ea.evidence_id, ea.name, e.title FROM evidence_attachments ea "
        "LEFT JOIN evidence e ON e.id = ea.evidence_id ORDER BY ea.evidence_id, ea.position"
    ):
        users.setdefault(sha, []).append(f"记录 {rid}“{title or ''}”的“{name}”")
    folder = store.attachments_dir
    problems: list[str] = []
    registered: set[str] = set()
    for sha, suffix in conn.execute("SELECT sha256, suffix FROM attachments ORDER BY sha256"):
        file_name = f"{sha}{suffix or ''}"
        registered.add(file_name)
        path = folder / file_name
        used = users.get(sha)
        where = f"（{'、'.join(used[:3])}{' 等' if len(used) > 3 else ''}）" if used else ""
        if not path.is_file():
            problems.append(f"附件文件缺失：{path}{where}")
            continue
        try:
            actual = file_sha256(path)
        except OSError as exc:
            problems.append(f"附件文件无法读取：{path}（{exc.strerror or exc}）")
            continue
        if actual != sha:
            problems.append(f"附件文件内容已被改动（SHA-256 与登记不符）：{path}{where}")
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except FileNotFoundError:
        entries = []
    for entry in entries:
        if entry.name.startswith(".") or entry.name in registered:
            continue  # ".…tmp": a copy in progress
        problems.append(f"附件文件夹中有未登记的文件（没有记录引用它）：{Path(entry.path)}")
    return problems


def _audit(store: Store) -> list[str]:
    conn = store.conn
    problems: list[str] = []
    for aid, action, before, after in conn.execute(
        "SELECT id, action, before, after FROM audit ORDER BY id"
    ):
        if action not in ACTION_LABELS:
            problems.append(f"修改记录 #{aid} 的操作“{action}”无法识别")
        for label, text in (("修改前", before), ("修改后", after)):
            if text is None:
                continue
            try:
                value = json.loads(text)
            except (TypeError, ValueError):
                problems.append(f"修改记录 #{aid} 的{label}内容无法解析")
                continue
            if not isinstance(value, dict):
                problems.append(f"修改记录 #{aid} 的{label}内容格式不对")
    latest: dict[str, tuple[int, Any]] = {}
    for aid, rid, after in conn.execute(
        "SELECT id, evidence_id, after FROM audit WHERE evidence_id IS NOT NULL "
        "AND id IN (SELECT max(id) FROM audit GROUP BY evidence_id)"
    ):
        try:
            latest[rid] = (aid, json.loads(after) if after else None)
        except (TypeError, ValueError):
            latest[rid] = (aid, ...)  # reported above
    current = _current_records(store)
    for rid, (row, deleted) in current.items():
        title = row.get("title", "")
        if rid not in latest:
            if not deleted:
                problems.append(f"记录 {rid}“{title}”没有任何修改记录（审计日志缺失）")
            continue
        aid, after = latest[rid]
        if after is ...:
            continue
        if deleted and after is not None:
            problems.append(f"记录 {rid}“{title}”已删除，但最近一条修改记录 #{aid} 不是删除")
        elif not deleted and after != row:
            problems.append(f"记录 {rid}“{title}”的当前内容与最近一条修改记录 #{aid} 不一致")
    for rid in sorted(set(latest) - set(current)):
        problems.append(f"修改记录 #{latest[rid][0]} 所指的记录 {rid} 不存在")
    return problems


def _current_records(store: Store) -> dict[str, tuple[dict[str, Any], bool]]:
    """Every record as the audit log writes it (JSON round trip), and whether it is deleted."""
    links: dict[str, list[dict[str, str]]] = {}
    for rid, sha, name in store.conn.execute(
        "SELECT evidence_id, sha256, name FROM evidence_attachments ORDER BY evidence_id, position"
    ):
        links.setdefault(rid, []).append({"sha256": sha, "name": name})
    out: dict[str, tuple[dict[str, Any], bool]] = {}
    sql = f"SELECT {', '.join(EVIDENCE_COLUMNS)}, deleted_at FROM evidence"
    for row in store.conn.execute(sql):
        record = dict(zip(EVIDENCE_COLUMNS, row[:-1], strict=True))
        record["attachments"] = links.get(record["id"], [])
        out[record["id"]] = (
            json.loads(json.dumps(record, ensure_ascii=False)),
            row[-1] is not None,
        )
    return out


# --- backup and restore ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Restored:
    """What a restore did."""

    db: Path
    source: Path
    backup: Path | None
    """The current store's backup made first (None if there was no usable store)."""
    kept_damaged: Path | None
    """A damaged current store, kept aside as it was."""
    year: int
    records: int
    missing_attachments: int


@dataclass(frozen=True, slots=True)
class _Checked:
    year: int
    records: int


def restore_store(db: Path | str, source: Path | str, *, clock: Clock = system_clock) -> Restored:
    """Replace the store at ``db`` by the backup ``source`` (``StoreError`` and nothing changed
    if ``source`` is missing, not a credit-tui store, from a newer program or damaged)."""
    db, source = Path(db), Path(source)
    if not source.exists():
        raise StoreError(f"未恢复：备份文件 {source} 不存在")
    if not source.is_file():
        raise StoreError(f"未恢复：{source} 不是文件")
    if db.exists() and db.resolve() == source.resolve():
        raise StoreError(f"未恢复：{source} 就是当前数据库本身")
    with tempfile.TemporaryDirectory(prefix="credit-tui-restore-") as tmp:
        copy = Path(tmp) / "restore.db"
        _copy_store_file(source, copy)
        _check_backup(copy, source)
        backup = kept = None
        store = _open_current(db, clock)
        if store is not None:
            with store:
                backup = store.backup_now()
                _match_page_size(copy, int(store.conn.execute("PRAGMA page_size").fetchone()[0]))
                _backup_into(copy, store.conn)
        else:
            if db.exists() and db.stat().st_size > 0:
                kept = _keep_damaged(db, clock)
            _replace_file(copy, db)
    with Store.open(db, clock=clock, keep_backups=0) as store:  # an older backup is migrated
        year, records = store.campaign.year, store.count()
        missing = sum(
            1
            for sha, suffix in store.conn.execute("SELECT sha256, suffix FROM attachments")
            if not (store.attachments_dir / f"{sha}{suffix or ''}").is_file()
        )
    return Restored(db, source, backup, kept, year, records, missing)


def _copy_store_file(source: Path, target: Path) -> None:
    """The file and its write-ahead log (pages not yet in the file), never the original opened."""
    try:
        shutil.copyfile(source, target)
        wal = Path(f"{source}-wal")
        if wal.is_file() and wal.stat().st_size > 0:
            shutil.copyfile(wal, Path(f"{target}-wal"))
    except OSError as exc:
        raise StoreError(f"未恢复：无法读取 {source}（{exc.strerror or exc}）") from None


def _check_backup(copy: Path, source: Path) -> _Checked:
    """A credit-tui store of a version this program reads, whole; made a single file."""
    not_ours = f"未恢复：{source} 不是 credit-tui 数据库"
    with copy.open("rb") as fh:
        if fh.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise StoreError(f"{not_ours}（不是 SQLite 数据库文件）")
    reason = _truncation(copy)
    if reason:
        raise StoreError(f"未恢复：{source} 已损坏（{reason}）")
    conn = sqlite3.connect(copy)
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if app_id != APP_ID or not {"_sqlite_migrations", "campaign", "evidence"} <= tables:
            raise StoreError(not_ours)
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"未恢复：{source} 由较新版本的 credit-tui 创建（结构版本 {version}，"
                f"本程序支持到 {SCHEMA_VERSION}），请升级程序后再恢复"
            )
        if version < 1:
            raise StoreError(not_ours)
        row = conn.execute("SELECT year FROM campaign WHERE id = 1").fetchone()
        if row is None:
            raise StoreError(f"{not_ours}（缺少年度信息）")
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise StoreError(f"未恢复：{source} 已损坏（{problems[0]}）")
        records = conn.execute("SELECT count(*) FROM evidence WHERE deleted_at IS NULL").fetchone()
        conn.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"未恢复：{source} 已损坏或不是数据库（{_sqlite_reason(exc)}）") from None
    finally:
        conn.close()
    return _Checked(int(row[0]), int(records[0]))


def _open_current(db: Path, clock: Clock) -> Store | None:
    """The current store to back up and write into; None if missing, empty or damaged.

    A foreign file, a store of a newer program or a read-only store is refused.
    """
    if not db.exists() or (db.is_file() and db.stat().st_size == 0):
        return None
    try:
        store = Store.open(db, clock=clock, keep_backups=0)
    except DamagedStoreError:
        return None
    except StoreError as exc:
        raise StoreError(f"未恢复：{exc}") from None
    if store.read_only:
        store.close()
        raise StoreError(f"未恢复：数据库 {db} 为只读（文件、所在文件夹或磁盘不可写）")
    return store


def _match_page_size(copy: Path, page_size: int) -> None:
    """The backup API writes into a WAL database only pages of its own size."""
    conn = sqlite3.connect(copy)
    try:
        if int(conn.execute("PRAGMA page_size").fetchone()[0]) != page_size:
            conn.execute(f"PRAGMA page_size = {int(page_size)}")
            conn.execute("VACUUM")
    finally:
        conn.close()


def _backup_into(copy: Path, live: sqlite3.Connection) -> None:
    source = sqlite3.connect(copy)
    try:
        source.backup(live)
    except sqlite3.Error as exc:
        raise StoreError(f"恢复失败，数据库未改动：{_sqlite_reason(exc)}") from None
    finally:
        source.close()


def _keep_damaged(db: Path, clock: Clock) -> Path:
    """Keep the damaged store (and its log) as it is, beside the backups."""
    now = clock()
    folder = backups_dir(db)
    target = folder / f"{db.stem}-{now.date().isoformat()}-{now.strftime('%H%M%S')}-damaged.db"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(db, target)
        wal = Path(f"{db}-wal")
        if wal.is_file() and wal.stat().st_size > 0:
            shutil.copyfile(wal, Path(f"{target}-wal"))
    except OSError as exc:
        raise StoreError(f"未恢复：无法另存损坏的数据库（{exc.strerror or exc}）") from None
    return target


def _replace_file(copy: Path, db: Path) -> None:
    """Put the checked copy in place of a missing or damaged store (whole or not at all)."""
    tmp = db.with_name(f".{db.name}.{secrets.token_hex(4)}.restore")
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(copy, tmp)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.replace(tmp, db)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise StoreError(f"恢复失败：无法写入 {db}（{exc.strerror or exc}）") from None


# --- the commands ------------------------------------------------------------------


def cmd_backup(ctx: Context) -> int:
    """``backup [--out FILE]``."""
    out: Path | None = ctx.args.out
    with ctx.open_store() as store:
        if out is None:
            target = store.backup_now()
        else:
            if out.exists():
                raise StoreError(f"{out} 已存在，请换一个文件名（备份不覆盖已有文件）")
            try:
                target = store.backup_to(out)
            except OSError as exc:
                raise StoreError(f"无法写入备份 {out}：{exc.strerror or exc}") from None
            except sqlite3.DatabaseError as exc:
                raise store._problem(exc, "无法备份") from None
    print(f"已备份数据库 {ctx.db} 到 {target}")
    return EXIT_OK


def cmd_restore(ctx: Context) -> int:
    """``restore FILE``."""
    done = restore_store(ctx.db, ctx.args.file)
    if done.backup is not None:
        print(f"已先备份当前数据库到 {done.backup}")
    elif done.kept_damaged is not None:
        print(f"损坏的数据库已原样另存为 {done.kept_damaged}")
    print(f"已用 {done.source} 恢复数据库 {done.db}：{done.year} 年度，{done.records} 条佐证材料")
    if done.missing_attachments:
        print(f"注意：有 {done.missing_attachments} 个附件文件缺失，请运行 credit-tui check 查看")
    return EXIT_OK


def cmd_check(ctx: Context) -> int:
    """``check``: exit 0 and 检查通过, or 1 and one line per problem."""
    with ctx.open_store() as store:
        problems = check_store(store)
        records = store.count()
        files = store.conn.execute("SELECT count(*) FROM attachments").fetchone()[0]
    if not problems:
        print(
            f"检查通过：{ctx.db}（{records} 条佐证材料，{files} 个附件文件；"
            "数据库完整，附件齐全无改动，修改记录一致）"
        )
        return EXIT_OK
    print(f"检查发现 {len(problems)} 个问题：{ctx.db}")
    for n, problem in enumerate(problems, 1):
        print(f"  {n}. {problem}")
    return EXIT_PROBLEMS


COMMANDS: dict[str, Callable[[Context], int]] = {
    "backup": cmd_backup,
    "restore": cmd_restore,
    "check": cmd_check,
}
