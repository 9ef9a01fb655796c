"""docs/RELIABILITY.md names, for each guarantee, the test holding it: every one named must exist."""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_test_the_reliability_doc_names_exists():
    text = (ROOT / "docs" / "RELIABILITY.md").read_text(encoding="utf-8")
    named: list[tuple[str, str]] = []
    for row in text.splitlines():
        module = None
        for m in re.finditer(r"`(?:(test_\w+\.py))?::(test_\w+)`", row):
            module = m.group(1) or module
            assert module, f"a test named without its file: {row}"
            named.append((module, m.group(2)))
    assert len(named) > 30
    for module, test in named:
        tree = ast.parse((ROOT / "tests" / module).read_text(encoding="utf-8"))
        defined = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        assert test in defined, f"docs/RELIABILITY.md names {module}::{test}, which does not exist"
