"""The analyst's queries every store answers: tables, networks, rankings and findings.

A store gives its whole content as one ``GraphBatch`` (``batch()``, its own
query); everything here is computed from that batch by the same code for
every backend (``zhize.graph.frames``, ``networks``, ``insights``), so a
notebook gets identical answers from the SQLite file and from Neo4j.  Each
call reads the store afresh: a store changed by ``zhize ingest`` in between
answers with what it holds now.  To ask many questions of one state, take
``tables()`` once and select from it.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional

import networkx as nx
import pandas as pd

from zhize.graph.frames import Selection, Tables
from zhize.graph.model import GraphBatch


class AnalysisQueries:
    """Mixed into every store's query side; it needs only ``batch()``."""

    def batch(self) -> GraphBatch:  # pragma: no cover - every store defines it
        raise NotImplementedError

    def tables(self, selection: Optional[Selection] = None, **filters: Any) -> Tables:
        """Every table, narrowed to ``selection`` or ``Selection.of(**filters)`` (jurisdiction, years, doc,
        roles, leave_out; by default generic units are left out, as the network always did)."""
        return Tables.of_batch(self.batch()).select(selection, **filters)

    def tasks(self, selection: Optional[Selection] = None, **filters: Any) -> pd.DataFrame:
        """One row per task, its units by role and its first printed evidence."""
        return self.tables(selection, **filters).tasks

    def duties(self, selection: Optional[Selection] = None, **filters: Any) -> pd.DataFrame:
        """One row per (task, unit, role), with the clause, file and offsets it was printed at."""
        return self.tables(selection, **filters).duties

    def memberships(self, selection: Optional[Selection] = None, **filters: Any) -> pd.DataFrame:
        """One row per seat in a group (person or post) and per member or office-host unit."""
        return self.tables(selection, **filters).memberships

    def to_networkx(self, kind: str = "co_responsibility", selection: Optional[Selection] = None,
                    **filters: Any) -> nx.Graph:
        """``co_responsibility`` | ``lead_support`` | ``person_group`` (``zhize.graph.networks``)."""
        from zhize.graph.networks import network
        return network(self.tables(selection, **filters), kind)

    def ranking(self, selection: Optional[Selection] = None, by: str = "tasks", **filters: Any) -> list[dict]:
        """Units by tasks per role and network place (``networks.unit_ranking``)."""
        from zhize.graph.networks import unit_ranking
        return unit_ranking(self.tables(selection, **filters), by)

    def insights(self, kinds: Optional[Iterable[str]] = None, selection: Optional[Selection] = None,
                 options: Mapping[str, Mapping] = {}, **filters: Any) -> list:
        """Where ownership is unclear (``zhize.graph.insights``); by default generic and collective
        bodies are no owners (``INSIGHT_SELECTION``)."""
        from zhize.graph import insights as ins
        if selection is None:
            selection = Selection.of(**{"leave_out": ins.INSIGHT_SELECTION.leave_out, **filters})
        return ins.find(self.tables(selection), kinds or ins.KINDS, options)
