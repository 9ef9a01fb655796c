"""Writing a store: rebuilding it (``--fresh``) against replacing one changed file, side by side, both stores.

    .venv/bin/python bench/bench_store.py [--facts N]

~N synthetic facts shaped like the notices (``bench_app.synth_facts``: one file per jurisdiction
and year, about 60 files) go through ``replace_sources`` as ``zhize ingest`` writes them: into an
empty store, again over themselves (``--fresh`` of an unchanged corpus), then one file replaced
(an edited file re-ingested) and one removed (``zhize remove``).  Every write is one transaction
(Neo4j: in parts past ``TX_ROWS`` rows, reported).  Neo4j runs only against the project's own
server (``zhize neo4j start``), whose zhize data it clears.  The ratio is what incremental ingest
saves: one file's write against the whole store's.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_app import synth_facts  # noqa: E402

from zhize.graph.build import build_graph  # noqa: E402
from zhize.graph.model import GraphBatch  # noqa: E402


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def run(store, batch: GraphBatch, one: GraphBatch) -> dict[str, float]:
    (sha,) = one.source_ids()
    out = {"into empty": timed(lambda: store.replace_sources(batch, fresh=True))}
    out["rebuild (--fresh)"] = timed(lambda: store.replace_sources(batch, fresh=True))
    out["replace one file"] = timed(lambda: store.replace_sources(one, [sha]))
    out["remove one file"] = timed(lambda: store.replace_sources(GraphBatch(), [sha]))
    return out


def stores(tmp: Path):
    from zhize.graph.sqlite_store import SQLiteStore

    yield "sqlite", SQLiteStore(tmp / "graph.sqlite")
    from zhize import neo4j_server as srv
    try:
        st = srv.project_server()
    except srv.Neo4jServerError as exc:
        print(f"neo4j: skipped ({exc})")
        return
    from zhize.graph.neo4j_store import Neo4jStore
    yield "neo4j", Neo4jStore(st.uri)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", help="ignored (bench/run.py passes its arguments to every benchmark)")
    ap.add_argument("--facts", type=int, default=10_000)
    a = ap.parse_args()
    facts, res = synth_facts(a.facts)
    by_file = defaultdict(list)
    for f in facts:
        by_file[f.source.file].append(f)
    biggest = max(by_file, key=lambda k: len(by_file[k]))
    batch = build_graph(facts, [], res)
    one = build_graph(by_file[biggest], [], res)
    rows = len(batch.nodes) + len(batch.rels)
    print(f"{len(facts)} facts in {len(by_file)} files: {rows} nodes and relationships; the replaced file "
          f"has {len(by_file[biggest])} facts ({len(one.nodes) + len(one.rels)} rows)")
    with tempfile.TemporaryDirectory() as tmp:
        for name, store in stores(Path(tmp)):
            try:
                if name == "neo4j":
                    from zhize.graph import neo4j_writer
                    if rows > neo4j_writer.TX_ROWS:
                        print(f"neo4j: {rows} rows > TX_ROWS {neo4j_writer.TX_ROWS}: written in parts")
                t = run(store, batch, one)
            finally:
                store.clear()
                store.close()
            cells = "  ".join(f"{k} {v:6.2f} s" for k, v in t.items())
            print(f"{name:7s} {cells}  replace/rebuild {t['replace one file'] / t['rebuild (--fresh)']:.3f}")


if __name__ == "__main__":
    main()
