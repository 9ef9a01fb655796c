"""Both backends count a pair's lead→support tasks in each direction, and the network's lead share uses both.

A notice of our own where 省文化和旅游厅 and 省公安厅 each lead the other
(the former twice, the latter once) and 省司法厅 and 省公安厅 lead each other
once each.  Its own store (module scope), so the contract fixture stays as it is.
"""
from __future__ import annotations

import pytest

from zhize.extract.entities import Institution, Resolution
from zhize.extract.types import DocumentFact, DutyFact, Source
from zhize.graph import analytics as an
from zhize.graph.build import build_graph
from zhize.graph.model import CoEdge, NetworkFilter

FILE = "relics.txt"
DOC = "云政办发〔2023〕7号"
TEXT = """云南省人民政府办公厅关于加强文物安全工作的通知
云政办发〔2023〕7号
一、开展文物安全检查。（省文化和旅游厅牵头，省公安厅配合）
二、打击文物犯罪。（省公安厅牵头，省文化和旅游厅配合）
三、加强文物保护宣传。（省文化和旅游厅牵头，省公安厅、省委宣传部配合）
四、开展文物执法培训。（省公安厅牵头，省司法厅配合）
五、规范文物行政执法。（省司法厅牵头，省公安厅配合）
"""
Y = "inst:云南省:"
CULTURE, POLICE, PROPAGANDA, JUSTICE = Y + "省文化和旅游厅", Y + "省公安厅", Y + "省委宣传部", Y + "省司法厅"


def _batch():
    insts = {Y + s: Institution(id=Y + s, name=n, kind=k, jurisdiction="云南省", level="province", aliases={s},
                                resolved_by="registry", mentions=0)
             for s, n, k in (("省文化和旅游厅", "云南省文化和旅游厅", "department"),
                             ("省公安厅", "云南省公安厅", "department"),
                             ("省委宣传部", "中共云南省委宣传部", "party"),
                             ("省司法厅", "云南省司法厅", "department"))}
    title = TEXT.splitlines()[0]
    facts = []
    for line in TEXT.splitlines()[2:]:
        task, clause = line[2:line.index("（")], line[line.index("（"):]
        start = TEXT.index(clause)
        src = Source(file=FILE, start=start, end=start + len(clause))
        lead, rest = clause[1:-1].split("牵头，")
        for unit, role in [(lead, "lead"), *((u, "support") for u in rest[:-2].split("、"))]:
            facts.append(DutyFact(doc=DOC, source=src, evidence=clause, task=task, unit=unit, role=role,
                                  generic=False, form="clause", unit_id=Y + unit))
    doc = DocumentFact(doc=DOC, source=Source(file=FILE, start=0, end=len(title)), evidence=title, title=title,
                       issuer="云南省人民政府办公厅", date="2023-03-01")
    return build_graph(facts, [doc], Resolution(institutions=insts))


@pytest.fixture(scope="module", params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def pairs_store(request, tmp_path_factory):
    from conftest import _neo4j_store
    from zhize.graph.sqlite_store import SQLiteStore

    if request.param == "sqlite":
        s = SQLiteStore(tmp_path_factory.mktemp("pairs") / "graph.sqlite")
    else:
        s = _neo4j_store()
        s.clear()
    s.load(_batch())
    yield s
    if request.param == "neo4j":
        s.clear()
    s.close()


def test_each_direction_of_a_pair_is_counted(pairs_store):
    assert pairs_store.co_responsibility() == [
        CoEdge(a=CULTURE, b=POLICE, weight=3, lead_to_support=2, support_to_lead=1),
        CoEdge(a=POLICE, b=JUSTICE, weight=2, lead_to_support=1, support_to_lead=1),   # a tie: the smaller id
        CoEdge(a=POLICE, b=PROPAGANDA, weight=1, lead_to_support=0, support_to_lead=0),
        CoEdge(a=CULTURE, b=PROPAGANDA, weight=1, lead_to_support=1, support_to_lead=0),
    ]
    assert pairs_store.co_responsibility(NetworkFilter(roles=("lead", "responsible"))) == []


def test_role_counts_of_the_notice(pairs_store):
    assert pairs_store.role_counts(NetworkFilter(year=2023)) == [
        (POLICE, 2, 0, 3), (JUSTICE, 1, 0, 1), (PROPAGANDA, 0, 0, 1), (CULTURE, 2, 0, 1)]     # by id


def test_network_lead_share_counts_the_minority_direction(pairs_store):
    g = an.co_graph(pairs_store.co_responsibility())
    assert (an.leads(g[CULTURE][POLICE], CULTURE), an.leads(g[CULTURE][POLICE], POLICE)) == (2, 1)
    share = an.network_lead_share(g)
    # 公安厅 leads 1 of its 3 pairings with 文化和旅游厅 and 1 of 2 with 司法厅
    assert share[POLICE] == pytest.approx(2 / 5)
    assert share[CULTURE] == pytest.approx(3 / 4)          # 2 of 3 with 公安厅, 1 of 1 with 宣传部
    assert share[JUSTICE] == pytest.approx(1 / 2)
    assert share[PROPAGANDA] == 0.0
    assert {(a, b): d["weight"] for a, b, d in an.lead_graph(g).edges(data=True)} == {
        (CULTURE, POLICE): 2, (POLICE, CULTURE): 1, (POLICE, JUSTICE): 1, (JUSTICE, POLICE): 1,
        (CULTURE, PROPAGANDA): 1}


# --- the array counting against the definition, on any rows ---------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

from zhize.graph.semantics import co_edges, role_counts  # noqa: E402

UNITS = [CULTURE, POLICE, PROPAGANDA, JUSTICE, "inst:红河州:州审计局", "inst:𠀀州:州局"]   # an id beyond the BMP too
rows_st = st.lists(st.tuples(st.sampled_from(["t1", "t2", "t3", "t4", "t5"]), st.sampled_from(UNITS),
                             st.sampled_from(["lead", "responsible", "support"])), max_size=40)


def _by_definition(rows):
    roles: dict = {}
    for task, unit, role in rows:
        roles.setdefault(task, {}).setdefault(unit, set()).add(role)
    pairs: dict = {}
    for units in roles.values():
        for x in units:
            for y in units:
                if x < y:
                    w, xy, yx = pairs.get((x, y), (0, 0, 0))
                    pairs[(x, y)] = (w + 1, xy + ("lead" in units[x] and "support" in units[y]),
                                     yx + ("lead" in units[y] and "support" in units[x]))
    edges = [CoEdge(y, x, w, yx, xy) if yx > xy else CoEdge(x, y, w, xy, yx) for (x, y), (w, xy, yx) in pairs.items()]
    counts = {}
    for units in roles.values():
        for u, rs in units.items():
            c = counts.setdefault(u, [0, 0, 0])
            for i, r in enumerate(("lead", "responsible", "support")):
                c[i] += r in rs
    return (sorted(edges, key=lambda e: (-e.weight, e.a, e.b)),
            [(u, *c) for u, c in sorted(counts.items())])


@settings(max_examples=300, deadline=None)
@given(rows_st)
def test_array_counting_is_the_definition(rows):
    edges, counts = _by_definition(rows)
    assert co_edges(rows) == edges
    assert role_counts(rows) == counts
