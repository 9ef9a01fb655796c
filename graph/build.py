"""Resolved facts to a ``GraphBatch``: the one place that decides the graph's shape.

Every store loads the same batch, so the Neo4j and SQLite graphs cannot drift.
Ids are deterministic (the same facts always give the same graph) and every
relationship read from text carries its provenance: ``doc``, ``evidence``,
``file``, ``start``, ``end`` (offsets in the file as read).

Decisions worth knowing:

* Where facts come from is a **source**: a file identified by the SHA-256 of
  its bytes (``SourceFile``), a ``Source`` node in the graph.  Every node and
  relationship lists the sources asserting it (``sources``), so a store can
  replace one file's facts without touching another's.  A relationship with
  a quote and offsets is one provenance and is keyed by its source: the same
  notice in two files gives two duty relationships on one task.
* A document is identified by its issuer and number (or title when it has
  none), never by the file it was read from: the same notice in two files is
  one ``Document`` with two ``PRINTED_IN`` relationships (file, offsets), and
  two files of one base name in two folders stay two sources.
* A task is one node per (document, task text), ``text`` as printed (layout
  spaces removed) and ``search`` its compared form (NFKC) for word queries;
  each unit's role on it is one
  relationship (``LEADS`` / ``RESPONSIBLE_FOR`` / ``SUPPORTS``) per source, keyed
  so a repeated (task, unit, role) in one file stays one edge (the first
  printed evidence wins).
* ``mentions`` counts the provenance relationships naming an Institution or
  Person (``names_start`` / ``names_end`` in the model); the stores keep the
  same count over everything they hold.  An institution's ``alias_sources``
  says which source printed (or registered) each alias.
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
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

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
from zhize.graph.model import DUTY_REL, PORTFOLIO_REL, GraphBatch, Node, Rel, names_end, names_start
from zhize.graph.search import find_text
from zhize.graph.semantics import clean_name, jurisdiction_of, squeeze


@dataclass(frozen=True)
class SourceFile:
    """One file's identity: the SHA-256 of its bytes, with where it was read."""

    sha256: str
    file: str                  # base name, as the facts' evidence names it
    path: str = ""             # absolute path it was read from, "" when unknown
    size: int = 0

    @classmethod
    def of_bytes(cls, path: str | Path, data: bytes) -> "SourceFile":
        p = Path(path)
        return cls(hashlib.sha256(data).hexdigest(), p.name, str(p.resolve()), len(data))

    @classmethod
    def named(cls, file: str) -> "SourceFile":
        """A source known only by its name (facts built without their file: tests, exports)."""
        return cls(hashlib.sha256(f"file name:{file}".encode("utf-8")).hexdigest(), file)

    @property
    def node_id(self) -> str:
        return source_id(self.sha256)


def source_id(sha256: str) -> str:
    return f"source:{sha256}"


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def document_id(issuer: Optional[str], doc: str) -> str:
    """A document is its issuer and number (or title): the same notice read from two files is one."""
    return f"doc:{_digest(clean_name(issuer), clean_name(doc))}"


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


