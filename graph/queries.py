"""Every store query, written once: answers assembled from the rows a store's reader selects.

A store is a writer plus a query side.  The query side is this module's
``StoreQueries`` over the store's reader (``zhize.graph.sqlite_rows``,
``zhize.graph.neo4j_rows``), which answers a handful of row questions (``Rows``):
a node, the edges at some nodes, the nodes whose name contains a text, the
tasks whose text contains words, a task's duties.  A node comes as its props
dict, a relationship as its props plus ``src``, ``type``, ``dst`` and ``key``
(``rel_row``).  Grouping, de-duplication and order follow
``zhize.graph.semantics``, so the two stores cannot drift apart: a new query is
its result type and protocol line (``zhize.graph.model``), its method here, and
its contract test (tests/test_store_contract.py).  Only the network counts
(``co_responsibility``, ``role_counts``) are the readers' own, as they
aggregate 10^5 duties where the rows are.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any, Callable, Iterable, Mapping, Optional, Protocol, Sequence, TypeVar

from zhize.graph import search
from zhize.graph.analysis import AnalysisQueries
from zhize.graph.model import (
    DUTY_REL,
    NODE_LABELS,
    PORTFOLIO_REL,
    CoEdge,
    Evidence,
    GraphBatch,
    GroupInfo,
    GroupMembership,
    InstitutionInfo,
    NetworkFilter,
    Node,
    PersonInfo,
    PersonProfile,
    PortfolioItem,
    PostHeld,
    Rel,
    Roster,
    RosterEntry,
    SourceInfo,
    Succession,
    TaskOwners,
    UnitRef,
    UnitTask,
)
from zhize.graph.semantics import (
    MEMBER_ROLES,
    PORTFOLIO_RELATIONS,
    REL_TO_PORTFOLIO,
    REL_TO_ROLE,
    REL_TYPES,
    ROLES,
    first_of,
    oldest_first,
    print_order,
    rank,
    search_key,
    squeeze,
    task_key,
)

Props = dict[str, Any]
Edge = tuple[Props, str, Props]     # a relationship row, and the label and props of its other end
# a relationship from a unit to a task, as (src, type, dst, key) and what orders it: the task's date and
# doc, the evidence's file and offset
EdgeKey = tuple[str, str, str, str, Optional[str], str, str, int]
TaskRow = tuple[str, Props, Props, list[tuple[Props, Props]]]   # id, task, document, (duty, unit) rows
T = TypeVar("T")
DUTY_TYPES = tuple(DUTY_REL.values())
PORTFOLIO_TYPES = tuple(PORTFOLIO_REL.values())


def rel_row(src: str, type_: str, dst: str, props: Mapping[str, Any]) -> Props:
    """A relationship as answers take it: its props, with its ends as src/dst (the props' own
    start/end are evidence offsets) and its type and key."""
    return {**props, "src": src, "type": type_, "dst": dst, "key": props.get("key", "")}


# --- single items ------------------------------------------------------------------------

def evidence(r: Props) -> Evidence:
    return Evidence(doc=r.get("doc", ""), quote=r.get("evidence", ""), file=r.get("file", ""),
                    start=int(r.get("start") or 0), end=int(r.get("end") or 0))


def institution(ident: str, p: Props) -> InstitutionInfo:
    return InstitutionInfo(id=ident, name=p.get("name", ""), kind=p.get("kind", ""),
                           jurisdiction=p.get("jurisdiction"), level=p.get("level"),
                           aliases=tuple(sorted(p.get("aliases") or ())), mentions=int(p.get("mentions") or 0))


def person(ident: str, p: Props) -> PersonInfo:
    return PersonInfo(id=ident, name=p.get("name", ""), jurisdiction=p.get("jurisdiction"),
                      mentions=int(p.get("mentions") or 0))


def group(ident: str, p: Props) -> GroupInfo:
    return GroupInfo(id=ident, name=p.get("name", ""), doc=p.get("doc") or "")


def source_info(props: Props, docs: Iterable[str]) -> SourceInfo:
    return SourceInfo(sha256=props.get("sha256", ""), file=props.get("file", ""), path=props.get("path") or "",
                      size=int(props.get("size") or 0), documents=tuple(sorted(docs)))


def sources(rows: Iterable[tuple[Props, Iterable[str]]]) -> list[SourceInfo]:
    """The stored files, by name then content hash, from (Source props, its document numbers)."""
    return sorted((source_info(p, docs) for p, docs in rows), key=lambda s: (s.file, s.path, s.sha256))


# --- searches ----------------------------------------------------------------------------

def best_first(infos: Iterable[T], text: str, limit: int, aliases: Callable[[T], Iterable[str]] = lambda _: (),
               mentions: Callable[[T], int] = lambda _: 0) -> list[T]:
    """``find_*`` answers in ``search_key`` order: exact name first, most mentions, shorter, id."""
    return sorted(infos, key=lambda x: search_key(x.name, aliases(x), mentions(x), x.id, text))[:limit]


def institutions_found(infos: Iterable[InstitutionInfo], text: str, limit: int) -> list[InstitutionInfo]:
    return best_first(infos, text, limit, aliases=lambda i: i.aliases, mentions=lambda i: i.mentions)


def persons_found(infos: Iterable[PersonInfo], text: str, limit: int) -> list[PersonInfo]:
    return best_first(infos, text, limit, mentions=lambda p: p.mentions)


# --- documents -------------------------------------------------------------------------

def document_entry(props: Props, printed: list[Props]) -> Props:
    """A ``documents()`` entry from a Document node's props and its PRINTED_IN rows."""
    where = sorted(printed, key=lambda r: (r.get("file") or "", int(r.get("start") or 0)))
    first = where[0] if where else props            # a store written before PRINTED_IN: the node's own
    return {"doc": props.get("doc"), "title": props.get("title"), "issuer": props.get("issuer"),
            "date": props.get("date"), "file": first.get("file"),
            "files": sorted({r.get("file") for r in where if r.get("file")}) or
            ([props["file"]] if props.get("file") else []),
            "_start": int(first.get("start") or 0)}


