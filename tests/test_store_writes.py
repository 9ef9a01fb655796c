"""The write contract of every store (``GraphStore.replace_sources``): what a file's facts become when the
file changes, repeats, moves or goes, and that nothing else is touched.  Both stores, same assertions."""
from __future__ import annotations

import pytest

from zhize.graph.model import GraphBatch, Node, Rel, SourceInfo
from source_facts import ISSUER, batch, notice, sha

ANTI = notice("云政办发〔2024〕5号", "云南省人民政府办公厅关于加强反拐工作的通知",
              "加强街面巡查。（省公安厅牵头，省民政厅、省妇联配合）",
              "做好救助安置。（省民政厅负责，省公安厅配合）",
              "开展反拐宣传。（省委宣传部负责，省教育厅配合）")
# the same file after an edit: clause 1 changed, task 2 reworded, task 3 deleted
ANTI_EDITED = notice("云政办发〔2024〕5号", "云南省人民政府办公厅关于加强反拐工作的通知",
                     "加强街面巡查。（省公安厅牵头，省司法厅、省妇联配合）",
                     "做好被救助人员安置。（省民政厅负责，省公安厅配合）")
# the same notice reposted: other bytes (a source line added), the same document
REPOST = ANTI + "（来源：云南省人民政府网站）\n"
RELICS = notice("云政办发〔2024〕9号", "云南省人民政府办公厅关于加强文物安全的通知",
                "开展文物安全检查。（省文化和旅游厅牵头，省公安厅配合）", date="2024-05-10")

Y = "inst:云南省:"


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def empty(request, tmp_path):
    """An empty store of each kind; a second one of the same kind comes from ``request.getfixturevalue``."""
    if request.param == "sqlite":
        from zhize.graph.sqlite_store import SQLiteStore

        s = SQLiteStore(tmp_path / "graph.sqlite")
        yield s
        s.close()
    else:
        yield request.getfixturevalue("neo4j_store")       # cleared and closed by that fixture


def answers(store) -> dict:
    """Everything a user can ask the store about these notices."""
    units = sorted(i.id for i in store.find_institutions("", 1000))
    return {
        "counts": store.counts(),
        "documents": store.documents(),
        "owners": [t for d in store.documents() for t in store.document_tasks(d["doc"])],
        "units": store.institutions(units),
        "tasks": {u: store.unit_tasks(u) for u in units},
        "network": store.co_responsibility(),
        "roles": store.role_counts(),
    }


def reference(store, *files) -> dict:
    """What the same store answers when it is loaded with just ``files``, from empty."""
    store.replace_sources(batch(*files), fresh=True)
    return answers(store)


