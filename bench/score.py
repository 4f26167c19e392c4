"""Scoring benchmark: full re-score against the cost of loading the records, and single updates.

Run with ``.venv/bin/python bench/score.py``. For N = 1,000, 10,000 and 100,000
synthetic records (deterministic, spread over all 27 components) it measures

(a) the floor: building the list of ``Evidence`` records from plain tuples with
    ``Evidence.trusted(**fields)``, as the store loads them;
(b) a full ``score(...)`` of those records;

and, at N = 10,000, (c) ``Scorer.add(rec)`` then ``Scorer.remove(rec.id)`` and
``Scorer.preview(add=[rec])`` averaged over ~200 records of every component.

Targets: full re-score of 100,000 under 2× the floor; a single update at
10,000 under 5 ms. Nothing here asserts on time; the last line says whether
the targets are met.

``synthetic_rows`` / ``synthetic_records`` are imported by
``tests/test_bench_smoke.py`` so the generator cannot silently rot.
"""

from __future__ import annotations

import gc
import hashlib
import random
import sys
import time
from collections.abc import Callable
from datetime import date

from credit_tui.scoring import Catalog, Evidence, Scorer, load_catalog, score

YEAR = 2024
AS_OF = date(YEAR, 12, 31)
"""The final view: every record of the year is in view (the heaviest case)."""
SEED = 20240401
SIZES = (1_000, 10_000, 100_000)
UPDATE_N = 10_000
UPDATE_RECORDS = 216  # 8 per component
FLOOR_RATIO_TARGET = 2.0
UPDATE_MS_TARGET = 5.0

FIELDS = (
    "id",
    "indicator",
    "component",
    "item",
    "date",
    "department",
    "title",
    "kind",
    "channel",
    "quantity",
    "format_ok",
    "evaluation_data",
    "publicized",
    "url",
    "attachments",
    "note",
    "status",
)
"""The order of the values in a row, as a store query would return them."""

_ATTACHMENTS = tuple(hashlib.sha256(f"附件{k}".encode()).hexdigest() for k in range(500))
_EXTRA_PRODUCTS = ("信易游", "信易医", "信易停")


def _item(catalog: Catalog, vocab_name: str | None, label: str, rng: random.Random) -> str:
    vocab = catalog.vocabulary
    if vocab_name == "domain":
        return rng.choice(sorted(vocab.domain_names))
    if vocab_name == "product":
        return rng.choice((*vocab.products, *_EXTRA_PRODUCTS))
    if vocab_name == "case_type":
        return rng.choice(vocab.case_types)
    if vocab_name == "partner":
        return rng.choice(vocab.partners)
    if vocab_name == "free":
        return f"{label}{rng.randrange(40)}"  # a few dozen distinct names
    return ""


def synthetic_rows(
    n: int, seed: int = SEED, *, prefix: str = "r", catalog: Catalog | None = None
) -> list[tuple[object, ...]]:
    """``n`` valid evidence rows (tuples in ``FIELDS`` order), deterministic for a seed.

    Record ``i`` belongs to component ``i mod 27`` (so every component gets its
    share); items, kinds, channels, flags, departments and dates (all in 2024)
    are drawn from the catalog's vocabularies. Titles come from a small pool and
    a third of the records carry an attachment from a shared pool, so the 1.4/6.1
    and 3.1/5.3 duplicate checks find real matches. About 5 % are planned.
    """
    cat = catalog or load_catalog()
    rng = random.Random(seed)
    comps = [(ind.code, comp) for ind in cat.indicators for comp in ind.components]
    kinds = list(cat.vocabulary.kinds)
    channels = list(cat.vocabulary.channels)
    first_day = date(YEAR, 1, 1).toordinal()
    days = (date(YEAR, 12, 31) - date(YEAR, 1, 1)).days + 1
    rows: list[tuple[object, ...]] = []
    for i in range(n):
        code, comp = comps[i % len(comps)]
        item = _item(cat, comp.item_vocab, comp.item_label, rng)
        kind = rng.choice(kinds)
        channel = comp.default_channel if rng.random() < 0.6 else rng.choice(channels)
        quantity = rng.randint(0, 4) if comp.rule == "staff" else None
        attachments = (rng.choice(_ATTACHMENTS),) if rng.random() < 0.33 else ()
        rows.append(
            (
                f"{prefix}{i:07d}",
                code,
                comp.key,
                item,
                date.fromordinal(first_day + rng.randrange(days)),
                rng.choice(comp.departments),
                f"信用工作材料 {rng.randrange(300)}",
                kind,
                channel,
                quantity,
                rng.random() < 0.7,
                rng.random() < 0.3,
                rng.random() < 0.7,
                f"https://www.example.gov.cn/xxgk/{i}.html" if rng.random() < 0.5 else "",
                attachments,
                "",
                "planned" if rng.random() < 0.05 else "done",
            )
        )
    return rows


