"""samples/ holds one invented document in each form zhize reads, made by samples/make_samples.py."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from layouts import SAMPLES, make_samples, require_font
from zhize.cli import app
from zhize.extract.reading import read_bytes, read_file


@pytest.mark.parametrize("name", sorted(make_samples.SAMPLES))
def test_each_committed_sample_holds_what_the_script_makes(name):
    if name.endswith(".pdf"):
        require_font()
    made = read_bytes(name, make_samples.SAMPLES[name]())
    committed = read_file(SAMPLES / name)
    assert committed.text == made.text, f"samples/{name} is stale: run `make samples`"
    assert committed.format == name.rsplit(".", 1)[1]          # pdf, docx, html: read by the reader it names


def test_zhize_reads_every_sample_folder_form(tmp_path):
    out = tmp_path / "facts.jsonl"
    result = CliRunner().invoke(app, ["extract", str(SAMPLES), "--jsonl", str(out)])
    assert result.exit_code == 0, result.output
    assert "4 files (1 docx, 1 html, 1 pdf, 1 text)" in result.output
    assert "make_samples.py" in result.output and "README.md" in result.output     # named, not read
    files = {json.loads(line)["source"]["file"] for line in out.open(encoding="utf-8")}
    assert files == {"sample_bulletin.txt", "sample_notice.pdf", "sample_measures.docx", "sample_page.html"}


def test_each_sample_form_gives_its_documents_facts(tmp_path):
    out = tmp_path / "facts.jsonl"
    assert CliRunner().invoke(app, ["extract", str(SAMPLES), "--jsonl", str(out)]).exit_code == 0
    records = [json.loads(line) for line in out.open(encoding="utf-8")]

    def of(file, kind):
        return [r for r in records if r["source"]["file"] == file and r["kind"] == kind]

    assert [d["doc"] for d in of("sample_notice.pdf", "document")] == ["红示政办发〔2024〕15号"]
    assert {(m["person"], m["role"], m["source"]["page"]) for m in of("sample_notice.pdf", "member")} >= {
        ("杨明", "head", 2), ("张永福", "office_head", 2)}
    table = {(d["unit"], d["role"]) for d in of("sample_notice.pdf", "duty") if d["task"] == "落实农村供水工程用地保障"}
    assert table == {("州自然资源和规划局", "lead"), ("各县市人民政府", "support")}
    assert [d["doc"] for d in of("sample_measures.docx", "document")] == ["滇示政办发〔2024〕30号"]
    word_table = [(d["unit"], d["role"]) for d in of("sample_measures.docx", "duty") if d["task"] == "落实家政企业税费优惠政策"]
    assert word_table == [("省税务局", "lead"), ("省财政厅", "responsible")]       # 列首位的为牵头单位
    assert [d["doc"] for d in of("sample_page.html", "document")] == ["楚示政办发〔2024〕9号"]
    assert [(m["person"], m["role"]) for m in of("sample_page.html", "member")] == [("王喆", "head")]
