"""Loading into Neo4j: idempotent, batched, one transaction per batch, values only as parameters."""
from __future__ import annotations

from pathlib import Path

import pytest

from zhize.graph.build import build_graph
from zhize.graph.model import GraphBatch, NetworkFilter, Node, Rel
from graph_fixture import SAFETY, documents, facts, resolution

pytestmark = pytest.mark.neo4j

POLICE = "inst:云南省:省公安厅"


@pytest.fixture
def batch() -> GraphBatch:
    return build_graph(facts(), documents(), resolution())


def test_loading_the_same_batch_twice_changes_nothing(neo4j_store, batch):
    neo4j_store.load(batch)
    counts = neo4j_store.counts()
    owners = neo4j_store.owners("反拐")
    assert counts["Institution"] == 13 and counts["SUPPORTS"] == 9
    neo4j_store.load(batch)
    assert neo4j_store.counts() == counts
    assert neo4j_store.owners("反拐") == owners


def test_a_reload_updates_props_in_place(neo4j_store, batch):
    neo4j_store.load(batch)
    before = neo4j_store.institution(POLICE)
    police = next(n for n in batch.nodes if n.id == POLICE)
    neo4j_store.load(GraphBatch(nodes=[Node("Institution", POLICE, {**police.props, "level": "central",
                                                                    "mentions": 99})]))
    after = neo4j_store.institution(POLICE)
    assert after.level == "central"
    assert after.mentions == before.mentions == 5          # the store counts what names it; a load cannot set it
    assert (after.name, after.aliases, after.kind) == (before.name, before.aliases, before.kind)
    assert neo4j_store.counts()["Institution"] == 13


def test_relationships_may_come_in_a_later_batch(neo4j_store, batch):
    neo4j_store.load(GraphBatch(nodes=batch.nodes))
    assert neo4j_store.owners("反拐") == []                # tasks without duty relationships are no answer
    neo4j_store.load(GraphBatch(rels=batch.rels))
    assert [o.task for o in neo4j_store.owners("反拐宣传")] == ["加强反拐宣传教育。"]


def test_a_batch_pointing_at_an_unknown_node_fails_whole(neo4j_store, batch):
    neo4j_store.load(batch)
    counts = neo4j_store.counts()
    extra_unit = Node("Institution", "inst:云南省:省审计厅", {"name": "云南省审计厅", "kind": "department"})
    bad = Rel("SUPPORTS", "inst:云南省:省不存在厅", "task:nope", "", {"doc": SAFETY})
    with pytest.raises(ValueError, match="省不存在厅"):
        neo4j_store.load(GraphBatch(nodes=[extra_unit], rels=[bad]))
    assert neo4j_store.counts() == counts                  # the node of the failed batch is not there either
    assert neo4j_store.institution("inst:云南省:省审计厅") is None


def test_thousands_of_rows_load_in_batches_of_one_transaction(neo4j_store):
    doc = Node("Document", "doc:big", {"doc": "云政发〔2024〕1号", "title": "任务清单", "file": "big.txt", "start": 0})
    tasks = [Node("Task", f"task:{i:05d}", {"text": f"第{i}项任务。", "search": f"第{i}项任务。",
                                            "doc": "云政发〔2024〕1号", "doc_id": "doc:big"}) for i in range(1200)]
    ins = [Rel("IN", t.id, doc.id, "", {"doc": "云政发〔2024〕1号"}) for t in tasks]
    neo4j_store.load(GraphBatch(nodes=[doc, *tasks], rels=ins))
    neo4j_store.load(GraphBatch(nodes=[doc, *tasks], rels=ins))
    counts = neo4j_store.counts()
    assert (counts["Task"], counts["Document"], counts["IN"]) == (1200, 1, 1200)


def test_query_text_is_data_never_cypher(neo4j_store, batch):
    neo4j_store.load(batch)
    counts = neo4j_store.counts()
    hostile = "公安' OR 1=1 WITH 1 AS x MATCH (n) DETACH DELETE n //"
    assert neo4j_store.find_institutions(hostile) == []
    assert neo4j_store.owners(hostile) == []
    assert neo4j_store.find_persons("\"}) DETACH DELETE n //") == []
    assert neo4j_store.counts() == counts


def test_labels_outside_the_model_are_refused(neo4j_store):
    with pytest.raises(ValueError, match="unknown node label"):
        neo4j_store.load(GraphBatch(nodes=[Node("Institution`) DETACH DELETE (n", "x", {})]))


