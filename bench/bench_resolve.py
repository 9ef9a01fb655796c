"""Resolution against extraction, side by side in one run: is resolution invisible (< 5 %)?

    .venv/bin/python bench/bench_resolve.py [PATH...] [--repeat N]

PATH defaults to the shared corpus's bulletins, else samples/.  Each repeat
runs the pipeline (``zhize.pipeline``) over every file twice, with the time
it reports per stage: once with a fresh resolver ("cold": empty mention
cache), once with the resolver of the previous repeats ("warm").  The
resolver's start-up (reading the registry YAML) is timed once and reported
apart, since ``zhize`` pays it once per process.
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

from zhize.extract.resolve import Resolver  # noqa: E402
from zhize.pipeline import Pipeline  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    paths = bench_paths(a.paths)
    size = sum(p.stat().st_size for p in paths)

    Pipeline(resolve=False).run(paths[:1])    # build the spaCy pipeline once, as a long-lived process would
    t = time.perf_counter()
    warm_resolver = Resolver()
    load = time.perf_counter() - t

    ext, cold, warm = [], [], []
    for _ in range(a.repeat):
        fresh = Resolver()
        report = Pipeline(resolver=fresh).run(paths)
        ext.append(report.seconds["extract"])
        cold.append(report.seconds["resolve"])
        warm.append(Pipeline(resolver=warm_resolver).run(paths).seconds["resolve"])

    e, c, w = statistics.median(ext), statistics.median(cold), statistics.median(warm)
    res = report.resolution
    facts = sum(report.facts.values())
    units = sum(report.facts[k] for k in ("duty", "group_unit"))
    print(f"{len(paths)} files, {size / 1024:.0f} KB, {facts} facts ({units} unit mentions), "
          f"{len(res.institutions)} institutions, {len(res.persons)} people; median of {a.repeat} runs")
    print(f"  extraction        {e * 1000:9.1f} ms")
    print(f"  resolution cold   {c * 1000:9.1f} ms   {100 * c / e:5.2f} % of extraction")
    print(f"  resolution warm   {w * 1000:9.1f} ms   {100 * w / e:5.2f} % of extraction")
    print(f"  resolver start-up {load * 1000:9.1f} ms   (once per process: registry YAML)")
    verdict = "OK" if c / e < 0.05 else "TOO SLOW"
    print(f"  {verdict}: resolution is {'under' if c / e < 0.05 else 'over'} 5 % of extraction")


if __name__ == "__main__":
    main()
