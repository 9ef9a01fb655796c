"""Documents the tests lay out themselves: samples/make_samples.py's PDF and Word layouts, and the CJK font they need."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SAMPLE = SAMPLES / "sample_bulletin.txt"

_spec = importlib.util.spec_from_file_location("zhize_make_samples", SAMPLES / "make_samples.py")
make_samples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_samples)

pdf_from_text = make_samples.pdf_from_text
docx_from_text = make_samples.docx_from_text


def require_font() -> None:
    """Skip, saying why, without Debian's CJK font (`make test` installs it; in CI its absence fails)."""
    try:
        make_samples.cjk_font()
    except FileNotFoundError as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(str(exc))
        pytest.skip(str(exc))
