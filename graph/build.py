"""Resolved facts to a ``GraphBatch``: the one place that decides the graph's shape.

Every store loads the same batch, so the Neo4j and SQLite graphs cannot drift.
Ids are deterministic (the same facts always give the same graph) and every
relationship read from text carries its provenance: ``doc``, ``evidence``,
``file``, ``start``, ``end`` (offsets in the file as read).

Decisions worth knowing:

* A task is one node per (document, task text), ``text`` as printed (layout
  spaces removed) and ``search`` its compared form (NFKC) for word queries;
  each unit's role on it is one
  relationship (``LEADS`` / ``RESPONSIBLE_FOR`` / ``SUPPORTS``), keyed so a
  repeated (task, unit, role) stays one edge (the first printed evidence wins).
* A roster seat filled by a post, not a named person (``person`` null, e.g.
  总召集人: 省人民政府分管副省长), is a ``Post`` node with
  ``(:Post)-[:MEMBER_OF]->(:Group)``: the seat belongs to whoever holds the
  post, and the same Post node is what ``HOLDS`` from appointments points at.
  A leader printed only by post in a portfolio is likewise the ``Post`` node.
* Posts printed beside a person (roster, portfolio) become ``HOLDS`` with
  ``action`` = ``member`` / ``portfolio``; a compound post
  (``州政府副秘书长、州发展改革委主任``) gives one ``HOLDS`` per part.
* Portfolio objects: the resolved unit or person when resolution set
  ``object_id``; otherwise a person for ``acting``/``partner``, a unit for
  ``supervises``/``liaises``, an ``Area`` (审计, 教育) for ``in_charge``/``assists``.
* Ids come from ``resolution.ids`` (or the ids a fact was made with). Facts
  without ids (resolution not run, or it found nothing) still load: the id
  falls back to the printed name plus the document's jurisdiction.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import Any, Optional

from zhize.extract.entities import Institution, PersonEntity, Resolution
from zhize.extract.types import (
    AppointmentFact,
    DocumentFact,
    DutyFact,
    Fact,
    GroupUnitFact,
    MemberFact,
    PortfolioFact,
)
from zhize.graph.model import DUTY_REL, PORTFOLIO_REL, GraphBatch, Node, Rel
from zhize.graph.semantics import clean_name, jurisdiction_of, squeeze


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def document_id(file: str, doc: str) -> str:
    return f"doc:{_digest(file, doc)}"


def task_id(doc_id: str, task: str) -> str:
    return f"task:{_digest(doc_id, clean_name(task))}"


def fallback_id(prefix: str, name: str, jurisdiction: Optional[str]) -> str:
    """Id of a thing resolution did not identify: its printed name within its jurisdiction."""
    return f"{prefix}:{jurisdiction or ''}:{clean_name(name)}"


def _provenance(fact: Fact, seq: int = 0) -> dict[str, Any]:
    prov = {
        "seq": seq,                  # print order among the facts sharing one evidence
        "doc": fact.doc,
        "evidence": fact.evidence,
        "file": fact.source.file,
        "start": fact.source.start,
        "end": fact.source.end,
    }
    if fact.source.page is not None:  # a PDF's page; offsets point into its extracted text
        prov["page"] = fact.source.page
    return prov


def _split_posts(position: Optional[str]) -> list[str]:
    return [p for p in (squeeze(x) for x in (position or "").split("、")) if p]


@dataclass
class _Doc:
    id: str
    doc: str
    file: str
    date: Optional[str]
    title: str
    jurisdiction: Optional[str]


class _Builder:
    def __init__(self, resolution: Resolution) -> None:
        self.res = resolution
        self.nodes: dict[str, Node] = {}
        self.rels: dict[tuple[str, str, str, str], Rel] = {}
        self.docs: dict[tuple[str, str], _Doc] = {}
        self.mentions: Counter[str] = Counter()
        self.seq = 0

    def prov(self, fact: Fact) -> dict[str, Any]:
        return _provenance(fact, self.seq)

    # --- nodes ------------------------------------------------------------------
    def node(self, label: str, ident: str, props: dict[str, Any]) -> str:
        if ident not in self.nodes:          # first definition wins: facts arrive in print order
            self.nodes[ident] = Node(label=label, id=ident, props=props)
        return ident

    def rel(self, type_: str, start: str, end: str, key: str, props: dict[str, Any]) -> None:
        k = (start, type_, end, key)
        if k not in self.rels:
            self.rels[k] = Rel(type=type_, start=start, end=end, key=key, props=props)

    def document(self, fact: DocumentFact) -> _Doc:
        key = (fact.source.file, fact.doc)
        if key in self.docs:
            return self.docs[key]
        d = _Doc(document_id(*key), fact.doc, fact.source.file, fact.date, fact.title,
                 jurisdiction_of(fact.issuer))
        self.docs[key] = d
        props = {
            "doc": fact.doc, "title": fact.title, "issuer": fact.issuer, "date": fact.date,
            "file": fact.source.file, "start": fact.source.start, "end": fact.source.end,
            "jurisdiction": d.jurisdiction,
        }
        if fact.source.page is not None:
            props["page"] = fact.source.page
        self.node("Document", d.id, props)
        return d

    def doc_of(self, fact: Fact) -> _Doc:
        """The fact's document; one with no document record gets a minimal node."""
        key = (fact.source.file, fact.doc)
        if key not in self.docs:
            stub = DocumentFact(doc=fact.doc, source=fact.source, evidence="", title=fact.doc,
                                issuer=None, date=None)
            return self.document(stub)
        return self.docs[key]

    def institution(self, unit_id: Optional[str], printed: str, d: _Doc, generic: bool = False) -> str:
        inst: Optional[Institution] = self.res.institutions.get(unit_id) if unit_id else None
        ident = unit_id or fallback_id("inst", printed, d.jurisdiction)
        self.mentions[ident] += 1
        if inst is not None:
            self.node("Institution", ident, _institution_props(inst))
        else:
            self.node("Institution", ident, {
                "name": squeeze(printed), "kind": "generic" if generic else "unresolved",
                "jurisdiction": d.jurisdiction, "level": None, "aliases": [squeeze(printed)],
                "resolved_by": "none", "mentions": 0,
            })
        return ident

    def person(self, person_id: Optional[str], printed: str, d: _Doc) -> str:
        ent: Optional[PersonEntity] = self.res.persons.get(person_id) if person_id else None
        ident = person_id or fallback_id("person", printed, d.jurisdiction)
        self.mentions[ident] += 1
        if ent is not None:
            self.node("Person", ident, {"name": ent.name, "jurisdiction": ent.jurisdiction,
                                        "mentions": ent.mentions})
        else:
            self.node("Person", ident, {"name": squeeze(printed), "jurisdiction": d.jurisdiction,
                                        "mentions": 0})
        return ident

    def post(self, position: str, d: _Doc) -> str:
        ident = fallback_id("post", position, d.jurisdiction)
        return self.node("Post", ident, {"name": squeeze(position), "jurisdiction": d.jurisdiction})

    def group(self, group_id: Optional[str], name: str, d: _Doc) -> str:
        ident = group_id or fallback_id("group", name, d.jurisdiction or d.doc)
        return self.node("Group", ident, {"name": squeeze(name), "doc": d.doc,
                                          "jurisdiction": d.jurisdiction})

    def area(self, name: str, d: _Doc) -> str:
        ident = fallback_id("area", name, d.jurisdiction)
        return self.node("Area", ident, {"name": squeeze(name), "jurisdiction": d.jurisdiction})

    def holds(self, person: str, position: Optional[str], action: str, d: _Doc, fact: Fact,
              extra: Optional[dict[str, Any]] = None) -> None:
        for part in ([squeeze(position)] if action in ("appoint", "remove") else _split_posts(position)):
            if not part:
                continue
            post = self.post(part, d)
            props = {"action": action, "position": part, "date": d.date, **self.prov(fact), **(extra or {})}
            self.rel("HOLDS", person, post, f"{d.id}|{action}", props)

    # --- facts ------------------------------------------------------------------
    def duty(self, f: DutyFact) -> None:
        d = self.doc_of(f)
        t = task_id(d.id, f.task)
        self.node("Task", t, {"text": squeeze(f.task), "search": clean_name(f.task), "doc": d.doc, "file": d.file,
                              "date": d.date, "title": d.title, "doc_id": d.id})
        self.rel("IN", t, d.id, "", {"doc": d.doc})
        unit = self.institution(self.res.id_of(f, "unit_id"), f.unit, d, f.generic)
        self.rel(DUTY_REL[f.role], unit, t, "", {
            "role": f.role, "mention": squeeze(f.unit), "generic": bool(f.generic),
            "form": f.form, "date": d.date, **self.prov(f),
        })

    def member(self, f: MemberFact) -> None:
        d = self.doc_of(f)
        g = self.group(self.res.id_of(f, "group_id"), f.group, d)
        props = {"role": f.role, "role_text": f.role_text, "position": f.position,
                 "person": squeeze(f.person) if f.person else None, "date": d.date, **self.prov(f)}
        if f.person:
            who = self.person(self.res.id_of(f, "person_id"), f.person, d)
            self.holds(who, f.position, "member", d, f)
        else:
            who = self.post(f.position or f.role_text, d)
        self.rel("MEMBER_OF", who, g, f"{d.id}|{f.role}", props)

    def group_unit(self, f: GroupUnitFact) -> None:
        d = self.doc_of(f)
        g = self.group(self.res.id_of(f, "group_id"), f.group, d)
        unit = self.institution(self.res.id_of(f, "unit_id"), f.unit, d)
        props = {"relation": f.relation, "mention": squeeze(f.unit), "date": d.date, **self.prov(f)}
        if f.relation == "office_host":
            self.rel("OFFICE_AT", g, unit, d.id, props)
        else:
            self.rel("MEMBER_UNIT_OF", unit, g, d.id, props)

    def portfolio(self, f: PortfolioFact) -> None:
        d = self.doc_of(f)
        if f.person:
            who = self.person(self.res.id_of(f, "person_id"), f.person, d)
            self.holds(who, f.position, "portfolio", d, f)
        else:
            who = self.post(f.position or "", d)
        obj = self.portfolio_object(f, d)
        self.rel(PORTFOLIO_REL[f.relation], who, obj, d.id, {
            "relation": f.relation, "object": squeeze(f.object), "scope": f.scope,
            "position": f.position, "date": d.date, **self.prov(f),
        })

    def portfolio_object(self, f: PortfolioFact, d: _Doc) -> str:
        oid = self.res.id_of(f, "object_id")
        if oid and oid in self.res.persons:
            return self.person(oid, f.object, d)
        if oid and oid in self.res.institutions:
            return self.institution(oid, f.object, d)
        if f.relation in ("acting", "partner"):
            return self.person(oid, f.object, d)
        if oid or f.relation in ("supervises", "liaises"):
            return self.institution(oid, f.object, d)
        return self.area(f.object, d)

    def appointment(self, f: AppointmentFact) -> None:
        d = self.doc_of(f)
        who = self.person(self.res.id_of(f, "person_id"), f.person, d)
        self.holds(who, f.position, f.action, d, f, {"notes": list(f.notes or [])})

    def successions(self) -> None:
        for s in self.res.successions:
            for ident in (s.predecessor, s.successor):
                inst = self.res.institutions.get(ident)
                if inst is not None:
                    self.node("Institution", ident, _institution_props(inst))
            if s.predecessor in self.nodes and s.successor in self.nodes:
                self.rel("SUCCEEDED_BY", s.predecessor, s.successor, "",
                         {"date": s.date, "source": s.source})

    def batch(self) -> GraphBatch:
        nodes = []
        for n in self.nodes.values():
            if n.label in ("Institution", "Person") and not n.props.get("mentions"):
                n = Node(n.label, n.id, {**n.props, "mentions": self.mentions[n.id]})
            nodes.append(n)
        nodes.sort(key=lambda n: (n.label, n.id))
        rels = sorted(self.rels.values(), key=lambda r: (r.type, r.start, r.end, r.key))
        return GraphBatch(nodes=nodes, rels=rels)


