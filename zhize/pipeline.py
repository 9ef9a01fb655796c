"""The one chain from the files a user has to facts, graph and stores.

    paths -> read (PDF, Word, HTML, text) -> text view -> documents -> facts
          -> resolution -> graph batch -> writers (JSONL, store, texts, ...)

Every command, the notebook and the benchmarks run this; none strings the
stages together itself.  What it promises:

* **Per-file isolation.**  A file that cannot be read, that makes an
  extractor fail, or that runs past the time limit is reported by name with
  its reason; every other file's output is complete.
* **Order.**  Writers see files in input order and the output is the same
  byte for byte whether one process extracts, ``workers`` processes do, or
  a Dask cluster does (``scheduler``).
* **Bounded memory when streaming.**  Files are extracted a few ahead of the
  writers and written as they come; only the entities resolution found, and
  the facts when a writer needs the whole graph (a store, an RDF export),
  are held to the end.

Resolution runs in this process, file by file (``ResolutionSession``): a
mention's id depends only on it and its document, so a file's facts can be
written with their ids as soon as it is resolved.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections import Counter, deque
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, Mapping, Optional, Sequence, Union

from zhize.extract.entities import Mention, Resolution, record_with_ids, with_ids
from zhize.extract.types import Fact, FileResult, RawText

DEFAULT_TIME_LIMIT = 300.0          # seconds per file; a 340k-character bulletin takes about 1 s
CONVERTED = ("pdf", "docx")         # formats whose offsets point into extracted text, not the file


# ------------------------------------------------------------------------------- inputs

@dataclass(frozen=True)
class Skipped:
    """A file found in a folder that zhize does not read; reported by name, not an error."""

    path: str
    reason: str


@dataclass
class Inputs:
    files: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def find_inputs(paths: Iterable[Union[str, Path]]) -> Inputs:
    """The files to read: files as given (read by content, whatever their name), folders searched recursively.

    In a folder a file is taken when its suffix names a format zhize reads
    (``.txt``, ``.TXT``, ``.pdf``, ``.docx``, ``.html`` …, case-insensitively)
    or, whatever its suffix, its first bytes are a PDF, Word file or web
    page; other files are listed in ``skipped``.  Hidden files and Word's
    ``~$`` lock files are passed over silently.  A file named twice is read once.
    """
    out = Inputs()
    seen: set[Path] = set()

    def take(p: Path) -> None:
        key = p.resolve() if p.exists() else p.absolute()
        if key not in seen:
            seen.add(key)
            out.files.append(p)

    for p in map(Path, paths):
        if not p.is_dir():
            take(p)
            continue
        for f in _walk(p):
            why = _unreadable_in_folder(f)
            if why is None:
                take(f)
            else:
                out.skipped.append(Skipped(str(f), why))
    return out


def _walk(folder: Path) -> list[Path]:
    """Every file below ``folder`` in path order (``a.txt`` < ``sub/x.txt`` < ``sub2/…``), hidden ones left out."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__MACOSX"]
        found.extend(Path(root) / name for name in files if not name.startswith((".", "~$")))
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def _unreadable_in_folder(path: Path) -> Optional[str]:
    """None when ``path`` (found in a folder) is a format zhize reads; else why it is left out."""
    from zhize.extract.reading import SUFFIXES, detect

    if path.suffix.lower() in SUFFIXES:
        return None
    try:
        with open(path, "rb") as fh:
            head = fh.read(2048)
        fmt = detect(head if not head.startswith(b"PK") else path.read_bytes(), path.name)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if fmt in ("pdf", "docx", "html"):
        return None
    kind = path.suffix or "no suffix"
    return f"not a format zhize reads ({kind}); zhize reads text, HTML, PDF and Word .docx"


# ------------------------------------------------------------------------------- one file

class FileTimeout(Exception):
    pass


def extract_path(path: Union[str, Path], time_limit: Optional[float] = DEFAULT_TIME_LIMIT) -> FileResult:
    """Read and extract one file; never raises: what went wrong is ``FileResult.error``.

    The time limit interrupts the file when this runs in a process's main
    thread (the command line, ``--workers``); where it cannot (a Dask worker
    thread), a file that ran past it is reported the same way once done.
    """
    from zhize.extract.pipeline import extract_text
    from zhize.extract.reading import InputError, read_file

    name = str(path)
    t0 = time.perf_counter()
    try:
        with _deadline(time_limit):
            raw = read_file(name)
            result = with_provenance(extract_text(raw), raw)
        if time_limit and time.perf_counter() - t0 > time_limit:
            raise FileTimeout
    except InputError as exc:
        result = FileResult(file=name, error=exc.reason)
    except FileTimeout:
        result = FileResult(file=name, error=f"took longer than the {time_limit:g} s time limit per file; skipped "
                                             "(raise it with --time-limit)")
    except Exception as exc:          # a bug triggered by this file: the other files go on
        result = FileResult(file=name, error=f"extraction failed: {type(exc).__name__}: {exc}")
    result.seconds = time.perf_counter() - t0
    return result


