"""A ``GraphBatch`` as Linked Data, in published vocabularies wherever one fits.

Why these choices:

* Institutions are ``org:FormalOrganization`` (``org:Organization`` for generic
  and collective bodies such as 有关部门 or 各州、市人民政府, which are not one
  legal body).  领导小组 / 指挥部 / 联席会议 / 委员会 are
  ``org:OrganizationalCollaboration``: bodies made of other organizations.
* A person's seat in a group is an ``org:Membership`` (it carries the role
  and the post printed beside the name); ``org:memberOf`` is added as the
  spec's shortcut.  A seat filled by a post, no person named (指挥长由…担任),
  is an ``org:Post`` ``org:postIn`` the group.
* The group's office (办公室设在X) is an ``org:OrganizationalUnit`` of the
  group (``org:hasUnit`` / ``org:unitOf``), ``zhize:hostedBy`` the host
  institution.  ``org:hasSite`` would be wrong: it takes an ``org:Site``,
  a place, and the host is an organization.
* Reforms (``SUCCEEDED_BY``) are ``org:ChangeEvent`` (itself a
  ``prov:Activity``) with ``org:originalOrganization`` /
  ``org:resultingOrganization`` and ``dcterms:date``.
* A duty joins three things (unit, task, role) plus its evidence, so it is a
  PROV qualified association, a first-class resource:
  ``:task prov:qualifiedAssociation :assoc . :assoc prov:agent :unit ;
  prov:hadRole zhize:Lead ; prov:hadPlan :doc ; prov:wasDerivedFrom :doc``
  with file, offsets and the quoted clause on ``:assoc``.  The document is
  the plan the unit acts under, hence ``prov:hadPlan``; ``prov:wasDerivedFrom``
  is kept as well because it is what PROV-aware tools follow.  Plain
  shortcuts (``:unit zhize:leads :task``) make simple queries simple.

IRIs are deterministic: every node is ``https://zhize.example/id/`` plus its
node id percent-encoded (UTF-8), so the same batch always gives the same
graph, and the RDF joins back to any store by id.  Qualified records
(associations, memberships, change events) are named by a hash of the
relationship's identity ``(start, type, end, key)``, the same identity the
stores MERGE on.  No blank nodes, so exports diff cleanly.
"""
from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass
from importlib import resources
from typing import Any, Optional
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, SKOS

from zhize.graph.model import GraphBatch, Node, Rel

BASE = "https://zhize.example/"
ZHIZE = Namespace(BASE + "ns#")
ID = Namespace(BASE + "id/")