def sort_documents(docs: list[Props]) -> list[Props]:
    docs.sort(key=lambda d: (d.get("file") or "", d["_start"], d.get("doc") or ""))
    for d in docs:
        del d["_start"]
    return docs


# --- tasks -----------------------------------------------------------------------------

def task_owners(task_id: str, task: Props, doc: Props, duties: Sequence[tuple[Props, Props]]) -> Optional[TaskOwners]:
    """One task with its units grouped by role, from its duty rows (each with its unit's props);
    None for a task no unit holds (not an answer)."""
    if not duties:
        return None
    rows = sorted(duties, key=lambda ru: (*print_order(ru[0]), ru[0]["src"]))
    grouped: dict[str, list[UnitRef]] = {role: [] for role in ROLES}
    for r, unit in first_of(rows, lambda ru: (ru[0]["type"], ru[0]["src"])):   # printed in two files: once
        grouped[REL_TO_ROLE[r["type"]]].append(
            UnitRef(id=r["src"], name=unit.get("name", r.get("mention", "")),
                    mention=r.get("mention", ""), generic=bool(r.get("generic"))))
    return TaskOwners(task_id=task_id, task=task["text"], doc=task["doc"],
                      doc_title=doc.get("title") or task.get("title") or "", date=task.get("date"),
                      lead=tuple(grouped["lead"]), responsible=tuple(grouped["responsible"]),
                      support=tuple(grouped["support"]), evidence=evidence(rows[0][0]))


def _same_rank(a: tuple, b: tuple) -> bool:
    """Two ranked tasks (score, id, props) that only their evidence orders."""
    return a[0] == b[0] and a[2].get("date") == b[2].get("date") and (a[2].get("doc") or "") == (b[2].get("doc") or "")


def owners_in_order(found: Iterable[TaskOwners], limit: int) -> list[TaskOwners]:
    """Best score first, then ``task_key`` (newest document, print order)."""
    out = sorted(found, key=lambda o: (-o.score, task_key(o.date, o.doc, o.evidence.file, o.evidence.start),
                                       o.task_id))
    return out[:limit]