def with_provenance(result: FileResult, raw: RawText) -> FileResult:
    """What the reader knows about the file, on its result: format, digest, warnings, pages of a PDF."""
    facts = result.facts
    if raw.pages:
        facts = [replace(f, source=replace(f.source, page=raw.page_at(f.source.start))) for f in facts]
    return replace(result, facts=facts, format=raw.format, sha256=raw.sha256, warnings=list(raw.warnings),
                   text=raw.text if raw.format in CONVERTED else None)


@contextmanager
def _deadline(seconds: Optional[float]):
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise FileTimeout

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# ------------------------------------------------------------------------------- executors

def _in_process(paths: Sequence[Path], time_limit: Optional[float], extract_file=extract_path) -> Iterator[FileResult]:
    for p in paths:
        yield extract_file(str(p), time_limit)


def _warm_worker() -> None:
    from zhize.extract.pipeline import build_nlp
    build_nlp()


def _worker_context():
    """Fresh processes, not forks of this one (which may hold threads and open stores).

    A fork server imports the extraction modules once and forks each worker
    from that clean process; where there is none (Windows), they are spawned.
    """
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["zhize.extract.pipeline"])
        return ctx
    return multiprocessing.get_context("spawn")


def _in_processes(paths: Sequence[Path], workers: int, time_limit: Optional[float],
                  extract_file=extract_path) -> Iterator[FileResult]:
    """``workers`` processes, at most two files each in flight; results in input order.

    Each worker interrupts a file at the time limit itself; should a file hang
    where Python cannot interrupt it (inside a C library), pebble ends that
    worker a little later and starts another.
    """
    from concurrent.futures import TimeoutError as FutureTimeout
    from concurrent.futures.process import BrokenProcessPool

    from pebble import ProcessExpired, ProcessPool

    hard = time_limit + min(30.0, max(2.0, time_limit / 5)) if time_limit else None
    pool = ProcessPool(max_workers=workers, initializer=_warm_worker, context=_worker_context())
    pending: deque = deque()
    todo = iter(paths)

    def submit() -> None:
        p = next(todo, None)
        if p is not None:
            pending.append((p, pool.schedule(extract_file, args=(str(p), time_limit), timeout=hard)))

    try:
        for _ in range(2 * workers):
            submit()
        while pending:
            p, future = pending.popleft()
            try:
                result = _outcome(future, pool)
            except FutureTimeout:
                result = FileResult(file=str(p), error=f"took longer than the {time_limit:g} s time limit per file "
                                                       "and was stopped (raise it with --time-limit)")
            except ProcessExpired as exc:
                result = FileResult(file=str(p), error=f"the worker extracting it died ({exc})")
            except BrokenProcessPool as exc:        # not this file's fault: no worker can run at all
                raise PipelineError(f"the worker processes cannot run ({exc}); run with --workers 1 to see why") \
                    from None
            except Exception as exc:
                result = FileResult(file=str(p), error=f"extraction failed: {type(exc).__name__}: {exc}")
            submit()
            yield result
    finally:
        if pending:
            pool.stop()
        else:
            pool.close()
        pool.join()


WORKER_START_S = 300.0     # a file that no worker has begun after this long means the workers cannot start


def _outcome(future, pool) -> FileResult:
    """The future's result; raises when its worker never starts it (pebble would restart dying workers forever)."""
    from concurrent.futures import TimeoutError as FutureTimeout

    waited = 0.0
    while True:
        try:
            return future.result(timeout=5.0)
        except FutureTimeout:
            if future.done():                       # the file's own time limit: pebble's TimeoutError
                raise
            waited = 0.0 if future.running() else waited + 5.0
            if waited >= WORKER_START_S:
                pool.stop()
                raise PipelineError(f"no worker process started a file in {WORKER_START_S:g} s: the workers "
                                    "cannot start (run with --workers 1 to see why)") from None


# ------------------------------------------------------------------------------- writers

