"""RDF export: a small hand-built graph in, exact triples and SPARQL answers out."""
from __future__ import annotations

import json

import pytest
from rdflib import RDF, RDFS, Graph, Literal
from rdflib.namespace import XSD as _XSD
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS

from zhize.graph.model import GraphBatch, Node, Rel
from zhize.graph.rdf import ID, ZHIZE, node_iri, rel_iri, serialize, to_graph, vocabulary, who_leads

FILE = "bulletin_2024_03.txt"
DOC = "滇示政办发〔2024〕12号"
TASK = "加强流浪乞讨人员救助管理"
QUOTE = "（省公安厅、省民政厅负责，省妇联配合）"


def _inst(ident: str, name: str, kind: str = "department", aliases: tuple[str, ...] = ()) -> Node:
    return Node("Institution", ident, {"name": name, "kind": kind, "jurisdiction": "云南省",
                                       "level": "province", "aliases": sorted({name, *aliases})})


def _duty(rel_type: str, unit: str, start: int, mention: str) -> Rel:
    return Rel(rel_type, unit, "task:1", "", {
        "role": {"LEADS": "lead", "RESPONSIBLE_FOR": "responsible", "SUPPORTS": "support"}[rel_type],
        "mention": mention, "generic": False, "form": "clause", "doc": DOC, "file": FILE,
        "evidence": TASK + QUOTE, "start": start, "end": start + 40,
    })


@pytest.fixture(scope="module")
def batch() -> GraphBatch:
    nodes = [
        Node("Document", "doc:1", {"doc": DOC, "title": "云南省人民政府办公厅关于加强社会救助工作的通知",
                                   "issuer": "云南省人民政府办公厅", "date": "2024-03-18", "file": FILE,
                                   "jurisdiction": "云南省"}),
        Node("Task", "task:1", {"text": TASK, "doc": DOC, "file": FILE, "date": "2024-03-18"}),
        Node("Task", "task:2", {"text": "完善困难群众基本生活保障", "doc": DOC, "file": FILE}),
        _inst("inst:云南省:省公安厅", "云南省公安厅", aliases=("省公安厅",)),
        _inst("inst:云南省:省民政厅", "云南省民政厅", aliases=("省民政厅",)),
        _inst("inst:云南省:省妇联", "云南省妇女联合会", kind="mass_org", aliases=("省妇联",)),
        _inst("inst:云南省:省人民政府办公厅", "云南省人民政府办公厅", kind="government"),
        _inst("inst:云南省:有关部门", "有关部门", kind="generic"),
        _inst("inst:云南省:省环境保护厅", "云南省环境保护厅"),
        _inst("inst:云南省:省生态环境厅", "云南省生态环境厅"),
        Node("Person", "person:云南省:李明", {"name": "李明", "jurisdiction": "云南省"}),
        Node("Group", "group:云南省:社会救助工作领导小组",
             {"name": "云南省社会救助工作领导小组", "doc": DOC, "jurisdiction": "云南省"}),
        Node("Post", "post:云南省:省人民政府分管副省长", {"name": "省人民政府分管副省长", "jurisdiction": "云南省"}),
        Node("Post", "post:云南省:省民政厅厅长", {"name": "省民政厅厅长", "jurisdiction": "云南省"}),
    ]
    rels = [
        Rel("IN", "task:1", "doc:1", "", {"doc": DOC}),
        Rel("IN", "task:2", "doc:1", "", {"doc": DOC}),
        _duty("RESPONSIBLE_FOR", "inst:云南省:省公安厅", 100, "省公安厅"),
        _duty("RESPONSIBLE_FOR", "inst:云南省:省民政厅", 100, "省民政厅"),
        _duty("SUPPORTS", "inst:云南省:省妇联", 100, "省妇联"),
        Rel("LEADS", "inst:云南省:省民政厅", "task:2", "", {
            "role": "lead", "mention": "省民政厅", "generic": False, "form": "label", "doc": DOC,
            "file": FILE, "evidence": "牵头单位：省民政厅", "start": 300, "end": 309}),
        Rel("LEADS", "inst:云南省:省公安厅", "task:1", "", {
            "role": "lead", "mention": "省公安厅", "generic": False, "form": "clause", "doc": DOC,
            "file": FILE, "evidence": "（省公安厅牵头）", "start": 200, "end": 208}),
        Rel("MEMBER_OF", "person:云南省:李明", "group:云南省:社会救助工作领导小组", "doc:1|head", {
            "role": "head", "role_text": "组长", "position": "副省长", "doc": DOC, "file": FILE,
            "evidence": "组　长：李　明　副省长", "start": 500, "end": 512}),
        Rel("MEMBER_OF", "post:云南省:省人民政府分管副省长", "group:云南省:社会救助工作领导小组", "doc:1|deputy", {
            "role": "deputy", "role_text": "副组长", "position": "省人民政府分管副省长", "doc": DOC,
            "file": FILE, "evidence": "副组长由省人民政府分管副省长担任", "start": 520, "end": 536}),
        Rel("MEMBER_UNIT_OF", "inst:云南省:省妇联", "group:云南省:社会救助工作领导小组", "doc:1",
            {"relation": "member_unit", "doc": DOC, "file": FILE, "evidence": "成员单位：省妇联", "start": 540, "end": 548}),
        Rel("OFFICE_AT", "group:云南省:社会救助工作领导小组", "inst:云南省:省民政厅", "doc:1",
            {"relation": "office_host", "doc": DOC, "file": FILE, "evidence": "办公室设在省民政厅", "start": 550, "end": 559}),
        Rel("HOLDS", "person:云南省:李明", "post:云南省:省民政厅厅长", "doc:1|appoint",
            {"action": "appoint", "position": "省民政厅厅长", "date": "2024-03-18", "doc": DOC, "file": FILE,
             "evidence": "任李明为省民政厅厅长", "start": 600, "end": 610}),
        Rel("SUCCEEDED_BY", "inst:云南省:省环境保护厅", "inst:云南省:省生态环境厅", "",
            {"date": "2018-11-08", "source": "云南省机构改革方案"}),
        Rel("SUPERVISES", "person:云南省:李明", "inst:云南省:省民政厅", "doc:1",
            {"relation": "supervises", "object": "省民政厅", "doc": DOC, "file": FILE,
             "evidence": "分管省民政厅", "start": 700, "end": 706}),
    ]
    return GraphBatch(nodes=nodes, rels=rels)


