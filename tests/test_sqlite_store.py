"""What is particular to the embedded store: WAL, read-only opening, idempotent loads, FTS."""
from __future__ import annotations

import sqlite3
from collections import Counter

import pytest

from zhize.extract.entities import Resolution
from zhize.graph.build import build_graph
from zhize.graph.model import GraphBatch, Node, Rel
from zhize.graph.sqlite_store import SQLiteStore
from zhize.graph.stores import open_store
from graph_fixture import documents, facts, resolution


@pytest.fixture
def batch() -> GraphBatch:
    return build_graph(facts(), documents(), resolution())


@pytest.fixture
def path(tmp_path):
    return tmp_path / "graph.sqlite"


def _dump(store: SQLiteStore) -> tuple[list, list]:
    nodes = store.conn.execute("SELECT id, label, name, props FROM nodes ORDER BY id").fetchall()
    rels = store.conn.execute('SELECT start, type, "end", key, props FROM rels ORDER BY 1, 2, 3, 4').fetchall()
    return nodes, rels


def test_the_file_is_in_wal_mode(path, batch):
    store = SQLiteStore(path)
    store.load(batch)
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()
    assert SQLiteStore(path, read_only=True).conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_reader_is_not_blocked_and_sees_only_committed_loads(path, batch):
    writer = SQLiteStore(path)
    writer.load(batch)
    reader = SQLiteStore(path, read_only=True)
    before = reader.counts()["Document"]
    writer.conn.execute("BEGIN")
    writer.conn.execute("INSERT INTO nodes(id, label, name, props) VALUES ('doc:x', 'Document', 'x', '{}')")
    assert reader.counts()["Document"] == before          # not blocked, no half-written load
    writer.conn.execute("COMMIT")
    assert reader.counts()["Document"] == before + 1


def test_read_only_cannot_write(path, batch):
    SQLiteStore(path).load(batch)
    ro = SQLiteStore(path, read_only=True)
    with pytest.raises(PermissionError, match="read-only"):
        ro.load(batch)
    with pytest.raises(PermissionError, match="read-only"):
        ro.clear()
    with pytest.raises(sqlite3.OperationalError, match="readonly"):     # and SQLite itself would refuse
        ro.conn.execute("DELETE FROM nodes")
    assert ro.counts()["Task"] == 6


def test_read_only_needs_an_existing_file(path):
    with pytest.raises(FileNotFoundError, match="zhize ingest"):
        SQLiteStore(path, read_only=True)
    assert not path.exists()


def test_loading_twice_changes_nothing(path, batch):
    store = SQLiteStore(path)
    store.load(batch)
    first = _dump(store)
    store.load(build_graph(facts(), documents(), resolution()))
    assert _dump(store) == first
    assert store.conn.execute("SELECT count(*) FROM task_find").fetchone()[0] == 6


def test_a_reload_updates_props_and_keeps_what_it_does_not_name(path, batch):
    store = SQLiteStore(path)
    store.load(batch)
    gid = "group:云南省:反对拐卖人口工作省级联席会议"
    store.load(GraphBatch(nodes=[Node("Group", gid, {"name": "反对拐卖人口工作省级联席会议", "doc": "新文号"})]))
    assert store.find_groups("联席会议")[0].doc == "新文号"
    assert store.counts()["Group"] == 1 and store.counts()["MEMBER_OF"] == 4


def test_a_failed_load_leaves_the_store_as_it_was(path, batch):
    store = SQLiteStore(path)
    store.load(batch)
    before = _dump(store)
    # the nodes are written, then a relationship without a start node fails the batch
    broken = GraphBatch(nodes=[Node("Task", "task:new", {"text": "新任务", "search": "新任务"})],
                        rels=[Rel("IN", None, "task:new", "", {})])
    with pytest.raises(sqlite3.IntegrityError):
        store.load(broken)
    assert _dump(store) == before