def unit_task(r: Props, task: Props, inherited_from: Optional[str]) -> UnitTask:
    return UnitTask(task_id=r["dst"], task=task["text"], role=REL_TO_ROLE[r["type"]], doc=task["doc"],
                    date=task.get("date"), inherited_from=inherited_from, evidence=evidence(r))


def sort_unit_tasks(tasks: list[UnitTask]) -> list[UnitTask]:
    """A unit's tasks in ``task_key`` order, once per (task, role, inherited_from): the first provenance."""
    tasks = sorted(tasks, key=lambda u: (task_key(u.date, u.doc, u.evidence.file, u.evidence.start),
                                         rank(u.role, ROLES), u.inherited_from or "", u.task_id,
                                         u.evidence.file, u.evidence.start))
    return first_of(tasks, lambda u: (u.task_id, u.role, u.inherited_from))


# --- institutions ---------------------------------------------------------------------------

def unit_groups(rows: Iterable[tuple[Props, str]]) -> list[GroupMembership]:
    """A unit's groups from its MEMBER_UNIT_OF and OFFICE_AT rows, each with the group's name."""
    out = set()
    for r, name in rows:
        member = r["type"] == "MEMBER_UNIT_OF"
        out.add(GroupMembership(group_id=r["dst"] if member else r["src"], group=name or "",
                                relation=r.get("relation") or ("member_unit" if member else "office_host"),
                                doc=r.get("doc", "")))
    return sorted(out, key=lambda m: (m.group, m.group_id, m.relation, m.doc))


def unit_supervisors(rows: Iterable[tuple[Props, Props]]) -> list[tuple[PersonInfo, PortfolioItem]]:
    """Leaders whose portfolio names the unit, from the portfolio rows ending at it (with the leader's props)."""
    out = {(person(r["src"], who), PortfolioItem(relation=REL_TO_PORTFOLIO[r["type"]], object=r.get("object", ""),
                                                 object_id=r["dst"], doc=r.get("doc", "")))
           for r, who in rows}
    return sorted(out, key=lambda pi: (rank(pi[1].relation, PORTFOLIO_RELATIONS), pi[0].name,
                                       pi[0].id, pi[1].doc, pi[1].object))


def successions(rows: Iterable[Props]) -> list[Succession]:
    """SUCCEEDED_BY rows as a lineage, each link once."""
    edges = {(r["src"], r["dst"]): r for r in rows}
    out = [Succession(predecessor=s, successor=e, date=r.get("date"), source=r.get("source"))
           for (s, e), r in edges.items()]
    return sorted(out, key=lambda s: (oldest_first(s.date), s.predecessor, s.successor))


# --- people and groups ---------------------------------------------------------------------

def person_profile(person_id: str, props: Props, holds: Iterable[Props], member: Iterable[tuple[Props, str]],
                   portfolio: Iterable[tuple[Props, bool]]) -> PersonProfile:
    """A person's posts (HOLDS rows), groups (MEMBER_OF rows with the group's name) and portfolio
    (portfolio rows, each saying whether its object is an Area)."""
    posts = sorted({PostHeld(position=r.get("position", ""), action=r.get("action", ""), doc=r.get("doc", ""),
                             date=r.get("date")) for r in holds},
                   key=lambda p: (oldest_first(p.date), p.doc, p.position, p.action))
    groups = sorted({GroupMembership(group_id=r["dst"], group=name or "", relation=r.get("role", ""),
                                     doc=r.get("doc", "")) for r, name in member},
                    key=lambda g: (g.group, g.group_id, rank(g.relation, MEMBER_ROLES), g.doc))
    items: list[PortfolioItem] = []
    for r, is_area in sorted(portfolio, key=lambda ra: (oldest_first(ra[0].get("date")), *print_order(ra[0]))):
        item = PortfolioItem(relation=REL_TO_PORTFOLIO[r["type"]], object=r.get("object", ""),
                             object_id=None if is_area else r["dst"], doc=r.get("doc", ""))
        if item not in items:
            items.append(item)
    return PersonProfile(person=person(person_id, props), posts=tuple(posts), groups=tuple(groups),
                         portfolio=tuple(items))


