"""Rosters and appointments on the real corpus, scored by the shared scorer (../shared/eval)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
EVAL = SHARED / "eval"

pytestmark = pytest.mark.corpus


def _scorer():
    spec = importlib.util.spec_from_file_location("zhize_shared_score", EVAL / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scored():
    if not (CORPUS.is_dir() and (EVAL / "score.py").is_file() and (EVAL / "gold").is_dir()):
        pytest.skip(f"the shared corpus and gold are not beside the repository ({SHARED})")
    from zhize.pipeline import extract_path

    score = _scorer()
    results = [extract_path(p) for p in sorted(CORPUS.glob("*.txt"))]
    assert all(r.error is None for r in results), [r.error for r in results if r.error]
    preds = [f.to_record() for r in results for f in r.facts]
    overall, _, misses = score.score(score.load_gold([EVAL / "gold"]), preds)
    return overall, misses, results


@pytest.mark.parametrize("kind", ["member", "group_unit", "appointment"])
def test_kind_f1_at_least_095(scored, kind):
    overall, misses, _ = scored
    missed, false = misses.get(kind, ([], []))
    assert overall[kind]["f1"] >= 0.95, f"{kind}: {overall[kind]}\nmissed: {missed[:10]}\nfalse: {false[:10]}"


def test_every_roster_fact_points_at_its_evidence(scored):
    *_, results = scored
    for r in results:
        raw = (CORPUS / Path(r.file).name).read_text(encoding="utf-8")
        for f in r.facts:
            if f.kind not in ("member", "group_unit", "appointment"):
                continue
            printed = "".join(raw[f.source.start:f.source.end].split())
            target = f.unit if f.kind == "group_unit" else f.person or f.position
            # the printed span holds the unit, person or post (spaces and line breaks aside)
            assert target and (target in printed or target[:2] in printed), (f.kind, target, printed)