def test_schema_is_one_uniqueness_constraint_on_zhize_ids_and_the_task_fulltext_index(neo4j_store):
    rows = neo4j_store.driver.execute_query(
        "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
        "RETURN name, type, labelsOrTypes[0] AS label, properties"
    ).records
    zhize = [(r["name"], r["type"], r["label"], r["properties"]) for r in rows if r["name"].startswith("zhize_")]
    # one for every node zhize writes, none on a label a user's own data may share (Task, Document …)
    assert zhize == [("zhize_node_id", "UNIQUENESS", "Zhize", ["id"])]
    idx = neo4j_store.driver.execute_query(
        "SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, properties, state").records
    assert [(r["name"], r["labelsOrTypes"], r["properties"], r["state"]) for r in idx
            if r["name"].startswith("zhize_")] == [("zhize_task_find", ["Task"], ["find"], "ONLINE")]


SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.mark.corpus
def test_neo4j_answers_like_sqlite_on_the_real_corpus(neo4j_store, tmp_path):
    """The contract fixture is small; the corpus has hundreds of units, tasks, rosters and successions."""
    corpus = sorted(str(p) for p in (SHARED / "corpus").glob("*.txt"))
    if not corpus:
        pytest.skip(f"no corpus at {SHARED / 'corpus'} (../shared is not part of the repository)")
    from zhize.graph.sqlite_store import SQLiteStore
    from zhize.pipeline import Pipeline

    batch = Pipeline(build=True).run(corpus).batch
    sqlite = SQLiteStore(tmp_path / "graph.sqlite")
    sqlite.load(batch)
    neo4j_store.load(batch)

    def same(method: str, *args) -> None:
        assert getattr(neo4j_store, method)(*args) == getattr(sqlite, method)(*args), (method, args)

    same("counts")
    same("documents")
    units = [i.id for i in sqlite.find_institutions("", 10_000)]
    assert len(units) > 50
    lineage = {s.predecessor for u in units for s in sqlite.successions(u)}
    for u in sorted(set(units[::6]) | lineage):           # a sixth of the units, and every one with a lineage
        same("unit_tasks", u)
        same("unit_tasks", u, "support", False)
        same("unit_groups", u)
        same("unit_supervisors", u)
        same("successions", u)
        same("find_institutions", sqlite.institution(u).name[:3])
    same("institutions", units[::3] + ["inst:nowhere"])
    for p in sqlite.find_persons("", 10_000):
        same("person_profile", p.id)
    for g in sqlite.find_groups("", 1_000):
        same("group_roster", g.id)
    tasks = [t for d in sqlite.documents() for t in sqlite.document_tasks(d["doc"])]
    assert len(tasks) > 100
    for t in tasks[::12]:
        same("owners", t.task[1:4], 1_000)
        same("owners", f"{t.task[:2]} {t.task[-3:]}", 1_000)
    same("co_responsibility", NetworkFilter())
    same("co_responsibility", NetworkFilter(roles=("lead", "support")))
    for d in sqlite.documents()[::3]:
        same("co_responsibility", NetworkFilter(doc=d["doc"]))
    sqlite.close()


def test_a_read_only_store_writes_nothing_not_even_the_schema(neo4j_store, batch):
    from zhize.graph.stores import open_store

    neo4j_store.load(batch)
    neo4j_store.driver.execute_query("DROP INDEX zhize_task_find")
    uri = neo4j_store.uri
    reader = open_store(uri, read_only=True)
    try:
        names = {r["name"] for r in reader.driver.execute_query("SHOW INDEXES YIELD name").records}
        assert "zhize_task_find" not in names                        # a writer would have created it
        assert reader.counts() == neo4j_store.counts()
        assert reader.owners("反拐") == neo4j_store.owners("反拐")      # searched without the index
        assert [a.task for a in reader.owners("反拐宣传")] == ["加强反拐宣传教育。"]
        with pytest.raises(PermissionError):
            reader.load(batch)
        with pytest.raises(PermissionError):
            reader.clear()
        with reader._session() as session, pytest.raises(Exception, match="read access mode"):
            session.run("CREATE (:Task {id: 'task:written-anyway'})").consume()
    finally:
        reader.close()
        neo4j_store._ensure_schema()
    assert neo4j_store.counts()["Task"] == 6