def roster(group_id: str, props: Props, member: list[Props], units: list[Props], hosts: list[Props],
           nodes: Mapping[str, tuple[str, Props]]) -> Roster:
    """A group's roster from its MEMBER_OF, MEMBER_UNIT_OF and OFFICE_AT rows (``nodes``: id -> (label, props))."""
    member = sorted(member, key=lambda r: (rank(r.get("role"), MEMBER_ROLES), oldest_first(r.get("date")),
                                           *print_order(r)))
    entries: list[RosterEntry] = []
    for r in member:
        label, who = nodes[r["src"]]
        is_person = label == "Person"
        entry = RosterEntry(person_id=r["src"] if is_person else None,
                            person=who.get("name") if is_person else None,
                            position=r.get("position"), role=r.get("role", ""), role_text=r.get("role_text", ""))
        if entry not in entries:
            entries.append(entry)
    return Roster(group=group(group_id, props), entries=tuple(entries),
                  member_units=unit_refs(units, "src", nodes), office_hosts=unit_refs(hosts, "dst", nodes))


def unit_refs(rels: list[Props], side: str, nodes: Mapping[str, tuple[str, Props]]) -> tuple[UnitRef, ...]:
    out: dict[str, UnitRef] = {}
    for r in sorted(rels, key=lambda r: (oldest_first(r.get("date")), *print_order(r), r[side])):
        unit = nodes[r[side]][1]
        if r[side] not in out:
            out[r[side]] = UnitRef(id=r[side], name=unit.get("name", ""), mention=r.get("mention", ""),
                                   generic=unit.get("kind") == "generic")
    return tuple(out.values())


def by_key(rows: Iterable[Props], key: str) -> dict[str, list[Props]]:
    """Rows grouped by one of their fields (a task's duty rows by ``dst``)."""
    out: dict[str, list[Props]] = defaultdict(list)
    for r in rows:
        out[r[key]].append(r)
    return out


# --- the query side, over a store's reader ----------------------------------------------------

class Rows(Protocol):
    """The row questions a store's reader answers (SQL in SQLite, ``zhize.graph.cypher`` in Neo4j)."""

    def _node(self, ident: str, label: str) -> Optional[Props]: ...
    def _nodes(self, ids: Iterable[str]) -> dict[str, tuple[str, Props]]: ...   # id -> (label, props)
    def _edges(self, ident: str, types: Sequence[str], outgoing: bool) -> list[Edge]: ...
    def _tasks_matching(self, groups: Sequence[Sequence[str]]) -> list[str]: ...   # candidates: ids whose
    #     find text may hold an alternative of every group (a superset; queries decide the match)
    def _count_matching(self, group: Sequence[str]) -> int: ...            # tasks holding an alternative
    def _find_stats(self) -> tuple[int, int]: ...                          # tasks, find text characters
    def _task_edge_keys(self, ident: str, types: Sequence[str]) -> list[EdgeKey]: ...
    def _edges_by_key(self, keys: Sequence[EdgeKey]) -> list[Edge]: ...        # the full rows of those relationships
    def _named(self, label: str, text: str, limit: Optional[int] = None) -> list[tuple[str, Props]]: ...
    # ^ name (an institution's: or an alias) contains text; with limit the first in search_key order
    def _task_rows(self, task_ids: Sequence[str]) -> list[TaskRow]: ...
    def _document_rows(self) -> list[tuple[str, Props, list[Props]]]: ...      # id, props, its PRINTED_IN rows
    def _source_rows(self) -> list[tuple[Props, list[str]]]: ...               # Source props, its document numbers
    def _counted(self) -> tuple[dict[str, int], dict[str, int]]: ...          # nodes by label, rels by type
    def _everything(self) -> tuple[list[tuple[str, str, Props]], list[Props]]: ...
                                              # every node (id, label, props) and relationship row (rel_row)
    def co_responsibility(self, flt: NetworkFilter = NetworkFilter()) -> list[CoEdge]: ...
    def role_counts(self, flt: NetworkFilter = NetworkFilter()) -> list[tuple[str, int, int, int]]: ...


def other_end(edge: Edge, outgoing: bool) -> str:
    return edge[0]["dst"] if outgoing else edge[0]["src"]