def owners(store, words: str) -> list[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
    return [(o.task, tuple(u.mention for u in o.lead), tuple(u.mention for u in o.responsible),
             tuple(u.mention for u in o.support)) for o in store.owners(words)]


def test_a_changed_file_keeps_none_of_its_old_facts(empty):
    empty.load(batch(("anti.txt", ANTI), ("relics.txt", RELICS)))
    relics_before = owners(empty, "文物")
    empty.replace_sources(batch(("anti.txt", ANTI_EDITED)), [sha("anti.txt", ANTI), sha("anti.txt", ANTI_EDITED)])
    assert owners(empty, "巡查") == [("加强街面巡查。", ("省公安厅",), (), ("省司法厅", "省妇联"))]   # not 民政厅
    assert owners(empty, "安置") == [("做好被救助人员安置。", (), ("省民政厅",), ("省公安厅",))]     # once, reworded
    assert owners(empty, "宣传") == []                                                            # deleted
    assert owners(empty, "文物") == relics_before                                                # other file whole
    assert empty.institution(Y + "省教育厅") is None          # named only by the deleted clause
    after = answers(empty)
    assert after == reference(empty, ("anti.txt", ANTI_EDITED), ("relics.txt", RELICS))


def test_the_same_notice_in_two_files_is_one_document_with_two_provenances(empty):
    single = reference(empty, ("anti.txt", ANTI))
    empty.replace_sources(batch(("anti.txt", ANTI), ("repost.txt", REPOST)), fresh=True)
    (doc,) = empty.documents()
    assert (doc["doc"], doc["file"], doc["files"]) == ("云政办发〔2024〕5号", "anti.txt", ["anti.txt", "repost.txt"])
    twice = answers(empty)
    for what in ("owners", "network", "roles"):                # counted once, not twice
        assert twice[what] == single[what], what
    assert twice["counts"]["Task"] == single["counts"]["Task"] == 3
    assert twice["counts"]["LEADS"] == 2 * single["counts"]["LEADS"]       # one provenance per file
    assert {t.task_id for t in twice["tasks"][Y + "省公安厅"]} == {t.task_id for t in single["tasks"][Y + "省公安厅"]}
    police = {i.id: i for i in twice["units"]}[Y + "省公安厅"]
    assert police.mentions == 2 * {i.id: i for i in single["units"]}[Y + "省公安厅"].mentions   # printed twice
    empty.replace_sources(GraphBatch(), [sha("repost.txt", REPOST)])       # the repost goes: as if never loaded
    assert answers(empty) == single


def test_two_files_of_one_name_in_two_folders_stay_apart(empty):
    empty.load(batch(("notice.txt", ANTI), folder="/data/2024"))
    empty.load(batch(("notice.txt", RELICS), folder="/data/relics"))
    assert [(d["doc"], d["file"]) for d in empty.documents()] == [("云政办发〔2024〕5号", "notice.txt"),
                                                                   ("云政办发〔2024〕9号", "notice.txt")]
    assert [(s.path, s.documents) for s in empty.sources()] == [
        ("/data/2024/notice.txt", ("云政办发〔2024〕5号",)), ("/data/relics/notice.txt", ("云政办发〔2024〕9号",))]
    assert [o.task for o in empty.owners("检查")] == ["开展文物安全检查。"]


def test_mentions_add_up_over_separate_loads(empty):
    together = reference(empty, ("anti.txt", ANTI), ("relics.txt", RELICS))
    empty.clear()
    empty.load(batch(("anti.txt", ANTI)))
    empty.load(batch(("relics.txt", RELICS)))                  # a second ingest does not reset the counts
    assert answers(empty)["units"] == together["units"]
    police = empty.institution(Y + "省公安厅")
    assert police.mentions == 3                                # 2 clauses of one file, 1 of the other
    empty.replace_sources(GraphBatch(), [sha("relics.txt", RELICS)])
    assert empty.institution(Y + "省公安厅").mentions == 2


def test_an_alias_printed_only_in_a_removed_file_goes_with_it(empty):
    variant = ANTI.replace("（省民政厅负责，省公安厅配合）", "（民政厅负责，省公安厅配合）")
    resolved = batch(("anti.txt", ANTI), ("variant.txt", variant))
    # 民政厅 is resolved to the same institution, as the resolver would
    rels = [Rel(r.type, Y + "省民政厅" if r.start == Y + "民政厅" else r.start, r.end, r.key, r.props, r.sources)
            for r in resolved.rels]
    nodes = [n for n in resolved.nodes if n.id != Y + "民政厅"]
    ministry = next(n for n in nodes if n.id == Y + "省民政厅")
    extra = [f"{sha('variant.txt', variant)}:民政厅"]
    nodes = [Node(n.label, n.id, {**n.props, "alias_sources": sorted(n.props["alias_sources"] + extra)}, n.sources)
             if n is ministry else n for n in nodes]
    empty.load(GraphBatch(nodes=nodes, rels=rels))
    assert "民政厅" in empty.institution(Y + "省民政厅").aliases
    assert [i.id for i in empty.find_institutions("民政厅")][:1] == [Y + "省民政厅"]
    empty.replace_sources(GraphBatch(), [sha("variant.txt", variant)])
    assert empty.institution(Y + "省民政厅").aliases == ("云南省民政厅", "省民政厅")


def test_a_failed_replace_or_fresh_leaves_the_store_as_it_was(empty):
    empty.load(batch(("anti.txt", ANTI), ("relics.txt", RELICS)))
    before = answers(empty)
    broken = batch(("anti.txt", ANTI_EDITED))
    broken.rels.append(Rel("SUPPORTS", Y + "省不存在厅", "task:nowhere", "x", {"doc": "x"}))
    for fresh in (False, True):
        with pytest.raises(Exception):
            empty.replace_sources(broken, [sha("anti.txt", ANTI)], fresh=fresh)
        assert answers(empty) == before


def test_fresh_replaces_everything_in_one_write(empty):
    empty.load(batch(("anti.txt", ANTI)))
    empty.replace_sources(batch(("relics.txt", RELICS)), fresh=True)
    assert [d["doc"] for d in empty.documents()] == ["云政办发〔2024〕9号"]
    assert [s.file for s in empty.sources()] == ["relics.txt"]
    assert answers(empty) == reference(empty, ("relics.txt", RELICS))


def test_sources_say_which_files_the_store_holds(empty):
    assert empty.sources() == []
    empty.load(batch(("relics.txt", RELICS), ("anti.txt", ANTI)))
    data = ANTI.encode("utf-8")
    assert empty.sources()[0] == SourceInfo(sha256=sha("anti.txt", ANTI), file="anti.txt", path="/data/anti.txt",
                                            size=len(data), documents=("云政办发〔2024〕5号",))
    assert [s.file for s in empty.sources()] == ["anti.txt", "relics.txt"]


def test_items_loaded_without_sources_stay_until_a_clear(empty):
    empty.load(batch(("anti.txt", ANTI)))
    empty.load(GraphBatch(nodes=[Node("Institution", Y + "省审计厅", {"name": "云南省审计厅", "kind": "department"})]))
    empty.replace_sources(GraphBatch(), [sha("anti.txt", ANTI)])
    assert empty.institution(Y + "省审计厅") is not None
    assert empty.counts()["Document"] == 0
    empty.clear()
    assert empty.institution(Y + "省审计厅") is None


# --- Neo4j: a database shared with other data ---------------------------------------------------

@pytest.mark.neo4j
def test_neo4j_never_reads_counts_or_deletes_nodes_that_are_not_zhizes(neo4j_store):
    def run(q: str) -> list:
        return neo4j_store.driver.execute_query(q).records

    run("CREATE (p:UserProject {id: 'mine', name: '我的项目'})-[:OWNS]->(t:Task {id: 'task:user', "
        "text: '用户自己的反拐任务', search: '用户自己的反拐任务'}), "
        "(:Institution {id: 'inst:云南省:省公安厅', name: 'a user node with one of our ids'})")
    try:
        neo4j_store.load(batch(("anti.txt", ANTI)))
        counts = neo4j_store.counts()
        assert counts["Task"] == 3 and counts["Institution"] == 5 and "UserProject" not in counts
        assert "OWNS" not in counts
        assert neo4j_store.owners("用户") == [] and neo4j_store.find_institutions("user node") == []
        assert neo4j_store.institution(Y + "省公安厅").name == "云南省公安厅"
        neo4j_store.replace_sources(batch(("relics.txt", RELICS)), fresh=True)
        neo4j_store.replace_sources(GraphBatch(), [sha("relics.txt", RELICS)])
        neo4j_store.clear()
        assert set(neo4j_store.counts().values()) == {0}
        left = run("MATCH (n) WHERE NOT n:Zhize RETURN labels(n) AS l, n.id AS id ORDER BY id")
        assert [(r["l"], r["id"]) for r in left] == [(["Institution"], "inst:云南省:省公安厅"),
                                                     (["UserProject"], "mine"), (["Task"], "task:user")]
        assert run("MATCH (:UserProject)-[r:OWNS]->(:Task) RETURN count(r) AS n")[0]["n"] == 1
    finally:
        run("MATCH (n) WHERE n.id IN ['mine', 'task:user', 'inst:云南省:省公安厅'] AND NOT n:Zhize DETACH DELETE n")


@pytest.mark.neo4j
def test_neo4j_adopts_a_store_an_older_zhize_wrote(neo4j_store):
    from zhize.graph.neo4j_store import Neo4jStore

    def run(q: str) -> list:
        return neo4j_store.driver.execute_query(q).records

    run("CREATE CONSTRAINT zhize_task_id IF NOT EXISTS FOR (n:Task) REQUIRE n.id IS UNIQUE")
    run("CREATE (:Task {id: 'task:old', text: '旧任务', search: '旧任务'})")
    writer = Neo4jStore(neo4j_store.uri)
    try:
        assert run("MATCH (t:Task {id: 'task:old'}) RETURN t:Zhize AS ours")[0]["ours"] is True
        names = {r["name"] for r in run("SHOW CONSTRAINTS YIELD name")}
        assert "zhize_task_id" not in names and "zhize_node_id" in names
        assert writer.counts()["Task"] == 1
    finally:
        writer.close()
