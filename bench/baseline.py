"""Another commit's zhize, importable beside this one: the "before" of a before/after run.

``importable(commit)`` exports the commit's tree (``git archive``) into a cache folder and lays
it out as the installed package is (``zhize``, ``zhize.extract`` from ``extract/``,
``zhize.graph`` from ``graph/``); a process with that folder first on ``PYTHONPATH`` imports
the old code, with this environment's libraries.  ``command(commit)`` is its ``zhize``.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(tempfile.gettempdir()) / "zhize-baselines"


def resolve(commit: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", f"{commit}^{{commit}}"], check=True,
                          capture_output=True, text=True).stdout.strip()


def importable(commit: str) -> Path:
    """A folder that, first on ``sys.path``, makes ``import zhize`` the code of ``commit``."""
    sha = resolve(commit)
    top = CACHE / sha[:12]
    if (top / "zhize" / "__init__.py").exists():
        return top
    tree = top.with_name(top.name + ".tree")
    tree.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", sha], check=True,
                             capture_output=True).stdout
    with tempfile.TemporaryFile() as fh:
        fh.write(archive)
        fh.seek(0)
        with tarfile.open(fileobj=fh) as tar:
            tar.extractall(tree, filter="data")
    pkg = top / "zhize"
    pkg.mkdir(parents=True, exist_ok=True)
    for item in (tree / "zhize").iterdir():
        (pkg / item.name).symlink_to(item)
    (pkg / "extract").symlink_to(tree / "extract")
    (pkg / "graph").symlink_to(tree / "graph")
    return top


def env(commit: str) -> dict[str, str]:
    """The environment of a process running ``commit``'s code."""
    path = str(importable(commit))
    return {**os.environ, "PYTHONPATH": path + os.pathsep + os.environ.get("PYTHONPATH", "")}


def command(commit: str) -> list[str]:
    """``commit``'s ``zhize`` command line (run it with ``env(commit)``)."""
    return [sys.executable, "-c", "import sys; from zhize.cli import main; sys.argv[0] = 'zhize'; main()"]