def _alias_key(name: str) -> str:
    from zhize.extract.resolve import clean
    return clean(name)


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
        self.sources_of: dict[str, set[str]] = defaultdict(set)          # node id or rel key -> sources
        self.docs: dict[tuple[str, str], _Doc] = {}
        self.printed: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # inst -> source -> aliases
        self.src: Optional[SourceFile] = None           # the source whose facts are being built
        self.all_sources: list[str] = []
        self.seq = 0

    def prov(self, fact: Fact) -> dict[str, Any]:
        return {**_provenance(fact, self.seq), "doc_id": self.doc_of(fact).id}

    @property
    def by_source(self) -> str:
        """The part of a provenance relationship's key that makes it this source's own."""
        return self.src.sha256[:16]

    # --- nodes ------------------------------------------------------------------
    def node(self, label: str, ident: str, props: dict[str, Any]) -> str:
        if ident not in self.nodes:          # first definition wins: facts arrive in print order
            self.nodes[ident] = Node(label=label, id=ident, props=props)
        if self.src is not None:
            self.sources_of[ident].add(self.src.sha256)
        return ident

    def rel(self, type_: str, start: str, end: str, key: str, props: dict[str, Any], provenance: bool = True) -> None:
        """A relationship; one with a quote and offsets (``provenance``) is keyed by its source."""
        if provenance:
            key = f"{key}|{self.by_source}" if key else self.by_source
        k = (start, type_, end, key)
        if k not in self.rels:
            self.rels[k] = Rel(type=type_, start=start, end=end, key=key, props=props)
        if self.src is not None:
            self.sources_of[k].add(self.src.sha256)

    def source(self, src: SourceFile) -> None:
        self.src = src
        self.all_sources.append(src.sha256)
        self.node("Source", src.node_id, {"sha256": src.sha256, "file": src.file, "path": src.path,
                                          "size": src.size})

    def document(self, fact: DocumentFact) -> _Doc:
        key = (self.src.sha256, fact.doc)
        if key in self.docs:
            return self.docs[key]
        d = _Doc(document_id(fact.issuer, fact.doc), fact.doc, fact.source.file, fact.date, fact.title,
                 jurisdiction_of(fact.issuer))
        self.docs[key] = d
        props = {
            "doc": fact.doc, "title": fact.title, "issuer": fact.issuer, "date": fact.date,
            "jurisdiction": d.jurisdiction,
        }
        self.node("Document", d.id, props)
        printed = {"doc": fact.doc, "file": fact.source.file, "start": fact.source.start, "end": fact.source.end,
                   "evidence": fact.evidence}
        if fact.source.page is not None:       # a PDF's page; offsets point into its extracted text
            printed["page"] = fact.source.page
        self.rel("PRINTED_IN", d.id, self.src.node_id, "", printed, provenance=False)   # its end is the source
        return d

    def doc_of(self, fact: Fact) -> _Doc:
        """The fact's document; one with no document record gets a minimal node."""
        key = (self.src.sha256, fact.doc)
        if key not in self.docs:
            stub = DocumentFact(doc=fact.doc, source=fact.source, evidence="", title=fact.doc,
                                issuer=None, date=None)
            return self.document(stub)
        return self.docs[key]

    def institution(self, unit_id: Optional[str], printed: str, d: _Doc, generic: bool = False) -> str:
        inst: Optional[Institution] = self.res.institutions.get(unit_id) if unit_id else None
        ident = unit_id or fallback_id("inst", printed, d.jurisdiction)
        if inst is not None:
            self.node("Institution", ident, _institution_props(inst))
            self.printed[ident][self.src.sha256].add(_alias_key(printed))
        else:
            self.node("Institution", ident, {
                "name": squeeze(printed), "kind": "generic" if generic else "unresolved",
                "jurisdiction": d.jurisdiction, "level": None, "aliases": [squeeze(printed)],
                "resolved_by": "none", "mentions": 0,
            })
            self.printed[ident][self.src.sha256].add(squeeze(printed))
        return ident

    def person(self, person_id: Optional[str], printed: str, d: _Doc) -> str:
        ent: Optional[PersonEntity] = self.res.persons.get(person_id) if person_id else None
        ident = person_id or fallback_id("person", printed, d.jurisdiction)
        if ent is not None:
            self.node("Person", ident, {"name": ent.name, "jurisdiction": ent.jurisdiction, "mentions": 0})
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
        self.node("Task", t, {"text": squeeze(f.task), "search": clean_name(f.task), "doc": d.doc,
                              "date": d.date, "title": d.title, "doc_id": d.id,
                              "section": f.section, "find": find_text(f.task, f.section, d.title)})
        self.rel("IN", t, d.id, "", {"doc": d.doc}, provenance=False)
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
        """Reforms linking the institutions the batch holds, asserted by the sources asserting their ends
        (a reform neither end of which the batch names: by every source of the batch)."""
        self.src = None                       # nothing below is printed in one source
        pending = list(self.res.successions)
        everyone = set(self.all_sources)
        while pending:
            later = []
            for s in pending:
                srcs = self.sources_of.get(s.predecessor, set()) | self.sources_of.get(s.successor, set())
                if srcs:
                    self.succession(s, srcs)
                else:
                    later.append(s)
            if len(later) == len(pending):
                for s in later:
                    self.succession(s, everyone)
                break
            pending = later

    def succession(self, s, srcs: set[str]) -> None:
        for ident in (s.predecessor, s.successor):
            inst = self.res.institutions.get(ident)
            if inst is not None:
                self.node("Institution", ident, _institution_props(inst))
                self.sources_of[ident] |= srcs
        if s.predecessor in self.nodes and s.successor in self.nodes:
            self.rel("SUCCEEDED_BY", s.predecessor, s.successor, "", {"date": s.date, "source": s.source},
                     provenance=False)
            self.sources_of[(s.predecessor, "SUCCEEDED_BY", s.successor, "")] |= srcs

    def batch(self) -> GraphBatch:
        mentions: Counter[str] = Counter()
        for r in self.rels.values():
            if names_start(r.type, r.props):
                mentions[r.start] += 1
            if names_end(r.type):
                mentions[r.end] += 1
        nodes = []
        for n in self.nodes.values():
            props = n.props
            if n.label in ("Institution", "Person"):
                props = {**props, "mentions": mentions[n.id]}
            if n.label == "Institution":
                props = {**props, **self.alias_props(n)}
            nodes.append(Node(n.label, n.id, props, tuple(sorted(self.sources_of[n.id]))))
        nodes.sort(key=lambda n: (n.label, n.id))
        rels = [Rel(r.type, r.start, r.end, r.key, r.props, tuple(sorted(self.sources_of[k])))
                for k, r in self.rels.items()]
        rels.sort(key=lambda r: (r.type, r.start, r.end, r.key))
        return GraphBatch(nodes=nodes, rels=rels)

    def alias_props(self, n: Node) -> dict[str, Any]:
        """``aliases`` and, per source, the aliases it printed (plus the registry's, which every source has)."""
        printed = self.printed.get(n.id, {})
        printed_anywhere = set().union(*printed.values()) if printed else set()
        registered = set(n.props.get("aliases") or ()) - printed_anywhere
        per_source = {src: registered | printed.get(src, set()) for src in self.sources_of[n.id]}
        return {"aliases": sorted(set().union(registered, *per_source.values())),
                "alias_sources": sorted(f"{src}:{a}" for src, names in per_source.items() for a in names)}


