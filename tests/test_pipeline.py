"""The pipeline: folders found, every file isolated, a time limit that names the file, the same output on N workers."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from layouts import SAMPLE, docx_from_text
from zhize.cli import app
from zhize.extract.types import DutyFact
from zhize.pipeline import Collector, JsonlWriter, Pipeline, StoreWriter, find_inputs

NOTICE = ("云南省人民政府办公厅关于印发示范工作方案的通知\n\n云政办发〔2024〕12号\n\n各州、市人民政府，省直各委、办、厅、局：\n\n"
          "（一）婚姻登记。规范登记管理。（省民政厅负责，省公安厅配合）\n\n云南省人民政府办公厅\n\n2024年3月1日\n")


def notice(folder: Path, name: str, unit: str = "省民政厅") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(NOTICE.replace("省民政厅", unit), encoding="utf-8")
    return path


# --- inputs ---------------------------------------------------------------------------------

def test_folders_are_searched_recursively_and_other_formats_named(tmp_path):
    a = notice(tmp_path, "a.txt")
    b = notice(tmp_path, "sub/deeper/B.TXT")
    (tmp_path / "sub" / "plan.docx").write_bytes(docx_from_text(NOTICE))
    (tmp_path / "sub" / "download").write_bytes(b"%PDF-1.7\n")         # a PDF saved without a suffix
    (tmp_path / "sheet.xlsx").write_bytes(b"PK\x03\x04")
    (tmp_path / "README.md").write_text("# notes", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "sub" / "~$plan.docx").write_bytes(b"lock")
    found = find_inputs([tmp_path, a])                                    # a named twice: read once
    assert [p.relative_to(tmp_path).as_posix() for p in found.files] == [
        "a.txt", "sub/deeper/B.TXT", "sub/download", "sub/plan.docx"]
    assert sorted(Path(s.path).name for s in found.skipped) == ["README.md", "sheet.xlsx"]
    assert all("not a format zhize reads" in s.reason for s in found.skipped)
    assert b in found.files


def test_a_folder_with_nothing_to_read_is_an_error_not_an_empty_success(tmp_path):
    (tmp_path / "notes.md").write_text("# notes", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(tmp_path), "--jsonl", str(tmp_path / "f.jsonl")])
    assert result.exit_code == 2
    assert "no files to read" in result.output and "notes.md" in result.output


# --- isolation ------------------------------------------------------------------------------

def test_one_bad_file_never_loses_the_others_output(tmp_path, monkeypatch):
    import zhize.extract.pipeline as extraction

    real = extraction.extract_text

    def fragile(raw):
        if raw.file.endswith("poison.txt"):
            raise ValueError("an extractor tripped over this file")
        return real(raw)

    monkeypatch.setattr(extraction, "extract_text", fragile)
    files = [notice(tmp_path, "a.txt"), notice(tmp_path, "poison.txt"), tmp_path / "missing.txt",
             notice(tmp_path, "c.txt", "省财政厅")]
    facts = Collector()
    report = Pipeline().run(files, [facts])
    assert [(Path(f.file).name, f.error) for f in report.failed] == [
        ("poison.txt", "extraction failed: ValueError: an extractor tripped over this file"),
        ("missing.txt", "no such file")]
    units = [(f.source.file, f.unit) for f in facts.facts if isinstance(f, DutyFact)]
    assert units == [("a.txt", "省民政厅"), ("a.txt", "省公安厅"), ("c.txt", "省财政厅"), ("c.txt", "省公安厅")]


def test_a_file_past_the_time_limit_is_stopped_and_named(tmp_path, monkeypatch):
    import zhize.extract.pipeline as extraction

    real = extraction.extract_text

    def slow(raw):
        if raw.file.endswith("slow.txt"):
            time.sleep(30)
        return real(raw)

    monkeypatch.setattr(extraction, "extract_text", slow)
    files = [notice(tmp_path, "slow.txt"), notice(tmp_path, "quick.txt")]
    t0 = time.perf_counter()
    report = Pipeline(time_limit=0.5).run(files)
    assert time.perf_counter() - t0 < 10
    (failed,) = report.failed
    assert failed.file.endswith("slow.txt")
    assert failed.error.startswith("took longer than the 0.5 s time limit per file")
    assert report.facts["duty"] == 2


def test_progress_reports_each_file_then_the_later_stages(tmp_path):
    files = [notice(tmp_path, "a.txt"), notice(tmp_path, "b.txt")]
    events = []
    Pipeline(progress=events.append, build=True).run(files)
    assert [(e.stage, e.done, e.total, Path(e.file).name if e.file else None) for e in events] == [
        ("extract", 1, 2, "a.txt"), ("extract", 2, 2, "b.txt"), ("build", 0, 1, None), ("write", 0, 1, None)]


# --- resolution -----------------------------------------------------------------------------

def test_resolution_maps_mentions_to_ids_and_leaves_the_facts_as_extracted(tmp_path):
    collected = Collector()
    report = Pipeline(build=True).run([SAMPLE], [collected])
    from zhize.pipeline import extract_path

    plain = extract_path(SAMPLE).facts
    assert all(getattr(f, "unit_id", None) is None for f in plain)      # extraction gives no ids
    with_ids = collected.facts
    assert [f.unit_id for f in with_ids if isinstance(f, DutyFact)] == [
        report.resolution.id_of(f, "unit_id") for f in plain if isinstance(f, DutyFact)]
    assert all(f.unit_id for f in with_ids if isinstance(f, DutyFact))
    with pytest.raises(AttributeError):
        plain[1].unit_id = "inst:x"                                      # facts are frozen


def test_resolving_file_by_file_gives_what_resolving_all_at_once_gives(tmp_path):
    from zhize.extract.resolve import Resolver

    extracted = Collector()
    Pipeline(resolve=False).run([SAMPLE, notice(tmp_path, "hh.txt", "州财政局")], [extracted])
    whole = Resolver().resolve(extracted.facts)
    session = Resolver().session()
    for r in extracted.results:
        session.add(r.facts)
    streamed = session.finish()
    assert streamed.ids == whole.ids
    assert streamed.institutions == whole.institutions and streamed.persons == whole.persons
    assert streamed.successions == whole.successions and streamed.rule_only == whole.rule_only


def test_a_store_is_not_loaded_when_resolution_failed(tmp_path, monkeypatch):
    import zhize.extract.resolve
    from zhize.graph.sqlite_store import SQLiteStore
    from zhize.pipeline import PipelineError

    def broken():
        raise RuntimeError("registry unreadable")

    monkeypatch.setattr(zhize.extract.resolve, "default_resolver", broken)
    store = SQLiteStore(tmp_path / "graph.sqlite")
    try:
        with pytest.raises(PipelineError, match="registry unreadable"):
            Pipeline().run([SAMPLE], [StoreWriter(store)])
        assert not any(store.counts().values())
    finally:
        store.close()


# --- workers --------------------------------------------------------------------------------

def _corpus_and_samples() -> list[str]:
    shared = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    return [str(p) for p in sorted(shared.glob("*.txt"))] + [str(SAMPLE.parent)]


def test_two_workers_write_the_same_bytes_as_one_in_input_order(tmp_path):
    """On the shared corpus's bulletins when present, and always on every sample (text, HTML, PDF, Word)."""
    paths = _corpus_and_samples()
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    for out, workers in ((one, "1"), (two, "2")):
        result = CliRunner().invoke(app, ["extract", *paths, "--jsonl", str(out), "--workers", workers])
        assert result.exit_code == 0, result.output
    assert one.read_bytes() == two.read_bytes()
    files = list(dict.fromkeys(json.loads(line)["source"]["file"] for line in one.open(encoding="utf-8")))
    assert files == [Path(p).name for p in find_inputs(paths).files]
    assert (tmp_path / "two.texts" / "sample_notice.pdf.txt").read_text(encoding="utf-8") == \
        (tmp_path / "one.texts" / "sample_notice.pdf.txt").read_text(encoding="utf-8")