def stored_batch(nodes: Iterable[tuple[str, str, Props]], rels: Iterable[Props]) -> GraphBatch:
    """What a store holds as the ``GraphBatch`` a load takes, every item with its ``sources``, in batch order."""
    out = GraphBatch()
    for ident, label, props in nodes:
        p = dict(props)
        out.nodes.append(Node(label, ident, p, tuple(p.pop("sources", None) or ())))
    for row in rels:
        p = {k: v for k, v in row.items() if k not in ("src", "type", "dst", "key")}
        out.rels.append(Rel(row["type"], row["src"], row["dst"], row.get("key") or "", p,
                            tuple(p.pop("sources", None) or ())))
    out.nodes.sort(key=lambda n: (n.label, n.id))
    out.rels.sort(key=lambda r: (r.type, r.start, r.end, r.key))
    return out


class StoreQueries(AnalysisQueries):
    """Every ``GraphStore`` query but the network's, on the reader's ``Rows``; see ``zhize.graph.semantics``.
    The analyst's tables, networks and findings (``AnalysisQueries``) are made from ``batch()``."""

    def batch(self: Rows) -> GraphBatch:
        """Everything zhize stored, as one ``GraphBatch``: what exports and the analyst's tables read."""
        return stored_batch(*self._everything())

    # --- counts and documents ---------------------------------------------------------
    def counts(self: Rows) -> dict[str, int]:
        """Nodes by label and relationships by type; every known label and type, 0 when absent."""
        labels, types = self._counted()
        return {**{label: 0 for label in NODE_LABELS}, **{t: 0 for t in REL_TYPES}, **labels, **types}

    def documents(self: Rows) -> list[Props]:
        return sort_documents([document_entry(p, printed) for _, p, printed in self._document_rows()])

    def document_tasks(self: Rows, doc: str) -> list[TaskOwners]:
        """Every task of the document ``doc`` (its number as printed, or its title when it has none) with
        its units by role: the document's 分工表, in print order."""
        ids = [i for i, p, _ in self._document_rows() if p.get("doc") == doc]
        tasks = sorted({r["src"] for i in ids for r, _, _ in self._edges(i, ("IN",), False)})
        answers = [a for a in (task_owners(*row) for row in self._task_rows(tasks)) if a is not None]
        return sorted(answers, key=lambda a: (a.evidence.file, a.evidence.start, a.task_id))

    def sources(self: Rows) -> list[SourceInfo]:
        """The files whose facts the store holds, by name then content hash."""
        return sources(self._source_rows())

    # --- tasks ----------------------------------------------------------------------
    def owners(self: Rows, words: str, limit: int = 50) -> list[TaskOwners]:
        """The tasks a search finds (``zhize.graph.search``), best first, each with its units by role."""
        query = search.parse(words)
        if not query.terms:
            return []
        matched = [(i, p) for i, (_, p) in self._nodes(self._tasks_matching(query.groups)).items()
                   if search.matches(query, search.find_of(p))]
        if not matched:
            return []
        tasks, length = self._find_stats()
        df = [self._count_matching(g) for g in query.groups]
        ranked = sorted(((search.score(query, search.find_of(p), tasks, length, df), i, p) for i, p in matched),
                        key=lambda x: (-x[0], *task_key(x[2].get("date"), x[2].get("doc") or "", "", 0)[:2], x[1]))
        # full rows for whole (score, date, document) groups, in that order, until the page is full:
        # the answer order inside a group needs the evidence, which only the rows carry
        found: list[TaskOwners] = []
        k = 0
        while k < len(ranked) and len(found) < limit:
            j = min(len(ranked), k + limit - len(found))
            while j < len(ranked) and _same_rank(ranked[j], ranked[j - 1]):
                j += 1
            score_of = {i: score for score, i, _ in ranked[k:j]}
            for row in self._task_rows([i for _, i, _ in ranked[k:j]]):
                answer = task_owners(*row)
                if answer is not None:
                    found.append(replace(answer, score=score_of[row[0]], found=search.found_words(
                        query, [row[1].get("text", ""), answer.doc_title])))
            k = j
        return owners_in_order(found, limit)

    def unit_tasks(self: Rows, unit_id: str, role: Optional[str] = None,
                   include_inherited: bool = True) -> list[UnitTask]:
        """The unit's tasks; with ``include_inherited`` also its predecessors' (SUCCEEDED_BY chains)."""
        types, owners = duty_holders(self, unit_id, role, include_inherited)
        return sort_unit_tasks([unit_task(r, task, inherited) for owner, inherited in owners
                                for r, _, task in self._edges(owner, types, True)])

    def unit_tasks_page(self: Rows, unit_id: str, role: Optional[str] = None, include_inherited: bool = True,
                        limit: int = 50, offset: int = 0) -> list[UnitTask]:
        """``unit_tasks(...)[offset:offset + limit]``, reading full rows for those only (a big unit holds
        thousands of tasks; the explorer and the CLI show a page)."""
        keys = unit_task_keys(self, unit_id, role, include_inherited)[offset:offset + max(0, limit)]
        rows = {(r["src"], r["type"], r["dst"], r["key"]): (r, task) for r, _, task in self._edges_by_key(
            [k for k, _ in keys])}
        return [unit_task(*rows[k[:4]], inherited) for k, inherited in keys if k[:4] in rows]

    def unit_task_count(self: Rows, unit_id: str, role: Optional[str] = None, include_inherited: bool = True) -> int:
        """``len(unit_tasks(...))`` without reading the tasks."""
        return len(unit_task_keys(self, unit_id, role, include_inherited))

    # --- institutions ------------------------------------------------------------------
    def find_institutions(self: Rows, text: str, limit: int = 20) -> list[InstitutionInfo]:
        """Institutions whose name or an alias contains ``text``; exact matches first."""
        q = squeeze(text)
        return institutions_found((institution(i, p) for i, p in self._named("Institution", q, limit)), q, limit)

    def institution(self: Rows, unit_id: str) -> Optional[InstitutionInfo]:
        props = self._node(unit_id, "Institution")
        return institution(unit_id, props) if props is not None else None

    def institutions(self: Rows, ids: Iterable[str]) -> list[InstitutionInfo]:
        """The institutions among ``ids``, by id; unknown ids are left out."""
        return [institution(i, p) for i, (label, p) in sorted(self._nodes(ids).items()) if label == "Institution"]

    def unit_groups(self: Rows, unit_id: str) -> list[GroupMembership]:
        edges = self._edges(unit_id, ("MEMBER_UNIT_OF",), True) + self._edges(unit_id, ("OFFICE_AT",), False)
        return unit_groups((r, other.get("name", "")) for r, _, other in edges)

    def unit_supervisors(self: Rows, unit_id: str) -> list[tuple[PersonInfo, PortfolioItem]]:
        """Leaders whose portfolio names the unit; a leader printed only by post comes as that Post."""
        return unit_supervisors((r, who) for r, _, who in self._edges(unit_id, PORTFOLIO_TYPES, False))

    def successions(self: Rows, unit_id: str) -> list[Succession]:
        """Every SUCCEEDED_BY link in the unit's lineage (predecessors and successors, transitively)."""
        units = [unit_id, *lineage(self, unit_id, forward=None)]
        return successions(r for u in units for r, _, _ in self._edges(u, ("SUCCEEDED_BY",), True))

    # --- people ------------------------------------------------------------------------
    def find_persons(self: Rows, text: str, limit: int = 20) -> list[PersonInfo]:
        q = squeeze(text)
        return persons_found((person(i, p) for i, p in self._named("Person", q, limit)), q, limit)

    def person_profile(self: Rows, person_id: str) -> Optional[PersonProfile]:
        props = self._node(person_id, "Person")
        if props is None:
            return None
        edges = self._edges(person_id, ("HOLDS", "MEMBER_OF", *PORTFOLIO_TYPES), True)
        return person_profile(person_id, props, [r for r, _, _ in edges if r["type"] == "HOLDS"],
                              [(r, g.get("name", "")) for r, _, g in edges if r["type"] == "MEMBER_OF"],
                              [(r, label == "Area") for r, label, _ in edges if r["type"] in PORTFOLIO_TYPES])

    # --- groups ------------------------------------------------------------------------
    def find_groups(self: Rows, text: str, limit: int = 20) -> list[GroupInfo]:
        """Groups whose name contains ``text``; else those whose name holds every word of it, or a
        synonym (反拐 finds 反对拐卖人口工作省级联席会议)."""
        q = squeeze(text)
        rows = self._named("Group", q)
        query = search.parse(text)
        if not rows and query.terms:
            rows = [(i, p) for i, p in self._named("Group", "") if search.matches(query, search.fold(p.get("name")))]
        return best_first((group(i, p) for i, p in rows), q, limit)

    def group_roster(self: Rows, group_id: str) -> Optional[Roster]:
        props = self._node(group_id, "Group")
        if props is None:
            return None
        inward = self._edges(group_id, ("MEMBER_OF", "MEMBER_UNIT_OF"), False)
        hosts = self._edges(group_id, ("OFFICE_AT",), True)
        nodes = {r["src"]: (label, p) for r, label, p in inward} | {r["dst"]: (label, p) for r, label, p in hosts}
        return roster(group_id, props, [r for r, _, _ in inward if r["type"] == "MEMBER_OF"],
                      [r for r, _, _ in inward if r["type"] == "MEMBER_UNIT_OF"], [r for r, _, _ in hosts], nodes)


