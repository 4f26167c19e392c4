"""A validated scoring table kept between runs, so a start skips pydantic's schema build.

Checking the bundled table (building the validators of every model, then
validating) costs tens of milliseconds on each start; rebuilding the checked
result from its dumped JSON (``model_construct``, guided by the fields'
annotations, no validators built) costs 2–4 ms. JSON, not pickle:
reading a file from the cache folder must never run code. A file not owned by
this user, or writable by group or others, is refused (someone else could have
put other figures in it), and so is one that does not fit the models. The
cache file is named by a hash of the table's bytes, the model modules' source
and the Python version, so any
change to either the data or the models makes a new check. It lives in the
user's cache folder (``$XDG_CACHE_HOME/credit-tui``, else ``~/.cache/credit-tui``),
written atomically; any problem reading or writing it falls back to checking the
table, never to an error.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
import sys
import tempfile
import types
import typing
from pathlib import Path
from typing import Any

from credit_tui.scoring import conditions as conditions_module
from credit_tui.scoring import model as model_module
from credit_tui.scoring import plain as plain_module
from credit_tui.scoring.catalog import Catalog, load_catalog, read_catalog
from credit_tui.scoring.plain import init_fields, is_record

CACHE_ENV = "XDG_CACHE_HOME"


def cache_dir() -> Path:
    """Where cached tables go: ``$XDG_CACHE_HOME/credit-tui`` or ``~/.cache/credit-tui``."""
    base = os.environ.get(CACHE_ENV) or str(Path.home() / ".cache")
    return Path(base) / "credit-tui"


def cache_file(table: Path, folder: Path) -> Path:
    """The cache file for ``table`` as it is now, with today's models."""
    return folder / cache_name(table.read_bytes())


def cache_name(data: bytes) -> str:
    digest = hashlib.sha256(data)
    for module in (model_module, conditions_module, plain_module):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(sys.version.encode())
    return f"catalog-{digest.hexdigest()[:32]}.json"


def dump(catalog: Catalog) -> bytes:
    """The checked table as JSON (its fields as validated: halves, canonical names)."""
    return json.dumps(catalog.model_dump(mode="json"), ensure_ascii=False).encode("utf-8")


def read_cached(path: Path) -> Catalog | None:
    """The table kept at ``path``; None when missing, foreign, not ours or not fitting."""
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                return None  # someone else can write it: its figures are not to be trusted
            raw = json.loads(handle.read())
        return _build(Catalog, raw)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


@functools.cache
def _hints(model: type) -> dict[str, Any]:
    return typing.get_type_hints(model, include_extras=True)


def _build(annotation: Any, value: Any) -> Any:
    """``value`` (plain JSON) as ``annotation``, without validation; TypeError if it cannot fit."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _build(typing.get_args(annotation)[0], value)
    if is_record(annotation):
        if not isinstance(value, dict):
            raise TypeError(annotation.__name__)
        fields = [f.name for f in init_fields(annotation)]
        if set(value) - set(fields):
            raise TypeError(f"{annotation.__name__}: unknown fields")
        hints = _hints(annotation)
        built = {name: _build(hints[name], item) for name, item in value.items()}
        return annotation.model_construct(**built)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(annotation)
        if value is None and type(None) in options:
            return None
        models = [o for o in options if is_record(o)]
        if models and isinstance(value, dict):
            for model in models:  # one model, or several discriminated by ``kind``
                kind = _hints(model).get("kind")
                if len(models) == 1 or (
                    kind is not None and value.get("kind") in typing.get_args(kind)
                ):
                    return _build(model, value)
            raise TypeError("no model for this kind")
        for option in options:
            if option is not type(None):
                try:
                    return _build(option, value)
                except TypeError:
                    continue
        raise TypeError("no option fits")
    if origin is tuple:
        args = typing.get_args(annotation)
        if not isinstance(value, list):
            raise TypeError("tuple")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], item) for item in value)
        return tuple(_build(a, item) for a, item in zip(args, value, strict=True))
    if origin is dict:
        key_type, item_type = typing.get_args(annotation)
        if not isinstance(value, dict):
            raise TypeError("dict")
        return {_build(key_type, k): _build(item_type, v) for k, v in value.items()}
    if origin is typing.Literal:
        if value not in typing.get_args(annotation):
            raise TypeError("literal")
        return value
    if annotation in (str, int, float, bool):
        if annotation is float and type(value) is int:
            return float(value)
        if type(value) is not annotation:
            raise TypeError(annotation.__name__)
        return value
    if annotation is type(None) and value is None:
        return None
    raise TypeError(f"cannot build {annotation!r}")


def load_checked(table: Path, folder: Path | None = None) -> Catalog:
    """The scoring table at ``table``, checked once and then read from the cache.

    Raises ``CatalogError`` like ``load_catalog`` when the table is malformed
    or missing (a malformed table is never cached).
    """
    try:
        data = table.read_bytes()
    except OSError:
        return load_catalog(table)  # let the loader say in Chinese what is wrong
    cached = (folder if folder is not None else cache_dir()) / cache_name(data)
    catalog = read_cached(cached)
    if catalog is not None:
        return catalog
    catalog = read_catalog(data, str(table))  # missing, foreign or not ours: check again
    write(cached, dump(catalog))
    return catalog


def write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically; a cache that cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".catalog-", suffix=".tmp")  # 0600
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:
        pass
