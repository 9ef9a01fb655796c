"""Extraction at scale: generated bulletins of 10 MB, 100 MB, 1 GB against a naive scan of the same files.

    .venv/bin/python bench/bench_scale.py [--mb 10 100] [--workers 1 2] [--repeat 1] [--corpus DIR]
                                          [--baseline COMMIT]

For every size, ``bench/synth_corpus.py`` writes the bulletins and the facts put in them (kept
under ``--corpus``, default a temporary folder, and reused when they are there).  Then, side by
side in one run, each repeat in turn:

* the floor: a fresh interpreter reading every file and scanning it with the duty-clause regex
  of issue 14 (``[（(][^（）()]{0,200}(负责|牵头|配合)[^（）()]{0,100}[）)]``), nothing else;
* ``zhize extract FILES --jsonl OUT --workers N`` for every N, start-up included;
* with ``--baseline COMMIT`` (``main``), that commit's ``zhize extract`` with one worker
  (``bench/baseline.py``): before against after, in the same run.

Each is a whole process tree, its peak memory the largest sum of its processes' resident sets
(sampled every 10 ms).  Reported: seconds, MB/s, facts/s, the ratio to the floor, the speed-up of
N workers over one, peak memory, and correctness: the facts extracted against the facts
generated (by file, document and every field but offsets and evidence), which must be equal.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "bench"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import baseline  # noqa: E402
from synth_corpus import Manifest, compare, generated, write_corpus  # noqa: E402

CLAUSE = r"[（(][^（）()]{0,200}(负责|牵头|配合)[^（）()]{0,100}[）)]"
FLOOR = f"""
import re, sys
clause = re.compile({CLAUSE!r})
n = 0
for name in sys.argv[1:]:
    with open(name, encoding="utf-8") as fh:
        n += sum(1 for _ in clause.finditer(fh.read()))
print(n)
"""


def corpus(root: Path, mb: float, seed: int = 14) -> Manifest:
    """The bulletins of about ``mb`` MB under ``root``, written once and reused."""
    folder = root / f"synth-{mb:g}mb-seed{seed}"
    done = folder / "manifest.json"
    if done.exists():
        m = json.loads(done.read_text())
        return Manifest([folder / f for f in m["files"]], folder / "facts.jsonl", m["chars"], m["bytes"])
    m = write_corpus(folder, int(mb * 1e6), seed)
    done.write_text(json.dumps({"files": [f.name for f in m.files], "chars": m.chars, "bytes": m.bytes}))
    return m


def measured(cmd: list[str], env: dict | None = None) -> tuple[float, int]:
    """Wall seconds and the peak of the summed resident memory of ``cmd`` and its children.

    Run from a neutral folder: from the checkout, ``python -c`` would import its ``zhize/`` first."""
    import psutil

    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
                            cwd=tempfile.gettempdir())
    top = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            rss = top.memory_info().rss + sum(c.memory_info().rss for c in top.children(recursive=True))
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.01)
    seconds = time.perf_counter() - t
    _, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:3])} … failed ({proc.returncode}): {err[-2000:]}")
    return seconds, peak


def floor(files: list[Path]) -> tuple[float, int]:
    return measured([sys.executable, "-c", FLOOR, *map(str, files)])


def extract(files: list[Path], out: Path, workers: int, commit: str | None = None) -> tuple[float, int]:
    zhize = baseline.command(commit) if commit else [str(Path(sys.executable).with_name("zhize"))]
    return measured([*zhize, "extract", *map(str, files), "--jsonl", str(out), "--workers", str(workers),
                     "--texts", "-"], env=baseline.env(commit) if commit else None)


def records(path: Path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", help="ignored (bench/run.py passes its arguments to every benchmark)")
    ap.add_argument("--mb", type=float, nargs="+", default=[10.0])
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--corpus", type=Path, default=None, help="keep the generated bulletins here (reused)")
    ap.add_argument("--baseline", default=None, help="also run this commit's zhize extract (one worker)")
    a = ap.parse_args()
    wrong = 0
    with tempfile.TemporaryDirectory() as tmp:
        root = a.corpus or Path(tmp)
        print(f"{os.cpu_count()} cores; {a.repeat} repeat(s), medians; whole processes, start-up included")
        for mb in a.mb:
            m = corpus(root, mb)
            expected = generated(m.facts)
            n_facts = sum(expected.values())
            runs: dict[str, list[tuple[float, int]]] = {"floor": []}
            exact = True
            for _ in range(a.repeat):
                runs["floor"].append(floor(m.files))
                todo = [(f"zhize --workers {w}", w, None) for w in a.workers]
                if a.baseline:
                    todo.append((f"{a.baseline} (before)", 1, a.baseline))
                for name, w, commit in todo:
                    out = Path(tmp) / f"facts-{mb:g}-{w}.jsonl"
                    runs.setdefault(name, []).append(extract(m.files, out, w, commit))
                    got = compare(expected, records(out))
                    if not got.exact:
                        exact = False
                        wrong += 1
                        print(f"  CORRECTNESS {mb:g} MB, {name}: {got.expected} generated, {got.found} "
                              f"extracted, recall {got.recall():.4f}, precision {got.precision():.4f}; "
                              f"first missed {list(got.missed)[:3]}, first extra {list(got.extra)[:3]}")
                    out.unlink()
            base = statistics.median(s for s, _ in runs["floor"])
            one = statistics.median(s for s, _ in runs[f"zhize --workers {a.workers[0]}"])
            print(f"\n{m.bytes / 1e6:.0f} MB in {len(m.files)} files, {m.chars:,} characters, {n_facts:,} facts "
                  f"generated; extracted == generated: {'yes' if exact else 'NO'}")
            print(f"  {'run':18} {'s':>8} {'MB/s':>7} {'facts/s':>9} {'x floor':>8} {'x 1st':>6} {'peak MB':>8}")
            for name, rs in runs.items():
                s = statistics.median(x for x, _ in rs)
                peak = max(p for _, p in rs)
                facts = "" if name == "floor" else f"{n_facts / s:9,.0f}"
                print(f"  {name:18} {s:8.2f} {m.bytes / 1e6 / s:7.2f} {facts:>9} {s / base:8.1f} "
                      f"{'' if name == 'floor' else f'{one / s:6.2f}':>6} {peak / 2**20:8.0f}")
    if wrong:
        sys.exit(f"{wrong} run(s) did not extract exactly the facts generated")


if __name__ == "__main__":
    main()