@pytest.fixture(scope="module")
def g(batch: GraphBatch) -> Graph:
    return to_graph(batch, include_vocab=False)


def _lead_assoc(batch: GraphBatch) -> Rel:
    return next(r for r in batch.rels if r.type == "LEADS" and r.end == "task:1")


def test_iris_are_percent_encoded_node_ids():
    assert str(node_iri("inst:云南省:省公安厅")) == (
        "https://zhize.example/id/inst%3A%E4%BA%91%E5%8D%97%E7%9C%81%3A%E7%9C%81%E5%85%AC%E5%AE%89%E5%8E%85")
    assert node_iri("task:1") == ID["task%3A1"]


def test_lead_of_a_task_is_a_qualified_association_with_provenance(batch, g):
    task, unit, doc = node_iri("task:1"), node_iri("inst:云南省:省公安厅"), node_iri("doc:1")
    assoc = rel_iri(_lead_assoc(batch), "duty")
    assert (task, RDF.type, ZHIZE.Task) in g
    assert (task, PROV.qualifiedAssociation, assoc) in g
    assert (assoc, RDF.type, PROV.Association) in g
    assert (assoc, PROV.agent, unit) in g
    assert (assoc, PROV.hadRole, ZHIZE.Lead) in g
    assert (assoc, PROV.wasDerivedFrom, doc) in g
    assert (assoc, PROV.hadPlan, doc) in g
    assert (assoc, ZHIZE.sourceFile, Literal(FILE)) in g
    assert (assoc, ZHIZE.startOffset, Literal(200)) in g
    assert (assoc, ZHIZE.endOffset, Literal(208)) in g
    assert (assoc, ZHIZE.evidence, Literal("（省公安厅牵头）", lang="zh")) in g
    assert (unit, ZHIZE.leads, task) in g
    # the same unit's second role on the same task is a separate association
    roles = set(g.objects(None, PROV.hadRole))
    assert roles == {ZHIZE.Lead, ZHIZE.Responsible, ZHIZE.Support}
    assert len(list(g.objects(task, PROV.qualifiedAssociation))) == 4


def test_support_role_and_shortcut(g):
    task, fulian = node_iri("task:1"), node_iri("inst:云南省:省妇联")
    assocs = [a for a in g.objects(task, PROV.qualifiedAssociation) if (a, PROV.agent, fulian) in g]
    assert len(assocs) == 1
    assert (assocs[0], PROV.hadRole, ZHIZE.Support) in g
    assert (assocs[0], ZHIZE.mention, Literal("省妇联", lang="zh")) in g
    assert (fulian, ZHIZE.supports, task) in g