def build_records(rows: list[tuple[object, ...]]) -> list[Evidence]:
    """The floor: what loading the rows from the store costs."""
    trusted = Evidence.trusted
    return [trusted(**dict(zip(FIELDS, row, strict=True))) for row in rows]


def synthetic_records(
    n: int, seed: int = SEED, *, prefix: str = "r", catalog: Catalog | None = None
) -> list[Evidence]:
    """``synthetic_rows`` built into ``Evidence`` records."""
    return build_records(synthetic_rows(n, seed, prefix=prefix, catalog=catalog))


def best_ms(fn: Callable[[], object], repeats: int) -> float:
    """Best wall time of ``repeats`` calls, in ms (garbage collected before each)."""
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def measure_full(cat: Catalog, n: int) -> tuple[float, float]:
    """(floor ms, score ms) for ``n`` records, best of 5 (3 at 100,000)."""
    rows = synthetic_rows(n, catalog=cat)
    records = build_records(rows)
    repeats = 3 if n >= 100_000 else 5
    floor = best_ms(lambda: build_records(rows), repeats)
    full = best_ms(lambda: score(cat, records, year=YEAR, as_of=AS_OF), repeats)
    return floor, full


def measure_updates(cat: Catalog) -> dict[str, float]:
    """Mean/max ms of add, remove and preview at ``UPDATE_N`` records."""
    scorer = Scorer(cat, YEAR, AS_OF, synthetic_records(UPDATE_N, catalog=cat))
    before = scorer.report.to_dict()
    extra = synthetic_records(UPDATE_RECORDS, SEED + 1, prefix="u", catalog=cat)
    adds: list[float] = []
    removes: list[float] = []
    previews: list[float] = []
    gc.collect()
    for rec in extra:
        t0 = time.perf_counter()
        scorer.add(rec)
        t1 = time.perf_counter()
        scorer.remove(rec.id)
        t2 = time.perf_counter()
        scorer.preview(add=[rec])
        t3 = time.perf_counter()
        adds.append(t1 - t0)
        removes.append(t2 - t1)
        previews.append(t3 - t2)
    if scorer.report.to_dict() != before:
        print("warning: add/remove/preview did not leave the score as it was", file=sys.stderr)
    result: dict[str, float] = {}
    for name, times in (("add", adds), ("remove", removes), ("preview", previews)):
        result[f"{name}_mean"] = sum(times) / len(times) * 1000
        result[f"{name}_max"] = max(times) * 1000
    return result


def main() -> None:
    cat = load_catalog()
    print(f"score benchmark — catalog {cat.version}, as of {AS_OF.isoformat()} (final view)")
    print(f"Python {sys.version.split()[0]}; best of 5 repeats (3 at 100,000)")
    print()
    header = f"{'N':>9}  {'floor ms':>10}  {'score ms':>10}  {'score/floor':>11}"
    print(header)
    print("-" * len(header))
    ratios: dict[int, float] = {}
    for n in SIZES:
        floor, full = measure_full(cat, n)
        ratios[n] = full / floor
        print(f"{n:>9,}  {floor:>10.1f}  {full:>10.1f}  {ratios[n]:>10.2f}×")
    print()
    up = measure_updates(cat)
    print(f"single-record update at N = {UPDATE_N:,} ({UPDATE_RECORDS} records, all components)")
    print(f"{'':>9}  {'mean ms':>10}  {'max ms':>10}")
    for name in ("add", "remove", "preview"):
        print(f"{name:>9}  {up[name + '_mean']:>10.3f}  {up[name + '_max']:>10.3f}")
    print()
    big = max(SIZES)
    full_ok = ratios[big] < FLOOR_RATIO_TARGET
    update_ms = max(up["add_mean"], up["remove_mean"])
    update_ok = update_ms < UPDATE_MS_TARGET
    print(
        f"targets: full re-score of {big:,} under {FLOOR_RATIO_TARGET:g}× the floor — "
        f"{'met' if full_ok else 'MISSED'} ({ratios[big]:.2f}×); "
        f"single update at {UPDATE_N:,} under {UPDATE_MS_TARGET:g} ms — "
        f"{'met' if update_ok else 'MISSED'} ({update_ms:.3f} ms mean add/remove)"
    )


if __name__ == "__main__":
    main()
