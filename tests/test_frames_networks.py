"""The store's facts as tables and networks, and the files other tools read (tests/analysis_fixture.py)."""
from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest
from analysis_fixture import GROUP, NEW, OLD, name, uid

from zhize.graph import exports, networks
from zhize.graph.frames import Selection, Tables
from zhize.graph.model import CoEdge
from zhize.graph.semantics import co_edges


@pytest.fixture(scope="module")
def batch():
    from analysis_fixture import batch
    return batch()


@pytest.fixture(scope="module")
def everything(batch):
    return Tables.of_batch(batch)


def test_one_row_per_duty_with_its_printed_evidence(everything):
    d = everything.duties
    assert len(d) == 19          # 5 in 2016, 14 in 2022
    row = d[(d["task"] == "开展安全生产大检查。") & (d["role"] == "lead")].iloc[0]
    assert (row["unit"], row["doc"], row["year"], row["evidence"]) == (
        name("省安全监管局"), NEW, 2022, "（省安全监管局牵头，各州、市人民政府配合）")


def test_tasks_list_their_units_by_role(everything):
    t = everything.tasks.set_index("task")
    row = t.loc["推进文化旅游融合发展。"]
    assert (row["n_lead"], row["lead"], row["support"]) == (2, "云南省文化和旅游厅、云南省发展和改革委员会",
                                                          name("省通信管理局"))
    assert len(t) == 9


def test_units_count_distinct_tasks_per_role(everything):
    u = everything.units.set_index("unit_id")
    assert tuple(u.loc[uid("省公安厅"), ["lead", "responsible", "support", "tasks"]]) == (1, 0, 3, 4)
    assert u.loc[uid("省应急厅"), "tasks"] == 0          # known from the reform only


def test_memberships_hold_seats_and_member_units(everything):
    m = everything.memberships
    assert set(zip(m["member"], m["role"])) == {("李四", "deputy"), (name("省公安厅"), "member_unit"),
                                                (name("省民政厅"), "member_unit"), (name("省妇联"), "member_unit")}
    assert set(m["group"]) == {GROUP}


def test_selections_narrow_every_table(everything):
    old = everything.select(years=2016)
    assert set(old.tasks["doc"]) == {OLD} and old.memberships.empty
    assert set(everything.select(years=(2020, 2023)).tasks["doc"]) == {NEW}
    assert set(everything.select(doc=OLD).duties["doc"]) == {OLD}
    bodies = everything.select(leave_out=("generic", "collective"))
    assert not set(bodies.duties["unit"]) & {"有关部门", "各州、市人民政府"}
    assert set(everything.select(jurisdiction="红河州").duties["unit"]) == set()
    leads = everything.select(roles=("lead",))
    assert set(leads.duties["role"]) == {"lead"}
    with pytest.raises(ValueError, match="unknown role"):
        Selection.of(roles=("owner",))


def test_the_co_responsibility_network_is_the_stores_answer(everything):
    sel = everything.select(Selection.of())
    g = networks.network(sel, "co_responsibility")
    d = sel.duties
    expected = co_edges(zip(d["task_id"], d["unit_id"], d["role"]))
    assert {frozenset((e.a, e.b)): e.weight for e in expected} == {
        frozenset((a, b)): w for a, b, w in g.edges(data="weight")}
    # every unit with a task is a node; 应急厅 (reform only) and 有关部门 (generic, left out) are not
    assert uid("省应急厅") not in g and not any(n.startswith("inst:云南省:有关部门") for n in g)
    assert g.nodes[uid("省公安厅")]["lead"] == 1 and g.nodes[uid("省公安厅")]["label"] == name("省公安厅")


def test_lead_support_points_from_the_lead(everything):
    g = networks.network(everything.select(), "lead_support")
    assert g.is_directed()
    assert g[uid("省公安厅")][uid("省民政厅")]["weight"] == 1 and g[uid("省民政厅")][uid("省公安厅")]["weight"] == 1
    assert g[uid("省文化和旅游厅")][uid("省通信管理局")]["weight"] == 1


