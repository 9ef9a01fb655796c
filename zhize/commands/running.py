"""What every command that runs the pipeline shares: its options, its progress bar, its summary."""
from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping, Optional, Sequence

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from zhize.extract.entities import Mention
from zhize.extract.types import FileResult, Unparsed
from zhize.pipeline import (
    DEFAULT_TIME_LIMIT, Inputs, Pipeline, PipelineError, ProgressEvent, Report, Writer, find_inputs,
)

err = Console(stderr=True, emoji=False, highlight=False)

PATHS_HELP = "files (text, HTML, PDF, Word .docx) or folders, searched recursively"
WORKERS = typer.Option(1, "--workers", "-w", min=1, help="processes extracting side by side (same output as one)")
SCHEDULER = typer.Option(None, "--scheduler", metavar="tcp://HOST:8786",
                         help="extract on this Dask cluster instead (see docs/SCALE.md)")
PARTITIONS = typer.Option(None, "--partitions", metavar="DIR",
                          help="with --scheduler: where workers write the facts (shared by all; "
                               "default .zhize/partitions)")
PARTITION_FORMAT = typer.Option("jsonl", "--partition-format", help="with --scheduler: jsonl | parquet")
TIME_LIMIT = typer.Option(DEFAULT_TIME_LIMIT, "--time-limit", metavar="SECONDS", min=0,
                          help="stop a file that takes longer, name it, go on with the others (0: no limit)")


def make_pipeline(workers: int = 1, scheduler: Optional[str] = None, partitions: Optional[str] = None,
                  partition_format: str = "jsonl", time_limit: float = DEFAULT_TIME_LIMIT,
                  resolve: bool = True, build: bool = False, progress=None) -> Pipeline:
    if partition_format not in ("jsonl", "parquet"):
        raise typer.BadParameter("use jsonl or parquet", param_hint="--partition-format")
    if scheduler is not None and partitions is None:
        partitions = str(Path(".zhize") / "partitions")
    return Pipeline(workers=workers, scheduler=scheduler, partitions=partitions, partition_format=partition_format,
                    time_limit=time_limit or None, resolve=resolve, build=build, progress=progress)


@contextmanager
def progress_bar(label: str = "extract") -> Iterator:
    """A progress callback drawing on stderr when it is a terminal (no output otherwise)."""
    if not err.is_terminal:
        yield None
        return
    bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[file]}"), TimeElapsedColumn(), console=err, transient=True)
    task = bar.add_task(label, total=None, file="")

    def tell(event: ProgressEvent) -> None:
        if event.stage == "extract":
            bar.update(task, description=label, total=event.total, completed=event.done,
                       file=Path(event.file or "").name)
        else:
            bar.update(task, description=event.stage, file="")

    with bar:
        yield tell


class UnparsedSample(Writer):
    """The first unparsed clauses, for the summary (the full list goes to --unparsed)."""

    def __init__(self, keep: int = 50) -> None:
        self.keep = keep
        self.items: list[Unparsed] = []

    def add(self, result: FileResult, ids: Mapping[Mention, str]) -> None:
        self.items.extend(result.unparsed[: self.keep - len(self.items)])


def print_summary(report: Report, sample: Optional[UnparsedSample] = None, console: Console = err) -> None:
    kinds = Counter(report.facts)
    docs = kinds.pop("document", 0)
    formats = Counter(f.format for f in report.read)
    forms = f" ({', '.join(f'{n} {k}' for k, n in sorted(formats.items()))})" if len(formats) > 1 else ""
    console.print(f"[bold]{len(report.read)}[/] files{forms}, [bold]{docs}[/] documents, "
                  + (", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "no facts"))
    if report.unparsed:
        console.print(f"[yellow]{report.unparsed} clauses looked like assignments but could not be parsed:[/]")
        for u in (sample.items if sample else []):
            console.print(f"  {Path(u.file).name}:{u.line}: {u.reason}: {u.text.strip()[:60]}",
                          markup=False, soft_wrap=True)
        if sample is not None and report.unparsed > len(sample.items):
            console.print(f"  … and {report.unparsed - len(sample.items)} more (see --unparsed)")
    print_problems(report, console)


def print_problems(report: Report, console: Console = err) -> None:
    """Files skipped, read with warnings, left out of the graph or not read: each by name."""
    if report.skipped:
        console.print(f"[yellow]skipped {len(report.skipped)} file(s) zhize does not read:[/]")
        for s in report.skipped[:20]:
            console.print(f"  {s.path}: {s.reason}", markup=False, soft_wrap=True)
        if len(report.skipped) > 20:
            console.print(f"  … and {len(report.skipped) - 20} more", markup=False)
    for file, warning in report.warnings:
        console.print(f"[yellow]warning[/] {file}: {warning}", soft_wrap=True)
    for file, reason in report.build_failures:
        console.print(f"[red]error[/] {file}: {reason}", soft_wrap=True)
    for f in report.failed:
        console.print(f"[red]error[/] {f.file}: {f.error}", soft_wrap=True)


def run_or_exit(pipeline: Pipeline, inputs: Inputs, writers: Sequence[Writer] = ()) -> Report:
    """Run; a failure of the run as a whole (never one file's) is a message and exit code 2."""
    try:
        return pipeline.run(inputs, writers)
    except PipelineError as exc:
        err.print(f"zhize: {exc}", markup=False, soft_wrap=True)
        raise typer.Exit(code=2)


def inputs_or_exit(paths: list[str]) -> Inputs:
    """The files ``paths`` name; exits with a message when there is nothing to read (an empty folder is no success)."""
    inputs = find_inputs(paths)
    if not inputs.files:
        err.print(f"zhize: no files to read in {', '.join(paths)}", markup=False)
        print_problems(Report(skipped=inputs.skipped))
        raise typer.Exit(code=2)
    return inputs