def test_succession_is_a_change_event_with_both_organizations(batch, g):
    rel = next(r for r in batch.rels if r.type == "SUCCEEDED_BY")
    ev = rel_iri(rel, "change")
    old, new = node_iri("inst:云南省:省环境保护厅"), node_iri("inst:云南省:省生态环境厅")
    assert (ev, RDF.type, ORG.ChangeEvent) in g
    assert (ev, RDF.type, PROV.Activity) in g
    assert (ev, ORG.originalOrganization, old) in g
    assert (ev, ORG.resultingOrganization, new) in g
    assert (ev, DCTERMS.date, Literal("2018-11-08", datatype=_XSD.date)) in g
    assert (old, ORG.changedBy, ev) in g and (new, ORG.resultedFrom, ev) in g


def test_institutions_groups_and_labels(g):
    gat = node_iri("inst:云南省:省公安厅")
    assert (gat, RDF.type, ORG.FormalOrganization) in g
    assert (gat, SKOS.prefLabel, Literal("云南省公安厅", lang="zh")) in g
    assert (gat, SKOS.altLabel, Literal("省公安厅", lang="zh")) in g
    assert (node_iri("inst:云南省:有关部门"), RDF.type, ORG.Organization) in g
    assert (node_iri("inst:云南省:有关部门"), RDF.type, ORG.FormalOrganization) not in g
    assert (node_iri("group:云南省:社会救助工作领导小组"), RDF.type, ORG.OrganizationalCollaboration) in g


def test_roster_membership_post_seat_member_unit_and_office(batch, g):
    group, person = node_iri("group:云南省:社会救助工作领导小组"), node_iri("person:云南省:李明")
    head = next(r for r in batch.rels if r.type == "MEMBER_OF" and r.start.startswith("person:"))
    m = rel_iri(head, "membership")
    assert (m, RDF.type, ORG.Membership) in g
    assert (m, ORG.member, person) in g
    assert (m, ORG.organization, group) in g
    assert (m, ORG.role, ZHIZE.GroupHead) in g
    assert (m, ZHIZE.roleText, Literal("组长", lang="zh")) in g
    assert (m, ZHIZE.position, Literal("副省长", lang="zh")) in g
    # a seat filled by a post: org:Post in the group, no Membership
    post = node_iri("post:云南省:省人民政府分管副省长")
    assert (post, RDF.type, ORG.Post) in g
    assert (post, ORG.postIn, group) in g
    assert (post, ORG.role, ZHIZE.GroupDeputy) in g
    assert not list(g.subjects(ORG.member, post))
    # member unit and the office housed in 省民政厅
    fulian = node_iri("inst:云南省:省妇联")
    assert (fulian, ORG.memberOf, group) in g
    office = ID[str(group).rsplit("/", 1)[1] + "/office"]
    assert (group, ORG.hasUnit, office) in g
    assert (office, ORG.unitOf, group) in g
    assert (office, RDF.type, ORG.OrganizationalUnit) in g
    assert (office, ZHIZE.hostedBy, node_iri("inst:云南省:省民政厅")) in g


def test_appointment_holds_post_and_portfolio(g):
    person, post = node_iri("person:云南省:李明"), node_iri("post:云南省:省民政厅厅长")
    assert (person, ORG.holds, post) in g
    assert (person, ZHIZE.supervises, node_iri("inst:云南省:省民政厅")) in g


def test_document_metadata_in_dcterms(g):
    doc = node_iri("doc:1")
    assert (doc, DCTERMS.title, Literal("云南省人民政府办公厅关于加强社会救助工作的通知", lang="zh")) in g
    assert (doc, DCTERMS.identifier, Literal(DOC)) in g
    assert (doc, DCTERMS.issued, Literal("2024-03-18", datatype=_XSD.date)) in g
    # the issuer is in the graph, so creator is the institution, not a string
    assert (doc, DCTERMS.creator, node_iri("inst:云南省:省人民政府办公厅")) in g
    assert (node_iri("task:1"), DCTERMS.isPartOf, doc) in g
    assert (node_iri("task:1"), RDFS.label, Literal(TASK, lang="zh")) in g


def test_turtle_round_trip_and_determinism(batch, g):
    ttl = serialize(batch, "ttl", include_vocab=False)
    back = Graph().parse(data=ttl, format="turtle")
    assert len(back) == len(g)
    assert set(back) == set(g)
    assert serialize(batch, "ttl", include_vocab=False) == ttl
    assert "_:" not in serialize(batch, "nt", include_vocab=False)   # no blank nodes


def test_nt_and_jsonld_parse_to_the_same_graph(batch, g):
    nt = Graph().parse(data=serialize(batch, "nt", include_vocab=False), format="nt")
    js = serialize(batch, "jsonld", include_vocab=False)
    assert json.loads(js)["@context"]["zhize"] == "https://zhize.example/ns#"
    ld = Graph().parse(data=js, format="json-ld")
    assert set(nt) == set(g) == set(ld)


