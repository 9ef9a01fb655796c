"""Loads and queries at 100k and 1M facts, both stores, side by side in one run.

    .venv/bin/python bench/bench_load.py [--facts 100000 1000000] [--stores sqlite neo4j] [--repeat 20]
                                         [--naive 300] [--baseline COMMIT] [--json OUT]
    .venv/bin/python bench/bench_load.py --interleave STORE.sqlite --baseline main [--rounds 5]

Each (store, size) runs in a fresh process, so its peak memory is its own: ~N facts shaped like
the notices (``bench_app.synth_facts``) are built into one graph batch (``build_graph``) and

* loaded into an empty store in one write (``replace_sources(fresh=True)``, as ``zhize ingest
  --fresh`` does): facts/s, and the process's peak resident memory;
* loaded again (``load``): the counts must not change (a second load changes nothing);
* the naive load for the floor: the first ``--naive`` facts each written on its own
  (``load`` of a one-fact batch, as a client calling the store a fact at a time would):
  facts/s, so the batched load is a ratio over it;
* then, warm, every query the CLI and the explorer make, each ``--repeat`` times over as many
  different inputs (topic words, units, people, groups, network filters): p50 and p95 in ms.

``--interleave DB`` times the queries alone on a SQLite store already written, this code and the
baseline's in alternating processes, round after round, so a machine whose load drifts shares it
out between them.  With ``--baseline COMMIT`` (``main``) every (store, size) is also run with that commit's code
(``bench/baseline.py``), one after the other: before against after, in the same run.

Neo4j runs only against the project's own server (``zhize neo4j start``; its zhize data is
cleared).  The machine is shared: read the ratios, not the seconds.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "bench"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

TOPIC_WORDS = ["反拐", "困境儿童", "RCEP", "文物", "防汛", "安全生产", "就业", "营商环境", "乡村振兴", "生态",
               "专项行动", "审计"]


def rss_mb() -> float:
    import psutil
    return psutil.Process().memory_info().rss / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def neo4j_server():
    """The module that finds the project's server (it moved from zhize.graph to zhize: a baseline may have either)."""
    try:
        from zhize import neo4j_server as srv
    except ImportError:
        from zhize.graph import neo4j_server as srv
    return srv


def open_bench_store(kind: str, tmp: Path):
    if kind == "sqlite":
        from zhize.graph.sqlite_store import SQLiteStore
        return SQLiteStore(tmp / "graph.sqlite")
    if kind == "neo4j-pure":
        block_rust_driver()
    from zhize.graph.neo4j_store import Neo4jStore
    return Neo4jStore(neo4j_server().project_server().uri)


