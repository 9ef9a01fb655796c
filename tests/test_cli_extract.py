"""``zhize extract``: facts out, a summary, bad files named while the rest go on."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from zhize.cli import app

NOTICE = ("云南省人民政府办公厅关于印发示范工作方案的通知\n\n云政办发〔2024〕12号\n\n各州、市人民政府，省直各委、办、厅、局：\n\n"
          "（一）婚姻登记。规范登记管理。（省民政厅负责，省公安厅配合）\n\n（二）落实责任。（各地要明确专人负责）\n\n云南省人民政府办公厅\n\n2024年3月1日\n")


def run(*args):
    return CliRunner().invoke(app, list(args))


def test_extract_writes_schema_records_and_summarises(tmp_path):
    src = tmp_path / "notice.txt"
    src.write_text(NOTICE, encoding="utf-8")
    out = tmp_path / "out" / "facts.jsonl"
    result = run("extract", str(src), "--jsonl", str(out))
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records[0] == {"kind": "document", "doc": "云政办发〔2024〕12号", "title": "云南省人民政府办公厅关于印发示范工作方案的通知",
                          "issuer": "云南省人民政府办公厅", "date": "2024-03-01", "source": records[0]["source"],
                          "evidence": "云南省人民政府办公厅关于印发示范工作方案的通知"}
    duties = [(r["unit"], r["role"]) for r in records if r["kind"] == "duty"]
    assert duties == [("省民政厅", "responsible"), ("省公安厅", "support")]
    assert all(r.get("unit_id") for r in records if r["kind"] == "duty")
    assert "1 documents" in result.output and "2 duty" in result.output
    assert "notice.txt:9" in result.output        # the unparsed clause, with file and line


def test_bad_files_are_named_and_the_good_one_still_extracted(tmp_path):
    good = tmp_path / "notice.txt"
    good.write_text(NOTICE, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x00\x01\x02\xff" * 100)
    out = tmp_path / "facts.jsonl"
    result = run("extract", str(empty), str(good), str(binary), str(tmp_path / "missing.txt"), "--jsonl", str(out))
    assert result.exit_code == 1                  # some inputs failed, the others were done
    assert "empty.txt: is empty" in result.output
    assert "scan.txt: looks binary" in result.output
    assert "missing.txt: no such file" in result.output
    kinds = [json.loads(line)["kind"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert kinds.count("duty") == 2


def test_jsonl_to_stdout(tmp_path):
    src = tmp_path / "notice.txt"
    src.write_text(NOTICE, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(src), "--jsonl", "-"])
    lines = [l for l in result.stdout.splitlines() if l.startswith("{")]
    assert len(lines) == 3


def test_facts_are_still_written_when_entity_resolution_fails(tmp_path, monkeypatch):
    import zhize.extract.resolve

    def broken():
        raise RuntimeError("registry unreadable")

    monkeypatch.setattr(zhize.extract.resolve, "default_resolver", broken)
    src = tmp_path / "notice.txt"
    src.write_text(NOTICE, encoding="utf-8")
    out = tmp_path / "facts.jsonl"
    result = run("extract", str(src), "--jsonl", str(out))
    assert result.exit_code == 0
    assert "entity resolution failed (RuntimeError: registry unreadable)" in result.output
    duties = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines() if '"duty"' in l]
    assert [(d["unit"], "unit_id" in d) for d in duties] == [("省民政厅", False), ("省公安厅", False)]
