"""Evidence rows as records: the one reading of an ``evidence`` row and its attachment links.

Light (sqlite3 rows in, no sqlite-utils): ``Store.records`` and the quick reads'
``store.light`` both build their records here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date
from typing import Any

from credit_tui.scoring.record import Evidence
from credit_tui.store.errors import StoreError


def attachment_links(
    conn: sqlite3.Connection, record_id: str | None = None
) -> dict[str, tuple[str, ...]]:
    """The SHA-256 of each record's attached files, in their order (one record or all)."""
    sql = "SELECT evidence_id, sha256 FROM evidence_attachments"
    args: tuple[str, ...] = ()
    if record_id is not None:
        sql += " WHERE evidence_id = ?"
        args = (record_id,)
    links: dict[str, list[str]] = {}
    for rid, sha in conn.execute(sql + " ORDER BY evidence_id, position", args):
        links.setdefault(rid, []).append(sha)
    return {k: tuple(v) for k, v in links.items()}


def evidence(row: Sequence[Any], attachments: tuple[str, ...]) -> Evidence:
    """A record from a row of ``schema.EVIDENCE_COLUMNS`` (validated when it was stored)."""
    (rid, indicator, component, item, day, dept, title, kind, channel, quantity,
     format_ok, evaluation_data, publicized, url, note, status) = row  # fmt: skip
    try:
        day = date.fromisoformat(day)
    except (TypeError, ValueError):
        raise StoreError(
            f"数据库中的记录 {rid} 日期“{day}”无效（应为 YYYY-MM-DD），"
            "数据可能被其他程序改动过：请从备份恢复（credit-tui restore）或修正该记录"
        ) from None
    return Evidence.trusted(
        id=rid,
        indicator=indicator,
        component=component,
        item=item or "",
        date=day,
        department=dept,
        title=title,
        kind=kind,
        channel=channel,
        quantity=quantity,
        format_ok=bool(format_ok),
        evaluation_data=bool(evaluation_data),
        publicized=bool(publicized),
        url=url or "",
        attachments=attachments,
        note=note or "",
        status=status,
    )