def extract_hanging(path: str, time_limit):
    """The real per-file stage, in which ``hang.txt`` never finishes and ``stuck.txt`` cannot even be interrupted."""
    import signal

    import zhize.extract.pipeline as extraction
    from zhize.pipeline import extract_path

    real = getattr(extraction, "_real_extract_text", extraction.extract_text)
    extraction._real_extract_text = real

    def hang(raw):
        if raw.file.endswith("stuck.txt"):            # as if inside a C library: no signal gets through
            signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])
        if raw.file.endswith(("hang.txt", "stuck.txt")):
            time.sleep(120)
        return real(raw)

    extraction.extract_text = hang
    return extract_path(path, time_limit)


def test_workers_stop_a_file_past_the_time_limit_even_one_that_cannot_be_interrupted(tmp_path):
    files = [notice(tmp_path, "a.txt"), notice(tmp_path, "hang.txt"), notice(tmp_path, "stuck.txt"),
             notice(tmp_path, "b.txt"), notice(tmp_path, "c.txt")]
    t0 = time.perf_counter()
    report = Pipeline(workers=2, time_limit=1, resolve=False, extract_file=extract_hanging).run(files)
    assert time.perf_counter() - t0 < 60
    assert [(Path(f.file).name, f.error.split(" (")[0]) for f in report.failed] == [
        ("hang.txt", "took longer than the 1 s time limit per file; skipped"),
        ("stuck.txt", "took longer than the 1 s time limit per file and was stopped")]
    assert [Path(f.file).name for f in report.read] == ["a.txt", "b.txt", "c.txt"]
    assert report.facts["duty"] == 6


def test_a_task_is_found_by_the_heading_it_stands_under(tmp_path):
    from zhize.graph.sqlite_store import SQLiteStore
    path = tmp_path / "notice.txt"
    path.write_text("某某省人民政府办公厅关于印发某某省促进消费若干措施的通知\n某政办发〔2023〕6号\n"
                    "各市、县人民政府，省政府各部门：\n一、稳定大宗消费\n"
                    "（一）支持汽车消费。开展汽车下乡活动。（省商务厅负责）\n"
                    "二、培育新型消费\n（二）发展直播电商。建设直播基地。（省商务厅、省市场监管局负责）\n",
                    encoding="utf-8")
    store = SQLiteStore(tmp_path / "graph.sqlite")
    try:
        Pipeline().run([path], [StoreWriter(store)])
        assert [a.task for a in store.owners("大宗消费")] == ["（一）支持汽车消费。开展汽车下乡活动。"]
        assert [a.task for a in store.owners("新型消费 直播")] == ["（二）发展直播电商。建设直播基地。"]
    finally:
        store.close()
