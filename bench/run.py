"""Run every benchmark in bench/ one after the other, each printing its own ratios."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    failed = 0
    for bench in sorted(HERE.glob("bench_*.py")):
        print(f"\n== {bench.name}", flush=True)
        failed |= subprocess.run([sys.executable, str(bench), *sys.argv[1:]]).returncode
    sys.exit(failed)
