"""Writing what a store holds for other tools: RDF, GraphML and GEXF (Gephi), CSV, Excel.

Each format is written from the same two things every store gives, the whole
content as a ``GraphBatch`` (RDF) and the ``Tables`` made from it (the rest),
so an export says the same whichever store it came from.

* ``ttl`` / ``nt`` / ``jsonld``: the whole graph as Linked Data (``zhize.graph.rdf``).
* ``graphml`` / ``gexf``: one network (``zhize.graph.networks``), scalar attributes only.
* ``csv``: that network's edge list at OUT, its nodes beside it (``OUT-nodes.csv``):
  the two tables Gephi's and most tools' importers take.
* ``xlsx``: the tables (units, tasks, duties, memberships, successions) and the
  network's edges, a sheet each.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import networkx as nx
import pandas as pd

from zhize.graph import rdf
from zhize.graph.frames import Tables
from zhize.graph.model import GraphBatch
from zhize.graph.networks import network, non_scalar_attributes

RDF_FORMATS = ("ttl", "nt", "jsonld")
GRAPH_FORMATS = ("graphml", "gexf", "csv", "xlsx")
FORMATS = RDF_FORMATS + GRAPH_FORMATS
_SUFFIXES = {".ttl": "ttl", ".turtle": "ttl", ".nt": "nt", ".jsonld": "jsonld", ".json": "jsonld",
             ".graphml": "graphml", ".gexf": "gexf", ".csv": "csv", ".xlsx": "xlsx"}


def format_of(out: str, fmt: Optional[str] = None) -> str:
    """The format asked for, else the one OUT's suffix names; a clear error when neither says."""
    if fmt:
        if fmt not in FORMATS and fmt not in rdf.FORMATS:
            raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        return "ttl" if fmt == "turtle" else "jsonld" if fmt == "json-ld" else fmt
    found = _SUFFIXES.get(Path(out).suffix.lower())
    if found is None:
        raise ValueError(f"{out}: the suffix names no export format; give --format "
                         f"({', '.join(FORMATS)}) or end OUT in one of {', '.join(sorted(_SUFFIXES))}")
    return found


def nodes_path(out: str) -> Path:
    """Where the CSV export puts its node table: beside the edge list."""
    p = Path(out)
    return p.with_name(p.stem + "-nodes.csv")


@dataclass(frozen=True)
class Written:
    """What an export wrote, for the command's one-line summary."""

    format: str
    path: str
    nodes: int
    edges: int
    triples: int = 0
    also: tuple[str, ...] = ()      # further files written beside ``path``


def edge_table(g: nx.Graph) -> pd.DataFrame:
    """One row per edge: its ends (id and name) and every attribute."""
    rows = [{"source": a, "target": b, "source_name": g.nodes[a].get("name", a),
             "target_name": g.nodes[b].get("name", b), **d} for a, b, d in g.edges(data=True)]
    return pd.DataFrame(rows, columns=_columns(rows, ["source", "target", "source_name", "target_name"]))


def node_table(g: nx.Graph) -> pd.DataFrame:
    rows = [{"id": n, **d} for n, d in g.nodes(data=True)]
    return pd.DataFrame(rows, columns=_columns(rows, ["id"]))


def _columns(rows: list[dict], first: list[str]) -> list[str]:
    seen = dict.fromkeys(first)
    for r in rows:
        seen.update(dict.fromkeys(r))
    return list(seen)


def write_network(g: nx.Graph, out: str, fmt: str) -> Written:
    """``g`` as GraphML, GEXF or CSV; refuses (naming it) an attribute those formats cannot hold."""
    bad = non_scalar_attributes(g)
    if bad:
        raise ValueError(f"the network has attributes that are not scalars ({', '.join(bad[:3])}); "
                         f"this is a bug in zhize")
    also: tuple[str, ...] = ()
    if fmt == "graphml":
        nx.write_graphml(g, out, named_key_ids=True)
    elif fmt == "gexf":
        nx.write_gexf(g, out)
    elif fmt == "csv":
        edge_table(g).to_csv(out, index=False)
        node_table(g).to_csv(nodes_path(out), index=False)
        also = (str(nodes_path(out)),)
    else:
        raise ValueError(f"{fmt} is not a network format; use graphml, gexf or csv")
    return Written(fmt, out, g.number_of_nodes(), g.number_of_edges(), also=also)


def write_workbook(tables: Tables, g: nx.Graph, out: str) -> Written:
    """The tables and the network's edges, one sheet each (Excel's sheet names: 31 characters at most)."""
    sheets = {"units": tables.units, "tasks": tables.tasks, "duties": tables.duties,
              "memberships": tables.memberships, "successions": tables.successions,
              f"{g.graph.get('kind', 'network')} edges"[:31]: edge_table(g)}
    with pd.ExcelWriter(out, engine="openpyxl") as xl:
        for name, df in sheets.items():
            df.to_excel(xl, sheet_name=name, index=False)
    return Written("xlsx", out, g.number_of_nodes(), g.number_of_edges())


def write(batch: GraphBatch, tables: Optional[Tables], out: str, fmt: str, kind: str = "co_responsibility",
          include_vocab: bool = True) -> Written:
    """Write the export of ``fmt`` to ``out``: RDF from the batch, the others from the (selected) tables
    (``Tables.of_batch(batch)`` when None)."""
    if fmt in RDF_FORMATS:
        triples = rdf.write(batch, out, fmt, include_vocab=include_vocab)
        return Written(fmt, out, len(batch.nodes), len(batch.rels), triples=triples)
    tables = tables if tables is not None else Tables.of_batch(batch).select()
    g = network(tables, kind)
    if fmt == "xlsx":
        return write_workbook(tables, g, out)
    return write_network(g, out, fmt)
