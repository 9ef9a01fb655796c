"""Query semantics every backend shares: what counts, what matches, in which order.

The SQLite store is the reference; a backend fetches its rows however it likes
and then sorts and aggregates them with these functions, so both backends give
identical answers (tests/test_store_contract.py holds them to it).

What each query means:

* ``owners(words)``: the tasks a search finds (``zhize.graph.search``: every
  word of the query, or one of its synonyms, in the task's text, section
  heading or document title), best BM25 score first.  Units grouped by role,
  each in print order, once each (a notice printed in two files gives two
  provenances of one duty); ``evidence`` is the first printed duty
  relationship of the task.  Tasks without duty relationships are not answers.
* ``document_tasks(doc)``: every task of the documents whose ``doc`` (number
  as printed, or title) is ``doc``, as ``owners`` gives them, in print order
  (file, offset of the first duty).
* ``find_institutions / find_persons / find_groups(text)``: ``squeeze(text)``
  is a substring of the name (or, for institutions, of an alias).
* ``unit_tasks``: direct tasks, plus with ``include_inherited`` those of every
  institution reaching the unit through ``SUCCEEDED_BY`` chains, with
  ``inherited_from`` = that predecessor's id.  A predecessor does not inherit
  its successors' tasks.  One entry per (task, role, inherited_from), with
  the first provenance in ``task_key`` order (``first_of``).
* ``successions(unit)``: every ``SUCCEEDED_BY`` edge in the unit's lineage
  (connected either way, transitively).
* ``unit_groups``: ``MEMBER_UNIT_OF`` (relation member_unit) and ``OFFICE_AT``
  (office_host), one entry per (group, relation, doc).
* ``unit_supervisors``: portfolio relationships ending at the unit; a leader
  printed only by post answers as ``PersonInfo(id=post id, name=post)``.
* ``person_profile``: ``HOLDS`` as posts (action appoint/remove/member/
  portfolio), ``MEMBER_OF`` as groups (relation = role), portfolio
  relationships (``object_id`` None when the object is an Area).
* ``group_roster``: ``MEMBER_OF`` from Person or Post (a Post gives person
  None); member units and office hosts one per unit.
* ``co_responsibility``: see ``co_edges``; generic bodies (kind ``generic``)
  are left out; ``jurisdiction`` filters the units (both ends), ``doc`` the
  task's document number, ``year`` the task's document date.
* ``role_counts``: per unit, distinct tasks it holds each role on, its own
  duty relationships only (nothing inherited, as ``unit_tasks(...,
  include_inherited=False)``); the filter as for ``co_responsibility`` except
  that generic bodies are counted too (the 对比 view may be asked about one);
  units with no task left out.
* ``counts()``: every label of ``NODE_LABELS`` and type of ``REL_TYPES``, 0
  when absent, plus any other label or type present.
* ``documents()``: dicts with exactly doc, title, issuer, date, file, files:
  ``files`` every file that prints the document (``PRINTED_IN``), ``file``
  the first of them in print order.
* ``institutions(ids)``: the Institution nodes among ``ids``, once each.

Order rules:

* tasks (``owners`` after the score, ``unit_tasks``): ``task_key`` = newest document first (no
  date last), document number, file, evidence offset; then role (lead,
  responsible, support), direct before inherited, task id;
* units inside a task: ``print_order`` then id;
* searches (``find_*``): ``search_key`` = exact name (or alias) first, most
  mentions, shorter name, id;
* roster entries: role (``MEMBER_ROLES``), then oldest document first, then
  ``print_order``; member units and office hosts the same without the role;
* unit groups: group name, group id, relation, doc; supervisors: relation
  (``PORTFOLIO_RELATIONS``), person name, person id, doc, object;
* person posts: ``oldest_first(date)``, doc, position, action; groups: group
  name, id, role, doc; portfolio: ``oldest_first(date)`` then ``print_order``;
* successions: ``oldest_first(date)``, predecessor, successor;
* documents: file, offset, doc; institutions(ids): by id;
* co-responsibility edges: heaviest first, then ``a``, ``b``;
* role counts: by unit id.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Hashable, Iterable, Optional

import numpy as np

from zhize.graph.model import DUTY_REL, PORTFOLIO_REL, CoEdge

ROLES = ("lead", "responsible", "support")
MEMBER_ROLES = ("head", "deputy", "member", "office_head", "office_deputy")
PORTFOLIO_RELATIONS = tuple(PORTFOLIO_REL)
REL_TO_ROLE = {v: k for k, v in DUTY_REL.items()}
REL_TO_PORTFOLIO = {v: k for k, v in PORTFOLIO_REL.items()}

# every relationship type a batch may hold; counts() reports each (0 when absent)
REL_TYPES = tuple(DUTY_REL.values()) + (
    "IN", "MEMBER_OF", "MEMBER_UNIT_OF", "OFFICE_AT", "HOLDS", "SUCCEEDED_BY",
) + tuple(PORTFOLIO_REL.values()) + ("PRINTED_IN",)


def squeeze(text: Optional[str]) -> str:
    """Text as printed minus the whitespace PDF layout put into it: what names and tasks display."""
    return re.sub(r"\s+", "", text or "")


def clean_name(text: Optional[str]) -> str:
    """The compared form (the SCHEMA's rule: NFKC, no whitespace): ids and task search."""
    return squeeze(unicodedata.normalize("NFKC", text or ""))


def rank(value: Optional[str], order: tuple[str, ...]) -> int:
    return order.index(value) if value in order else len(order)


def newest_first(date: Optional[str]) -> tuple:
    """Sort key: ISO dates descending, missing dates last."""
    if not date:
        return (1, ())
    return (0, tuple(-ord(c) for c in date))


def oldest_first(date: Optional[str]) -> tuple:
    return (0, date) if date else (1, "")


def task_key(date: Optional[str], doc: str, file: str, start: int) -> tuple:
    return (newest_first(date), doc, file, start)


def print_order(props: dict) -> tuple:
    """Where a relationship's fact was printed: document, file, offset, place among one evidence's facts."""
    return (props.get("doc") or "", props.get("file") or "", int(props.get("start") or 0), int(props.get("seq") or 0))


def search_key(name: str, aliases: Iterable[str], mentions: int, ident: str, text: str) -> tuple:
    exact = name == text or text in set(aliases)
    return (0 if exact else 1, -int(mentions or 0), len(name), ident)


def first_of(items: Iterable, key) -> list:
    """The first item of every ``key`` in an already sorted sequence: one answer per fact,
    however many files print it."""
    seen: set = set()
    out = []
    for x in items:
        k = key(x)
        if k not in seen:
            seen.add(k)
            out.append(x)
    return out


@dataclass
class Duties:
    """Duty relationships as arrays, one entry per relationship: ``tasks`` any ints that identify
    tasks, ``units`` indexes into ``ids`` (sorted, so index order is id order), ``bits`` the role
    (``ROLE_BIT``).  The network's ~10^5 relationships are counted in numpy, not row by row."""

    ids: list[str]
    tasks: np.ndarray
    units: np.ndarray
    bits: np.ndarray

    @classmethod
    def of(cls, rows: Iterable[tuple[Hashable, str, str]]) -> "Duties":
        """From (task, unit_id, role) rows."""
        rows = list(rows)
        ids = sorted({u for _, u, _ in rows})
        uidx = {u: i for i, u in enumerate(ids)}
        tidx: dict[Hashable, int] = {}
        return cls(ids, np.array([tidx.setdefault(t, len(tidx)) for t, _, _ in rows], dtype=np.int64),
                   np.array([uidx[u] for _, u, _ in rows], dtype=np.int64),
                   np.array([ROLE_BIT[r] for _, _, r in rows], dtype=np.int64))

    def distinct(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(task, unit, roles) once per task and unit, roles OR-ed; by task, then unit (ascending)."""
        if len(self.tasks) == 0:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        n = max(len(self.ids), 1)
        key = self.tasks.astype(np.int64) * n + self.units
        order = np.argsort(key, kind="stable")
        key, bits = key[order], self.bits[order]
        first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        return key[first] // n, key[first] % n, np.bitwise_or.reduceat(bits, first)


ROLE_BIT = {"lead": 1, "responsible": 2, "support": 4}


def co_edges(duties: Duties | Iterable[tuple[Hashable, str, str]]) -> list[CoEdge]:
    """Edges from duty relationships already filtered to the network's units.

    ``weight`` = distinct tasks both units hold a role on; a pair is written once
    (see ``co_edge``), with the lead→support count of each direction.
    """
    d = duties if isinstance(duties, Duties) else Duties.of(duties)
    task, unit, bits = d.distinct()
    n, n_units = len(task), max(len(d.ids), 1)
    if n == 0:
        return []
    # every pair of rows of one task: rows of a task are contiguous, its units ascending
    starts = np.flatnonzero(np.r_[True, task[1:] != task[:-1]])
    sizes = np.diff(np.r_[starts, n])
    partners = np.repeat(starts + sizes, sizes) - np.arange(n) - 1
    left = np.repeat(np.arange(n), partners)
    right = left + 1 + np.arange(len(left)) - np.repeat(np.cumsum(partners) - partners, partners)
    pairs, inv, weight = np.unique(unit[left] * n_units + unit[right], return_inverse=True, return_counts=True)
    bl, br = bits[left], bits[right]
    lead, support = ROLE_BIT["lead"], ROLE_BIT["support"]
    xy = np.bincount(inv, weights=((bl & lead) > 0) & ((br & support) > 0), minlength=len(pairs))
    yx = np.bincount(inv, weights=((br & lead) > 0) & ((bl & support) > 0), minlength=len(pairs))
    x, y = pairs // n_units, pairs % n_units
    # as co_edge: ``a`` leads the other more often, ties the smaller id (x, as ids are sorted)
    swap = yx > xy
    a, b = np.where(swap, y, x), np.where(swap, x, y)
    lts, stl = np.where(swap, yx, xy).astype(np.int64), np.where(swap, xy, yx).astype(np.int64)
    order = np.lexsort((b, a, -weight))           # as sort_edges: heaviest, then a, then b
    ids = d.ids
    return [CoEdge(a=ids[i], b=ids[j], weight=w, lead_to_support=l2s, support_to_lead=s2l)
            for i, j, w, l2s, s2l in zip(a[order].tolist(), b[order].tolist(), weight[order].tolist(),
                                         lts[order].tolist(), stl[order].tolist())]


def co_edge(x: str, y: str, weight: int, x_leads_y: int, y_leads_x: int) -> CoEdge:
    """One pair, written with ``a`` the unit that leads the other more often (ties: the smaller id),
    ``lead_to_support`` = tasks where ``a`` leads and ``b`` supports, ``support_to_lead`` the reverse."""
    if y < x:
        x, y, x_leads_y, y_leads_x = y, x, y_leads_x, x_leads_y
    if y_leads_x > x_leads_y:
        return CoEdge(a=y, b=x, weight=weight, lead_to_support=y_leads_x, support_to_lead=x_leads_y)
    return CoEdge(a=x, b=y, weight=weight, lead_to_support=x_leads_y, support_to_lead=y_leads_x)


def sort_edges(edges: Iterable[CoEdge]) -> list[CoEdge]:
    """Heaviest first, then ``a``, ``b``."""
    return sorted(edges, key=lambda e: (-e.weight, e.a, e.b))


def role_counts(duties: Duties | Iterable[tuple[Hashable, str, str]]) -> list[tuple[str, int, int, int]]:
    """(unit_id, lead, responsible, support): distinct tasks per role, by unit id; units without any left out."""
    d = duties if isinstance(duties, Duties) else Duties.of(duties)
    _, unit, bits = d.distinct()
    n_units = len(d.ids)
    counts = [np.bincount(unit[(bits & ROLE_BIT[r]) > 0], minlength=n_units) for r in ROLES]
    return [(d.ids[i], lead, resp, supp)
            for i, (lead, resp, supp) in enumerate(zip(*(c.tolist() for c in counts))) if lead or resp or supp]


_JURISDICTION = re.compile(r"^(?:中共|中国共产党)?(.{1,12}?(?:自治区|自治州|自治县|省|市|州|县|区))")


def jurisdiction_of(issuer: Optional[str]) -> Optional[str]:
    """The place an issuing body belongs to (云南省人民政府办公厅 -> 云南省); None when none is printed."""
    if not issuer:
        return None
    m = _JURISDICTION.match(clean_name(issuer))
    return m.group(1) if m else None
