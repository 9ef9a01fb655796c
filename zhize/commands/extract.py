"""``zhize extract FILE... --jsonl OUT``: facts in the contract of the shared SCHEMA."""
from __future__ import annotations

import json
import sys
from collections import Counter
from contextlib import nullcontext
from pathlib import Path
from typing import Iterable

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from zhize.extract.types import FileResult

err = Console(stderr=True, emoji=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)


def expand_paths(paths: Iterable[str]) -> list[Path]:
    """Files as given; a directory stands for the .txt files in it."""
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(p.glob("*.txt")) if p.is_dir() else [p])
    return out


def extract_with_progress(paths: list[Path], label: str = "extracting") -> list[FileResult]:
    """Run the pipeline over files with a progress bar on stderr (off when not a terminal)."""
    from zhize.extract.pipeline import extract_file

    results = []
    show = err.is_terminal and len(paths) > 1
    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[file]}"), TimeElapsedColumn(), console=err, transient=True)
    with progress if show else nullcontext():
        task = progress.add_task(label, total=len(paths), file="") if show else None
        for path in paths:
            if task is not None:
                progress.update(task, file=path.name)
            results.append(extract_file(path))
            if task is not None:
                progress.advance(task)
    return results


def resolve_results(results: list[FileResult]):
    """Entity resolution over every fact (sets unit_id / person_id in place)."""
    from zhize.extract.resolve import resolve
    from zhize.extract.types import DocumentFact

    facts = [f for r in results for f in r.facts]
    documents = [f for f in facts if isinstance(f, DocumentFact)]
    return resolve(facts, documents)


def print_summary(results: list[FileResult], console: Console = err) -> None:
    kinds = Counter(f.kind for r in results for f in r.facts)
    docs = kinds.pop("document", 0)
    failed = [r for r in results if r.error]
    console.print(f"[bold]{len(results) - len(failed)}[/] files, [bold]{docs}[/] documents, "
                  + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "no facts")
    unparsed = [u for r in results for u in r.unparsed]
    if unparsed:
        console.print(f"[yellow]{len(unparsed)} clauses looked like assignments but could not be parsed:[/]")
        for u in unparsed[:50]:
            console.print(f"  {Path(u.file).name}:{u.line}: {u.reason}: {u.text.strip()[:60]}",
                          markup=False, soft_wrap=True)
        if len(unparsed) > 50:
            console.print(f"  … and {len(unparsed) - 50} more (see --unparsed)")
    for r in failed:
        console.print(f"[red]error[/] {r.file}: {r.error}", soft_wrap=True)


def extract(
    files: list[str] = typer.Argument(..., help="text files (bulletins, notices) or folders of .txt files"),
    jsonl: str = typer.Option(..., "--jsonl", help="where the facts go, one JSON object a line; - for stdout"),
    unparsed: str = typer.Option(None, "--unparsed", help="also write every unparsed clause to this JSON-lines file"),
    resolve: bool = typer.Option(True, "--resolve/--no-resolve", help="add unit_id / person_id from entity resolution"),
) -> None:
    """Extract every fact from FILES into the SCHEMA's JSON lines."""
    from zhize.errors import check_output, exit_code

    paths = expand_paths(files)
    check_output(jsonl, paths, "--jsonl")
    if unparsed:
        check_output(unparsed, [*paths, jsonl], "--unparsed")
    results = extract_with_progress(paths)
    if resolve:
        try:
            resolve_results(results)
        except Exception as exc:  # the facts matter more than their ids: never lose them to resolution
            err.print(f"[yellow]entity resolution failed ({type(exc).__name__}: {exc}); "
                      "facts are written without unit_id / person_id[/]", soft_wrap=True)
    lines = (json.dumps(fact.to_record(), ensure_ascii=False) + "\n" for r in results for fact in r.facts)
    if jsonl == "-":
        sys.stdout.writelines(lines)
    else:
        write_whole(jsonl, lines)
    if unparsed:
        write_whole(unparsed, (json.dumps(u.__dict__, ensure_ascii=False) + "\n" for r in results for u in r.unparsed))
    print_summary(results)
    failed = sum(1 for r in results if r.error)
    code = exit_code(len(results) - failed, failed)
    if code:
        raise typer.Exit(code=code)


def write_whole(path: str, lines: Iterable[str]) -> None:
    """Write a file in full or not at all: a temporary file beside it, renamed over it once complete."""
    import os
    import tempfile

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.writelines(lines)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
