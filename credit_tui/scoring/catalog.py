"""The scoring table: where a year's table lives, loading and checking it, and its names.

A year's table lives in ``data/catalog_<year>.toml``. ``load_catalog`` checks it
(``schema``, pydantic, imported only then; then the cross-checks of ``checks``)
and rejects a malformed table with a Chinese message naming the place and the
reason (``CatalogError``); a later year's table is a new data file, never new
code. The table's classes are plain (``model``, ``conditions``) and are
re-exported here under their old names.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from credit_tui.scoring.conditions import (
    CONDITIONS,
    FLAG_FIELDS,
    ITEM_CONDITIONS,
    RECORD_CONDITIONS,
    RULE_LABELS,
    RULE_NEEDS,
    ChannelIn,
    ChannelNotIn,
    Condition,
    FlagsAll,
    Gate,
    ItemHasKind,
    ItemHasRecordIn,
    ItemQualifiesIn,
    ItemVocab,
    NotDuplicateOf,
    RuleKind,
    Schedule,
)
from credit_tui.scoring.model import Catalog, Category, Component, Indicator, KeyTask, Vocabulary

__all__ = [
    "CONDITIONS",
    "DATA_DIR",
    "DEFAULT_YEAR",
    "FLAG_FIELDS",
    "ITEM_CONDITIONS",
    "RECORD_CONDITIONS",
    "RULE_LABELS",
    "RULE_NEEDS",
    "Catalog",
    "CatalogError",
    "Category",
    "ChannelIn",
    "ChannelNotIn",
    "Component",
    "Condition",
    "FlagsAll",
    "Gate",
    "Indicator",
    "ItemHasKind",
    "ItemHasRecordIn",
    "ItemQualifiesIn",
    "ItemVocab",
    "KeyTask",
    "NotDuplicateOf",
    "RuleKind",
    "Schedule",
    "Vocabulary",
    "available_years",
    "catalog_path",
    "catalog_version_for",
    "load_catalog",
    "parse_catalog",
    "read_catalog",
]

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_YEAR = 2024


class CatalogError(ValueError):
    """A scoring table that cannot be used; the message is Chinese and names the place."""


def catalog_path(year: int = DEFAULT_YEAR) -> Path:
    """Where the bundled table for ``year`` lives."""
    return DATA_DIR / f"catalog_{year}.toml"


def available_years() -> list[int]:
    """Years for which a table is bundled."""
    return sorted(int(p.stem.rsplit("_", 1)[1]) for p in DATA_DIR.glob("catalog_*.toml"))


def catalog_version_for(year: int) -> str:
    """The bundled table to use for ``year``: its own, else the newest one before it.

    The table's dates are month-day, so an earlier year's table serves a later
    year until the province publishes a new one.
    """
    years = available_years()
    usable = [y for y in years if y <= year] or years[:1]
    return str(usable[-1])


@lru_cache(maxsize=8)
def load_catalog(path: Path | str | None = None) -> Catalog:
    """Load and check a scoring table (the bundled 2024 one by default)."""
    path = Path(path) if path is not None else catalog_path()
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise CatalogError(f"评分表 {path}：文件不存在") from exc
    return read_catalog(data, str(path))


def read_catalog(data: bytes, source: str) -> Catalog:
    """Check a scoring table given as the bytes of its TOML file (``source`` names it)."""
    import tomllib

    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"评分表 {source}：格式错误（{exc}）") from exc
    return parse_catalog(raw, source=source)


def parse_catalog(raw: dict, source: str = "评分表") -> Catalog:
    """Build a ``Catalog`` from parsed TOML, raising ``CatalogError`` on any problem."""
    from credit_tui.scoring import schema
    from credit_tui.scoring.checks import check

    try:
        catalog = schema.validate(raw)
    except schema.ValidationError as exc:
        raise CatalogError(schema.describe(exc, raw, source)) from exc
    problems = list(check(catalog))
    if problems:
        raise CatalogError(f"{source}：\n" + "\n".join(f"  - {p}" for p in problems))
    return catalog
