"""Every Cypher statement the Neo4j store runs, in one place.

Every value reaches Cypher as a parameter.  The only names formatted into
query text are the ``Zhize`` label, node labels and relationship types, and
those are checked against the model's fixed vocabulary (or a strict
identifier pattern) first (``ident``, ``label``).  Reads return plain maps
(``properties(x)``) that ``zhize.graph.answers`` assembles, as it does the
SQLite store's rows.
"""
from __future__ import annotations

import re

from zhize.graph.model import NODE_LABELS, STORE_LABEL
from zhize.graph.search import indexable

Z = STORE_LABEL
WRITE_LABEL = "ZhizeWrite"     # the marker of a write in parts under way (not a Zhize node: never counted)
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def ident(name: str) -> str:
    """A label or relationship type, safe to place in query text (backticked)."""
    if not _NAME.match(name):
        raise ValueError(f"not a valid label or relationship type: {name!r}")
    return f"`{name}`"


def label(name: str) -> str:
    if name not in NODE_LABELS:
        raise ValueError(f"unknown node label {name!r}; the model knows {NODE_LABELS}")
    return ident(name)


# --- schema ----------------------------------------------------------------------------

# Full-text index on each task's find text (zhize.graph.search: text, section heading, document
# title) with the CJK analyzer (bigrams): the search's candidates, and ranked free-text search
# from Cypher or Bloom: CALL db.index.fulltext.queryNodes('zhize_task_find', '"反拐"').
FIND_INDEX = "zhize_task_find"
SCHEMA = [
    f"CREATE CONSTRAINT zhize_node_id IF NOT EXISTS FOR (n:{Z}) REQUIRE n.id IS UNIQUE",
    # the marker of a write in parts (replace_sources); the index also makes its label known to the server
    f"CREATE INDEX zhize_write_id IF NOT EXISTS FOR (w:{WRITE_LABEL}) ON (w.id)",
    f"CREATE FULLTEXT INDEX {FIND_INDEX} IF NOT EXISTS FOR (t:Task) ON EACH [t.find] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}",
    "DROP INDEX zhize_task_fulltext IF EXISTS",          # zhize <= 0.1's index of text and search
]
AWAIT_INDEXES = "CALL db.awaitIndexes(300)"

# what zhize <= 0.1 made: a uniqueness constraint per label, and no Zhize label on its nodes
OLD_CONSTRAINTS = {f"zhize_{name.lower()}_id": name for name in NODE_LABELS}
SHOW_OLD_CONSTRAINTS = "SHOW CONSTRAINTS YIELD name WHERE name IN $names RETURN name"


def adopt_old_label(old_label: str) -> str:
    return (f"MATCH (n:{label(old_label)}) WHERE n.id IS NOT NULL AND NOT n:{Z} "
            f"CALL (n) {{ SET n:{Z} }} IN TRANSACTIONS OF 5000 ROWS")


def drop_constraint(name: str) -> str:
    return f"DROP CONSTRAINT {ident(name)} IF EXISTS"


# --- writes ----------------------------------------------------------------------------

MARK_PENDING = (f"MERGE (w:{WRITE_LABEL} {{id: 'pending'}}) SET w.sources = $sources, w.batch = $batch, "
                "w.fresh = $fresh, w.since = toString(datetime())")
PENDING = f"MATCH (w:{WRITE_LABEL} {{id: 'pending'}}) RETURN properties(w) AS w"
CLEAR_PENDING = f"MATCH (w:{WRITE_LABEL}) DELETE w"
DELETE_ALL = f"MATCH (n:{Z}) DETACH DELETE n"
# in bounded transactions: relationships first, as one node detached with its thousands of
# relationships would pass the transaction memory on its own
DELETE_ALL_RELS_IN_PARTS = f"MATCH (:{Z})-[r]->(:{Z}) CALL (r) {{ DELETE r }} IN TRANSACTIONS OF 10000 ROWS"
DELETE_ALL_NODES_IN_PARTS = f"MATCH (n:{Z}) CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF 10000 ROWS"
EXISTING_IDS = f"MATCH (n:{Z}) WHERE n.id IN $ids RETURN n.id AS id"

