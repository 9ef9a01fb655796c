"""The co-responsibility network and lead/support balance, from store-shaped results."""
from __future__ import annotations

import pytest

from zhize.graph.analytics import (
    balance,
    balance_table,
    centrality_table,
    co_graph,
    filter_tasks,
    lead_graph,
    network_lead_share,
    subgraph,
    top_nodes,
)
from zhize.explorer.views import balance_long, centrality_rows
from zhize.graph.model import CoEdge, NetworkFilter, UnitTask

GAT, MZT, FL, JYT = "inst:省公安厅", "inst:省民政厅", "inst:省妇联", "inst:省教育厅"
NAMES = {GAT: "云南省公安厅", MZT: "云南省民政厅", FL: "云南省妇女联合会", JYT: "云南省教育厅"}

# 反拐: 公安 leads, 民政 and 妇联 support (2 tasks); 困境儿童: 民政 leads, 教育 supports;
# 民政 and 妇联 also share one task where both are responsible.
EDGES = [
    CoEdge(GAT, MZT, 2, 2),
    CoEdge(GAT, FL, 2, 2),
    CoEdge(MZT, FL, 3, 0),
    CoEdge(MZT, JYT, 1, 1),
]


def test_edges_become_a_weighted_graph_with_names():
    g = co_graph(EDGES, NAMES)
    assert g.number_of_nodes() == 4 and g.number_of_edges() == 4
    assert g[GAT][MZT]["weight"] == 2
    assert g.nodes[FL]["name"] == "云南省妇女联合会"


def test_a_pair_reported_both_ways_is_one_edge_with_both_directions():
    g = co_graph([CoEdge(GAT, MZT, 3, 2), CoEdge(MZT, GAT, 3, 1)])
    assert g.number_of_edges() == 1 and g[GAT][MZT]["weight"] == 3
    dg = lead_graph(g)
    assert dg[GAT][MZT]["weight"] == 2 and dg[MZT][GAT]["weight"] == 1


def test_lead_share_in_the_network_follows_who_leads_whom():
    share = network_lead_share(co_graph(EDGES, NAMES))
    assert share[GAT] == 1.0          # only ever leads
    assert share[FL] == 0.0           # only ever supports
    assert share[MZT] == pytest.approx(1 / 3)   # supports 公安 twice, leads 教育 once


def test_centrality_puts_the_broker_first():
    rows = centrality_table(co_graph(EDGES, NAMES))
    assert rows[0].unit_id == MZT and rows[0].degree == 3 and rows[0].strength == 6
    by_id = {r.unit_id: r for r in rows}
    assert by_id[MZT].betweenness > 0 and by_id[JYT].betweenness == 0
    table = centrality_rows(rows)
    assert table[0]["单位"] == "云南省民政厅" and table[0]["牵头占比"] == pytest.approx(0.333)


def test_top_nodes_and_min_weight_trim_the_drawing():
    g = co_graph(EDGES, NAMES)
    assert top_nodes(g, 2) == [MZT, FL]     # strength 6, then 5
    sg = subgraph(g, g.nodes, min_weight=2)
    assert sg.number_of_nodes() == 4 and not sg.has_edge(MZT, JYT)


def test_empty_network_has_an_empty_table():
    assert centrality_table(co_graph([])) == []


def _t(tid, role, doc="云政办发〔2021〕12号", date="2021-03-05"):
    return UnitTask(tid, tid, role, doc, date)


def test_balance_counts_distinct_tasks_and_lead_share():
    b = balance(GAT, "云南省公安厅", [_t("a", "lead"), _t("a", "lead"), _t("b", "lead"), _t("c", "support")])
    assert (b.lead, b.responsible, b.support, b.total) == (2, 0, 1, 3)
    assert b.lead_share == pytest.approx(2 / 3)
    long = balance_long([b])
    assert [(r["角色"], r["任务数"]) for r in long] == [("牵头", 2), ("负责", 0), ("配合", 1)]


def test_balance_table_orders_by_work_or_by_lead_share():
    a = balance(GAT, "云南省公安厅", [_t("a", "lead")])
    m = balance(MZT, "云南省民政厅", [_t("a", "support"), _t("b", "lead"), _t("c", "support")])
    assert [b.unit_id for b in balance_table([a, m])] == [MZT, GAT]
    assert [b.unit_id for b in balance_table([a, m], sort="lead_share")] == [GAT, MZT]


def test_filter_tasks_by_year_document_and_role():
    tasks = [_t("a", "lead"), _t("b", "support", "云政发〔2019〕3号", "2019-01-10"), _t("c", "responsible")]
    assert [t.task_id for t in filter_tasks(tasks, NetworkFilter(year=2019))] == ["b"]
    assert [t.task_id for t in filter_tasks(tasks, NetworkFilter(doc="云政办发〔2021〕12号"))] == ["a", "c"]
    assert [t.task_id for t in filter_tasks(tasks, NetworkFilter(roles=("lead",)))] == ["a"]


def test_big_networks_sample_betweenness_but_give_the_same_table_every_time():
    from zhize.graph.analytics import BETWEENNESS_EXACT_MAX

    n = BETWEENNESS_EXACT_MAX + 50          # a prefecture-wide network: units in a ring of shared tasks
    edges = [CoEdge(f"inst:{i:03d}", f"inst:{(i + 1) % n:03d}", 1 + i % 3, i % 2) for i in range(n)]
    edges += [CoEdge("inst:000", f"inst:{i:03d}", 1, 1) for i in range(2, n, 7)]    # one hub
    first, second = centrality_table(co_graph(edges)), centrality_table(co_graph(edges))
    assert first == second
    assert first[0].unit_id == "inst:000" and first[0].betweenness == max(r.betweenness for r in first)
