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