ALIASES_T = "reduce(acc = [], a IN n.alias_sources | CASE WHEN substring(a, 65) IN acc THEN acc ELSE acc + substring(a, 65) END)"

MERGE_NODES_T = (
    "UNWIND $rows AS row MERGE (n:{z} {{id: row.id}}) SET n += row.props, n:{label} "
    "SET n.sources = CASE WHEN size(row.sources) = 0 THEN n.sources "
    "                     ELSE [s IN coalesce(n.sources, []) WHERE NOT s IN row.sources] + row.sources END "
    "WITH n, row WHERE row.alias_sources IS NOT NULL "
    "SET n.alias_sources = [a IN coalesce(n.alias_sources, []) WHERE NOT a IN row.alias_sources] + row.alias_sources "
    "SET n.aliases = " + ALIASES_T)

MERGE_RELS_T = (
    "UNWIND $rows AS row MATCH (a:{z} {{id: row.start}}) MATCH (b:{z} {{id: row.end}}) "
    "MERGE (a)-[r:{type} {{key: row.key}}]->(b) SET r += row.props "
    "SET r.sources = CASE WHEN size(row.sources) = 0 THEN r.sources "
    "                     ELSE [s IN coalesce(r.sources, []) WHERE NOT s IN row.sources] + row.sources END")

CREATE_RELS_T = (
    "UNWIND $rows AS row MATCH (a:{z} {{id: row.start}}) MATCH (b:{z} {{id: row.end}}) "
    "CREATE (a)-[r:{type}]->(b) SET r = row.props, r.key = row.key, "
    "    r.sources = CASE WHEN size(row.sources) = 0 THEN null ELSE row.sources END")

FORGET_RELS_T = (
    "MATCH (a:{z})-[r]->(b:{z}) WHERE any(s IN r.sources WHERE s IN $drop) "
    "WITH a.id AS a, b.id AS b, r, [s IN r.sources WHERE NOT s IN $drop] AS keep "
    "FOREACH (_ IN CASE WHEN size(keep) = 0 THEN [1] ELSE [] END | DELETE r) "
    "FOREACH (_ IN CASE WHEN size(keep) > 0 THEN [1] ELSE [] END | SET r.sources = keep) "
    "RETURN collect(a) + collect(b) AS touched")

FORGET_NODES_T = (
    "MATCH (n:{z}) WHERE any(s IN n.sources WHERE s IN $drop) "
    "WITH n, n.id AS id, [s IN n.sources WHERE NOT s IN $drop] AS keep "
    "FOREACH (_ IN CASE WHEN size(keep) = 0 THEN [1] ELSE [] END | DETACH DELETE n) "
    "FOREACH (_ IN CASE WHEN size(keep) > 0 THEN [1] ELSE [] END | SET n.sources = keep, "
    "    n.alias_sources = [x IN n.alias_sources WHERE NOT left(x, 64) IN $drop]) "
    "RETURN collect(CASE WHEN size(keep) > 0 THEN id END) AS survivors, "
    "       collect(CASE WHEN size(keep) = 0 THEN id END) AS gone")

# mentions: the provenance relationships naming the node (zhize.graph.model.names_start / names_end)
COUNT_MENTIONS_T = (
    "UNWIND $ids AS id MATCH (n:{z} {{id: id}}) WHERE n:Institution OR n:Person "
    "CALL (n) {{ OPTIONAL MATCH (n)-[r]->(:{z}) WHERE type(r) IN $out "
    "           AND (type(r) <> 'HOLDS' OR r.action IN $acts) RETURN count(r) AS a }} "
    "CALL (n) {{ OPTIONAL MATCH (:{z})-[r]->(n) WHERE type(r) IN $inn RETURN count(r) AS b }} "
    "SET n.mentions = a + b")


def merge_nodes(node_label: str) -> str:
    return MERGE_NODES_T.format(z=Z, label=label(node_label))


def merge_rels(rel_type: str) -> str:
    return MERGE_RELS_T.format(z=Z, type=ident(rel_type))


def create_rels(rel_type: str) -> str:
    return CREATE_RELS_T.format(z=Z, type=ident(rel_type))


