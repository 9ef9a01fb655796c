"""``zhize extract PATH... --jsonl OUT``: facts in the contract of the shared SCHEMA.

PDF and Word files' facts point into the text extracted from them; that
text is written beside the facts (``OUT``'s name with ``.texts``), so every
offset can be followed.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from zhize.commands.running import (
    PARTITION_FORMAT, PARTITIONS, PATHS_HELP, SCHEDULER, TIME_LIMIT, WORKERS, UnparsedSample, err, inputs_or_exit,
    make_pipeline, print_summary, progress_bar, run_or_exit,
)
from zhize.pipeline import JsonlWriter, TextWriter, UnparsedWriter


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)


def texts_folder(jsonl: str) -> Path:
    """Where the extracted texts of a run writing facts to ``jsonl`` go: ``facts.jsonl`` -> ``facts.texts/``."""
    out = Path(jsonl)
    return out.with_name(out.stem + ".texts")


def extract(
    files: list[str] = typer.Argument(..., help=PATHS_HELP),
    jsonl: str = typer.Option(..., "--jsonl", help="where the facts go, one JSON object a line; - for stdout"),
    unparsed: str = typer.Option(None, "--unparsed", help="also write every unparsed clause to this JSON-lines file"),
    texts: Optional[str] = typer.Option(None, "--texts", metavar="DIR",
                                        help="where the text extracted from PDF/Word files goes "
                                             "(default: beside --jsonl, as NAME.texts/; with - none)"),
    resolve: bool = typer.Option(True, "--resolve/--no-resolve", help="add unit_id / person_id from entity resolution"),
    workers: int = WORKERS, scheduler: Optional[str] = SCHEDULER, partitions: Optional[str] = PARTITIONS,
    partition_format: str = PARTITION_FORMAT, time_limit: float = TIME_LIMIT,
) -> None:
    """Extract every fact from PATHS into the SCHEMA's JSON lines."""
    from zhize.errors import check_output, exit_code

    inputs = inputs_or_exit(files)
    check_output(jsonl, inputs.files, "--jsonl")
    if unparsed:
        check_output(unparsed, [*inputs.files, jsonl], "--unparsed")
    sample = UnparsedSample()
    writers = [JsonlWriter(jsonl), sample]
    if unparsed:
        writers.append(UnparsedWriter(unparsed))
    text_dir = texts or (None if jsonl == "-" else texts_folder(jsonl))
    if text_dir is not None:
        writers.append(text_writer := TextWriter(text_dir))
    with progress_bar() as tell:
        report = run_or_exit(make_pipeline(workers, scheduler, partitions, partition_format, time_limit, resolve,
                                           progress=tell), inputs, writers)
    if report.resolution_error:   # the facts matter more than their ids: they were written without
        err.print(f"[yellow]entity resolution failed ({report.resolution_error}); "
                  "facts are written without unit_id / person_id[/]", soft_wrap=True)
    print_summary(report, sample)
    if text_dir is not None and text_writer.written:
        err.print(f"text of {len(text_writer.written)} PDF/Word file(s) in {text_dir}/ "
                  "(the offsets of their facts point into it)", markup=False, soft_wrap=True)
    code = exit_code(len(report.read), len(report.failed))
    if code:
        raise typer.Exit(code=code)