def test_unknown_format_is_refused(batch):
    with pytest.raises(ValueError, match="unknown RDF format"):
        serialize(batch, "rdfxml")


def test_sparql_who_leads_task(batch):
    g = Graph().parse(data=serialize(batch, "ttl"), format="turtle")
    assert who_leads(g, "流浪乞讨") == [(str(node_iri("inst:云南省:省公安厅")), "云南省公安厅")]
    assert who_leads(g, "基本生活保障") == [(str(node_iri("inst:云南省:省民政厅")), "云南省民政厅")]
    assert who_leads(g, "不存在的任务") == []
    # and the role names come from the vocabulary shipped with the export
    rows = list(g.query("""
        PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?zh WHERE { ?a prov:agent ?u ; prov:hadRole ?r . ?r rdfs:label ?zh .
                                    FILTER(lang(?zh) = "zh") } ORDER BY ?zh"""))
    assert [str(r.zh) for r in rows] == sorted(["牵头", "负责", "配合"])


def test_vocabulary_labels_roles_in_both_languages():
    v = vocabulary()
    for role, zh, en in ((ZHIZE.Lead, "牵头", "Lead"), (ZHIZE.Responsible, "负责", "Responsible"),
                         (ZHIZE.Support, "配合", "Support")):
        assert (role, RDFS.label, Literal(zh, lang="zh")) in v
        assert (role, RDFS.label, Literal(en, lang="en")) in v
        assert (role, RDF.type, PROV.Role) in v
    assert (ZHIZE.Task, RDFS.subClassOf, PROV.Activity) in v


# --- through zhize.graph.build: the shapes build_graph gives are the shapes exported -------------

def test_export_of_a_built_graph():
    from zhize.extract.entities import Resolution
    from zhize.extract.types import DocumentFact, DutyFact, GroupUnitFact, MemberFact, Source
    from zhize.graph.build import build_graph

    f = "notice.txt"
    doc = DocumentFact(doc="滇示政发〔2024〕3号", source=Source(f, 0, 30), evidence="云南省人民政府关于加强森林防火工作的通知",
                       title="云南省人民政府关于加强森林防火工作的通知", issuer="云南省人民政府", date="2024-01-15")
    clause = "（省林草局牵头，省应急厅配合）"
    facts = [
        DutyFact(doc=doc.doc, source=Source(f, 120, 135), evidence=clause, task="（一）严格野外火源管控。" + clause,
                 unit="省林草局", role="lead", generic=False, form="clause"),
        DutyFact(doc=doc.doc, source=Source(f, 120, 135), evidence=clause, task="（一）严格野外火源管控。" + clause,
                 unit="省应急厅", role="support", generic=False, form="clause"),
        MemberFact(doc=doc.doc, source=Source(f, 300, 320), evidence="指挥长由省人民政府分管副省长担任",
                   group="云南省森林草原防灭火指挥部", person=None, position="省人民政府分管副省长",
                   role_text="指挥长", role="head"),
        GroupUnitFact(doc=doc.doc, source=Source(f, 330, 345), evidence="指挥部办公室设在省应急厅",
                      group="云南省森林草原防灭火指挥部", unit="省应急厅", relation="office_host"),
    ]
    batch = build_graph(facts, [doc], Resolution())
    g = to_graph(batch, include_vocab=False)
    by_label = {n.label: n for n in batch.nodes}
    task = node_iri(by_label["Task"].id)
    lead = next(r for r in batch.rels if r.type == "LEADS")
    assoc = rel_iri(lead, "duty")
    assert (task, PROV.qualifiedAssociation, assoc) in g
    assert (assoc, PROV.hadRole, ZHIZE.Lead) in g
    assert (assoc, PROV.agent, node_iri(lead.start)) in g
    assert (node_iri(lead.start), RDFS.label, Literal("省林草局", lang="zh")) in g
    assert (assoc, PROV.wasDerivedFrom, node_iri(by_label["Document"].id)) in g
    assert (assoc, ZHIZE.startOffset, Literal(120)) in g
    assert (task, RDFS.label, Literal("（一）严格野外火源管控。" + clause, lang="zh")) in g
    assert (node_iri(by_label["Document"].id), DCTERMS.identifier, Literal("滇示政发〔2024〕3号")) in g
    post, group = node_iri(by_label["Post"].id), node_iri(by_label["Group"].id)
    assert (post, RDF.type, ORG.Post) in g and (post, ORG.postIn, group) in g
    assert (post, ORG.role, ZHIZE.GroupHead) in g
    office = next(g.objects(group, ORG.hasUnit))
    support = next(r for r in batch.rels if r.type == "SUPPORTS")
    assert (office, ZHIZE.hostedBy, node_iri(support.start)) in g      # the same 省应急厅 node