class Writer:
    """Receives every file's result in input order (``add``), then the whole run (``finish``).

    ``needs_batch``: the writer needs the graph of the whole run, so the
    pipeline keeps every fact until the end and builds it.
    """

    needs_batch = False

    def add(self, result: FileResult, ids: Mapping[Mention, str]) -> None:
        pass

    def finish(self, report: "Report") -> None:
        pass

    def abort(self) -> None:
        """The run failed before ``finish``: release what the writer holds."""


class JsonlWriter(Writer):
    """The facts, one SCHEMA record a line, with the ids resolution gave them; ``-`` for stdout."""

    def __init__(self, target: Union[str, Path, IO[str]]):
        self.target = target
        self._fh: Optional[IO[str]] = None
        self._part: Optional[str] = None

    def _open(self) -> IO[str]:
        """A file target is written whole or not at all: a temporary file beside it, renamed over it at the end
        (an interrupted run leaves the previous output as it was)."""
        if self._fh is None:
            if self.target == "-":
                self._fh = sys.stdout
            elif isinstance(self.target, (str, Path)):
                import tempfile

                target = Path(self.target)
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, self._part = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
                self._fh = os.fdopen(fd, "w", encoding="utf-8")
            else:
                self._fh = self.target
        return self._fh

    def add(self, result: FileResult, ids: Mapping[Mention, str]) -> None:
        out = self._open()
        for fact in result.facts:
            out.write(json.dumps(record_with_ids(fact, ids), ensure_ascii=False) + "\n")

    def finish(self, report: "Report") -> None:
        self._open()           # a run with no facts still leaves an (empty) file
        part = self._close()
        if part is not None:
            os.replace(part, self.target)

    def abort(self) -> None:
        part = self._close()
        if part is not None:
            Path(part).unlink(missing_ok=True)

    def _close(self) -> Optional[str]:
        """Close the output; the temporary file to rename or remove, for a file target."""
        part, self._part = self._part, None
        if self._fh is not None and isinstance(self.target, (str, Path)) and self.target != "-":
            self._fh.close()
        elif self._fh is not None:
            self._fh.flush()
        self._fh = None
        return part


class UnparsedWriter(JsonlWriter):
    """Every clause that looked like an assignment but gave no fact, one JSON object a line."""

    def add(self, result: FileResult, ids: Mapping[Mention, str]) -> None:
        out = self._open()
        for u in result.unparsed:
            out.write(json.dumps(u.__dict__, ensure_ascii=False) + "\n")


class TextWriter(Writer):
    """The text extracted from each PDF and Word file, as ``DIR/<file name>.txt``: what its offsets point into.

    Plain-text and HTML files need none (their offsets point into the file
    itself).  Two inputs with the same name get ``name.txt`` and ``name~2.txt``.
    """

    def __init__(self, directory: Union[str, Path]):
        self.directory = Path(directory)
        self.written: dict[str, Path] = {}       # input file -> its text

    def add(self, result: FileResult, ids: Mapping[Mention, str]) -> None:
        if result.text is None:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        base = Path(result.file).name
        target, n = self.directory / f"{base}.txt", 1
        while target in self.written.values():
            n += 1
            target = self.directory / f"{base}~{n}.txt"
        target.write_text(result.text, encoding="utf-8")
        self.written[result.file] = target


class StoreWriter(Writer):
    """The one place a run's graph goes into a store: ``GraphStore.replace_sources``, one transaction.

    The batch is built from every file first; only then is the store touched,
    in one write that replaces what the store held from these files (found by
    content hash, and by path for a file whose content changed) or, with
    ``fresh``, everything.  A run that fails before, or in which no file could
    be read, leaves the store as it was (``fresh`` too).  A run whose entity
    resolution failed is not loaded: its fallback ids would not match the ids
    of other loads.  ``replaced``: the stored (path, sha256) the write replaced.
    """

    needs_batch = True

    def __init__(self, store, fresh: bool = False):
        self.store = store
        self.fresh = fresh
        self.loaded = False
        self.replaced: list[tuple[str, str]] = []

    def finish(self, report: "Report") -> None:
        if report.resolution_error:
            raise PipelineError(f"entity resolution failed ({report.resolution_error}); nothing was loaded")
        sources = report.batch.source_ids() if report.batch is not None else []
        if not sources:
            return                                  # nothing was read: not even --fresh touches the store
        paths = {n.props.get("path"): n.props["sha256"] for n in report.batch.nodes if n.label == "Source"}
        drop = set(sources)
        if not self.fresh:
            for s in self.store.sources():          # the same path with other content: its old facts go
                if s.path and s.path in paths and paths[s.path] != s.sha256:
                    drop.add(s.sha256)
                    self.replaced.append((s.path, s.sha256))
        self.store.replace_sources(report.batch, sorted(drop), fresh=self.fresh)
        self.loaded = True


