"""The store's fixed names: schema version, application id, columns and audit actions.

Light (the standard library only): the migrations that create the tables, the
store and its checks all read the schema's constants from here.
"""

from __future__ import annotations

SCHEMA_VERSION = 3
APP_ID = 0x43524454  # "CRDT", stamped in PRAGMA application_id
EVIDENCE_COLUMNS = (
    "id", "indicator", "component", "item", "date", "department", "title", "kind", "channel",
    "quantity", "format_ok", "evaluation_data", "publicized", "url", "note", "status",
)  # fmt: skip
BOOL_COLUMNS = ("format_ok", "evaluation_data", "publicized")
ACTION_LABELS = {
    "insert": "新增", "update": "修改", "delete": "删除", "undo": "撤销", "catalog": "指标体系",
}  # fmt: skip
"""The actions the audit log records, with the word the clerk reads."""