FORGET_RELS = FORGET_RELS_T.format(z=Z)
FORGET_NODES = FORGET_NODES_T.format(z=Z)
COUNT_MENTIONS = COUNT_MENTIONS_T.format(z=Z)
ALIASES_OF_SURVIVORS = f"MATCH (n:{Z}) WHERE n.id IN $ids AND n.alias_sources IS NOT NULL SET n.aliases = {ALIASES_T}"


# --- reads -----------------------------------------------------------------------------

COUNT_LABELS = f"MATCH (n:{Z}) UNWIND labels(n) AS k WITH k WHERE k <> $z RETURN k, count(*) AS c"
COUNT_TYPES = f"MATCH (:{Z})-[r]->(:{Z}) RETURN type(r) AS k, count(*) AS c"
DOCUMENTS = (f"MATCH (d:{Z}:Document) OPTIONAL MATCH (d)-[p:PRINTED_IN]->(:{Z}:Source) "
             "RETURN d.id AS id, properties(d) AS d, collect(properties(p)) AS printed")
SOURCES = (f"MATCH (s:{Z}:Source) OPTIONAL MATCH (d:{Z}:Document)-[:PRINTED_IN]->(s) "
           "RETURN properties(s) AS s, collect(DISTINCT coalesce(d.doc, '')) AS docs")

# tasks whose find text has an alternative of every group: from the full-text index when
# $lucene names some groups (the CONTAINS test then decides), else from every task
_FIND_ALL = "all(g IN $groups WHERE any(a IN g WHERE coalesce(t.find, '') CONTAINS a)) "
TASKS_MATCHING_INDEXED = (f"CALL db.index.fulltext.queryNodes('{FIND_INDEX}', $lucene) YIELD node AS t "
                          f"WITH t WHERE t:{Z} AND " + _FIND_ALL + "RETURN t.id AS id")
TASKS_MATCHING = f"MATCH (t:{Z}:Task) WHERE " + _FIND_ALL + "RETURN t.id AS id"
COUNT_MATCHING_INDEXED = (f"CALL db.index.fulltext.queryNodes('{FIND_INDEX}', $lucene) YIELD node AS t "
                          f"WITH t WHERE t:{Z} AND " + _FIND_ALL + "RETURN count(t) AS n")
COUNT_MATCHING = f"MATCH (t:{Z}:Task) WHERE " + _FIND_ALL + "RETURN count(t) AS n"
FIND_STATS = f"MATCH (t:{Z}:Task) RETURN count(t) AS n, coalesce(sum(size(coalesce(t.find, ''))), 0) AS total"


def lucene_phrases(groups) -> str:
    """The full-text query for the groups a CJK bigram index finds exactly (every alternative two Han
    characters or more, as a phrase); "" when none is."""
    clauses = ["(" + " OR ".join(f'"{a}"' for a in g) + ")" for g in groups if g and all(map(indexable, g))]
    return " AND ".join(clauses)

# tasks with their duty rows (each with its unit) and their document, as queries.task_owners takes them
TASK_ROWS = (
    f"UNWIND $ids AS id MATCH (t:{Z}:Task {{id: id}}) "
    f"OPTIONAL MATCH (u:{Z})-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t) "
    f"OPTIONAL MATCH (d:{Z}:Document {{id: t.doc_id}}) "
    "WITH t, d, collect(CASE WHEN r IS NULL THEN NULL ELSE "
    "  {src: u.id, type: type(r), props: properties(r), unit: properties(u)} END) AS rels "
    "RETURN t.id AS id, properties(t) AS task, properties(d) AS doc, rels")


def node_of(node_label: str) -> str:
    """One node of a label by id, as its props."""
    return f"MATCH (n:{Z} {{id: $id}}) WHERE n:{label(node_label)} RETURN properties(n) AS p"


