"""Resolution against extraction, side by side in one run: is resolution invisible (< 5 %)?

    .venv/bin/python bench/bench_resolve.py [PATH...] [--repeat N]

PATH defaults to the shared corpus (../shared/corpus), else samples/.  Each
repeat extracts every file and then resolves the facts; the resolver's
start-up (reading the registry YAML) is timed once and reported apart, since
``zhize`` pays it once per process.  "cold" resolves with a fresh resolver
(empty mention cache), "warm" reuses the one from the previous repeat.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import bench_paths  # noqa: E402

from zhize.extract.pipeline import extract_files  # noqa: E402
from zhize.extract.resolve import Resolver  # noqa: E402
from zhize.extract.types import DocumentFact  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    paths = bench_paths(a.paths)
    size = sum(p.stat().st_size for p in paths)

    extract_files(paths[:1])                 # build the spaCy pipeline once, as a long-lived process would
    t = time.perf_counter()
    warm_resolver = Resolver()
    load = time.perf_counter() - t

    ext, cold, warm = [], [], []
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        results = extract_files(paths)
        t1 = time.perf_counter()
        facts = [f for r in results for f in r.facts]
        docs = [f for f in facts if isinstance(f, DocumentFact)]
        fresh = Resolver()
        t2 = time.perf_counter()
        res = fresh.resolve(facts, docs)
        t3 = time.perf_counter()
        warm_resolver.resolve(facts, docs)
        t4 = time.perf_counter()
        ext.append(t1 - t0)
        cold.append(t3 - t2)
        warm.append(t4 - t3)

    e, c, w = statistics.median(ext), statistics.median(cold), statistics.median(warm)
    units = sum(1 for f in facts if getattr(f, "unit", None) is not None)
    print(f"{len(paths)} files, {size / 1024:.0f} KB, {len(facts)} facts ({units} unit mentions), "
          f"{len(res.institutions)} institutions, {len(res.persons)} people; median of {a.repeat} runs")
    print(f"  extraction        {e * 1000:9.1f} ms")
    print(f"  resolution cold   {c * 1000:9.1f} ms   {100 * c / e:5.2f} % of extraction")
    print(f"  resolution warm   {w * 1000:9.1f} ms   {100 * w / e:5.2f} % of extraction")
    print(f"  resolver start-up {load * 1000:9.1f} ms   (once per process: registry YAML)")
    verdict = "OK" if c / e < 0.05 else "TOO SLOW"
    print(f"  {verdict}: resolution is {'under' if c / e < 0.05 else 'over'} 5 % of extraction")


if __name__ == "__main__":
    main()
