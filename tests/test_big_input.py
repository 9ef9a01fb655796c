"""Inputs of any size: a big file is read in parts cut at document heads, with the same facts."""
from __future__ import annotations

from pathlib import Path

import zhize.extract.pipeline as pipeline
from zhize.extract.pipeline import extract_text, parts_of
from zhize.extract.types import RawText

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "sample_bulletin.txt"


def records(result):
    return sorted((f.kind, f.doc, f.source.start, f.source.end, f.evidence,
                   getattr(f, "unit", None) or getattr(f, "person", None) or "") for f in result.facts)


def test_a_file_read_in_parts_gives_the_facts_of_the_whole(monkeypatch):
    bulletin = SAMPLE.read_text(encoding="utf-8")
    text = "\n".join([bulletin] * 6)
    whole = extract_text(RawText("big.txt", text, "utf-8"))
    monkeypatch.setattr(pipeline, "PART_CHARS", len(bulletin) // 2)
    assert len(parts_of(text, len(bulletin) // 2)) > 3
    parted = extract_text(RawText("big.txt", text, "utf-8"))
    assert records(parted) == records(whole)
    assert [u.line for u in parted.unparsed] == [u.line for u in whole.unparsed]
    for f in parted.facts:                       # offsets still point into the whole file
        assert "".join(text[f.source.start:f.source.end].split())[:1] == "".join(f.evidence.split())[:1]


def test_parts_are_cut_before_a_document_head():
    head = "某某省人民政府关于加强某某工作的通知\n某政发〔2024〕{n}号\n各州、市人民政府：\n"
    text = "".join(head.format(n=n) + "（一）加强管理。（省公安厅负责）\n" * 40 for n in range(1, 30))
    for a, b in parts_of(text, 2000)[1:]:
        assert text[a:].startswith("某某省人民政府关于加强某某工作的通知")


def test_deeply_nested_and_unbalanced_brackets_finish_and_name_no_error():
    head = "某某省人民政府办公厅关于印发某某方案的通知\n某政办发〔2024〕12号\n各州、市人民政府：\n"
    nested = extract_text(RawText("n.txt", head + "（一）加强管理。" + "（" * 10000 + "省公安厅负责" + "）" * 10000, "utf-8"))
    assert [f.doc for f in nested.facts if f.kind == "document"] == ["某政办发〔2024〕12号"]
    unbalanced = extract_text(RawText("u.txt", head + "（省公安厅负责，" * 5000, "utf-8"))
    assert unbalanced.facts