def named(node_label: str, limited: bool = False) -> str:
    """The nodes of a label whose name (an institution's: or an alias) contains $q; ``limited``: the first
    $limit of them in the order of semantics.search_key."""
    institution = node_label == "Institution"
    aliases = " OR any(a IN coalesce(n.aliases, []) WHERE a CONTAINS $q)" if institution else ""
    exact = " OR $q IN coalesce(n.aliases, [])" if institution else ""
    order = (f" ORDER BY CASE WHEN coalesce(n.name, '') = $q{exact} THEN 0 ELSE 1 END, -coalesce(n.mentions, 0), "
             "size(coalesce(n.name, '')), n.id LIMIT $limit") if limited else ""
    return (f"MATCH (n:{Z}:{label(node_label)}) WHERE coalesce(n.name, '') CONTAINS $q{aliases} "
            f"RETURN n.id AS id, properties(n) AS p{order}")


# everything zhize stored (exports and the analyst's tables read it whole)
ALL_NODES = f"MATCH (n:{Z}) RETURN n.id AS id, labels(n) AS l, properties(n) AS p"
ALL_RELS = f"MATCH (a:{Z})-[r]->(b:{Z}) RETURN a.id AS s, type(r) AS t, b.id AS e, properties(r) AS r"

NODES = f"UNWIND $ids AS id MATCH (n:{Z} {{id: id}}) RETURN n.id AS id, labels(n) AS l, properties(n) AS p"
_EDGE = "RETURN a.id AS s, type(r) AS t, b.id AS e, properties(r) AS r, labels(x) AS l, properties(x) AS p"
EDGES_OUT = f"MATCH (a:{Z} {{id: $id}})-[r]->(b:{Z}) WHERE type(r) IN $types WITH a, r, b, b AS x " + _EDGE
EDGES_IN = f"MATCH (a:{Z})-[r]->(b:{Z} {{id: $id}}) WHERE type(r) IN $types WITH a, r, b, a AS x " + _EDGE
# a unit's task relationships with only what orders them (queries.unit_tasks_page), then the page's full rows
TASK_EDGE_KEYS = (f"MATCH (a:{Z} {{id: $id}})-[r]->(t:{Z}) WHERE type(r) IN $types "
                  "RETURN type(r) AS t, t.id AS e, r.key AS k, t.date AS date, t.doc AS doc, r.file AS file, "
                  "       r.start AS start")
EDGES_BY_KEY = (f"UNWIND $keys AS k MATCH (a:{Z} {{id: k.s}})-[r]->(b:{Z} {{id: k.e}}) "
                "WHERE type(r) = k.t AND r.key = k.k WITH a, r, b, b AS x " + _EDGE)

# The network: counted in Cypher (shipping 10^5 duty records to Python costs seconds)
_DUTIES = (f"MATCH (u:{Z}:Institution)-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:{Z}:Task) WHERE type(r) IN $types "
           "  AND ($jur IS NULL OR u.jurisdiction = $jur) "
           "  AND ($doc IS NULL OR t.doc = $doc) "
           "  AND ($year IS NULL OR coalesce(t.date, '') STARTS WITH $year) ")
CO_RESPONSIBILITY = (
    _DUTIES + "AND coalesce(u.kind, '') <> 'generic' "
    "WITH t, u, max(CASE type(r) WHEN 'LEADS' THEN 1 ELSE 0 END) AS lead, "
    "     max(CASE type(r) WHEN 'SUPPORTS' THEN 1 ELSE 0 END) AS sup "
    "WITH t, collect({id: u.id, lead: lead, sup: sup}) AS us WHERE size(us) > 1 "
    "UNWIND us AS x UNWIND us AS y WITH x, y WHERE x.id < y.id "
    "WITH x.id AS x, y.id AS y, count(*) AS w, sum(x.lead * y.sup) AS xy, sum(y.lead * x.sup) AS yx "
    "RETURN collect([x, y, w, xy, yx]) AS pairs")
ROLE_COUNTS = (
    _DUTIES +
    "RETURN u.id AS id, count(DISTINCT CASE type(r) WHEN 'LEADS' THEN t END) AS lead, "
    "       count(DISTINCT CASE type(r) WHEN 'RESPONSIBLE_FOR' THEN t END) AS resp, "
    "       count(DISTINCT CASE type(r) WHEN 'SUPPORTS' THEN t END) AS supp")