#: CLI format name -> rdflib serialiser name
FORMATS: dict[str, str] = {"ttl": "turtle", "turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "json-ld": "json-ld"}

DUTY_ROLE = {"LEADS": ZHIZE.Lead, "RESPONSIBLE_FOR": ZHIZE.Responsible, "SUPPORTS": ZHIZE.Support}
DUTY_SHORTCUT = {"LEADS": ZHIZE.leads, "RESPONSIBLE_FOR": ZHIZE.responsibleFor, "SUPPORTS": ZHIZE.supports}
MEMBER_ROLE = {
    "head": ZHIZE.GroupHead,
    "deputy": ZHIZE.GroupDeputy,
    "member": ZHIZE.GroupMember,
    "office_head": ZHIZE.OfficeHead,
    "office_deputy": ZHIZE.OfficeDeputy,
}
PORTFOLIO_PROP = {
    "IN_CHARGE_OF": ZHIZE.inChargeOf,
    "SUPERVISES": ZHIZE.supervises,
    "LIAISES": ZHIZE.liaisesWith,
    "ASSISTS": ZHIZE.assists,
    "ACTING_FOR": ZHIZE.actingFor,
    "PARTNER_OF": ZHIZE.partnerOf,
}
# kinds that name one legal body; generic / collective mentions do not
FORMAL_KINDS = {"government", "department", "party", "judicial", "mass_org", "enterprise", "central"}

PREFIXES = {
    "zhize": ZHIZE, "id": ID, "org": ORG, "prov": PROV, "dcterms": DCTERMS,
    "skos": SKOS, "foaf": FOAF, "rdfs": RDFS, "xsd": XSD,
}


def vocabulary() -> Graph:
    """The zhize vocabulary (``graph/vocab.ttl``) as a graph."""
    g = Graph()
    g.parse(data=resources.files("zhize.graph").joinpath("vocab.ttl").read_text(encoding="utf-8"), format="turtle")
    return g


def node_iri(node_id: str) -> URIRef:
    """Deterministic IRI of a graph node: its id percent-encoded under ``/id/``."""
    return ID[quote(node_id, safe="")]


def rel_iri(rel: Rel, kind: str) -> URIRef:
    """A qualified record named by the relationship's identity, as the stores MERGE on."""
    ident = "\x1f".join((rel.start, rel.type, rel.end, rel.key))
    return ID[f"{kind}/{hashlib.sha1(ident.encode('utf-8')).hexdigest()[:20]}"]


def _zh(text: Any) -> Literal:
    return Literal(str(text), lang="zh")


_DATE_TYPES = ((re.compile(r"^\d{4}-\d{2}-\d{2}$"), XSD.date), (re.compile(r"^\d{4}-\d{2}$"), XSD.gYearMonth),
               (re.compile(r"^\d{4}$"), XSD.gYear))


def _date(value: Any) -> Optional[Literal]:
    """ISO dates as xsd:date; a reform known only by year or month as xsd:gYear / xsd:gYearMonth."""
    if not value:
        return None
    s = str(value)
    for pattern, datatype in _DATE_TYPES:
        if pattern.match(s):
            return Literal(s, datatype=datatype)
    return Literal(s)


_NAME_KEYS = {"Task": ("text", "task", "name"), "Document": ("title", "doc")}


def _name(node: Node) -> str:
    p = node.props
    for key in _NAME_KEYS.get(node.label, ("name", "position", "title", "text")):
        if p.get(key):
            return str(p[key])
    return node.id


@dataclass
class _Context:
    g: Graph
    nodes: dict[str, Node]
    doc_by_name: dict[Any, URIRef]        # (file, doc) and doc as printed -> IRI
    task_doc: dict[str, URIRef]           # task id -> document IRI (from IN)
    institution_by_name: dict[str, str]   # name or alias -> institution id

    def doc_of(self, rel: Rel) -> Optional[URIRef]:
        if rel.end in self.task_doc:
            return self.task_doc[rel.end]
        if rel.props.get("doc_id") in self.nodes:
            return node_iri(rel.props["doc_id"])
        return self.doc_named(rel.props.get("doc"), rel.props.get("file"))

    def doc_named(self, doc: Any, file: Any = None) -> Optional[URIRef]:
        """Documents are unique per (file, number); the number alone is the fallback."""
        if not doc:
            return None
        return self.doc_by_name.get((file, doc)) or self.doc_by_name.get(doc)


def to_graph(batch: GraphBatch, include_vocab: bool = True) -> Graph:
    """Every node and relationship of ``batch`` as RDF triples."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    if include_vocab:
        g += vocabulary()

    nodes = {n.id: n for n in batch.nodes}
    doc_by_name: dict[Any, URIRef] = {}
    for n in sorted(batch.nodes, key=lambda n: n.id):
        if n.label == "Document":
            for key in ("doc", "number", "title"):
                if n.props.get(key):
                    doc_by_name.setdefault((n.props.get("file"), n.props[key]), node_iri(n.id))
                    doc_by_name.setdefault(n.props[key], node_iri(n.id))
    task_doc = {r.start: node_iri(r.end) for r in batch.rels if r.type == "IN"}
    by_name: dict[str, str] = {}
    for n in sorted(batch.nodes, key=lambda n: n.id):
        if n.label == "Institution":
            for name in [n.props.get("name"), *(n.props.get("aliases") or ())]:
                if name:
                    by_name.setdefault(str(name), n.id)
    ctx = _Context(g, nodes, doc_by_name, task_doc, by_name)

    for n in sorted(batch.nodes, key=lambda n: (n.label, n.id)):
        _node(ctx, n)
    for r in sorted(batch.rels, key=lambda r: (r.type, r.start, r.end, r.key)):
        _rel(ctx, r)
    return g


def _node(ctx: _Context, n: Node) -> None:
    g, s, p = ctx.g, node_iri(n.id), n.props
    g.add((s, ZHIZE.nodeId, Literal(n.id)))
    label = _name(n)
    if p.get("jurisdiction") and n.label not in ("Institution", "Person"):
        g.add((s, ZHIZE.jurisdiction, _zh(p["jurisdiction"])))
    if n.label == "Document":
        g.add((s, RDF.type, FOAF.Document))
        g.add((s, RDF.type, PROV.Plan))
        if p.get("title"):
            g.add((s, DCTERMS.title, _zh(p["title"])))
        number = p.get("number") or p.get("doc")
        if number and number != p.get("title"):
            g.add((s, DCTERMS.identifier, Literal(str(number))))
        issued = _date(p.get("date"))
        if issued is not None:
            g.add((s, DCTERMS.issued, issued))
        if p.get("issuer"):
            g.add((s, DCTERMS.creator, _issuer(ctx, str(p["issuer"]))))
        if p.get("file"):
            g.add((s, ZHIZE.sourceFile, Literal(str(p["file"]))))
        g.add((s, RDFS.label, _zh(p.get("doc") or label)))
    elif n.label == "Task":
        g.add((s, RDF.type, ZHIZE.Task))
        g.add((s, RDFS.label, _zh(label)))
    elif n.label == "Institution":
        kind = p.get("kind")
        g.add((s, RDF.type, ORG.FormalOrganization if kind in FORMAL_KINDS else ORG.Organization))
        g.add((s, SKOS.prefLabel, _zh(label)))
        g.add((s, RDFS.label, _zh(label)))
        for alias in sorted(set(p.get("aliases") or ()) - {label}):
            g.add((s, SKOS.altLabel, _zh(alias)))
        if kind:
            g.add((s, ZHIZE.kind, Literal(kind)))
        if p.get("level"):
            g.add((s, ZHIZE.level, Literal(p["level"])))
        if p.get("jurisdiction"):
            g.add((s, ZHIZE.jurisdiction, _zh(p["jurisdiction"])))
    elif n.label == "Person":
        g.add((s, RDF.type, FOAF.Person))
        g.add((s, RDF.type, PROV.Agent))
        g.add((s, FOAF.name, _zh(label)))
        g.add((s, RDFS.label, _zh(label)))
        if p.get("jurisdiction"):
            g.add((s, ZHIZE.jurisdiction, _zh(p["jurisdiction"])))
    elif n.label == "Group":
        g.add((s, RDF.type, ORG.OrganizationalCollaboration))
        g.add((s, SKOS.prefLabel, _zh(label)))
        g.add((s, RDFS.label, _zh(label)))
        for alias in sorted(set(p.get("aliases") or ()) - {label}):
            g.add((s, SKOS.altLabel, _zh(alias)))
        doc = ctx.doc_named(p.get("doc"), p.get("file"))
        if doc is not None:
            g.add((s, PROV.wasDerivedFrom, doc))
    elif n.label == "Post":
        g.add((s, RDF.type, ORG.Post))
        g.add((s, SKOS.prefLabel, _zh(label)))
        g.add((s, RDFS.label, _zh(label)))
    elif n.label == "Area":
        g.add((s, RDF.type, ZHIZE.Area))
        g.add((s, SKOS.prefLabel, _zh(label)))
        g.add((s, RDFS.label, _zh(label)))
    elif n.label == "Source":
        # the file as read, known by the hash of its bytes
        g.add((s, RDF.type, PROV.Entity))
        g.add((s, RDFS.label, Literal(str(p.get("file") or n.id))))
        if p.get("file"):
            g.add((s, ZHIZE.sourceFile, Literal(str(p["file"]))))
    else:
        g.add((s, RDFS.label, _zh(label)))


def _issuer(ctx: _Context, issuer: str):
    """The issuing institution's IRI when the batch holds it, else its printed name."""
    ident = ctx.institution_by_name.get(issuer)
    return node_iri(ident) if ident else _zh(issuer)


def _provenance(ctx: _Context, s: URIRef, rel: Rel) -> None:
    g, p = ctx.g, rel.props
    doc = ctx.doc_of(rel)
    if doc is not None:
        g.add((s, DCTERMS.source, doc))
    if p.get("file"):
        g.add((s, ZHIZE.sourceFile, Literal(str(p["file"]))))
    if p.get("start") is not None:
        g.add((s, ZHIZE.startOffset, Literal(int(p["start"]))))
    if p.get("end") is not None:
        g.add((s, ZHIZE.endOffset, Literal(int(p["end"]))))
    if p.get("evidence"):
        g.add((s, ZHIZE.evidence, _zh(p["evidence"])))


def _rel(ctx: _Context, r: Rel) -> None:
    g, p = ctx.g, r.props
    a, b = node_iri(r.start), node_iri(r.end)
    t = r.type
    if t in DUTY_ROLE:
        assoc = rel_iri(r, "duty")
        g.add((b, PROV.qualifiedAssociation, assoc))
        g.add((b, PROV.wasAssociatedWith, a))
        g.add((a, DUTY_SHORTCUT[t], b))
        g.add((assoc, RDF.type, PROV.Association))
        g.add((assoc, PROV.agent, a))
        g.add((assoc, PROV.hadRole, DUTY_ROLE[t]))
        doc = ctx.doc_of(r)
        if doc is not None:
            g.add((assoc, PROV.hadPlan, doc))
            g.add((assoc, PROV.wasDerivedFrom, doc))
        if p.get("mention"):
            g.add((assoc, ZHIZE.mention, _zh(p["mention"])))
        if p.get("generic") is not None:
            g.add((assoc, ZHIZE.generic, Literal(bool(p["generic"]))))
        if p.get("form"):
            g.add((assoc, ZHIZE.form, Literal(p["form"])))
        _provenance(ctx, assoc, r)
    elif t == "IN":
        g.add((a, DCTERMS.isPartOf, b))
        g.add((a, PROV.wasDerivedFrom, b))
    elif t == "MEMBER_OF":
        start = ctx.nodes.get(r.start)
        role = MEMBER_ROLE.get(str(p.get("role")), ZHIZE.GroupMember)
        if start is not None and start.label == "Post":
            # a seat filled by a post, no person named: the post belongs to the group
            g.add((a, ORG.postIn, b))
            g.add((b, ORG.hasPost, a))
            g.add((a, ORG.role, role))
            if p.get("role_text"):
                g.add((a, ZHIZE.roleText, _zh(p["role_text"])))
            return
        m = rel_iri(r, "membership")
        g.add((m, RDF.type, ORG.Membership))
        g.add((m, ORG.member, a))
        g.add((m, ORG.organization, b))
        g.add((m, ORG.role, role))
        g.add((a, ORG.memberOf, b))
        if p.get("role_text"):
            g.add((m, ZHIZE.roleText, _zh(p["role_text"])))
        if p.get("position"):
            g.add((m, ZHIZE.position, _zh(p["position"])))
        _provenance(ctx, m, r)
    elif t == "MEMBER_UNIT_OF":
        m = rel_iri(r, "membership")
        g.add((m, RDF.type, ORG.Membership))
        g.add((m, ORG.member, a))
        g.add((m, ORG.organization, b))
        g.add((m, ORG.role, ZHIZE.MemberUnit))
        g.add((a, ORG.memberOf, b))
        g.add((b, ORG.hasMember, a))
        _provenance(ctx, m, r)
    elif t == "OFFICE_AT":
        office = ID[quote(r.start, safe="") + "/office"]
        g.add((office, RDF.type, ORG.OrganizationalUnit))
        g.add((a, ORG.hasUnit, office))
        g.add((office, ORG.unitOf, a))
        g.add((office, ZHIZE.hostedBy, b))
        group = ctx.nodes.get(r.start)
        if group is not None:
            g.add((office, RDFS.label, _zh(_name(group) + "办公室")))
        _provenance(ctx, office, r)
    elif t == "HOLDS":
        action = p.get("action")
        if action != "remove":
            g.add((a, ORG.holds, b))
            g.add((b, ORG.heldBy, a))
        ev = rel_iri(r, "postchange")
        g.add((ev, RDF.type, ZHIZE.PostChange))
        g.add((ev, ZHIZE.person, a))
        g.add((ev, ZHIZE.post, b))
        if action:
            g.add((ev, ZHIZE.action, Literal(action)))
        when = _date(p.get("date"))
        if when is not None:
            g.add((ev, DCTERMS.date, when))
        _provenance(ctx, ev, r)
    elif t in PORTFOLIO_PROP:
        g.add((a, PORTFOLIO_PROP[t], b))
    elif t == "PRINTED_IN":
        g.add((a, PROV.hadPrimarySource, b))
        if p.get("file"):
            g.add((a, ZHIZE.sourceFile, Literal(str(p["file"]))))
    elif t == "SUCCEEDED_BY":
        ev = rel_iri(r, "change")
        g.add((ev, RDF.type, ORG.ChangeEvent))
        g.add((ev, RDF.type, PROV.Activity))
        g.add((ev, ORG.originalOrganization, a))
        g.add((ev, ORG.resultingOrganization, b))
        g.add((a, ORG.changedBy, ev))
        g.add((b, ORG.resultedFrom, ev))
        when = _date(p.get("date"))
        if when is not None:
            g.add((ev, DCTERMS.date, when))
        if p.get("source"):
            g.add((ev, DCTERMS.source, _zh(p["source"])))
    else:
        # an unknown relationship still exports, as a plain link in our namespace
        g.add((a, ZHIZE[t.lower()], b))


def serialize(batch: GraphBatch, fmt: str = "ttl", include_vocab: bool = True) -> str:
    """``batch`` as text in ``fmt`` (ttl | nt | jsonld)."""
    return serialize_graph(to_graph(batch, include_vocab=include_vocab), fmt)


def serialize_graph(g: Graph, fmt: str = "ttl") -> str:
    """``g`` as text; N-Triples lines sorted so two exports of one corpus diff cleanly."""
    name = FORMATS.get(fmt)
    if name is None:
        raise ValueError(f"unknown RDF format {fmt!r}; use one of ttl, nt, jsonld")
    if name == "nt":
        lines = [ln for ln in g.serialize(format="nt").splitlines() if ln.strip()]
        return "\n".join(sorted(lines)) + "\n"
    if name == "json-ld":
        context = {k: str(v) for k, v in PREFIXES.items()}
        return g.serialize(format="json-ld", context=context, indent=1, ensure_ascii=False)
    return g.serialize(format=name)


def write(batch: GraphBatch, out: str, fmt: str = "ttl", include_vocab: bool = True) -> int:
    """Write the export to ``out`` (``-`` for stdout); returns the number of triples."""
    g = to_graph(batch, include_vocab)
    text = serialize_graph(g, fmt)
    if out == "-":
        sys.stdout.write(text)
    else:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(text)
    return len(g)


# --- asking the graph ---------------------------------------------------------------

WHO_LEADS = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX zhize: <https://zhize.example/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?unit ?name ?evidence WHERE {
  ?task a zhize:Task ; rdfs:label ?label ; prov:qualifiedAssociation ?a .
  ?a prov:hadRole zhize:Lead ; prov:agent ?unit .
  ?unit rdfs:label ?name .
  OPTIONAL { ?a zhize:evidence ?evidence }
  FILTER(CONTAINS(STR(?label), STR(?words)))
} ORDER BY ?name
"""


def who_leads(g: Graph, words: str) -> list[tuple[str, str]]:
    """(unit IRI, unit name) of every lead of the tasks whose text contains ``words``."""
    rows = g.query(WHO_LEADS, initBindings={"words": Literal(words)})
    seen: dict[str, str] = {}
    for row in rows:
        seen.setdefault(str(row.unit), str(row.name))
    return sorted(seen.items(), key=lambda kv: kv[1])


__all__ = [
    "BASE", "ZHIZE", "ID", "FORMATS", "node_iri", "rel_iri", "to_graph", "serialize", "serialize_graph", "write",
    "vocabulary", "who_leads", "WHO_LEADS",
]
