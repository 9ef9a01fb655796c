"""The benchmarks' own parts, at a tiny size: the generated bulletins hold every form, and extraction
gives back exactly the facts put in them (bench/RESULTS.md measures the same at 10-100 MB)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import synth_corpus  # noqa: E402

from zhize.extract.entities import record_with_ids, with_ids  # noqa: E402
from zhize.pipeline import Collector, JsonlWriter, run  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return synth_corpus.write_corpus(tmp_path_factory.mktemp("synth"), 120_000, seed=3, file_bytes=20_000)


def test_the_bulletins_hold_every_kind_of_fact_in_every_layout(corpus):
    expected = synth_corpus.generated(corpus.facts)
    assert {k[1] for k in expected} == {"document", "duty", "member", "group_unit", "portfolio", "appointment"}
    assert {f.name.split("_")[-1].split(".")[0] for f in corpus.files} == set(synth_corpus.LAYOUTS)
    text = "".join(f.read_text(encoding="utf-8") for f in corpus.files)
    for form in ("牵头", "配合", "分别牵头", "牵头单位：", "责任单位：", "\t", "<p>", "<table>", "任命：", "免去其",
                 "分管", "组　长：", "办公室设在"):
        assert form in text, form


def test_the_same_seed_writes_the_same_bulletins(tmp_path, corpus):
    again = synth_corpus.write_corpus(tmp_path, 120_000, seed=3, file_bytes=20_000)
    assert [f.read_bytes() for f in again.files] == [f.read_bytes() for f in corpus.files]


def test_extraction_gives_back_exactly_the_facts_generated(corpus, tmp_path):
    got = Collector()
    out = tmp_path / "facts.jsonl"
    report = run(corpus.files, [got, JsonlWriter(out)])
    assert not report.failed
    result = synth_corpus.compare(synth_corpus.generated(corpus.facts), got.records())
    assert result.exact, (list(result.missed)[:5], list(result.extra)[:5])
    # the JSON lines carry the same records the facts with their ids give
    import json
    assert [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] == got.records()


def test_a_record_with_ids_is_the_record_of_the_fact_with_ids(corpus):
    from zhize.extract.resolve import default_resolver
    from zhize.pipeline import extract_path

    session = default_resolver().session()
    for path in corpus.files[:3]:
        facts = extract_path(path).facts
        ids = session.add(facts)
        assert any(ids)
        assert [record_with_ids(f, ids) for f in facts] == [with_ids(f, ids).to_record() for f in facts]


def test_the_extraction_benchmark_runs_and_checks_correctness(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_scale.py"), "--mb", "0.05",
                           "--workers", "1", "2", "--corpus", str(tmp_path)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "extracted == generated: yes" in done.stdout
    rows = {line.split()[0] + (line.split()[2] if "workers" in line else "") for line in done.stdout.splitlines()
            if line.startswith("  floor") or line.startswith("  zhize")}
    assert rows == {"floor", "zhize1", "zhize2"}
