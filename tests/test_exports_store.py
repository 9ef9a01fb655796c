"""What a store holds, exported from either backend: RDF that round-trips, SPARQL giving the CLI's rows,
graph files with the network's counts; and on the shared bulletins, where ownership is unclear."""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from rdflib import Graph
from typer.testing import CliRunner

from zhize.cli import app
from zhize.graph.frames import Tables
from zhize.graph.semantics import squeeze
from zhize.graph.stores import describe

SPARQL = Path(__file__).resolve().parents[1] / "docs" / "sparql"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@pytest.fixture(autouse=True)
def _own_store_only(monkeypatch):
    """Each command names its store; none falls back on a store from the shell's environment."""
    monkeypatch.delenv("ZHIZE_DB", raising=False)
    monkeypatch.delenv("NEO4J_URI", raising=False)


def store_options(store) -> list[str]:
    kind, location = describe(store)
    return ["--neo4j", location] if kind == "neo4j" else ["--db", location]


def zhize(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def reference_batch():
    from graph_fixture import documents, facts, resolution

    from zhize.graph.build import build_graph
    return build_graph(facts(), documents(), resolution())


def test_the_store_gives_back_every_fact_it_was_loaded_with(store):
    stored, loaded = Tables.of_batch(store.batch()), Tables.of_batch(reference_batch())
    for name in ("duties", "tasks", "memberships", "successions"):
        pd.testing.assert_frame_equal(getattr(stored, name), getattr(loaded, name), check_dtype=False, obj=name)
    keys = lambda b: sorted((r.type, r.start, r.end, r.key) for r in b.rels)  # noqa: E731
    assert keys(store.batch()) == keys(reference_batch())


def test_the_turtle_export_of_a_store_round_trips(store, tmp_path):
    from zhize.graph.rdf import to_graph

    out = tmp_path / "store.ttl"
    zhize("export", str(out), *store_options(store))
    g = Graph().parse(out, format="turtle")
    again = Graph().parse(data=g.serialize(format="turtle"), format="turtle")
    assert len(g) > 0 and set(again) == set(g)
    assert set(g) == set(to_graph(reference_batch()))          # no blank nodes: equal triple sets


def _sparql(g: Graph, name: str) -> list[tuple[str, ...]]:
    return [tuple(str(v) for v in row) for row in g.query((SPARQL / name).read_text(encoding="utf-8"))]


def _same_rows_as_the_cli(store_args: list[str], ttl: Path) -> None:
    g = Graph().parse(ttl, format="turtle")
    ranking = json.loads(zhize("query", "ranking", "--by", "lead", "--limit", "100000", "--json", *store_args))
    assert ranking, "some unit leads"
    assert _sparql(g, "units-that-lead-most.rq") == [(r["unit_id"], r["name"], str(r["lead"])) for r in ranking]
    groups = json.loads(zhize("query", "groups", "云南省公安厅", "--json", *store_args))["groups"]
    assert groups, "云南省公安厅 sits in a group"
    assert _sparql(g, "groups-of-a-unit.rq") == [(g["group"], g["relation"], g["doc"]) for g in groups]


def test_the_sparql_examples_give_the_cli_rows(store, tmp_path):
    out = tmp_path / "store.ttl"
    zhize("export", str(out), *store_options(store))
    _same_rows_as_the_cli(store_options(store), out)


@pytest.mark.parametrize("kind", ["co_responsibility", "lead_support", "person_group"])
def test_graph_files_of_a_store_have_its_network_counts(store, tmp_path, kind):
    expected = store.to_networkx(kind)
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        out = tmp_path / f"net.{fmt}"
        zhize("export", str(out), "--kind", kind, *store_options(store))
        back = read(out)
        assert (back.number_of_nodes(), back.number_of_edges()) == (expected.number_of_nodes(),
                                                                    expected.number_of_edges()), fmt
        assert expected.number_of_nodes() > 0


def test_the_co_responsibility_network_is_the_stores_own_answer(store):
    g = store.to_networkx("co_responsibility")
    pairs = {frozenset((e.a, e.b)): e.weight for e in store.co_responsibility()}
    assert {frozenset((a, b)): w for a, b, w in g.edges(data="weight")} == pairs


def test_export_says_what_it_wrote_and_refuses_what_it_cannot(store, tmp_path):
    out = tmp_path / "net.csv"
    result = CliRunner().invoke(app, ["export", str(out), "--leave-out", "collective", *store_options(store)])
    assert result.exit_code == 0 and "-nodes.csv" in result.stderr and "edges" in result.stderr
    bad = CliRunner().invoke(app, ["export", str(tmp_path / "x.ttl"), "--years", "2021", *store_options(store)])
    assert bad.exit_code == 2 and "whole graph" in bad.stderr
    old = CliRunner().invoke(app, ["export", "rdf", str(tmp_path / "x.ttl"), "notice.txt"])
    assert old.exit_code == 2 and "--from" in old.stderr
    unknown = CliRunner().invoke(app, ["export", str(tmp_path / "x.graphml"), "--leave-out", "big",
                                       *store_options(store)])
    assert unknown.exit_code == 2 and "--leave-out big" in unknown.stderr


# --- the shared bulletins ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bulletins(tmp_path_factory):
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not beside the repository ({CORPUS})")
    import zhize
    path = tmp_path_factory.mktemp("bulletins") / "graph.sqlite"
    zhize.open_store(path, ingest=sorted(CORPUS.glob("*.txt"))).close()
    return path


def test_insights_on_the_shared_bulletins_list_every_kind_with_evidence(bulletins):
    from zhize.graph.insights import KINDS

    answer = json.loads(zhize("insights", "--json", "--db", str(bulletins)))
    assert list(answer["counts"]) == list(KINDS)
    texts = {p.name: p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")}
    for f in answer["findings"]:
        assert f["evidence"], f
        for p in f["evidence"]:
            # the quote is the clause as read (a line broken by the layout, joined again)
            assert squeeze(texts[p["file"]][p["start"]:p["end"]]) == squeeze(p["quote"])
    found = {k for k, n in answer["counts"].items() if n}
    assert {"no_lead", "several_leads", "only_supports"} <= found
    shown = zhize("insights", "--db", str(bulletins))
    for k in KINDS:
        assert f"{answer['counts'][k]}" in shown


def test_the_sparql_examples_give_the_cli_rows_on_the_bulletins(bulletins, tmp_path):
    out = tmp_path / "bulletins.ttl"
    zhize("export", str(out), "--db", str(bulletins))
    _same_rows_as_the_cli(["--db", str(bulletins)], out)