def block_rust_driver() -> None:
    """Make the driver fall back to its pure-Python packing, as without ``neo4j-rust-ext``: the driver
    imports ``neo4j._rust`` in a try block."""
    import importlib.abc

    class NoRust(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "neo4j._rust" or name.startswith("neo4j._rust."):
                raise ImportError(f"{name} blocked: measuring the pure-Python driver")
            return None

    assert "neo4j" not in sys.modules, "block the Rust extension before the driver is imported"
    sys.meta_path.insert(0, NoRust())


def queries(store) -> list[tuple[str, Callable[[int], Any]]]:
    """Every query the CLI and the explorer make, each over many inputs (call ``fn(i)`` for the i-th)."""
    from zhize.graph.model import NetworkFilter

    units = [u for w in ("公安", "财政", "民政", "教育", "商务", "卫生", "水利", "审计", "统计", "司法")
             for u in store.find_institutions(w, limit=3)]
    people = store.find_persons("", limit=40)
    groups = store.find_groups("", limit=40)
    docs = store.documents()
    years = sorted({int(d["date"][:4]) for d in docs if d.get("date")})
    jurisdictions = ["云南省", "昆明市", "红河州", "大理州", ""]
    assert units and people and groups, "the synthetic store has units, people and groups"

    def pick(seq, i):
        return seq[i % len(seq)]

    return [
        ("owners WORD (limit 50)", lambda i: store.owners(pick(TOPIC_WORDS, i), limit=50)),
        ("find_institutions", lambda i: store.find_institutions(pick(["公安", "财政厅", "局", "委"], i), limit=30)),
        ("institution", lambda i: store.institution(pick(units, i).id)),
        ("unit_tasks (all)", lambda i: store.unit_tasks(pick(units, i).id)),
        ("query unit (the CLI's page)", lambda i: unit_page(store, pick(units, i).id)),
        ("unit_groups", lambda i: store.unit_groups(pick(units, i).id)),
        ("unit_supervisors", lambda i: store.unit_supervisors(pick(units, i).id)),
        ("successions", lambda i: store.successions(pick(units, i).id)),
        ("find_persons", lambda i: store.find_persons(pick(["王", "李", "张", ""], i), limit=30)),
        ("person_profile", lambda i: store.person_profile(pick(people, i).id)),
        ("find_groups", lambda i: store.find_groups(pick(["领导小组", "反拐", ""], i), limit=50)),
        ("group_roster", lambda i: store.group_roster(pick(groups, i).id)),
        ("documents", lambda i: store.documents()),
        ("counts", lambda i: store.counts()),
        ("network (co_responsibility)", lambda i: store.co_responsibility(
            NetworkFilter(jurisdiction=pick(jurisdictions, i) or None))),
        ("network, one year", lambda i: store.co_responsibility(NetworkFilter(year=pick(years, i)))),
        ("role_counts", lambda i: store.role_counts(NetworkFilter(year=pick(years + [None], i)))),
    ]


def unit_page(store, unit_id: str):
    """What ``zhize query unit`` reads: a page of 50 and the count where the store can (else every task)."""
    if hasattr(store, "unit_tasks_page"):
        return store.unit_task_count(unit_id), store.unit_tasks_page(unit_id, limit=50)
    return store.unit_tasks(unit_id)


def percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def child(kind: str, n: int, repeat: int, naive: int) -> dict:
    """One store, one size, in this (fresh) process."""
    from bench_app import synth_facts

    from zhize.graph.build import build_graph

    out: dict[str, Any] = {"store": kind, "facts_asked": n, "rss_start_mb": rss_mb()}
    t = time.perf_counter()
    facts, res = synth_facts(n)
    out["facts"] = len(facts)
    out["rss_facts_mb"] = rss_mb()
    batch = build_graph(facts, [], res)
    out["build_s"] = time.perf_counter() - t
    out["rows"] = len(batch.nodes) + len(batch.rels)
    out["rss_batch_mb"] = rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_bench_store(kind, Path(tmp))
        try:
            store.clear()
            t = time.perf_counter()
            store.replace_sources(batch, fresh=True)
            out["load_s"] = time.perf_counter() - t
            out["peak_load_mb"] = peak_mb()
            before = store.counts()
            t = time.perf_counter()
            store.load(batch)
            out["reload_s"] = time.perf_counter() - t
            out["reload_changes_nothing"] = store.counts() == before
            if kind == "sqlite":
                out["bytes_per_fact"] = os.path.getsize(Path(tmp) / "graph.sqlite") / len(facts)
            out["queries"] = timed_queries(store, repeat)
            # the naive floor last: it writes facts the queries above must not see
            sample = facts[:naive]
            store.clear()
            t = time.perf_counter()
            for f in sample:
                store.load(build_graph([f], [], res))
            out["naive_facts_per_s"] = len(sample) / (time.perf_counter() - t)
        finally:
            store.clear()
            store.close()
    out["peak_mb"] = peak_mb()
    return out


def timed_queries(store, repeat: int) -> dict[str, dict[str, float]]:
    out = {}
    for i, (name, fn) in enumerate(queries(store)):
        fn(i)                                  # warm: the first call of each shape is not timed
        ms = []
        for k in range(repeat):
            t = time.perf_counter()
            fn(k)
            ms.append((time.perf_counter() - t) * 1000)
        out[name] = {"p50_ms": percentile(ms, 0.5), "p95_ms": percentile(ms, 0.95)}
    return out


def queries_on(db: Path, repeat: int) -> dict:
    """The queries alone, on a SQLite store already written (read-only)."""
    from zhize.graph.sqlite_store import SQLiteStore

    store = SQLiteStore(db, read_only=True)
    try:
        return {"store": "sqlite", "queries": timed_queries(store, repeat)}
    finally:
        store.close()


def interleaved(db: Path, rounds: int, repeat: int, commit: str) -> None:
    """This code's and ``commit``'s queries on one store, alternating for ``rounds`` rounds (the machine's
    load drifts; alternating shares it out), then the median of each query's p95 over the rounds."""
    import baseline

    got: dict[str, list[dict]] = {"after": [], "before": []}
    for _ in range(rounds):
        for which, env in (("after", None), ("before", baseline.env(commit))):
            done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--queries-on", str(db),
                                   "--repeat", str(repeat)], capture_output=True, text=True, env=env,
                                  cwd=tempfile.gettempdir())
            if done.returncode:
                sys.exit(f"queries on {db} ({which}): failed\n{done.stderr[-3000:]}")
            got[which].append(json.loads(done.stdout.strip().splitlines()[-1])["queries"])
    print(f"{db}: p95 ms, median of {rounds} alternating rounds of {repeat} calls; before = {commit}")
    print(f"  {'query':30} {'before':>9} {'after':>9} {'ratio':>6}")
    for name in got["after"][0]:
        if name not in got["before"][0]:
            continue
        b = statistics.median(r[name]["p95_ms"] for r in got["before"])
        a = statistics.median(r[name]["p95_ms"] for r in got["after"])
        print(f"  {name:30} {b:9.1f} {a:9.1f} {b / a if a >= 0.05 else float('nan'):6.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", help="ignored (bench/run.py passes its arguments to every benchmark)")
    ap.add_argument("--facts", type=int, nargs="+", default=[100_000])
    ap.add_argument("--stores", nargs="+", default=["sqlite", "neo4j"],
                    help="sqlite, neo4j, neo4j-pure (Neo4j through the driver without its Rust extension)")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--naive", type=int, default=300)
    ap.add_argument("--baseline", default=None, help="also run every load and query with this commit's code")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--child", nargs=2, metavar=("STORE", "N"), help=argparse.SUPPRESS)
    ap.add_argument("--queries-on", type=Path, metavar="DB", help=argparse.SUPPRESS)
    ap.add_argument("--interleave", type=Path, metavar="DB",
                    help="only the queries, on this SQLite store, this code and --baseline's alternating")
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    if a.queries_on:
        print(json.dumps(queries_on(a.queries_on, a.repeat), ensure_ascii=False))
        return
    if a.interleave:
        interleaved(a.interleave, a.rounds, a.repeat, a.baseline or "main")
        return
    if a.child:
        print(json.dumps(child(a.child[0], int(a.child[1]), a.repeat, a.naive), ensure_ascii=False))
        return
    results = []
    for n in a.facts:
        for kind in a.stores:
            if kind.startswith("neo4j"):
                srv = neo4j_server()
                try:
                    srv.project_server()
                except srv.Neo4jServerError as exc:
                    print(f"neo4j: skipped ({exc})")
                    continue
            for commit in ([None, a.baseline] if a.baseline else [None]):
                r = run_child(kind, n, a.repeat, a.naive, commit)
                results.append(r)
                report(r)
    if a.json:
        a.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    bad = [r for r in results if not r["reload_changes_nothing"]]
    if bad:
        sys.exit(f"a second load changed {len(bad)} store(s)")


