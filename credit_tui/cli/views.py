"""The quick reads: ``score``, ``status`` and ``deadlines`` (no textual; output cached)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from credit_tui.cli.context import EXIT_OK, Context, UserError

TYPE_CHECKING = False  # typing itself is not imported on the quick reads' warm path
if TYPE_CHECKING:
    from credit_tui.store.light import Contents


def _as_of(ctx: Context) -> date:
    return getattr(ctx.args, "as_of", None) or ctx.today


def _print_cached(ctx: Context, command: list[object], produce: Callable[[], str]) -> int:
    """Print a read command's text, from the view cache when nothing it depends on changed."""
    from credit_tui.cli import viewcache

    key = viewcache.cache_key(ctx.db, json.dumps(command, default=str)) if ctx.db.exists() else None
    text = viewcache.get(ctx.db, key)
    if text is None:
        text = produce()
        viewcache.put(ctx.db, key, text)
    print(text)
    return EXIT_OK


def _contents(ctx: Context) -> Contents:
    """The store's year, table and records: the light read, else through ``Store.open``."""
    from credit_tui.store import light

    found = light.read(ctx.db)
    if found is not None:
        return found
    with ctx.open_store() as store:
        return light.Contents(store.campaign.year, store.catalog, store.records())


def cmd_score(ctx: Context) -> int:
    args = ctx.args
    return _print_cached(
        ctx, ["score", _as_of(ctx), args.projected, args.json], lambda: _score_text(ctx)
    )


def _score_text(ctx: Context) -> str:
    from credit_tui.reports.text import score_table
    from credit_tui.scoring.engine import score

    found = _contents(ctx)
    year, catalog, records = found.year, found.catalog, found.records
    report = score(catalog, records, year=year, as_of=_as_of(ctx), projected=ctx.args.projected)
    if ctx.args.json:
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
    return score_table(catalog, report)


def cmd_status(ctx: Context) -> int:
    return _print_cached(ctx, ["status", _as_of(ctx)], lambda: _status_text(ctx))


def _status_text(ctx: Context) -> str:
    from credit_tui.reports.text import status_view
    from credit_tui.scoring.calendar import occurrences
    from credit_tui.scoring.engine import score

    found = _contents(ctx)
    year, catalog, records = found.year, found.catalog, found.records
    as_of = _as_of(ctx)
    report = score(catalog, records, year=year, as_of=as_of)
    projected = None
    if any(r.planned for r in records):
        projected = score(catalog, records, year=year, as_of=as_of, projected=True)
    occs = occurrences(catalog, report)
    from credit_tui.reports.proof import by_id, gap_ids

    gaps = len(gap_ids(report, by_id(records)))
    text = status_view(
        catalog, report, occs, projected=projected, soon_days=catalog.due_soon_days, proof_gaps=gaps
    )
    if not catalog.key_tasks:
        return text
    from credit_tui.reports.key_task_text import status_section
    from credit_tui.scoring.key_tasks import key_task_occurrences

    tasks = key_task_occurrences(catalog, year, records, as_of)
    return "\n".join([text, *status_section(tasks, as_of, catalog.due_soon_days)])


def cmd_deadlines(ctx: Context) -> int:
    from credit_tui.reports.text import deadlines_view
    from credit_tui.scoring.calendar import between, for_department, occurrences
    from credit_tui.scoring.engine import score

    args = ctx.args
    with ctx.open_store() as store:
        year, catalog, records = store.campaign.year, store.catalog, store.records()
    report = score(catalog, records, year=year, as_of=ctx.today)
    occs = occurrences(catalog, report)
    if args.department:
        dept = catalog.canonical_department(args.department)
        if dept is None:
            raise UserError(
                f"--department：未知的责任单位“{args.department}”，应为：{'、'.join(catalog.departments)}"
            )
        occs = for_department(occs, dept)
    start, end = args.start or date(year, 1, 1), args.end or date(year, 12, 31)
    occs = between(occs, start, end)
    from credit_tui.reports.key_task_text import as_json, key_task_line
    from credit_tui.scoring.key_tasks import key_task_occurrences

    tasks = [
        o
        for o in key_task_occurrences(catalog, year, records, ctx.today)
        if start <= o.due <= end and (not args.department or dept in o.departments)
    ]
    if args.json:
        rows = [_occ_dict(catalog, o) for o in occs] + [as_json(o) for o in tasks]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print(deadlines_view(catalog, occs))
        if tasks:
            print("\n重点任务（不计分）")
            print("\n".join(key_task_line(o) for o in tasks))
    return EXIT_OK


def _occ_dict(catalog, occ) -> dict[str, object]:
    from credit_tui.scoring.points import as_number

    spec = occ.spec
    missing = {"missing": occ.missing} if occ.missing else {}
    return {
        "due": spec.due.isoformat(),
        "indicator": spec.indicator,
        "component": spec.component,
        "label": catalog.by_code[spec.indicator].component(spec.component).label,
        "period": spec.label,
        "kind": spec.kind,
        "status": occ.status.value,
        "at_stake": as_number(occ.at_stake),
        "departments": list(spec.departments),
        **missing,
    }