def test_people_and_groups_are_two_sides(everything):
    g = networks.network(everything.select(), "person_group")
    assert nx.is_bipartite(g)
    person = next(n for n, d in g.nodes(data=True) if d["name"] == "李四")
    (group,) = g[person]
    assert g.nodes[group]["name"] == GROUP and g[person][group]["role"] == "deputy"


def test_an_unknown_kind_names_the_kinds(everything):
    with pytest.raises(ValueError, match="co_responsibility, lead_support, person_group"):
        networks.network(everything, "hierarchy")


def test_the_app_network_writes_to_graphml(tmp_path):
    """The explorer's own graph once held a dict per edge, which GraphML refused."""
    from zhize.graph.analytics import co_graph, lead_graph
    g = co_graph([CoEdge("a", "b", 3, 2, 1), CoEdge("b", "a", 3, 1, 2)], {"a": "甲", "b": "乙"})
    assert networks.non_scalar_attributes(g) == []
    nx.write_graphml(g, tmp_path / "g.graphml")
    assert {(a, b): w for a, b, w in lead_graph(g).edges(data="weight")} == {("a", "b"): 2, ("b", "a"): 1}


@pytest.mark.parametrize("kind", networks.KINDS)
@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graph_files_load_with_the_same_counts_and_scalar_attributes(batch, everything, tmp_path, kind, fmt, read):
    sel = everything.select()
    g = networks.network(sel, kind)
    out = tmp_path / f"net.{fmt}"
    written = exports.write(batch, sel, str(out), fmt, kind)
    back = read(out)
    assert (back.number_of_nodes(), back.number_of_edges()) == (g.number_of_nodes(), g.number_of_edges()) == (
        written.nodes, written.edges)
    assert back.is_directed() == g.is_directed()
    scalar = (str, int, float, bool)
    for n, data in back.nodes(data=True):
        assert all(isinstance(v, scalar) for v in data.values()), (n, data)
    for a, b, data in back.edges(data=True):
        assert all(isinstance(v, scalar) for v in data.values()), (a, b, data)
    if kind != "person_group":
        node = back.nodes[uid("省公安厅")]
        assert (node["kind"], node["jurisdiction"], int(node["lead"]), int(node["support"])) == (
            "department", "云南省", 1, 3)


def test_csv_is_an_edge_list_with_its_nodes_beside(batch, everything, tmp_path):
    sel = everything.select()
    out = tmp_path / "edges.csv"
    written = exports.write(batch, sel, str(out), "csv")
    edges, nodes = pd.read_csv(out), pd.read_csv(exports.nodes_path(str(out)))
    assert len(edges) == written.edges and len(nodes) == written.nodes
    assert {"source", "target", "source_name", "target_name", "weight"} <= set(edges.columns)
    pair = edges[(edges["source_name"] == name("省公安厅")) | (edges["target_name"] == name("省公安厅"))]
    assert set(pair["weight"]) == {1, 2}


def test_the_workbook_holds_every_table(batch, everything, tmp_path):
    out = tmp_path / "zhize.xlsx"
    exports.write(batch, everything.select(), str(out), "xlsx")
    sheets = pd.read_excel(out, sheet_name=None)
    assert set(sheets) == {"units", "tasks", "duties", "memberships", "successions", "co_responsibility edges"}
    assert len(sheets["duties"]) == len(everything.select().duties)


@pytest.mark.parametrize("out, fmt, expected", [("a.ttl", None, "ttl"), ("a.GEXF", None, "gexf"),
                                                ("a.out", "graphml", "graphml"), ("a.json", None, "jsonld"),
                                                ("x", "turtle", "ttl")])
def test_the_format_comes_from_the_suffix(out, fmt, expected):
    assert exports.format_of(out, fmt) == expected


def test_a_suffix_naming_no_format_is_refused():
    with pytest.raises(ValueError, match="names no export format"):
        exports.format_of("graph.txt")