def duty_holders(rows: Rows, unit_id: str, role: Optional[str], include_inherited: bool
                 ) -> tuple[tuple[str, ...], list[tuple[str, Optional[str]]]]:
    """The relationship types a role asks for, and the unit with (when asked) its predecessors,
    each with the predecessor its tasks are inherited from."""
    if role is not None and role not in DUTY_REL:
        raise ValueError(f"role must be one of {', '.join(DUTY_REL)}, not {role!r}")
    types = (DUTY_REL[role],) if role else DUTY_TYPES
    owners: list[tuple[str, Optional[str]]] = [(unit_id, None)]
    if include_inherited:
        owners += [(p, p) for p in lineage(rows, unit_id, forward=False)]
    return tuple(types), owners


def unit_task_keys(rows: Rows, unit_id: str, role: Optional[str],
                   include_inherited: bool) -> list[tuple[EdgeKey, Optional[str]]]:
    """A unit's task relationships (with the predecessor each is inherited from) in ``sort_unit_tasks``
    order, once per (task, role, inherited_from), from their keys alone."""
    types, owners = duty_holders(rows, unit_id, role, include_inherited)
    keys = [(k, inherited) for owner, inherited in owners for k in rows._task_edge_keys(owner, types)]
    # sort_unit_tasks's order in two stable sorts: everything after the date, then the date newest first
    # (building newest_first's tuple for every one of a big unit's thousands of tasks was most of the cost)
    role_rank = {t: rank(REL_TO_ROLE[t], ROLES) for t in types}
    keys.sort(key=lambda ki: (ki[0][5], ki[0][6], ki[0][7], role_rank[ki[0][1]], ki[1] or "", ki[0][2]))
    keys.sort(key=lambda ki: newest_last_key(ki[0][4]), reverse=True)
    return first_of(keys, lambda ki: (ki[0][2], ki[0][1], ki[1]))


def newest_last_key(date: Optional[str]) -> tuple:
    """Sorted with ``reverse=True``: ISO dates newest first, missing dates last, as ``newest_first`` orders
    them ascending (a stable sort keeps the order of equal dates)."""
    return (1, date + _AFTER_EVERY_CHARACTER) if date else (0, "")


# "2020" comes before "2020-05" newest first (newest_first compares characters negated, a prefix first),
# so every date is closed by a character above any other before the descending sort
_AFTER_EVERY_CHARACTER = chr(0x10FFFF)


def lineage(rows: Rows, unit_id: str, forward: Optional[bool]) -> list[str]:
    """The units reaching ``unit_id`` by SUCCEEDED_BY (``forward=False``: its predecessors), the units it
    reaches (True), or both (None): nearest first, then by id."""
    directions = (True, False) if forward is None else (forward,)
    seen, frontier, found = {unit_id}, [unit_id], []
    while frontier:
        nxt = sorted({other_end(e, out) for u in frontier for out in directions
                      for e in rows._edges(u, ("SUCCEEDED_BY",), out)} - seen)
        seen.update(nxt)
        found += nxt
        frontier = nxt
    return found