class Collector(Writer):
    """Keeps every file's result, its facts carrying their ids: for notebooks and tests."""

    def __init__(self) -> None:
        self.results: list[FileResult] = []

    def add(self, result: FileResult, ids: Mapping[Mention, str]) -> None:
        self.results.append(replace(result, facts=[with_ids(f, ids) for f in result.facts]))

    @property
    def facts(self) -> list[Fact]:
        return [f for r in self.results for f in r.facts]

    def records(self) -> list[dict[str, Any]]:
        return [f.to_record() for f in self.facts]


class PipelineError(Exception):
    """The run as a whole could not complete (never raised for one bad file)."""


# ------------------------------------------------------------------------------- the run

@dataclass(frozen=True)
class ProgressEvent:
    stage: str                 # extract | build | write
    done: int
    total: int
    file: Optional[str] = None


@dataclass
class FileReport:
    file: str
    format: Optional[str]
    facts: Counter
    unparsed: int
    error: Optional[str]
    warnings: list[str]
    seconds: float


@dataclass
class Report:
    """What a run did: per file, the entities, the graph (when built), and time per stage."""

    files: list[FileReport] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    resolution: Optional[Resolution] = None
    resolution_error: Optional[str] = None
    batch: Any = None                                        # GraphBatch, when built
    build_failures: list[tuple[str, str]] = field(default_factory=list)   # (file, reason): left out of the graph
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def failed(self) -> list[FileReport]:
        return [f for f in self.files if f.error]

    @property
    def read(self) -> list[FileReport]:
        return [f for f in self.files if not f.error]

    @property
    def facts(self) -> Counter:
        total: Counter = Counter()
        for f in self.files:
            total.update(f.facts)
        return total

    @property
    def unparsed(self) -> int:
        return sum(f.unparsed for f in self.files)

    @property
    def warnings(self) -> list[tuple[str, str]]:
        return [(f.file, w) for f in self.files for w in f.warnings]


@dataclass
class Pipeline:
    """How to run the chain: where extraction happens, and whether to resolve and build.

    ``workers``: processes extracting side by side (1: this process).
    ``scheduler``: a Dask scheduler address (``tcp://host:8786``) or
    ``distributed.Client``; extraction is mapped over the cluster, each
    file's facts written to ``partitions`` (a folder every worker and this
    process can reach) as JSONL or Parquet, then read back here in input
    order for one resolution and one batched load.
    ``time_limit``: seconds per file (None or 0: none).
    ``extract_file``: the per-file stage (read and extract one path); a module-level
    function, since worker processes and Dask workers import it by name.
    ``resolve``: run entity resolution (with ``resolver``, default the registry in extract/data).
    ``build``: build the graph batch even when no writer needs it (``Report.batch``).
    """

    workers: int = 1
    scheduler: Any = None
    partitions: Optional[Union[str, Path]] = None
    partition_format: str = "jsonl"
    time_limit: Optional[float] = DEFAULT_TIME_LIMIT
    resolve: bool = True
    extract_file: Callable[[str, Optional[float]], FileResult] = extract_path   # the per-file stage
    resolver: Any = None                # a zhize.extract.resolve.Resolver; None: the default registry
    build: bool = False
    progress: Optional[Callable[[ProgressEvent], None]] = None

    def extracted(self, paths: Sequence[Path]) -> Iterator[FileResult]:
        """Every file's result, in input order, from wherever extraction runs."""
        if self.scheduler is not None:
            from zhize.distributed import extract_on_dask

            return extract_on_dask(paths, self.scheduler, self.partitions, self.partition_format, self.time_limit,
                                   self.extract_file)
        if self.workers > 1 and len(paths) > 1:
            return _in_processes(paths, self.workers, self.time_limit, self.extract_file)
        return _in_process(paths, self.time_limit, self.extract_file)

    def run(self, paths: Union[Inputs, Iterable[Union[str, Path]]], writers: Sequence[Writer] = ()) -> Report:
        """Run the chain over ``paths`` (or inputs already found) into ``writers``."""
        inputs = paths if isinstance(paths, Inputs) else find_inputs(paths)
        report = Report(skipped=inputs.skipped)
        keep = self.build or any(w.needs_batch for w in writers)
        kept: list[tuple[str, list[Fact]]] = []
        t0 = time.perf_counter()
        session, report.resolution_error = (self._session(keep) if self.resolve else (None, None))
        resolve_s = 0.0
        try:
            for n, result in enumerate(self.extracted(inputs.files), 1):
                report.files.append(FileReport(result.file, result.format, Counter(f.kind for f in result.facts),
                                               len(result.unparsed), result.error, result.warnings, result.seconds))
                ids: Mapping[Mention, str] = {}
                if session is not None and not result.error:
                    r0 = time.perf_counter()
                    try:
                        ids = session.add(result.facts)
                    except Exception as exc:    # resolution's bug on this file: its facts go out without ids
                        why = f"{type(exc).__name__}: {exc}"
                        report.files[-1].warnings.append(f"entity resolution failed ({why}); its facts have no ids")
                        report.resolution_error = report.resolution_error or f"{result.file}: {why}"
                    resolve_s += time.perf_counter() - r0
                for w in writers:
                    w.add(result, ids)
                if keep and not result.error:
                    kept.append((source_of(result), result.facts))
                self._tell("extract", n, len(inputs.files), result.file)
            t1 = time.perf_counter()
            report.resolution = session.finish() if session is not None else Resolution()
            t2 = time.perf_counter()
            if keep:
                self._tell("build", 0, 1)
                report.batch = _build_isolated(kept, report.resolution, report.build_failures)
                kept.clear()
            t3 = time.perf_counter()
            self._tell("write", 0, 1)
            for w in writers:
                w.finish(report)
            t4 = time.perf_counter()
        except BaseException:
            for w in writers:
                w.abort()
            raise
        report.seconds = {"extract": t1 - t0 - resolve_s, "resolve": resolve_s + t2 - t1, "build": t3 - t2,
                          "write": t4 - t3}
        return report

    def _session(self, keep_ids: bool):
        try:
            from zhize.extract.resolve import default_resolver

            return (self.resolver or default_resolver()).session(keep_ids=keep_ids), None
        except Exception as exc:          # the registry cannot be read: the facts still go out, without ids
            return None, f"{type(exc).__name__}: {exc}"

    def _tell(self, stage: str, done: int, total: int, file: Optional[str] = None) -> None:
        if self.progress is not None:
            self.progress(ProgressEvent(stage, done, total, file))


