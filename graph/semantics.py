"""Query semantics every backend shares: what counts, what matches, in which order.

The SQLite store is the reference; a backend fetches its rows however it likes
and then sorts and aggregates them with these functions, so both backends give
identical answers (tests/test_store_contract.py holds them to it).

What each query means:

* ``owners(words)``: tasks whose ``search`` prop (``clean_name`` of the text)
  contains every word of ``words_of(words)``, case-sensitive substring (Cypher
  ``CONTAINS``).  Units grouped by role, each in print order; ``evidence`` is
  the first printed duty relationship of the task.  Tasks without duty
  relationships are not answers.
* ``find_institutions / find_persons / find_groups(text)``: ``squeeze(text)``
  is a substring of the name (or, for institutions, of an alias).
* ``unit_tasks``: direct tasks, plus with ``include_inherited`` those of every
  institution reaching the unit through ``SUCCEEDED_BY`` chains, with
  ``inherited_from`` = that predecessor's id.  A predecessor does not inherit
  its successors' tasks.
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
* ``counts()``: every label of ``NODE_LABELS`` and type of ``REL_TYPES``, 0
  when absent, plus any other label or type present.
* ``documents()``: dicts with exactly doc, title, issuer, date, file.
* ``institutions(ids)``: the Institution nodes among ``ids``, once each.

Order rules:

* tasks (``owners``, ``unit_tasks``): ``task_key`` = newest document first (no
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
* co-responsibility edges: heaviest first, then ``a``, ``b``.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import Iterable, Optional

from graph.model import DUTY_REL, PORTFOLIO_REL, CoEdge

ROLES = ("lead", "responsible", "support")
MEMBER_ROLES = ("head", "deputy", "member", "office_head", "office_deputy")
PORTFOLIO_RELATIONS = tuple(PORTFOLIO_REL)
REL_TO_ROLE = {v: k for k, v in DUTY_REL.items()}
REL_TO_PORTFOLIO = {v: k for k, v in PORTFOLIO_REL.items()}

# every relationship type a batch may hold; counts() reports each (0 when absent)
REL_TYPES = tuple(DUTY_REL.values()) + (
    "IN", "MEMBER_OF", "MEMBER_UNIT_OF", "OFFICE_AT", "HOLDS", "SUCCEEDED_BY",
) + tuple(PORTFOLIO_REL.values())


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


def words_of(query: str) -> list[str]:
    """The words of an ``owners`` query: whitespace-separated, all must occur in the task's
    ``search`` form (``clean_name`` of its text), so 反拐 and full/half-width punctuation match alike."""
    return [w for w in (clean_name(p) for p in (query or "").split()) if w]


def co_edges(rows: Iterable[tuple[str, str, str]]) -> list[CoEdge]:
    """Edges from (task_id, unit_id, role) rows already filtered to the network's units.

    ``weight`` = distinct tasks both units hold a role on; a pair is written once,
    ``a`` being the unit that leads the other more often (ties: smaller id), and
    ``lead_to_support`` = tasks where ``a`` leads and ``b`` supports.
    """
    by_task: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for task_id, unit_id, role in rows:
        by_task[task_id][unit_id].add(role)
    weight: dict[tuple[str, str], int] = defaultdict(int)
    leads: dict[tuple[str, str], int] = defaultdict(int)       # (x, y): x leads, y supports
    for units in by_task.values():
        ids = sorted(units)
        for i, x in enumerate(ids):
            for y in ids[i + 1:]:
                weight[(x, y)] += 1
                if "lead" in units[x] and "support" in units[y]:
                    leads[(x, y)] += 1
                if "lead" in units[y] and "support" in units[x]:
                    leads[(y, x)] += 1
    edges = []
    for (x, y), w in weight.items():
        xy, yx = leads.get((x, y), 0), leads.get((y, x), 0)
        a, b, l2s = (y, x, yx) if yx > xy else (x, y, xy)
        edges.append(CoEdge(a=a, b=b, weight=w, lead_to_support=l2s))
    edges.sort(key=lambda e: (-e.weight, e.a, e.b))
    return edges


_JURISDICTION = re.compile(r"^(?:中共|中国共产党)?(.{1,12}?(?:自治区|自治州|自治县|省|市|州|县|区))")


def jurisdiction_of(issuer: Optional[str]) -> Optional[str]:
    """The place an issuing body belongs to (云南省人民政府办公厅 -> 云南省); None when none is printed."""
    if not issuer:
        return None
    m = _JURISDICTION.match(clean_name(issuer))
    return m.group(1) if m else None