def test_cli_exports_the_sample_and_sparql_answers(tmp_path):
    """``zhize export OUT --from samples/sample_bulletin.txt`` end to end, in every format."""
    from pathlib import Path

    from typer.testing import CliRunner

    from zhize.cli import app

    sample = Path(__file__).resolve().parents[1] / "samples" / "sample_bulletin.txt"
    graphs = {}
    for fmt, parser in (("ttl", "turtle"), ("nt", "nt")):      # json-ld: see test_nt_and_jsonld_parse_…
        out = tmp_path / f"sample.{fmt}"
        result = CliRunner().invoke(app, ["export", str(out), "--format", fmt, "--from", str(sample)])
        assert result.exit_code == 0, result.output
        graphs[fmt] = Graph().parse(out, format=parser)
    g = graphs["ttl"]
    assert set(g) == set(graphs["nt"])
    # （省教育厅牵头；…协助） and the section-scoped （省民政厅牵头，…配合）
    assert [name for _, name in who_leads(g, "入学就读")] == ["云南省教育厅"]
    assert [name for _, name in who_leads(g, "保障措施")] == ["云南省民政厅"]
    docs = {str(o) for o in g.objects(None, DCTERMS.identifier)}
    assert {"滇示政办发〔2024〕12号", "滇示政办函〔2024〕21号", "滇示政任〔2024〕2号"} <= docs


def test_cli_refuses_an_unknown_format(tmp_path):
    from typer.testing import CliRunner

    from zhize.cli import app

    result = CliRunner().invoke(app, ["export", str(tmp_path / "x"), "--format", "rdfxml", "--from", "any.txt"])
    assert result.exit_code != 0 and "unknown format" in result.output


def test_partial_reform_dates_keep_their_precision():
    batch = GraphBatch(
        nodes=[Node("Institution", "inst:红河州:州工商局", {"name": "红河州工商行政管理局", "kind": "department"}),
               Node("Institution", "inst:红河州:州市场监管局", {"name": "红河州市场监督管理局", "kind": "department"})],
        rels=[Rel("SUCCEEDED_BY", "inst:红河州:州工商局", "inst:红河州:州市场监管局", "",
                  {"date": "2019-02", "source": "红河州机构改革方案"})])
    g = to_graph(batch, include_vocab=False)
    ev = rel_iri(batch.rels[0], "change")
    assert (ev, DCTERMS.date, Literal("2019-02", datatype=_XSD.gYearMonth)) in g
    assert (ev, ORG.originalOrganization, node_iri("inst:红河州:州工商局")) in g


def test_every_zhize_term_used_is_defined_in_the_vocabulary(g):
    """An export never uses a zhize: term that graph/vocab.ttl does not define and label in zh and en."""
    v = vocabulary()
    used = {t for triple in g for t in triple if str(t).startswith(str(ZHIZE))}
    assert used
    for term in used:
        langs = {lit.language for lit in v.objects(term, RDFS.label)}
        assert {"zh", "en"} <= langs, term


def test_rdf_and_the_store_hold_the_same_duties(tmp_path):
    """Every (unit, role, task) the SQLite store answers is a qualified association in the export, and no more."""
    from pathlib import Path

    from zhize.graph.stores import open_store
    from zhize.pipeline import Pipeline

    sample = Path(__file__).resolve().parents[1] / "samples" / "sample_bulletin.txt"
    report = Pipeline(build=True).run([sample])
    assert not report.failed
    batch = report.batch
    store = open_store(str(tmp_path / "graph.sqlite"))
    try:
        store.load(batch)
        units = [n.id for n in batch.nodes if n.label == "Institution"]
        from_store = {(u, t.role, t.task_id) for u in units for t in store.unit_tasks(u, include_inherited=False)}
    finally:
        store.close()
    assert from_store  # the sample has duties
    g = to_graph(batch)            # with the vocabulary: role names are its skos:notation
    rows = g.query("""
        PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX zhize: <https://zhize.example/ns#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?u ?role ?t WHERE { ?task prov:qualifiedAssociation ?a ; zhize:nodeId ?t .
                                   ?a prov:agent ?unit ; prov:hadRole ?r . ?unit zhize:nodeId ?u .
                                   ?r skos:notation ?role }""")
    assert {(str(r.u), str(r.role), str(r.t)) for r in rows} == from_store
