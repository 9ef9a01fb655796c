"""The small public Python API: open a store, optionally load files into it, and ask it.

``zhize.open_store()`` returns the same store object the app and the commands
use, whichever backend it is: its queries (``owners``, ``unit_tasks``, …,
``zhize.graph.model.GraphStore``) and the analyst's tables, networks and
findings (``zhize.graph.analysis.AnalysisQueries``).  docs/API.md documents it.
"""
from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Iterable, Optional, Union

Location = Union[str, "os.PathLike[str]", None]


def open_store(path_or_uri: Location = None, *, ingest: Optional[Iterable[Union[str, os.PathLike]]] = None,
               read_only: Optional[bool] = None):
    """The store at ``path_or_uri``: a SQLite file, a ``bolt://`` / ``neo4j://`` URI, or (None) the default
    one (``$NEO4J_URI``, else ``$ZHIZE_DB``, else ``.zhize/graph.sqlite``).

    ``ingest``: files or folders to load first, as ``zhize ingest`` does (a file whose content the store
    holds already is skipped, a changed one replaced); a file that cannot be read is named in a warning
    and the others still load.  The store opens read-only unless something is to be ingested
    (``read_only`` overrides).  Close it with ``close()`` (or use it in a ``with`` block of your own).
    """
    from zhize.graph.stores import open_store as open_location

    location = os.fspath(path_or_uri) if path_or_uri is not None else None
    paths = [os.fspath(p) for p in ingest] if ingest is not None else []
    writable = bool(paths) if read_only is None else not read_only
    if paths and not writable:
        raise ValueError("ingest needs a writable store: leave read_only unset (or False)")
    if location and writable and not location.startswith(("bolt", "neo4j")):
        Path(location).parent.mkdir(parents=True, exist_ok=True)
    store = open_location(location, read_only=not writable)
    if paths:
        try:
            _ingest(store, paths)
        except BaseException:
            store.close()
            raise
    return store


def _ingest(store, paths: list[str]) -> None:
    from zhize.pipeline import Pipeline, StoreWriter, find_inputs, new_or_changed

    todo, _ = new_or_changed(find_inputs(paths), store)
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        warnings.warn(f"not found, not loaded: {', '.join(missing)}", stacklevel=3)
    if not todo.files:
        return
    report = Pipeline().run(todo, [StoreWriter(store)])
    for f in report.failed:
        warnings.warn(f"{f.file}: not loaded ({f.error})", stacklevel=3)
