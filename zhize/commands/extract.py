"""``zhize extract FILE... --jsonl OUT``: facts in the contract of the shared SCHEMA."""
from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)


def extract(
    files: list[str] = typer.Argument(..., help="text files (bulletins, notices)"),
    jsonl: str = typer.Option(..., "--jsonl", help="where the facts go, one JSON object a line; - for stdout"),
) -> None:
    """Extract every fact from FILES."""
    raise NotImplementedError  # replaced in the next commit
