"""Extraction mapped over a Dask cluster, facts written as partitions, read back in input order.

Each file is one task: a worker reads and extracts it and writes its facts
to ``PARTITIONS/part-NNNNNN.jsonl`` (or ``.parquet``), where NNNNNN is the
file's place in the input; it sends back only a summary (the file's
errors, warnings, unparsed clauses and, for PDF and Word files, the
extracted text).  The client reads the partitions back in input order and
the run goes on as on one machine: one resolution, one graph batch, one
load.  The partition folder must be one every worker and the client reach
under the same path (a shared file system), or an fsspec URL such as
``s3://bucket/run`` when ``s3fs`` is installed.  docs/SCALE.md says how to
run it on a real cluster.

At most ``4 x`` the cluster's threads files are in flight at a time, so the
client holds a bounded number of summaries whatever the corpus size.
"""
from __future__ import annotations

import json
import uuid
from collections import deque
from dataclasses import fields, replace
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Sequence, Union

from zhize.extract.types import FACT_TYPES, Fact, FileResult, fact_from_record

FORMATS = ("jsonl", "parquet")


def extract_on_dask(paths: Sequence[Path], scheduler: Any, partitions: Optional[Union[str, Path]],
                    partition_format: str = "jsonl", time_limit: Optional[float] = None,
                    extract_file: Optional[Callable[[str, Optional[float]], FileResult]] = None) -> Iterator[FileResult]:
    """Every file's result in input order, extracted on the cluster at ``scheduler``."""
    from zhize.pipeline import PipelineError

    try:
        from distributed import Client
    except ImportError:
        raise PipelineError("Dask is not installed: pip install 'zhize[dask]'") from None
    if partition_format not in FORMATS:
        raise PipelineError(f"unknown partition format {partition_format!r}; use jsonl or parquet")
    if partitions is None:
        raise PipelineError("a Dask run writes its facts to a partition folder every worker can reach: "
                            "give one (--partitions DIR)")
    folder = str(partitions).rstrip("/")
    _clear(folder)
    own = not isinstance(scheduler, Client)
    try:
        client = Client(scheduler) if own else scheduler     # waits distributed.comm.timeouts.connect (30 s)
    except (OSError, TimeoutError) as exc:
        raise PipelineError(f"cannot reach the Dask scheduler at {scheduler} ({type(exc).__name__}: {exc})") from None
    try:
        window = 4 * max(1, sum(client.nthreads().values()))
        run = uuid.uuid4().hex[:8]
        pending: deque = deque()
        todo = iter(enumerate(paths))

        def submit() -> None:
            item = next(todo, None)
            if item is not None:
                i, p = item
                pending.append((p, client.submit(extract_to_partition, str(p), partition_path(folder, i, partition_format),
                                                 time_limit, extract_file, key=f"zhize-extract-{run}-{i}", pure=False)))

        for _ in range(window):
            submit()
        while pending:
            p, future = pending.popleft()
            try:
                summary, part = future.result()
                if part is not None:
                    summary = replace(summary, facts=read_partition(part))
            except Exception as exc:       # the task itself failed (a worker lost, a partition unreadable)
                summary = FileResult(file=str(p), error=f"distributed extraction failed: {type(exc).__name__}: {exc}")
            finally:
                future.release()
            submit()
            yield summary
    finally:
        if own:
            client.close()


def extract_to_partition(path: str, partition: str, time_limit: Optional[float],
                         extract_file=None) -> tuple[FileResult, Optional[str]]:
    """On a worker: extract ``path``, write its facts to ``partition``; the summary and where they are."""
    from zhize.pipeline import extract_path

    result = (extract_file or extract_path)(path, time_limit)
    if result.error:
        return result, None
    write_partition(partition, result.facts)
    return replace(result, facts=[]), partition


def partition_path(folder: str, index: int, fmt: str) -> str:
    return f"{folder}/part-{index:06d}.{fmt}"


def write_partition(target: str, facts: Sequence[Fact]) -> None:
    records = [f.to_record() for f in facts]
    if target.endswith(".parquet"):
        import pyarrow as pa
        import pyarrow.parquet as pq

        with _open(target, "wb") as fh:
            pq.write_table(pa.Table.from_pylist([_flat(r) for r in records], schema=_schema()), fh)
        return
    with _open(target, "w") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def read_partition(source: str) -> list[Fact]:
    if source.endswith(".parquet"):
        import pyarrow.parquet as pq

        with _open(source, "rb") as fh:
            rows = pq.read_table(fh).to_pylist()
        return [fact_from_record(_unflat(r)) for r in rows]
    with _open(source, "r") as fh:
        return [fact_from_record(json.loads(line)) for line in fh if line.strip()]


# --- Parquet: one table for every kind of fact ---------------------------------------

_TYPES = {"generic": "bool", "notes": "list"}      # every other field is a string (or null)


def _columns() -> list[str]:
    names: dict[str, None] = {"kind": None, "doc": None, "evidence": None}
    for cls in FACT_TYPES.values():
        for f in fields(cls):
            if f.name != "source":
                names.setdefault(f.name, None)
    return list(names)


def _schema():
    import pyarrow as pa

    kinds = {"bool": pa.bool_(), "list": pa.list_(pa.string())}
    source = pa.struct([("file", pa.string()), ("start", pa.int64()), ("end", pa.int64()), ("page", pa.int64())])
    return pa.schema([(c, kinds.get(_TYPES.get(c, ""), pa.string())) for c in _columns()] + [("source", source)])


def _flat(rec: dict[str, Any]) -> dict[str, Any]:
    return {**{c: rec.get(c) for c in _columns()}, "source": {"page": None, **rec["source"]}}


def _unflat(row: dict[str, Any]) -> dict[str, Any]:
    """A Parquet row back to the record ``to_record`` made: fields the record leaves out when unset stay out."""
    cls = FACT_TYPES[row["kind"]]
    own = {f.name: f for f in fields(cls)}
    rec = {k: v for k, v in row.items()
           if k == "kind" or (k in own and not (v is None and own[k].metadata.get("omit_none")))}
    rec["source"] = {k: v for k, v in row["source"].items() if not (k == "page" and v is None)}
    return rec


# --- files ------------------------------------------------------------------------------

def _open(target: str, mode: str):
    """A local path, or any fsspec URL (s3://…, gs://…) when fsspec and its backend are installed."""
    if "://" in target and not target.startswith("file://"):
        import fsspec

        return fsspec.open(target, mode, encoding="utf-8" if "b" not in mode else None).open()
    path = Path(target.removeprefix("file://"))
    if "w" in mode:
        path.parent.mkdir(parents=True, exist_ok=True)
    return open(path, mode, encoding=None if "b" in mode else "utf-8")


def _clear(folder: str) -> None:
    """Remove the partitions of an earlier run (only files named as this module names them)."""
    if "://" in folder and not folder.startswith("file://"):
        import fsspec

        fs, root = fsspec.core.url_to_fs(folder)
        for f in fs.glob(f"{root}/part-*.*"):
            fs.rm(f)
        return
    path = Path(folder.removeprefix("file://"))
    for f in path.glob("part-[0-9]*.*") if path.is_dir() else ():
        if f.suffix.lstrip(".") in FORMATS:
            f.unlink()