def _institution_props(inst: Institution) -> dict[str, Any]:
    return {
        "name": inst.name, "kind": inst.kind, "jurisdiction": inst.jurisdiction, "level": inst.level,
        "aliases": sorted(inst.aliases | {inst.name}), "resolved_by": inst.resolved_by,
        "mentions": inst.mentions,
    }


_HANDLERS = {
    DutyFact: _Builder.duty,
    MemberFact: _Builder.member,
    GroupUnitFact: _Builder.group_unit,
    PortfolioFact: _Builder.portfolio,
    AppointmentFact: _Builder.appointment,
}


def build_graph(facts: list[Fact], documents: list[DocumentFact], resolution: Resolution) -> GraphBatch:
    """Nodes and relationships for ``facts``; ``documents`` may also be mixed into ``facts``."""
    b = _Builder(resolution)
    docs = [f for f in facts if isinstance(f, DocumentFact)] + list(documents)
    for d in sorted(docs, key=lambda f: (f.source.file, f.source.start, f.doc)):
        b.document(d)
    rest = [f for f in facts if not isinstance(f, DocumentFact)]
    seen: Counter[tuple] = Counter()
    for f in sorted(rest, key=lambda f: (f.source.file, f.source.start, f.source.end, f.kind)):
        where = (f.source.file, f.source.start, f.source.end)
        b.seq = seen[where]
        seen[where] += 1
        _HANDLERS[type(f)](b, f)
    b.successions()
    return b.batch()
