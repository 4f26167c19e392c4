"""Whether the store is whole (``credit-tui check``): one Chinese line per problem found.

Checked: ``PRAGMA integrity_check`` and ``foreign_key_check``; every attachment present
with its SHA-256 and no unregistered files in the attachment folder; an audit log that
accounts for every record.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from credit_tui.store.attachments import file_sha256
from credit_tui.store.errors import sqlite_reason
from credit_tui.store.schema import ACTION_LABELS, EVIDENCE_COLUMNS

if TYPE_CHECKING:
    from credit_tui.store.database import Store

MAX_INTEGRITY_LINES = 20


def check_store(store: Store) -> list[str]:
    """Everything wrong with the store, one Chinese line each (empty: all is well)."""
    problems: list[str] = []
    for part in (_integrity, _foreign_keys, _attachments, _audit):
        try:
            problems += part(store)
        except sqlite3.DatabaseError as exc:
            problems.append(f"检查时读取数据库失败：{sqlite_reason(exc)}")
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
