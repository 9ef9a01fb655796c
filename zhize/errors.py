"""One error style for every command, and the exit codes they share.

Every failure a user can cause is one line on stderr, ``zhize: <file or store>:
<what is wrong>; <what to do>``, never a traceback.  Exit codes (README, docs/RELIABILITY.md):

* 0: everything asked was done (``ingest`` of unchanged files included);
* 1: some inputs failed (each named with its reason), the others were done;
* 2: a usage error, or nothing usable: no input could be read, the store cannot be
  opened or written; nothing was changed.

Commands raise ``UserError`` (or a store's ``StoreError``) and ``zhize.cli`` turns it
into the line and the code; anything else is a bug, reported in one line by
``zhize.cli.main`` (``ZHIZE_DEBUG=1`` shows the traceback).
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, NoReturn

import typer
from rich.console import Console

OK = 0
SOME_FAILED = 1
UNUSABLE = 2


class UserError(Exception):
    """Something the user asked for that cannot be done; the message says what and what to do."""

    def __init__(self, message: str, code: int = UNUSABLE) -> None:
        super().__init__(message)
        self.code = code


def say(message: str) -> None:
    """One ``zhize: …`` line on stderr, printed as text (file names may hold [brackets])."""
    from zhize.graph.stores import redact

    Console(stderr=True, soft_wrap=True).print(f"zhize: {redact(message)}", markup=False, highlight=False,
                                                emoji=False)


def fail(message: str, code: int = UNUSABLE) -> NoReturn:
    say(message)
    raise typer.Exit(code=code)


def exit_code(done: int, failed: int) -> int:
    """0 when nothing failed, 1 when some inputs failed but others were done, 2 when none was usable."""
    if not failed:
        return OK
    return SOME_FAILED if done else UNUSABLE


def check_output(out: str, inputs: Iterable[str | Path], option: str) -> None:
    """An output file must not be a folder nor one of the inputs (writing it would destroy what is read)."""
    if out == "-":
        return
    target = Path(out)
    if target.is_dir():
        raise UserError(f"{out}: {option} names a folder; give a file path, e.g. {option} {target / 'facts.jsonl'}")
    resolved = target.resolve()
    for p in inputs:
        try:
            same = Path(p).resolve() == resolved or (target.exists() and Path(p).exists()
                                                     and Path(p).samefile(target))
        except OSError:
            same = False
        if same:
            raise UserError(f"{out}: {option} is also an input file; writing it would overwrite what is being "
                            f"read. Choose another output path")