def source_of(result: FileResult):
    """The file a result was read from, as the stores know it: the SHA-256 of its bytes and its path."""
    from zhize.graph.build import SourceFile

    if not result.sha256:
        return SourceFile.named(Path(result.file).name)
    path = Path(result.file)
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    return SourceFile(result.sha256, path.name, str(path.resolve()), size)


def _build_isolated(kept: list, resolution: Resolution, failures: list[tuple[str, str]]):
    """The graph of every file, each its own source; if building fails, the file(s) at fault are left out
    and named."""
    from zhize.graph.build import build_sources

    try:
        return build_sources(kept, resolution)
    except Exception:
        pass
    good = []
    for src, facts in kept:
        try:
            build_sources([(src, facts)], resolution)
        except Exception as exc:
            failures.append((src.path or src.file, f"graph build failed: {type(exc).__name__}: {exc}"))
            continue
        good.append((src, facts))
    return build_sources(good, resolution)


@dataclass(frozen=True)
class Unchanged:
    """An input whose content the store holds already: not extracted again."""

    path: str
    stored: str            # the path that content was stored from (another one for a copy)


def new_or_changed(inputs: Inputs, store, force: bool = False) -> tuple[Inputs, list[Unchanged]]:
    """The inputs a store does not hold yet, by the SHA-256 of their bytes, and those it does.

    A file read from two paths is one source, so a copy is unchanged too; a file
    that cannot be read stays in the inputs, for the pipeline to say why.  With
    ``force`` every input is new (after an upgrade of the extractors).
    """
    import hashlib

    stored = {} if force else {s.sha256: s.path or s.file for s in store.sources()}
    todo, same, seen = [], [], {}
    for p in inputs.files:
        try:
            digest = hashlib.sha256(Path(p).read_bytes()).hexdigest()
        except OSError:
            todo.append(p)
            continue
        if digest in stored or digest in seen:
            same.append(Unchanged(str(p), stored.get(digest) or seen[digest]))
        else:
            seen[digest] = str(p)
            todo.append(p)
    return Inputs(files=todo, skipped=inputs.skipped), same


def run(paths: Iterable[Union[str, Path]], writers: Sequence[Writer] = (), **options: Any) -> Report:
    """``Pipeline(**options).run(paths, writers)``."""
    return Pipeline(**options).run(paths, writers)