def run_child(kind: str, n: int, repeat: int, naive: int, commit: str | None) -> dict:
    """``child`` in a fresh process, with this checkout's code or ``commit``'s (from a neutral folder, where
    ``python`` does not find the checkout's ``zhize/`` first)."""
    import baseline

    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", kind, str(n), "--repeat",
                           str(repeat), "--naive", str(naive)], capture_output=True, text=True,
                          env=baseline.env(commit) if commit else None, cwd=tempfile.gettempdir())
    if done.returncode:
        sys.exit(f"{kind} {n} ({commit or 'this checkout'}): failed\n{done.stderr[-3000:]}")
    r = json.loads(done.stdout.strip().splitlines()[-1])
    r["code"] = commit or "this checkout"
    return r


def report(r: dict) -> None:
    rate = r["facts"] / r["load_s"]
    print(f"\n{r['store']} [{r['code']}] {r['facts']:,} facts ({r['rows']:,} nodes+rels): built in {r['build_s']:.1f} s; "
          f"load {r['load_s']:.1f} s = {rate:,.0f} facts/s = {rate / r['naive_facts_per_s']:.0f}x the naive load "
          f"({r['naive_facts_per_s']:,.0f} facts/s); again {r['reload_s']:.1f} s, "
          f"{'changes nothing' if r['reload_changes_nothing'] else 'CHANGED THE COUNTS'}; peak {r['peak_mb']:.0f} MB "
          f"(facts {r['rss_facts_mb']:.0f}, batch {r['rss_batch_mb']:.0f} MB)"
          + (f"; {r['bytes_per_fact']:.0f} bytes a fact on disk" if "bytes_per_fact" in r else ""))
    for name, q in r["queries"].items():
        print(f"  {name:30} p50 {q['p50_ms']:8.1f} ms  p95 {q['p95_ms']:8.1f} ms")


if __name__ == "__main__":
    main()