def test_counts_match_the_facts(path, batch):
    store = SQLiteStore(path)
    store.load(batch)
    fs = facts()
    kinds = Counter(f.kind for f in fs)
    by_role = Counter(f.role for f in fs if f.kind == "duty")
    counts = store.counts()
    assert counts["Document"] == len(documents())
    assert counts["Task"] == counts["IN"] == len({(f.doc, f.task) for f in fs if f.kind == "duty"})
    assert (counts["LEADS"], counts["RESPONSIBLE_FOR"], counts["SUPPORTS"]) == (
        by_role["lead"], by_role["responsible"], by_role["support"])
    assert counts["MEMBER_OF"] == kinds["member"]
    assert counts["MEMBER_UNIT_OF"] + counts["OFFICE_AT"] == kinds["group_unit"]
    portfolio = ("IN_CHARGE_OF", "SUPERVISES", "LIAISES", "ASSISTS", "ACTING_FOR", "PARTNER_OF")
    assert sum(counts[t] for t in portfolio) == kinds["portfolio"]
    assert counts["SUCCEEDED_BY"] == 1


def test_two_character_words_fall_back_to_a_scan_and_longer_ones_use_the_index(path, batch):
    store = SQLiteStore(path)
    store.load(batch)
    hits = store.conn.execute("SELECT count(*) FROM task_find WHERE task_find MATCH '\"妇女儿童\"'").fetchone()[0]
    assert hits == 2
    assert len(store.owners("妇女儿童")) == 2            # 4 characters: trigram index
    assert len(store.owners("拐卖妇")) == 1               # exactly 3
    assert len(store.owners("宣传")) == 1                 # 2 characters: below a trigram
    assert len(store.owners("拐")) == 4                   # 1 character: three tasks print it, one notice's title
    assert store.owners("  ") == []


def test_a_store_from_before_the_find_index_is_searched_and_upgraded_by_its_first_writer(path, batch):
    store = SQLiteStore(path)
    store.load(batch)
    expected = store.owners("反拐 宣传")
    store.conn.execute("DROP TABLE task_find")
    store.conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    store.close()
    reader = SQLiteStore(path, read_only=True)
    assert reader.owners("反拐 宣传") == expected and reader.owners("宣传，反拐") == expected
    reader.close()
    writer = SQLiteStore(path)
    assert writer.conn.execute("SELECT count(*) FROM task_find").fetchone()[0] == writer.counts()["Task"]
    assert writer.owners("反拐 宣传") == expected


def test_words_are_cut_by_spaces_punctuation_and_jieba_and_all_must_match(path, batch):
    store = SQLiteStore(path)
    store.load(batch)
    assert [a.task for a in store.owners("反拐宣传教育")] == ["加强反拐宣传教育。"]
    assert [a.task for a in store.owners("\u3000反拐\u3000通报 ")] == ["建立反拐工作信息通报制度。"]
    assert [a.task for a in store.owners("信息通报、反拐")] == ["建立反拐工作信息通报制度。"]


def test_unresolved_facts_still_load_by_printed_name(path):
    store = SQLiteStore(path)
    store.load(build_graph(facts(), documents(), Resolution()))
    police = store.institution("inst:云南省:省公安厅")
    assert (police.name, police.kind, police.jurisdiction) == ("省公安厅", "unresolved", "云南省")
    assert store.institution("inst:云南省:有关部门").kind == "generic"
    (task,) = store.owners("反拐 宣传")
    assert [u.id for u in task.responsible] == ["inst:云南省:省委宣传部", "inst:云南省:省教育厅"]
    assert store.successions("inst:云南省:省卫生健康委") == []


def test_default_path_is_the_project_folder_unless_zhize_db_is_set(tmp_path, monkeypatch):
    monkeypatch.delenv("ZHIZE_DB", raising=False)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.chdir(tmp_path)
    store = open_store()
    assert isinstance(store, SQLiteStore) and store.path == tmp_path / ".zhize" / "graph.sqlite"
    monkeypatch.setenv("ZHIZE_DB", str(tmp_path / "elsewhere.sqlite"))
    assert SQLiteStore().path == tmp_path / "elsewhere.sqlite"
    assert open_store(str(tmp_path / "x.sqlite")).path == tmp_path / "x.sqlite"


def test_clear_empties_the_store(path, batch):
    store = SQLiteStore(path)
    store.load(batch)
    store.clear()
    assert set(store.counts().values()) == {0}
    assert store.owners("反拐") == []
