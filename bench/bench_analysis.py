"""How long the analyst's queries and the exports take on a store of ~100k facts, beside the bulletins.

    .venv/bin/python bench/bench_analysis.py [--facts 100000] [--json OUT]

The big store is bench_app.py's synthetic province (real ``build_graph`` and
``SQLiteStore``); the reference is the shared bulletins when they are there
(else the sample bulletin), built in the same run.  Each step reads the store
afresh, as a notebook call does: ``store.tables()``, ``to_networkx`` of each
kind, ``insights()``, and ``zhize.graph.exports.write`` in every format.  The
report gives seconds for both and the ratio big / reference, which travels
between machines better than seconds.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import zhize  # noqa: E402
from bench_app import build_big  # noqa: E402
from corpus import bench_paths  # noqa: E402


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def steps(db: Path, out: Path) -> dict[str, float]:
    from zhize.graph import exports

    store = zhize.open_store(db)
    try:
        tables = store.tables()
        result = {
            "batch()": timed(store.batch),
            "tables()": timed(store.tables),
            **{f"to_networkx({k})": timed(lambda k=k: store.to_networkx(k))
               for k in ("co_responsibility", "lead_support", "person_group")},
            "insights()": timed(store.insights),
            "ranking(betweenness)": timed(lambda: store.ranking(by="betweenness")),
        }
        batch = store.batch()
        for fmt in ("ttl", "graphml", "gexf", "csv", "xlsx"):
            result[f"export {fmt}"] = timed(lambda fmt=fmt: exports.write(batch, tables, str(out / f"x.{fmt}"), fmt))
    finally:
        store.close()
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--facts", type=int, default=100_000)
    ap.add_argument("--json", help="write the measurements here too")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        ref = tmp_path / "reference.sqlite"
        zhize.open_store(ref, ingest=bench_paths([])).close()
        big = tmp_path / "big.sqlite"
        facts, build_s = build_big(big, args.facts)
        small, large = steps(ref, tmp_path), steps(big, tmp_path)
    rows = [{"step": k, "reference_s": round(small[k], 3), "big_s": round(large[k], 3),
             "ratio": round(large[k] / small[k], 1) if small[k] else None} for k in small]
    print(f"{'step':24} {'reference s':>12} {'big s':>8} {'ratio':>7}   (big: {facts} facts, built in {build_s:.1f} s)")
    for r in rows:
        print(f"{r['step']:24} {r['reference_s']:12.3f} {r['big_s']:8.3f} {r['ratio'] or 0:7.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"facts": facts, "steps": rows}, ensure_ascii=False, indent=1),
                                   encoding="utf-8")


if __name__ == "__main__":
    main()
