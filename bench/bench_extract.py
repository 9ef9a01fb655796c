"""Extraction speed and memory, as ratios measured side by side in one run.

    .venv/bin/python bench/bench_extract.py [PATH...] [--repeat N]

PATH defaults to the shared corpus (../shared/corpus), else samples/.  In
one process it times, per repeat and as medians:

* the whole ``zhize extract`` command (a fresh interpreter, start-up
  included) against the issue's budget of 10 s: the ratio must stay well
  under 1; and the same command with ``--workers 2`` against one worker;
* the stages inside one warm process (read, normalise, spaCy ``make_doc``,
  the extractor components) as shares of the pipeline, so a regression
  shows where it landed;
* the same files re-laid out the PDF way (hard-wrapped at 20 characters,
  blank lines between, via ../shared/tools/rewrap.py when present): the
  layout-heavy text against the original, so normalisation cost is seen;
* the peak Python memory of one pipeline run (tracemalloc) against the
  size of the text it read.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import bench_paths  # noqa: E402

from zhize.extract.textview import text_view as normalise  # noqa: E402
from zhize.extract.pipeline import build_nlp, extract_text  # noqa: E402
from zhize.extract.reading import read_file  # noqa: E402
from zhize.pipeline import extract_path  # noqa: E402

BUDGET_S = 10.0


def _relaid(paths: list[Path], into: Path) -> list[Path] | None:
    tool = ROOT.parent / "shared" / "tools" / "rewrap.py"
    if not tool.exists():
        return None
    out = []
    for p in paths:
        dst = into / p.name
        subprocess.run([sys.executable, str(tool), str(p), str(dst), "--width", "20", "--blank"], check=True)
        out.append(dst)
    return out


def _stages(paths: list[Path]) -> dict[str, float]:
    nlp = build_nlp()
    t = {"read": 0.0, "normalise": 0.0, "make_doc": 0.0, "pipeline": 0.0}
    for p in paths:
        a = time.perf_counter()
        raw = read_file(p)
        b = time.perf_counter()
        normal = normalise(raw)
        c = time.perf_counter()
        nlp.make_doc(normal.text)
        d = time.perf_counter()
        extract_text(raw)
        e = time.perf_counter()
        t["read"] += b - a
        t["normalise"] += c - b
        t["make_doc"] += d - c
        t["pipeline"] += e - d
    return t


def _command(paths: list[Path], workers: int = 1) -> float:
    zhize = Path(sys.executable).with_name("zhize")
    with tempfile.TemporaryDirectory() as tmp:
        a = time.perf_counter()
        subprocess.run([str(zhize), "extract", *map(str, paths), "--jsonl", f"{tmp}/f.jsonl",
                        "--workers", str(workers)], check=True, capture_output=True)
        return time.perf_counter() - a


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    paths = bench_paths(a.paths)
    chars = sum(len(read_file(p).text) for p in paths)
    build_nlp()

    commands = [_command(paths) for _ in range(a.repeat)]
    two = [_command(paths, workers=2) for _ in range(a.repeat)]
    stages = [_stages(paths) for _ in range(a.repeat)]
    med = {k: statistics.median(s[k] for s in stages) for k in stages[0]}

    with tempfile.TemporaryDirectory() as tmp:
        relaid = _relaid(paths, Path(tmp))
        relaid_s = statistics.median(_stages(relaid)["pipeline"] for _ in range(a.repeat)) if relaid else None

    tracemalloc.start()
    for p in paths:
        extract_path(p)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    command = statistics.median(commands)
    print(f"{len(paths)} files, {chars:,} characters, {a.repeat} repeats (medians)")
    print(f"zhize extract command: {command:.2f} s = {command / BUDGET_S:.2f} of the {BUDGET_S:.0f} s budget")
    print(f"  with --workers 2: {statistics.median(two):.2f} s = {statistics.median(two) / command:.2f}x one worker "
          f"({os.cpu_count()} cores; worker start-up included)")
    print(f"warm pipeline: {med['pipeline']:.2f} s, {chars / med['pipeline'] / 1000:.0f} k characters/s")
    for k in ("read", "normalise", "make_doc"):
        print(f"  {k:10} {med[k]:.3f} s = {med[k] / med['pipeline']:.1%} of the pipeline")
    if relaid_s is not None:
        print(f"re-laid out (width 20, blank lines): {relaid_s:.2f} s = {relaid_s / med['pipeline']:.2f}x the original")
    print(f"peak Python memory: {peak / 2**20:.1f} MiB = {peak / (chars * 4):.1f}x the text as UCS-4")


if __name__ == "__main__":
    main()
