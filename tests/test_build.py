"""The graph's shape: what ``build_graph`` makes of resolved facts."""
from __future__ import annotations

from zhize.extract.entities import Resolution
from zhize.extract.types import DutyFact, MemberFact, Source
from zhize.graph.build import build_graph, document_id, task_id
from zhize.graph.semantics import jurisdiction_of
from graph_fixture import FILE_A, SAFETY, TEXTS, documents, facts, resolution

PROVENANCE = {"doc", "evidence", "file", "start", "end"}


def _batch():
    return build_graph(facts(), documents(), resolution())


def _rels(batch, type_):
    return [r for r in batch.rels if r.type == type_]


def test_same_facts_give_the_same_graph():
    assert _batch() == _batch()
    # clauses in another order give the same graph (units inside one clause keep their print order)
    shuffled = sorted(facts(), key=lambda f: (f.source.file != FILE_A, -f.source.start))
    assert build_graph(shuffled, list(reversed(documents())), resolution()) == _batch()


def test_every_relationship_read_from_text_carries_its_provenance():
    batch = _batch()
    for r in batch.rels:
        if r.type in ("IN", "SUCCEEDED_BY"):
            continue
        assert PROVENANCE <= set(r.props), r
        assert TEXTS[r.props["file"]][r.props["start"]:r.props["end"]] == r.props["evidence"]


def test_a_task_is_one_node_per_document_and_text_with_its_units_by_role():
    batch = _batch()
    doc = document_id("云南省人民政府办公厅", SAFETY)
    t = task_id(doc, "打击拐卖妇女儿童犯罪。严厉打击拐卖犯罪活动。")
    (task,) = [n for n in batch.nodes if n.id == t]
    assert task.label == "Task" and task.props["doc"] == SAFETY and task.props["date"] == "2021-10-20"
    assert [(r.start, r.end) for r in _rels(batch, "IN") if r.start == t] == [(t, doc)]
    roles = sorted((r.type, r.start) for r in batch.rels if r.end == t and r.type != "IN")
    assert roles == [("LEADS", "inst:云南省:省公安厅"), ("SUPPORTS", "inst:云南省:省检察院"),
                     ("SUPPORTS", "inst:云南省:省法院")]
    (lead,) = [r for r in batch.rels if r.end == t and r.type == "LEADS"]
    assert lead.props["role"] == "lead" and lead.props["mention"] == "省公安厅"
    assert lead.props["evidence"] == "（省公安厅牵头，省法院、省检察院配合）"


def test_a_seat_filled_by_a_post_is_a_post_node_in_the_group():
    batch = _batch()
    posts = {n.id: n for n in batch.nodes if n.label == "Post"}
    seat = [r for r in _rels(batch, "MEMBER_OF") if r.start in posts]
    assert sorted((posts[r.start].props["name"], r.props["role"]) for r in seat) == [
        ("省人民政府分管副省长", "head"), ("省民政厅厅长", "member")]
    # the same post is what the removal from office points at
    (removal,) = [r for r in _rels(batch, "HOLDS") if r.props["action"] == "remove"]
    assert removal.end == "post:云南省:省民政厅厅长" and removal.props["notes"] == ["退休"]


def test_a_compound_post_beside_a_name_gives_one_holds_per_post():
    src = Source(file="f.txt", start=0, end=30)
    member = MemberFact(doc="红政办发〔2022〕36号", source=src, evidence="副组长：陈建国　州政府副秘书长、州文化和旅游局局长",
                        group="红河州文化旅游产业发展领导小组", person="陈建国",
                        position="州政府副秘书长、州文化和旅游局局长", role_text="副组长", role="deputy")
    batch = build_graph([member], [], Resolution())
    assert sorted(r.end for r in _rels(batch, "HOLDS")) == ["post::州政府副秘书长", "post::州文化和旅游局局长"]
    (seat,) = _rels(batch, "MEMBER_OF")
    assert seat.props["position"] == "州政府副秘书长、州文化和旅游局局长"


def test_portfolio_objects_are_areas_units_or_people():
    batch = _batch()
    kinds = {n.id: n.label for n in batch.nodes}
    got = sorted((r.type, kinds[r.end], r.props["object"]) for r in batch.rels
                 if r.type in ("IN_CHARGE_OF", "SUPERVISES", "LIAISES", "ASSISTS", "ACTING_FOR", "PARTNER_OF")
                 and r.start == "person:红河州:王五")
    assert got == [("IN_CHARGE_OF", "Area", "审计"), ("IN_CHARGE_OF", "Area", "财政"),
                   ("LIAISES", "Institution", "州税务局"), ("PARTNER_OF", "Person", "钱七"),
                   ("SUPERVISES", "Institution", "州审计局"), ("SUPERVISES", "Institution", "州财政局")]


def test_unresolved_units_fall_back_to_name_and_jurisdiction_and_documents_may_be_missing():
    src = Source(file="g.txt", start=5, end=20)
    duty = DutyFact(doc="红政发〔2023〕1号", source=src, evidence="（州林草局负责）", task="加强森林防火",
                    unit="州 林草局", role="responsible", generic=False)
    batch = build_graph([duty], [], Resolution())
    labels = {n.id: n for n in batch.nodes}
    unit = labels["inst::州林草局"]
    assert unit.props["name"] == "州林草局" and unit.props["kind"] == "unresolved" and unit.props["mentions"] == 1
    (doc,) = [n for n in batch.nodes if n.label == "Document"]
    assert doc.props["doc"] == "红政发〔2023〕1号" and doc.props["date"] is None


def test_a_succession_links_the_registry_institutions():
    (s,) = _rels(_batch(), "SUCCEEDED_BY")
    assert (s.start, s.end, s.props["date"]) == ("inst:云南省:省卫生计生委", "inst:云南省:省卫生健康委", "2018-11-01")


def test_jurisdiction_is_read_from_the_issuer():
    assert jurisdiction_of("云南省人民政府办公厅") == "云南省"
    assert jurisdiction_of("红河州人民政府") == "红河州"
    assert jurisdiction_of("红河哈尼族彝族自治州人民政府") == "红河哈尼族彝族自治州"
    assert jurisdiction_of("中共云南省委办公厅") == "云南省"
    assert jurisdiction_of("国务院办公厅") is None
    assert jurisdiction_of(None) is None
