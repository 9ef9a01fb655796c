"""The graph every store holds, and the one query interface they all answer.

Nodes: Document, Task, Institution, Person, Group, Post, Area, Source.
Relationships (with role and provenance properties):

    (:Institution)-[:LEADS|RESPONSIBLE_FOR|SUPPORTS {doc, evidence, file, start, end}]->(:Task)
    (:Task)-[:IN]->(:Document)-[:PRINTED_IN {file, start, end}]->(:Source)
    (:Person)-[:MEMBER_OF {role, role_text, position, doc}]->(:Group)
    (:Group)-[:OFFICE_AT]->(:Institution)          (:Institution)-[:MEMBER_UNIT_OF]->(:Group)
    (:Person)-[:IN_CHARGE_OF|SUPERVISES|LIAISES|ASSISTS|ACTING_FOR|PARTNER_OF]->(Institution|Area|Person)
    (:Person)-[:HOLDS {doc, date, action}]->(:Post)
    (:Institution)-[:SUCCEEDED_BY {date, source}]->(:Institution)

Where facts come from: every node and relationship lists the ``sources`` (the
SHA-256 of the files' bytes) whose facts assert it.  A relationship that
carries a quote and offsets is one provenance: it is keyed by its source, so
the same duty printed in two files is two relationships on one task, and
every query counts the task once.  Replacing a source's facts removes it from
every list and deletes what no source asserts any more (``replace_sources``).

The app and the notebooks only ever talk to a ``GraphStore``; which backend
answers (the embedded SQLite file or Neo4j) is configuration.  The contract
test suite runs every query against both and requires identical answers, so
every result here is plain, ordered data.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Optional, Protocol, runtime_checkable

# --- what a load writes --------------------------------------------------------------


class StoreError(Exception):
    """A store that cannot be used as asked; the message names the store and says what to do."""


class StoreMissing(StoreError, FileNotFoundError):
    """A store opened for reading that does not exist yet."""


class StoreBusy(StoreError):
    """Another writer holds the store longer than we wait; the message says who."""


NODE_LABELS = ("Document", "Task", "Institution", "Person", "Group", "Post", "Area", "Source")

# Neo4j: every node zhize writes carries this label besides its own, and every clear,
# count and query matches only such nodes, so a database shared with other data is safe.
STORE_LABEL = "Zhize"

DUTY_REL = {"lead": "LEADS", "responsible": "RESPONSIBLE_FOR", "support": "SUPPORTS"}
PORTFOLIO_REL = {
    "in_charge": "IN_CHARGE_OF",
    "supervises": "SUPERVISES",
    "liaises": "LIAISES",
    "assists": "ASSISTS",
    "acting": "ACTING_FOR",
    "partner": "PARTNER_OF",
}


# What "mentions" counts on an Institution or Person: the provenance relationships naming it.
# Stores keep the count themselves from what they hold (so adding or removing a source can
# never leave it stale); the builder gives a batch the same count over the batch.
MENTION_OUT = frozenset({*DUTY_REL.values(), "MEMBER_UNIT_OF", "MEMBER_OF", "HOLDS", *PORTFOLIO_REL.values()})
MENTION_IN = frozenset({"OFFICE_AT", *PORTFOLIO_REL.values()})
MENTION_HOLDS_ACTIONS = ("appoint", "remove")      # a post listed beside a name is not a second mention


def names_start(type_: str, props: dict[str, Any]) -> bool:
    """Whether a relationship of this type (with these props) is a mention of its start node."""
    return type_ in MENTION_OUT and (type_ != "HOLDS" or props.get("action") in MENTION_HOLDS_ACTIONS)


def names_end(type_: str) -> bool:
    return type_ in MENTION_IN


@dataclass(frozen=True)
class Node:
    label: str                 # one of NODE_LABELS
    id: str                    # stable, deterministic (same facts -> same id)
    props: dict[str, Any]      # flat JSON-able values (str, int, float, bool, list[str])
    sources: tuple[str, ...] = ()   # sha256 of every source asserting it; () = kept until a clear


@dataclass(frozen=True)
class Rel:
    type: str
    start: str                 # node id
    end: str                   # node id
    key: str                   # identifies the relationship: loads MERGE on (start, type, end, key)
    props: dict[str, Any]
    sources: tuple[str, ...] = ()


@dataclass
class GraphBatch:
    """Nodes and relationships built from resolved facts: what ``GraphStore.load`` takes."""

    nodes: list[Node] = field(default_factory=list)
    rels: list[Rel] = field(default_factory=list)

    def source_ids(self) -> list[str]:
        """The sources this batch holds facts of (its Source nodes), sorted."""
        return sorted(n.props["sha256"] for n in self.nodes if n.label == "Source")


@dataclass(frozen=True)
class SourceInfo:
    """A file whose facts a store holds, identified by the SHA-256 of its bytes."""

    sha256: str
    file: str                  # base name, as the facts' evidence names it
    path: str                  # where it was read when loaded (absolute), "" when unknown
    size: int                  # bytes
    documents: tuple[str, ...] = ()    # document numbers (or titles) printed in it, sorted


# --- what queries answer -------------------------------------------------------------------

@dataclass(frozen=True)
class Evidence:
    doc: str                   # document number as printed (or title)
    quote: str                 # the clause or line
    file: str
    start: int                 # offsets in the file as read
    end: int


@dataclass(frozen=True)
class UnitRef:
    id: str
    name: str                  # canonical name
    mention: str               # the name as printed in this fact
    generic: bool = False


@dataclass(frozen=True)
class TaskOwners:
    """A task with its units grouped by role, lead first."""

    task_id: str
    task: str
    doc: str
    doc_title: str
    date: Optional[str]
    lead: tuple[UnitRef, ...]
    responsible: tuple[UnitRef, ...]
    support: tuple[UnitRef, ...]
    evidence: Evidence
    score: float = 0.0                     # the search's rank (BM25, zhize.graph.search); higher first
    found: tuple[str, ...] = ()            # the words (or their synonyms) found, to highlight, folded


@dataclass(frozen=True)
class UnitTask:
    task_id: str
    task: str
    role: str                  # lead | responsible | support
    doc: str
    date: Optional[str]
    inherited_from: Optional[str] = None   # predecessor institution id when inherited by succession
    evidence: Optional[Evidence] = None


@dataclass(frozen=True)
class InstitutionInfo:
    id: str
    name: str
    kind: str                  # government, department, party, judicial, mass_org, enterprise, central, generic, collective
    jurisdiction: Optional[str]
    level: Optional[str]       # province | prefecture | county | central | None
    aliases: tuple[str, ...]
    mentions: int = 0


@dataclass(frozen=True)
class PersonInfo:
    id: str
    name: str
    jurisdiction: Optional[str]
    mentions: int = 0


@dataclass(frozen=True)
class GroupInfo:
    id: str
    name: str
    doc: str


@dataclass(frozen=True)
class GroupMembership:
    group_id: str
    group: str
    relation: str              # member_unit | office_host, for an institution; role for a person
    doc: str


@dataclass(frozen=True)
class RosterEntry:
    person_id: Optional[str]
    person: Optional[str]      # None when the role is filled by a post
    position: Optional[str]
    role: str                  # head | deputy | member | office_head | office_deputy
    role_text: str


@dataclass(frozen=True)
class Roster:
    group: GroupInfo
    entries: tuple[RosterEntry, ...]          # head, deputies, members, office, in print order
    member_units: tuple[UnitRef, ...]
    office_hosts: tuple[UnitRef, ...]


@dataclass(frozen=True)
class PostHeld:
    position: str
    action: str                # appoint | remove | member (listed in a roster) | portfolio
    doc: str
    date: Optional[str]


@dataclass(frozen=True)
class PortfolioItem:
    relation: str              # in_charge | supervises | liaises | assists | acting | partner
    object: str
    object_id: Optional[str]
    doc: str


@dataclass(frozen=True)
class PersonProfile:
    person: PersonInfo
    posts: tuple[PostHeld, ...]            # by date
    groups: tuple[GroupMembership, ...]
    portfolio: tuple[PortfolioItem, ...]


@dataclass(frozen=True)
class Succession:
    predecessor: str           # institution id
    successor: str
    date: Optional[str]
    source: Optional[str]


@dataclass(frozen=True)
class CoEdge:
    """Two units that share tasks: ``lead_to_support`` counts tasks where a leads and b supports,
    ``support_to_lead`` those where b leads and a supports (``a`` leads at least as often)."""

    a: str
    b: str
    weight: int
    lead_to_support: int = 0
    support_to_lead: int = 0


@dataclass(frozen=True)
class NetworkFilter:
    jurisdiction: Optional[str] = None
    doc: Optional[str] = None
    year: Optional[int] = None
    roles: tuple[str, ...] = ("lead", "responsible", "support")


@runtime_checkable
class GraphStore(Protocol):
    """Every backend answers these; results are sorted deterministically.

    Writing (the contract tests/test_store_contract.py holds both stores to):

    * ``replace_sources(batch, sources, fresh)`` is ONE transaction: with
      ``fresh`` everything zhize stored is deleted, otherwise every source in
      ``sources`` is taken out of each node's and relationship's ``sources``
      and what is left asserted by none is deleted; then ``batch`` is merged
      in (props as ``SET n += props``, source lists united).  A reader, or a
      process killed at any moment, sees the store before or after, never
      between.  Call it only once the batch is built.
    * Derived properties are the store's: ``mentions`` (the provenance
      relationships naming an Institution or Person, ``names_start`` /
      ``names_end``) and an institution's ``aliases`` (the union of what its
      sources printed, from ``alias_sources``) are recomputed for every node
      a write touched.
    * ``load(batch)`` is ``replace_sources(batch)``: an upsert that removes
      nothing.  Items without sources are kept until ``clear`` or ``fresh``.
    * ``clear``, ``counts`` and every query touch only what zhize wrote (in
      Neo4j, nodes labelled ``STORE_LABEL``); other data in the same database
      is never read, counted or deleted.
    * ``sources()`` says which files' facts the store holds, by content hash.
    * ``incomplete()``: None, or what an interrupted write left undone, for a
      store that must split very large writes (Neo4j past ``TX_ROWS`` rows);
      the sources of such a write are not in ``sources()`` and the next
      ``replace_sources`` of them completes it.
    """

    def load(self, batch: GraphBatch) -> None: ...
    def replace_sources(self, batch: GraphBatch, sources: Iterable[str] = (), fresh: bool = False) -> None: ...
    def sources(self) -> list[SourceInfo]: ...
    def incomplete(self) -> Optional[str]: ...
    def clear(self) -> None: ...
    def close(self) -> None: ...

    def counts(self) -> dict[str, int]: ...                       # nodes by label and rels by type
    def owners(self, words: str, limit: int = 50) -> list[TaskOwners]: ...
    def find_institutions(self, text: str, limit: int = 20) -> list[InstitutionInfo]: ...
    def institution(self, unit_id: str) -> Optional[InstitutionInfo]: ...
    def unit_tasks(self, unit_id: str, role: Optional[str] = None,
                   include_inherited: bool = True) -> list[UnitTask]: ...
    def unit_tasks_page(self, unit_id: str, role: Optional[str] = None, include_inherited: bool = True,
                        limit: int = 50, offset: int = 0) -> list[UnitTask]: ...  # unit_tasks(...)[offset:offset+limit]
    def unit_task_count(self, unit_id: str, role: Optional[str] = None,
                        include_inherited: bool = True) -> int: ...               # len(unit_tasks(...))
    def unit_groups(self, unit_id: str) -> list[GroupMembership]: ...
    def unit_supervisors(self, unit_id: str) -> list[tuple[PersonInfo, PortfolioItem]]: ...
    def successions(self, unit_id: str) -> list[Succession]: ...
    def find_persons(self, text: str, limit: int = 20) -> list[PersonInfo]: ...
    def person_profile(self, person_id: str) -> Optional[PersonProfile]: ...
    def find_groups(self, text: str, limit: int = 20) -> list[GroupInfo]: ...
    def group_roster(self, group_id: str) -> Optional[Roster]: ...
    def documents(self) -> list[dict[str, Any]]: ...              # doc, title, issuer, date, file, files
    def document_tasks(self, doc: str) -> list[TaskOwners]: ...   # a document's 分工表, in print order
    def co_responsibility(self, flt: NetworkFilter = NetworkFilter()) -> list[CoEdge]: ...
    def role_counts(self, flt: NetworkFilter = NetworkFilter()) -> list[tuple[str, int, int, int]]: ...
                                                                  # (unit id, lead, responsible, support)
    def institutions(self, ids: Iterable[str]) -> list[InstitutionInfo]: ...
    def batch(self) -> GraphBatch: ...                            # everything stored (exports read it)

    # the analyst's queries, made from batch() by the same code for every store (zhize.graph.analysis):
    # tables(), tasks(), duties(), memberships() -> pandas; to_networkx(kind); ranking(); insights()
