"""Which store answers: configuration, not code.

A ``bolt://`` / ``neo4j://`` URI (or ``NEO4J_URI`` in the environment when no
location is given) means the Neo4j server; anything else is a path to the
embedded SQLite file (default ``.zhize/graph.sqlite``, ``ZHIZE_DB`` overrides).
The Neo4j module is imported only when asked for, so the embedded path needs
no server and no driver start-up.
"""
from __future__ import annotations

import os
import re
from typing import Optional
from urllib.parse import unquote, urlsplit, urlunsplit

from zhize.graph.model import GraphStore

NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]*@")


def is_neo4j_uri(location: Optional[str]) -> bool:
    return bool(location) and location.startswith(NEO4J_SCHEMES)


def looks_like_server(location: Optional[str]) -> bool:
    """``localhost:7687``, ``127.0.0.1:7687``, ``host:port``: a server named without its scheme."""
    return bool(location) and re.fullmatch(r"[\w.-]+:\d{2,5}/?", location) is not None


def split_credentials(uri: str) -> tuple[str, Optional[str], Optional[str]]:
    """``bolt://user:secret@host:7687`` -> (``bolt://host:7687``, user, secret); the driver refuses userinfo."""
    parts = urlsplit(uri)
    if parts.username is None and parts.password is None:
        return uri, None, None
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port:
        netloc += f":{parts.port}"
    return (urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)),
            unquote(parts.username) if parts.username else None,
            unquote(parts.password) if parts.password is not None else None)


def redact(text: str) -> str:
    """Text safe to print: no ``user:password@`` in URIs, no value of ``$NEO4J_PASSWORD``."""
    out = _USERINFO.sub(r"\1***@", str(text))
    secret = os.environ.get("NEO4J_PASSWORD") or ""
    if len(secret) >= 3:
        out = out.replace(secret, "***")
    return out


def open_store(uri_or_path: Optional[str] = None, read_only: bool = False) -> GraphStore:
    """The store at ``uri_or_path``; Neo4j for bolt/neo4j URIs, else SQLite.

    ``read_only``: the store never writes (SQLite opens the file ``mode=ro``;
    Neo4j skips its schema set-up and reads in read access mode), and
    ``load``/``clear`` fail.  Either store raises ``ConnectionError`` when the
    server does not answer and ``FileNotFoundError`` for a missing read-only file.
    """
    if uri_or_path is None and os.environ.get("NEO4J_URI"):
        from zhize.graph.neo4j_store import Neo4jStore
        return Neo4jStore.from_env(read_only=read_only)
    if is_neo4j_uri(uri_or_path):
        from zhize.graph.neo4j_store import Neo4jStore
        return Neo4jStore(uri_or_path, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""),
                          os.environ.get("NEO4J_DATABASE"), read_only=read_only)
    from zhize.graph.sqlite_store import SQLiteStore
    return SQLiteStore(uri_or_path, read_only=read_only)


def describe(store: GraphStore) -> tuple[str, str]:
    """(kind, location) of a store, for ``zhize info`` and the app's footer."""
    kind = "neo4j" if type(store).__name__.lower().startswith("neo4j") else "sqlite"
    location = getattr(store, "location", None) or getattr(store, "uri", None) or getattr(store, "path", "")
    return kind, str(location)