def _institution_props(inst: Institution) -> dict[str, Any]:
    return {
        "name": inst.name, "kind": inst.kind, "jurisdiction": inst.jurisdiction, "level": inst.level,
        "aliases": sorted(inst.aliases | {inst.name}), "resolved_by": inst.resolved_by,
        "mentions": 0,
    }


_HANDLERS = {
    DutyFact: _Builder.duty,
    MemberFact: _Builder.member,
    GroupUnitFact: _Builder.group_unit,
    PortfolioFact: _Builder.portfolio,
    AppointmentFact: _Builder.appointment,
}


def build_sources(parts: Sequence[tuple[SourceFile, Iterable[Fact]]], resolution: Resolution) -> GraphBatch:
    """Nodes and relationships for each source's facts (documents among them), one batch for all.

    Every item lists the sources asserting it; a relationship carrying a quote is
    its source's own (its key says which), so replacing one source in a store
    leaves the others' provenance whole.
    """
    b = _Builder(resolution)
    for src, facts in sorted(parts, key=lambda p: (p[0].file, p[0].sha256)):
        b.source(src)
        facts = list(facts)
        for d in sorted((f for f in facts if isinstance(f, DocumentFact)), key=lambda f: (f.source.start, f.doc)):
            b.document(d)
        seen: Counter[tuple] = Counter()
        for f in sorted((f for f in facts if not isinstance(f, DocumentFact)),
                        key=lambda f: (f.source.start, f.source.end, f.kind)):
            where = (f.source.start, f.source.end)
            b.seq = seen[where]
            seen[where] += 1
            _HANDLERS[type(f)](b, f)
    b.successions()
    return b.batch()


def build_graph(facts: list[Fact], documents: list[DocumentFact], resolution: Resolution) -> GraphBatch:
    """Nodes and relationships for ``facts`` (``documents`` may also be mixed into ``facts``).

    Without the files themselves, each file name the facts carry is one source
    (``SourceFile.named``); ``zhize ingest`` uses ``build_sources`` with content hashes.
    """
    by_file: dict[str, list[Fact]] = defaultdict(list)
    for f in [*documents, *facts]:
        by_file[f.source.file].append(f)
    return build_sources([(SourceFile.named(file), fs) for file, fs in by_file.items()], resolution)
