"""Where the shared corpus and gold live (``../shared`` beside the repository), for tests that score them."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
GOLD = SHARED / "eval" / "gold"


def require_shared() -> None:
    if not (CORPUS.is_dir() and GOLD.is_dir()):
        pytest.skip(f"the shared corpus is not beside the repository ({SHARED}); "
                    "these tests score extraction against its hand-checked gold")


def scorer():
    """The shared scorer itself, so the tests measure exactly what the evaluation measures."""
    require_shared()
    spec = importlib.util.spec_from_file_location("zhize_shared_score", SHARED / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rewrap():
    require_shared()
    path = SHARED / "tools" / "rewrap.py"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return path
