"""The texts the benchmarks read: files given on the command line, else the shared corpus's bulletins, else samples/."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from zhize.pipeline import find_inputs  # noqa: E402


def bench_paths(args: list[str]) -> list[Path]:
    if not args:
        shared = ROOT.parent / "shared" / "corpus"
        args = [str(p) for p in sorted(shared.glob("*.txt"))] or [str(ROOT / "samples")]
    return find_inputs(args).files
